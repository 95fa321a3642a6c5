#!/usr/bin/env bash
# Every test: native build, unit and CLI tests (CTest), and the WebAssembly portability check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure --parallel 2
bash scripts/check-emscripten.sh
