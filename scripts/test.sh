#!/usr/bin/env bash
# Every test: the native build with its unit and CLI tests (CTest), again under ASan and UBSan;
# libFuzzer on the readers and the probe (FUZZ_SECONDS per target, 60 by default); both
# WebAssembly builds through the JavaScript API in Node and headless Chromium, against the native
# CLI; and the web app (dist/) end to end in headless Chromium. Screenshots land in test-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure --parallel 2
bash scripts/test-sanitizers.sh
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
bash scripts/build-web.sh
node --test tests/js/ tests/e2e/
