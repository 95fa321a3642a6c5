// How the browser build's limits (src/core/limits.cpp, README "Limits") were derived: peak
// WebAssembly memory of one analysis and of one file read, each in a fresh module so the heap
// starts small, read as the memory's byteLength afterwards (the heap only grows, by at most 20% or
// 96 MiB a step, so this is the peak rounded up by at most that). Not a test: run it by hand,
//   node tests/js/measure-memory.mjs [analyze|read|all] [--quick]
// after scripts/build-wasm.sh. Each line is JSON; the summary gives bytes per value / per file byte.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { root, tempDir, writeNpy } from './helpers.mjs';

const require = createRequire(import.meta.url);
const pool = 8;  // the browser's worker pool at most (createProbe's maxThreads)

async function load(build) {
  const file = path.join(root, `build/wasm/sparsity-probe-${build}.js`);
  const core = await require(file)({
    wasmBinary: fs.readFileSync(file.replace(/\.js$/, '.wasm')),
    pthreadPoolSize: build === 'threads' ? pool : 0,
    locateFile: (f) => path.join(path.dirname(file), f),
  });
  if (build === 'threads') core.setThreadLimit(pool);
  return core;
}
const memory = (core) => (core.wasmMemory ? core.wasmMemory.buffer : core.HEAPU8.buffer);

// One measurement per process: a module's memory never shrinks.
async function child([mode, build, ...args]) {
  const core = await load(build);
  const started = Date.now();
  if (mode === 'analyze') {
    const [n, d, classes] = args.map(Number);
    let state = 12345;
    const next = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state / 4294967296; };
    const layer = core.stageLayer('x', n, d);
    const labels = core.stageLabels(n);
    const y = new Int32Array(memory(core), labels, n);
    for (let i = 0; i < n; ++i) y[i] = Math.floor(next() * classes);
    const x = new Float32Array(memory(core), layer, n * d);
    for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) x[i * d + f] = next() + (f % classes === y[i] ? 0.3 : 0);
    const result = JSON.parse(core.analyzeStaged('x', {}, null));
    return { mode, build, n, d, classes, values: n * d, peak: memory(core).byteLength, seconds: (Date.now() - started) / 1000, status: result.status || result.error };
  }
  const files = args;
  let bytes = 0;
  for (const file of files) {
    const content = fs.readFileSync(file);
    bytes += content.length;
    const pointer = core.stageFile(path.basename(file), content.length);   // may grow (and so replace) the memory
    new Uint8Array(memory(core), pointer, content.length).set(content);
  }
  const result = core.readStaged('');
  return { mode, build, files: files.map((f) => path.basename(f)), bytes, peak: memory(core).byteLength, seconds: (Date.now() - started) / 1000, shapes: result.layers?.map((l) => l.shape), error: result.error };
}

function run(args) {
  const line = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--child', ...args.map(String)], { maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  console.log(line);
  return JSON.parse(line);
}

// Files for the read measurements: float32 and uint8 .npy, a deflated .npz, a CSV.
function makeFiles(folder, n, d) {
  let state = 99;
  const next = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state / 4294967296; };
  const data = Float32Array.from({ length: n * d }, () => next());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const f4 = path.join(folder, 'layer.npy');
  writeNpy(f4, data, [n, d]);
  const labelFile = path.join(folder, 'labels.npy');
  writeNpy(labelFile, labels, [n]);
  // uint8: written by hand (writeNpy knows float32 and int32 only).
  const u1 = path.join(folder, 'bytes.npy');
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(u1, Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(Uint8Array.from(data, (v) => Math.floor(v * 256)))]));
  const csv = path.join(folder, 'layer.csv');
  const out = fs.openSync(csv, 'w');
  fs.writeSync(out, `${Array.from({ length: d }, (_, f) => `f${f}`).join(',')},label\n`);
  for (let i = 0; i < n; ++i) fs.writeSync(out, `${Array.from(data.subarray(i * d, (i + 1) * d), (v) => v.toFixed(6)).join(',')},${labels[i]}\n`);
  fs.closeSync(out);
  const npz = path.join(folder, 'deflated.npz');
  execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nz.write(sys.argv[2],'layer.npy')\nz.write(sys.argv[3],'labels.npy')\nz.close()`, npz, f4, labelFile]);
  return { f4: [f4, labelFile], u1: [u1, labelFile], csv: [csv], npz: [npz] };
}

async function main() {
  const mode = process.argv[2] || 'all';
  const quick = process.argv.includes('--quick');
  const summary = [];
  if (mode === 'analyze' || mode === 'all') {
    const shapes = quick ? [[10000, 500, 10], [20000, 2500, 10]]
      : [[10000, 2000, 10], [100000, 200, 10], [100000, 100, 100], [20000, 2500, 10], [100000, 500, 10], [10000, 10000, 10], [40000, 2500, 10], [100000, 1000, 10]];
    for (const build of ['single', 'threads']) {
      for (const [n, d, classes] of shapes) {
        const r = run(['analyze', build, n, d, classes]);
        summary.push(`${build.padEnd(7)} ${`${n} x ${d}`.padStart(14)} (${classes} classes): ${(r.peak / 2 ** 20).toFixed(0).padStart(5)} MiB peak, ${(r.peak / r.values).toFixed(1)} bytes per value, ${r.seconds} s`);
      }
    }
  }
  if (mode === 'read' || mode === 'all') {
    const folder = tempDir();
    try {
      const files = makeFiles(folder, quick ? 5000 : 25000, 1000);
      for (const [kind, list] of Object.entries(files)) {
        const r = run(['read', 'single', ...list]);
        summary.push(`read ${kind.padEnd(4)} ${(r.bytes / 2 ** 20).toFixed(0).padStart(5)} MiB of files: ${(r.peak / 2 ** 20).toFixed(0).padStart(5)} MiB peak, ${(r.peak / r.bytes).toFixed(2)} x the files`);
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  console.log(summary.join('\n'));
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await child(process.argv.slice(3))));
  process.exit(0);
} else {
  await main();
}
