#!/usr/bin/env bash
# The benchmarks and their smoke tests load the server with wrk; install it when missing and apt can.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "Installing Debian's wrk for the benchmarks..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  exit 0
fi
echo "The benchmarks need wrk: install Debian's 'wrk' package (sudo apt-get install wrk)." >&2
exit 1
