#!/usr/bin/env bash
# The two WebAssembly builds of the core (SPEC §7), written to build/wasm/:
#   sparsity-probe-threads.{js,wasm,worker.js}  SIMD and pthreads: cross-origin-isolated pages, Node
#   sparsity-probe-single.{js,wasm}             SIMD only: every other page
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Debian's emcc needs the acorn module that Debian installs under /usr/share/nodejs (SPEC §7).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
for variant in single threads; do
  dir=build-wasm-$variant
  threads=$([ $variant = threads ] && echo ON || echo OFF)
  if [ ! -f $dir/CMakeCache.txt ]; then
    emcmake cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPARSITY_PROBE_WASM_THREADS=$threads > /dev/null
  fi
  cmake --build $dir --parallel --target sparsity_probe_wasm
done
# Emscripten writes CommonJS (the module and its pthread worker); the repository is "type": "module".
echo '{ "type": "commonjs" }' > build/wasm/package.json
