#!/usr/bin/env bash
# Installs the Debian packages named as arguments through apt, as root; otherwise prints what to
# install and fails. Does nothing without arguments. Used by scripts/ensure-deps.sh and
# bench/ensure-deps.sh, which decide what is missing.
set -euo pipefail
[ $# -gt 0 ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: $*" >&2
  echo "Install them with: sudo apt-get install -y $*" >&2
  exit 1
fi
echo "Installing Debian packages: $*" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" > /dev/null
