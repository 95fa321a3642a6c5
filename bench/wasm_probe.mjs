// One probe of one layer in a WebAssembly build, in this Node process, for the benchmark (issue 5).
// It loads build/wasm/sparsity-probe-<build>.js directly (as src/js/probe-worker.js does, but on
// the main thread, so that the module's memory can be read afterwards), stages the .npy layer and
// labels into the module's heap and runs the same analysis as `sparsity-probe analyze X.npy
// labels.npy --seeds 1`. Prints one JSON line:
//   { build, threads, seconds (the layer's own "seconds": the probe, no file reading),
//     wall (analyzeStaged as seen from JavaScript), warm_up_seconds (the module's start-up warm-up,
//     as the worker runs it; null with --no-warm-up), heap_bytes (the WebAssembly memory at the end;
//     it only grows, so this is its peak), max_rss_kib (this Node process), layer (the result) }
//
// usage: node bench/wasm_probe.mjs single|threads FOLDER NAME [--threads N] [--seeds N] [--dir DIR]
//                                  [--no-warm-up] [--cold-only]
//   DIR holds the builds (default build/wasm); --no-warm-up skips the warm-up that
//   src/js/probe-worker.js runs when it starts; --cold-only analyses once
//        node bench/wasm_probe.mjs single|threads --check [--dir DIR]   (loads the module only)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// NumPy format 1.0/2.0/3.0, little-endian, C order: float32 (<f4) or integer labels (<i4, <i8).
function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${file}: Fortran order is not supported here`);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = bytes.subarray(start);
  const copy = (Type) => new Type(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  let data;
  if (descr === '<f4') data = copy(Float32Array);
  else if (descr === '<i4') data = copy(Int32Array);
  else if (descr === '<i8') data = Int32Array.from(copy(BigInt64Array), (v) => Number(v));
  else throw new Error(`${file}: dtype ${descr} is not supported here`);
  return { data, shape };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const hardware = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const threads = Number(option('--threads', String(Math.min(hardware, 8))));
  const seeds = Number(option('--seeds', '1'));
  const dir = path.resolve(option('--dir', path.join(root, 'build/wasm')));
  const [build, folder, name] = args;
  if (!['single', 'threads'].includes(build) || !folder || (!name && folder !== '--check')) {
    console.error('usage: node bench/wasm_probe.mjs single|threads FOLDER NAME [--threads N] [--seeds N] [--dir DIR]');
    process.exit(2);
  }

  const modulePath = path.join(dir, `sparsity-probe-${build}.js`);
  const factory = require(modulePath);
  const options = {
    // Emscripten 3.1.6 in Node would fetch() the .wasm by path, which fails: hand it the bytes.
    wasmBinary: fs.readFileSync(modulePath.replace(/\.js$/, '.wasm')),
    locateFile: (file) => path.join(path.dirname(modulePath), file),
  };
  if (build === 'threads') options.pthreadPoolSize = threads;
  const core = await factory(options);
  if (build === 'threads') core.setThreadLimit(threads);
  const warmUp = !process.argv.includes('--no-warm-up');
  if (folder === '--check') {
    // Only that the module loads and answers (the driver checks its copy of the builds).
    process.stdout.write(JSON.stringify({ build, version: core.version() }) + '\n');
    process.exit(0);
  }
  const memory = () => (core.wasmMemory ? core.wasmMemory.buffer : core.HEAPU8.buffer);

  const layer = readNpy(path.join(folder, `${name}.npy`));
  const labels = readNpy(path.join(folder, 'labels.npy'));
  const [samples, features] = layer.shape;
  const stage = () => {
    // stageLayer(name, samples, features) in newer bindings, stageLayer(samples, features) before.
    let layerPointer;
    try {
      layerPointer = core.stageLayer(name, samples, features);
    } catch (error) {
      if (!/expected 2 args/.test(String(error && error.message))) throw error;
      layerPointer = core.stageLayer(samples, features);
    }
    if (!layerPointer) throw new Error(`layer ${name}: the module refused or could not allocate ${samples} x ${features} values`);
    new Float32Array(memory(), layerPointer, samples * features).set(layer.data);
    const labelsPointer = core.stageLabels(labels.data.length);
    new Int32Array(memory(), labelsPointer, labels.data.length).set(labels.data);
  };
  const analyse = () => {
    stage();
    const started = performance.now();
    const text = core.analyzeStaged(name, { seeds }, null);
    const wall = (performance.now() - started) / 1000;
    const result = JSON.parse(text);
    if (result.error) throw new Error(result.error);
    return { result, wall };
  };

  // The first analysis in a module pays for growing the memory and, unless the module warmed up
  // as the worker does when it starts, for V8 compiling the hot code to its optimised tier; a page
  // analysing a model's layers pays that once, for the first. Both are reported: `seconds`
  // (first, "cold") and `warm_seconds` (the same analysis again).
  const warmUpSeconds = warmUp ? core.warmUp() : null;
  const first = analyse();
  const warm = process.argv.includes('--cold-only') ? null : analyse();
  const result = first.result;
  const wall = first.wall;
  const heapBytes = memory().byteLength;
  const maxRssKib = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify({
    build, threads: build === 'threads' ? threads : 1, seconds: result.seconds, wall, warm_up_seconds: warmUpSeconds,
    warm_seconds: warm ? warm.result.seconds : null,
    heap_bytes: heapBytes, max_rss_kib: maxRssKib, layer: result,
  }) + '\n');
  // The pthread pool keeps the event loop alive.
  process.exit(0);
}

main().catch((error) => {
  console.error(`wasm_probe: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
