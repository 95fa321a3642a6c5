// Shared by the JavaScript tests: the native CLI as the reference, and deterministic test data.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = path.join(root, 'build/bin/sparsity-probe');
export const fixtures = path.join(root, 'tests/fixtures');

// The CLI's results document; `cwd` lets file names in messages match what the API is given.
export function cliJson(args, cwd = root) {
  return JSON.parse(execFileSync(cli, [...args, '--json', '-'], { cwd, maxBuffer: 1 << 28 }).toString());
}

// The CLI's one-line error (stderr without the "sparsity-probe: " prefix) for a failing run.
export function cliError(args, cwd = root) {
  try {
    execFileSync(cli, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    return error.stderr.toString().trim().replace(/^sparsity-probe: /, '');
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

// Numbers equal to 1e-9 relative; arrays and objects element by element. `where` names the key.
export function assertClose(actual, expected, where = 'result', tolerance = 1e-9) {
  if (typeof expected === 'number') {
    const scale = Math.max(Math.abs(expected), 1e-300);
    if (typeof actual !== 'number' || !(Math.abs(actual - expected) <= tolerance * scale))
      throw new Error(`${where}: expected ${expected}, found ${actual}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      throw new Error(`${where}: expected ${expected.length} elements, found ${actual && actual.length}`);
    expected.forEach((v, i) => assertClose(actual[i], v, `${where}[${i}]`, tolerance));
    return;
  }
  if (expected && typeof expected === 'object') {
    for (const key of Object.keys(expected)) assertClose(actual[key], expected[key], `${where}.${key}`, tolerance);
    return;
  }
  if (actual !== expected) throw new Error(`${where}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
}

// The keys compared between the CLI and WebAssembly: everything computed (not the timing, nor
// "model", which names the file a layer came from in the CLI's document).
export function comparable(layer) {
  const { seconds, model, ...rest } = layer;
  return rest;
}

// A deterministic n x d float32 layer with class structure, and its labels (xorshift, no Math.random).
export function makeLayer(n, d, classes, seed = 1) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  const labels = new Int32Array(n);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; ++i) {
    labels[i] = Math.floor(next() * classes);
    for (let f = 0; f < d; ++f) data[i * d + f] = next() + (f % classes === labels[i] ? 0.3 : 0);
  }
  return { data, labels, shape: [n, d] };
}

// Write a layer and its labels as .npy files the CLI can read (NumPy format 1.0, little endian).
export function writeNpy(file, typed, shape) {
  const descr = typed instanceof Float32Array ? '<f4' : '<i4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1; prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength)]));
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sparsity-probe-'));
}
