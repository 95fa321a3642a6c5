#!/usr/bin/env bash
# The static site in dist/: both WebAssembly builds (copied to web/public/wasm/) and the Vite build
# of web/. Works from any static host; threads only where the host sends COOP/COEP headers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
mkdir -p web/public/wasm
cp build/wasm/sparsity-probe-*.js build/wasm/sparsity-probe-*.wasm web/public/wasm/
npx vite build --config web/vite.config.js --logLevel warn
echo "Built dist/ ($(du -sh dist | cut -f1))"
