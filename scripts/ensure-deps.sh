#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for building and testing (apt as root); prints
# what to install and fails otherwise. Fast and silent when everything is present.
set -euo pipefail

missing=()
need_command() { command -v "$1" > /dev/null 2>&1 || missing+=("$2"); }
need_file() { [ -e "$1" ] || missing+=("$2"); }

need_command cmake cmake
need_command g++ g++
need_command make make
need_command ninja ninja-build
need_file /usr/include/doctest/doctest.h doctest-dev
need_file /usr/include/eigen3/Eigen/Core libeigen3-dev
need_command em++ emscripten
need_command node nodejs

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
