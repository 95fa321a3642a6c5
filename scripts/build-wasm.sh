#!/usr/bin/env bash
# The two WebAssembly builds of the core (SPEC §7): build/wasm/sparsity-probe-threads.* (SIMD and
# pthreads, for cross-origin-isolated pages and Node) and build/wasm/sparsity-probe-single.* (SIMD
# only, for every other page). Usage: build-wasm.sh [TARGET...] (default: the API module).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Debian's emcc needs the acorn module that Debian installs under /usr/share/nodejs (SPEC §7).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
targets=("${@:-sparsity_probe_wasm}")
for variant in single threads; do
  dir=build-wasm-$variant
  threads=$([ $variant = threads ] && echo ON || echo OFF)
  if [ ! -f $dir/CMakeCache.txt ]; then
    emcmake cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPARSITY_PROBE_WASM_THREADS=$threads > /dev/null
  fi
  for target in "${targets[@]}"; do
    cmake --build $dir --parallel --target "$target" | grep -v "^\[" || true
  done
  # Emscripten writes CommonJS (the module and its pthread worker); the repository is "type": "module".
  echo '{ "type": "commonjs" }' > $dir/package.json
done
mkdir -p build/wasm
echo '{ "type": "commonjs" }' > build/wasm/package.json
