#!/usr/bin/env bash
# Native Release build of the library, the CLI (build/bin/sparsity-probe) and the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build build --parallel
