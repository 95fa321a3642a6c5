#!/usr/bin/env bash
# The main job: build everything, then serve the web app on localhost with the cross-origin
# isolation headers that WebAssembly threads need. Vite prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh > /dev/null
bash scripts/build-web.sh
exec npx vite preview --config web/vite.config.js --host 127.0.0.1 --port "${PORT:-5173}"
