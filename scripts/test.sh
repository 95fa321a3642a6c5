#!/usr/bin/env bash
# Every test: the native build with its unit and CLI tests (CTest), then both WebAssembly builds
# through the JavaScript API, in Node and in headless Chromium, against the native CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure --parallel 2
bash scripts/build-wasm.sh
node --test tests/js/
