#!/bin/sh
# Browser tests drive Debian's Chromium (never a downloaded browser build).
set -e
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "error: $CHROMIUM is missing; install Debian's chromium package (as root: apt-get install chromium)" >&2
  exit 1
fi
echo "installing Debian's chromium package"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
test -x "$CHROMIUM" || { echo "error: chromium did not install to $CHROMIUM" >&2; exit 1; }
