#!/usr/bin/env bash
# ensure-debian-package.sh COMMAND PACKAGE WHAT: make sure COMMAND (or a file, given by its path) exists,
# installing Debian's PACKAGE when it is missing and apt can (as root); else say how to get it. WHAT names who
# needs it, for the messages.
set -euo pipefail
command_path=$1 package=$2 what=$3
if command -v "$command_path" >/dev/null 2>&1 || [[ -e $command_path ]]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "Installing Debian's $package for $what..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  exit 0
fi
echo "$what need $command_path: install Debian's '$package' package (sudo apt-get install $package)." >&2
exit 1
