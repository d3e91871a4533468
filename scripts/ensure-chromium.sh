#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium; install it when it is missing and apt can.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need /usr/bin/chromium: install Debian's 'chromium' package (sudo apt-get install chromium)." >&2
exit 1
