#!/bin/sh
# The Nu HTML Checker (npm vnu-jar) runs on the machine's Java. On a bare
# Debian machine without one, install Debian's headless Java runtime.
set -e
if command -v java >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "error: java is missing; install a Java runtime (as root: apt-get install default-jre-headless)" >&2
  exit 1
fi
echo "installing Debian's default-jre-headless"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
command -v java >/dev/null 2>&1 || { echo "error: java did not install" >&2; exit 1; }
