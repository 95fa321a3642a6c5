#!/usr/bin/env bash
# The core must stay portable to WebAssembly: build it with Debian's Emscripten (SIMD, with and
# without pthreads), run the spiral demo in Node, and require the native CLI's exact numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's emcc needs the acorn module that Debian installs under /usr/share/nodejs (SPEC §7).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

native=build/wasm-check-native.json
build/bin/sparsity-probe demo spiral --json - > "$native"

for variant in single threads; do
  dir=build-wasm-$variant
  threads=$([ $variant = threads ] && echo ON || echo OFF)
  if [ ! -f $dir/CMakeCache.txt ]; then
    emcmake cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPARSITY_PROBE_WASM_THREADS=$threads > /dev/null
  fi
  cmake --build $dir --parallel --target wasm_smoke
  # Emscripten writes CommonJS (the module and its pthread worker); the repository is "type": "module".
  echo '{ "type": "commonjs" }' > $dir/package.json
  # Emscripten 3.1.6 in Node would fetch() the .wasm by path, which fails: hand it the bytes.
  node -e '
    const fs = require("fs"), path = require("path");
    const js = path.resolve(process.argv[1]);
    require(js)({ wasmBinary: fs.readFileSync(js.replace(/\.js$/, ".wasm")), print: (t) => fs.writeSync(1, t + "\n") });
  ' $dir/wasm_smoke.js > $dir/smoke.json 2> $dir/smoke.err || { tail -c 2000 $dir/smoke.err >&2; exit 1; }
  node -e '
    const fs = require("fs");
    const strip = (d) => { for (const l of d.layers) delete l.seconds; return d; };
    const native = strip(JSON.parse(fs.readFileSync(process.argv[1], "utf8")));
    const wasm = strip(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
    const a = JSON.stringify(native), b = JSON.stringify(wasm);
    if (a !== b) {
      console.error(`WebAssembly (${process.argv[3]}) differs from the native CLI: native alpha ${native.layers[0].alpha}, wasm ${wasm.layers[0].alpha}`);
      process.exit(1);
    }
    console.log(`WebAssembly ${process.argv[3]}: spiral alpha* ${wasm.layers[0].alpha}, identical to the native CLI`);
  ' "$native" $dir/smoke.json $variant
done
