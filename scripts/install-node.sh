#!/bin/sh
# The quality gates' npm packages (package-lock.json) need Node.js and npm.
# The machines have them; on a bare Debian machine, install Debian's.
set -e
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "error: node or npm is missing; install Node.js 18 or newer with npm (as root: apt-get install nodejs npm)" >&2
  exit 1
fi
echo "installing Debian's nodejs and npm"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { echo "error: node/npm did not install" >&2; exit 1; }
