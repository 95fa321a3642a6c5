#!/usr/bin/env bash
# The unit and CLI tests again under AddressSanitizer and UndefinedBehaviorSanitizer: any invalid
# memory access, leak or undefined behaviour fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [ ! -f build-sanitizers/CMakeCache.txt ]; then
  cmake -S . -B build-sanitizers -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" > /dev/null
fi
cmake --build build-sanitizers --parallel
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitizers --output-on-failure --parallel 2
