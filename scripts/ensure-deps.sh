#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with Node 20 lacks for building and testing: Debian
# packages through apt (as root; otherwise prints what to install and fails) and the npm packages
# of package-lock.json. Fast and silent when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

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
need_file /usr/bin/chromium chromium  # headless browser tests (Playwright drives Debian's Chromium)
need_command clang++-14 clang-14      # libFuzzer (scripts/fuzz.sh)
need_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev

bash scripts/apt-install.sh ${missing[@]+"${missing[@]}"}

# npm packages: installed when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
