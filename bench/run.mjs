// The speed benchmark of issue 5 (`npm run bench`): scikit-learn's forest fit against the whole
// probe of one layer (forest + wavelets + tau-curve + alpha*, one seed) in the native CLI and both
// WebAssembly builds in Node, on the workloads of bench/generate.py; peak memory; time versus
// samples and features; the recorded numbers (bench/parity.sh). Everything in the report is
// measured by the run; nothing is copied from elsewhere.
//
//   npm run bench                      everything; writes bench/RESULTS.md
//   npm run bench -- W1 scaling        only these parts (W1 W2 W3 scaling parity); writes
//                                      bench/data/RESULTS.partial.md instead
// Environment:
//   BENCH_REPEATS=5           runs of each native/WebAssembly measurement on W1, W2 (median)
//   BENCH_REPEATS_W3=3        the same on W3
//   BENCH_SKLEARN_REPEATS=3   scikit-learn fits on W1 and W2 (median)
//   BENCH_SKLEARN_REPEATS_W3=1  scikit-learn fits on W3 (about a minute each on 2 cores)
//   BENCH_SCALING_REPEATS=3   runs per scaling point (median); three times as many below 0.5 s
//   BENCH_NO_BUILD=1          use the builds as they are (no ensure-deps, no build scripts)
//   BENCH_OUT=PATH            where to write the report
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.join(root, 'bench/data');
// The builds are copied here once built, so that a rebuild by someone else during the run (the
// working tree may be shared) cannot change or break what is measured halfway.
const snapshot = path.join(data, 'snapshot');
const cli = path.join(snapshot, 'sparsity-probe');
const wasmDir = path.join(snapshot, 'wasm');
const python = '/usr/bin/python3';
const MiB = 1024 * 1024;

const PARTS = ['W1', 'W2', 'W3', 'scaling', 'parity'];
const WORKLOADS = {
  W1: { description: '10,000 × 512, 10 classes, unstructured random features', target: 25 },
  W2: { description: '4,000 × 1,280, 10 classes, features with class structure', target: 25 },
  W3: { description: '50,000 × 256, 100 classes, Gaussian class clusters', target: 10 },
};
const TARGET_WASM_THREADS = 1.6;
const TARGET_WASM_SINGLE = 3;

const selected = process.argv.slice(2);
for (const part of selected) {
  if (!PARTS.includes(part)) {
    console.error(`bench: unknown part ${part}; choose from ${PARTS.join(' ')}`);
    process.exit(2);
  }
}
const full = selected.length === 0;
const parts = full ? PARTS : PARTS.filter((p) => selected.includes(p));
const envInt = (name, fallback) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Math.max(1, Number.parseInt(value, 10));
};
const REPEATS = envInt('BENCH_REPEATS', 5);
const REPEATS_W3 = envInt('BENCH_REPEATS_W3', 3);
const SKLEARN_REPEATS = envInt('BENCH_SKLEARN_REPEATS', 3);
const SKLEARN_REPEATS_W3 = envInt('BENCH_SKLEARN_REPEATS_W3', 1);
const SCALING_REPEATS = envInt('BENCH_SCALING_REPEATS', 3);
const out = process.env.BENCH_OUT || path.join(root, full ? 'bench/RESULTS.md' : 'bench/data/RESULTS.partial.md');
const hardware = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const wasmThreads = Math.min(hardware, 8); // what createProbe gives Node (maxThreads 8)

const startedAt = Date.now();
const loads = []; // the 1-minute load average at every step, to show how busy the machine was
const log = (message) => loads.push(os.loadavg()[0]) && console.error(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr}`);
  }
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// The computed part of a layer: everything but the timing and the file it came from.
function comparable(layer) {
  const { seconds, model, ...rest } = layer;
  return JSON.stringify(rest);
}

// How two layers' documents differ: the numbers that are not equal, the largest relative
// difference among them and where the first one is.
function difference(a, b, where = '', found = { count: 0, maxRelative: 0, first: '' }) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) {
      found.count += 1;
      found.maxRelative = Math.max(found.maxRelative, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
      if (!found.first) found.first = where;
    }
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (key === 'seconds' || key === 'model') continue;
      difference(a[key], b[key], Array.isArray(a) ? `${where}[${key}]` : `${where}.${key}`, found);
    }
  } else if (a !== b) {
    found.count += 1;
    found.maxRelative = Infinity;
    if (!found.first) found.first = where;
  }
  return found;
}

// The probe's answers: α* and τ* (per seed and overall) and the M-term rate.
const answers = (layer) => JSON.stringify([layer.alpha, layer.alpha_per_seed, layer.tau_star, layer.tau_star_per_seed, layer.alpha_mterm, layer.status]);

function npyShape(file) {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4096);
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const match = /'shape':\s*\(([^)]*)\)/.exec(head.toString('latin1'));
  return match[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
}

// ---------------------------------------------------------------- measurements

// The native CLI on one layer: the layer's own seconds, the process's wall time and max RSS.
function nativeRun(folder, name, threads) {
  const args = ['-f', '%e %M', cli, 'analyze', `${name}.npy`, 'labels.npy', '--seeds', '1', '--json', '-'];
  if (threads) args.push('--threads', String(threads));
  const result = run('/usr/bin/time', args, { cwd: folder });
  const [wall, rss] = result.stderr.trim().split('\n').pop().trim().split(/\s+/).map(Number);
  const layer = JSON.parse(result.stdout).layers[0];
  return { seconds: layer.seconds, wall, peak_bytes: rss * 1024, layer };
}

// `fresh`: the module's first analysis without the start-up warm-up the worker runs, and only that.
function wasmRun(folder, name, build, fresh = false) {
  const args = ['-f', '%e %M', process.execPath, path.join(root, 'bench/wasm_probe.mjs'), build, folder, name, '--dir', wasmDir];
  if (build === 'threads') args.push('--threads', String(wasmThreads));
  if (fresh) args.push('--no-warm-up', '--cold-only');
  const result = run('/usr/bin/time', args);
  const [wall] = result.stderr.trim().split('\n').pop().trim().split(/\s+/).map(Number);
  const report = JSON.parse(result.stdout.trim().split('\n').pop());
  return {
    seconds: report.seconds, warm_seconds: report.warm_seconds, warm_up_seconds: report.warm_up_seconds, wall, heap_bytes: report.heap_bytes,
    rss_bytes: report.max_rss_kib * 1024, layer: report.layer,
  };
}

function sklearnRun(folder, name) {
  const result = run(python, [path.join(root, 'bench/sklearn_fit.py'), folder, name]);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function workload(id) {
  const folder = path.join(data, id);
  const [samples, features] = npyShape(path.join(folder, `${id}.npy`));
  const inputBytes = samples * features * 4;
  const limit = 2 * inputBytes + 64 * MiB;
  const sklearnRepeats = id === 'W3' ? SKLEARN_REPEATS_W3 : SKLEARN_REPEATS;
  const repeats = id === 'W3' ? REPEATS_W3 : REPEATS;

  // The scikit-learn fits are spread over the rounds below (round floor((k + 1/2) · rounds / fits)
  // for fit k), so that a drift in the machine's speed during the run touches the peer and the
  // probe alike rather than the fits at its start only.
  const sklearn = [];
  const fitRound = (k) => Math.floor(((k + 0.5) * repeats) / sklearnRepeats);
  const fit = () => {
    log(`${id}: scikit-learn fit ${sklearn.length + 1}/${sklearnRepeats}`);
    sklearn.push(sklearnRun(folder, id));
  };
  // Round-robin, so that a change in the machine's load touches every configuration alike. A run
  // that fails (a build in flux, out of memory) is reported, not fatal.
  const runs = { native: [], native1: [], threads: [], single: [], fresh: [] };
  const errors = {};
  const attempt = (key, measure) => {
    try {
      runs[key].push(measure());
    } catch (error) {
      errors[key] = errors[key] || String(error.message).split('\n').filter(Boolean).slice(0, 2).join(' ');
      log(`${id}: ${key} failed: ${errors[key]}`);
    }
  };
  for (let r = 0; r < repeats; ++r) {
    while (sklearn.length < sklearnRepeats && fitRound(sklearn.length) === r) fit();
    log(`${id}: native (all cores), native (1 thread), wasm threads, wasm single, wasm threads without warm-up: round ${r + 1}/${repeats}`);
    attempt('native', () => nativeRun(folder, id, 0));
    attempt('native1', () => nativeRun(folder, id, 1));
    attempt('threads', () => wasmRun(folder, id, 'threads'));
    attempt('single', () => wasmRun(folder, id, 'single'));
    attempt('fresh', () => wasmRun(folder, id, 'threads', true));
  }
  while (sklearn.length < sklearnRepeats) fit();
  const reference = (runs.native[0] || runs.native1[0] || {}).layer;
  if (!reference) throw new Error(`${id}: every native run failed: ${errors.native}`);
  const same = {}; // whole documents (timings aside) identical to the first native run's
  const sameAlpha = {}; // alpha*, tau*, alpha_mterm identical
  const diffs = {};
  for (const [key, list] of Object.entries(runs)) {
    same[key] = list.length > 0 && list.every((m) => comparable(m.layer) === comparable(reference));
    sameAlpha[key] = list.length > 0 && list.every((m) => answers(m.layer) === answers(reference));
    diffs[key] = difference(reference, list.find((m) => comparable(m.layer) !== comparable(reference))?.layer ?? reference);
  }
  const largest = (list, key) => (list.length ? Math.max(...list.map((m) => m[key])) : NaN);
  // NaN unless every run reported the field (warm_seconds and warm_up_seconds are null when skipped).
  const medianOf = (list, key) => (list.length && list.every((m) => typeof m[key] === 'number') ? median(list.map((m) => m[key])) : NaN);
  const summary = (list) => ({
    seconds: medianOf(list, 'seconds'),
    warm: medianOf(list, 'warm_seconds'),
    wall: medianOf(list, 'wall'),
    warm_up: medianOf(list, 'warm_up_seconds'),
    all: list.map((m) => m.seconds),
  });
  const result = {
    id, samples, features, classes: reference.classes, input_bytes: inputBytes, limit_bytes: limit,
    alpha: reference.alpha, tau_star: reference.tau_star, wavelets: reference.wavelets,
    sklearn: {
      seconds: median(sklearn.map((s) => s.seconds)), all: sklearn.map((s) => s.seconds), runs: sklearn.length,
      peak_bytes: Math.max(...sklearn.map((s) => s.peak_kib)) * 1024, nodes: sklearn[0].nodes, version: sklearn[0].sklearn,
    },
    native: { ...summary(runs.native), peak_bytes: largest(runs.native, 'peak_bytes') },
    native1: { ...summary(runs.native1), peak_bytes: largest(runs.native1, 'peak_bytes') },
    threads: { ...summary(runs.threads), heap_bytes: largest(runs.threads, 'heap_bytes'), rss_bytes: largest(runs.threads, 'rss_bytes') },
    single: { ...summary(runs.single), heap_bytes: largest(runs.single, 'heap_bytes'), rss_bytes: largest(runs.single, 'rss_bytes') },
    fresh: summary(runs.fresh),
    same, same_alpha: sameAlpha, diffs, errors, repeats,
  };
  result.ratios = {
    sklearn_native: result.sklearn.seconds / result.native.seconds,
    threads_native: result.threads.seconds / result.native.seconds,
    fresh_native: result.fresh.seconds / result.native.seconds,
    single_native1: result.single.seconds / result.native1.seconds,
    threads_native_warm: result.threads.warm / result.native.seconds,
    single_native1_warm: result.single.warm / result.native1.seconds,
  };
  log(`${id}: sklearn ${result.sklearn.seconds.toFixed(2)} s, native ${result.native.seconds.toFixed(3)} s ` +
      `(${result.ratios.sklearn_native.toFixed(1)}x), wasm threads ${result.ratios.threads_native.toFixed(2)}x, ` +
      `wasm single ${result.ratios.single_native1.toFixed(2)}x of native 1 thread`);
  return result;
}

function scaling() {
  const manifest = JSON.parse(fs.readFileSync(path.join(data, 'manifest.json'), 'utf8'));
  const points = [
    ...manifest.scaling_n.map((n) => ({ axis: 'samples', n, d: manifest.scaling_n_features })),
    ...manifest.scaling_d.map((d) => ({ axis: 'features', n: manifest.scaling_d_samples, d })),
  ];
  const rows = [];
  for (const point of points) {
    const folder = path.join(data, 'scaling', `n${point.n}_d${point.d}`);
    const measured = [];
    measured.push(nativeRun(folder, 'X', 0));
    const repeats = measured[0].seconds < 0.5 ? 3 * SCALING_REPEATS : SCALING_REPEATS;
    for (let r = 1; r < repeats; ++r) measured.push(nativeRun(folder, 'X', 0));
    const seconds = median(measured.map((m) => m.seconds));
    const layer = measured[0].layer;
    rows.push({
      ...point, seconds, all: measured.map((m) => m.seconds), wavelets: layer.wavelets, alpha: layer.alpha,
      ns_per_value: (seconds / (point.n * point.d)) * 1e9,
      peak_bytes: Math.max(...measured.map((m) => m.peak_bytes)), input_bytes: point.n * point.d * 4,
    });
    log(`scaling n=${point.n} d=${point.d}: ${seconds.toFixed(3)} s`);
  }
  return rows;
}

// The numbers must not move with the speed work. Both references are built from this
// repository's history into bench/data/reference/<commit> (git archive, then CMake; kept for the
// next run), so that a fresh clone checks them with no step by hand:
// - BEFORE_SPEED_WORK, the last commit before the speed work: every case must give the same
//   α*, τ*, statuses, counts and strings; its other floats are compared and reported, because
//   PORTABLE_MATH moved some of them in their last bits on purpose;
// - PORTABLE_MATH, the commit that gave the core its own exp and log (portable_math.hpp, so that
//   native and WebAssembly agree to the bit): from it on, every document must stay byte-identical
//   (timings aside) at 1 and 2 threads.
const BEFORE_SPEED_WORK = 'e12bf3d';
const PORTABLE_MATH = '8a783cc';
const parityScript = path.join(root, 'bench/parity.sh');

function referenceCli(commit) {
  const dir = path.join(data, 'reference', commit);
  const binary = path.join(dir, 'build/bin/sparsity-probe');
  if (fs.existsSync(binary)) return binary;
  if (spawnSync('git', ['-C', root, 'cat-file', '-e', `${commit}^{commit}`]).status !== 0) {
    throw new Error(`commit ${commit} is not in this clone's history (a shallow clone?); \`git fetch --unshallow\` brings it`);
  }
  log(`building the CLI of ${commit} into ${path.relative(root, dir)}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  run('bash', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'archive', root, commit, dir]);
  const build = path.join(dir, 'build');
  run('cmake', ['-S', dir, '-B', build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release'], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('ninja', ['-C', build, 'sparsity-probe'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return binary;
}

// bench/parity.sh record with a given CLI, into `dir` (written whole or not at all).
function record(dir, binary, source) {
  const partial = `${dir}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  run('bash', [parityScript, 'record', partial], { env: { ...process.env, SPARSITY_PROBE_CLI: binary, PARITY_SOURCE: source } });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
}

function recordedCases(dir) {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
}

function stampOf(dir) {
  const stamp = path.join(dir, 'RECORDED');
  return fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : 'no RECORDED stamp';
}

// Compares two results documents. Only the numbers computed through exp and log after the
// forest (N_τ, log N_τ, the angles, the M-term errors and α_mterm) may differ, and they are
// counted with their largest relative difference; everything else (α*, τ*, the settings, every
// count, string and status) must be equal, and the shapes alike.
const LAST_BITS = new Set(['n_tau', 'log_n_tau', 'angle', 'error', 'error_at_zero', 'alpha_mterm', 'alpha_mterm_per_seed']);
function compareDocuments(before, now) {
  const mismatches = [];
  let floats = 0;
  let maxRelative = 0;
  const walk = (a, b, where, loose) => {
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return mismatches.push(`${where}: ${JSON.stringify(a)?.slice(0, 40)} against ${JSON.stringify(b)?.slice(0, 40)}`);
      a.forEach((x, i) => walk(x, b[i], `${where}[${i}]`, loose));
    } else if (a && b && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) {
        if (!(key in a) || !(key in b)) mismatches.push(`${where}.${key}: only in the ${key in a ? 'reference' : 'current'} document`);
        else walk(a[key], b[key], `${where}.${key}`, LAST_BITS.has(key));
      }
    } else if (loose && typeof a === 'number' && typeof b === 'number') {
      if (a !== b) {
        floats += 1;
        maxRelative = Math.max(maxRelative, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
      }
    } else if (a !== b) {
      mismatches.push(`${where}: ${JSON.stringify(a)} against ${JSON.stringify(b)}`);
    }
  };
  walk(before, now, '', false);
  return { mismatches, floats, maxRelative };
}

function parity() {
  const result = { before_commit: BEFORE_SPEED_WORK, identical_commit: PORTABLE_MATH };
  try {
    const beforeDir = path.join(data, 'parity-before-speed-work');
    const identicalDir = path.join(data, 'parity');
    for (const [dir, commit] of [[beforeDir, BEFORE_SPEED_WORK], [identicalDir, PORTABLE_MATH]]) {
      if (!fs.existsSync(path.join(dir, 'RECORDED')) || recordedCases(dir).length === 0) {
        log(`recording the parity cases with the CLI of ${commit}`);
        record(dir, referenceCli(commit), `${commit} (its CLI built from this repository's history, bench/run.mjs)`);
      }
    }
    // Byte-identical to PORTABLE_MATH's documents, at 1 and 2 threads.
    log(`parity: bench/parity.sh check against ${PORTABLE_MATH}`);
    const nowDir = path.join(data, 'parity-now');  // the check's own --threads 1 documents
    fs.rmSync(nowDir, { recursive: true, force: true });
    const check = run('bash', [parityScript, 'check', identicalDir, nowDir], { allowFailure: true, env: { ...process.env, SPARSITY_PROBE_CLI: cli } });
    const lines = check.stdout.trim().split('\n').filter(Boolean);
    result.identical = {
      recorded_at: stampOf(identicalDir), ok: check.status === 0, same: lines.filter((l) => l.startsWith('same:')).length,
      differs: lines.filter((l) => l.startsWith('DIFFERS')),
      error: check.status !== 0 && !lines.some((l) => l.startsWith('DIFFERS')) ? check.stderr.trim().split('\n').slice(-3).join(' ') : '',
    };
    // The same decisive numbers as before the speed work (the check above covers both thread counts).
    log(`parity: the decisive numbers against ${BEFORE_SPEED_WORK}`);
    const cases = recordedCases(beforeDir);
    result.before = { recorded_at: stampOf(beforeDir), cases: [] };
    for (const file of cases) {
      const nowFile = path.join(nowDir, file);
      const name = file.replace(/\.json$/, '');
      if (!fs.existsSync(nowFile)) {
        result.before.cases.push({ name, mismatches: ['no current document'], floats: 0, maxRelative: 0 });
        continue;
      }
      const compared = compareDocuments(JSON.parse(fs.readFileSync(path.join(beforeDir, file), 'utf8')), JSON.parse(fs.readFileSync(nowFile, 'utf8')));
      result.before.cases.push({ name, ...compared });
    }
    result.before.ok = cases.length > 0 && result.before.cases.every((c) => c.mismatches.length === 0);
  } catch (error) {
    result.error = String(error && error.message ? error.message : error).split('\n').slice(0, 3).join(' ');
  }
  return result;
}

// ---------------------------------------------------------------- the machine

function firstLine(command, args) {
  try {
    const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
    return (result.stdout || result.stderr || '').trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = (/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || 'unknown';
  const memTotal = Number((/^MemTotal:\s*(\d+)/m.exec(fs.readFileSync('/proc/meminfo', 'utf8')) || [])[1] || 0) * 1024;
  const osRelease = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
  const pretty = (/^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease) || [])[1] || os.type();
  const versions = JSON.parse(run(python, ['-c',
    'import json, sys, numpy, sklearn, scipy; print(json.dumps({"python": sys.version.split()[0], "numpy": numpy.__version__, "sklearn": sklearn.__version__, "scipy": scipy.__version__}))']).stdout);
  const gitHead = firstLine('git', ['-C', root, 'log', '-1', '--format=%h %s']);
  const dirty = run('git', ['-C', root, 'status', '--porcelain', '--', 'src', 'include', 'CMakeLists.txt'], { allowFailure: true }).stdout.trim();
  return {
    cpu: model, hardware_threads: hardware, memory_bytes: memTotal, os: `${pretty}, Linux ${os.release()}`,
    gxx: firstLine('g++', ['--version']), emcc: firstLine('emcc', ['--version']), node: process.version, ...versions,
    git: gitHead, dirty: dirty ? dirty.split('\n').map((l) => l.trim()) : [], date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- the report

const fmtS = (s) => (!Number.isFinite(s) ? 'failed' : s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3));
const fmtX = (x) => (!Number.isFinite(x) ? '–' : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + '×';
const fmtMiB = (b) => (Number.isFinite(b) ? (b / MiB).toFixed(1) : 'failed');
const mark = (ok) => (ok ? 'met' : '**NOT met**');

function report({ info, loadBefore, loadAfter, results, scalingRows, parityResult, elapsed }) {
  const lines = [];
  const push = (...l) => lines.push(...l);
  push('# Benchmark results (issue 5)', '');
  push(`Written by \`npm run bench${full ? '' : ' -- ' + parts.join(' ')}\` (bench/run.mjs) on ${info.date}; the whole run took ${(elapsed / 60000).toFixed(1)} minutes. ` +
       'Every number below was measured by that run.', '');
  push('## Machine', '');
  push(`- CPU: ${info.cpu}, ${info.hardware_threads} hardware threads; memory ${(info.memory_bytes / 2 ** 30).toFixed(1)} GiB`);
  push(`- OS: ${info.os}`);
  push(`- Compilers: ${info.gxx}; ${info.emcc}; Node ${info.node}`);
  push(`- Peer: scikit-learn ${info.sklearn} (NumPy ${info.numpy}, SciPy ${info.scipy}, Python ${info.python}), Debian packages`);
  push(`- Source: ${info.git}${info.dirty.length ? ` — with uncommitted changes in the working tree (${info.dirty.join(', ')})` : ''}`);
  const sortedLoads = [...loads].sort((a, b) => a - b);
  push(`- Load average (1 min) before the run ${loadBefore}, after ${loadAfter}; during it ${sortedLoads[0].toFixed(1)} to ${sortedLoads[sortedLoads.length - 1].toFixed(1)}, median ${median(sortedLoads).toFixed(1)}, ` +
       `on ${info.hardware_threads} hardware threads. Other work on the machine slows every column, not necessarily alike; the runs are interleaved round-robin to spread it, and every run\'s time is listed below.`, '');

  push('## What is measured', '');
  push('- **Workloads**: bench/generate.py, one fixed seed each; `analyze X.npy labels.npy --seeds 1` with the defaults (3 trees, depth 15, all features per split, bootstrap).');
  push('- **Probe time** (native and WebAssembly alike): the `"seconds"` the results document reports for the layer — the whole probe of the layer (normalisation, binning, forest, wavelets, τ-curve, α\\*, M-term), ' +
       'not reading the file, starting the process or instantiating the module. The process wall times (which include those) are in a second table.');
  push(`- **native**: build/bin/sparsity-probe with its default thread count (all ${info.hardware_threads} cores); **native 1t**: \`--threads 1\`.`);
  push(`- **wasm threads** / **wasm single**: build/wasm/sparsity-probe-{threads,single} (copied with the CLI to bench/data/snapshot/ right after building, so that a rebuild during the run cannot touch what is measured) loaded in Node by bench/wasm_probe.mjs (threads build with a pool of ${wasmThreads}, as \`createProbe\` gives Node), the module first runs the warm-up that the worker of src/js (and so the web page) runs when it starts (\`warmUp()\`: the probe of a 2,000 × 128 synthetic layer, so that V8 compiles the hot code to its optimised tier before the first real layer), then the layer is staged into the module's heap from the same .npy files and analysed twice in that module (first, then again). ` +
       '**wasm threads, no warm-up**: a fresh threads module\'s first analysis with that warm-up skipped, one analysis per process.');
  push(`- **scikit-learn**: bench/sklearn_fit.py — RandomForestRegressor(n_estimators=3, max_depth=15, max_features=1.0, bootstrap=True, n_jobs=-1) on the same one-hot targets; the fit alone is timed.`);
  push(`- Medians of ${REPEATS} runs on W1 and W2 and ${REPEATS_W3} on W3 for native and WebAssembly (interleaved round-robin), of ${SKLEARN_REPEATS} scikit-learn fits on W1 and W2 and of ${SKLEARN_REPEATS_W3} on W3 (its fit is by far the slowest step of the run; fewer fits keep the run short), the fits spread over the same rounds.`);
  push('- **Peak memory**: native — the process\'s maximum resident set (`/usr/bin/time -f %M`); WebAssembly — the module\'s memory (`wasmMemory.buffer.byteLength`) at the end of the run, which only grows, so it is the peak; ' +
       'the Node process\'s maximum resident set is shown too but is mostly Node itself. Limit: 2 × the input array (samples × features × 4 bytes) + 64 MiB.', '');

  if (results.length) {
    push('## Speed', '');
    push('WebAssembly columns: the module\'s first analysis after its start-up warm-up ("first": the memory still growing) / the same analysis again in that module ("again", as for every layer after a page\'s first); ' +
         '"no warm-up": the first analysis of a module that skipped the warm-up (V8 still compiling the hot code to its optimised tier meanwhile); "warm-up s": what the warm-up took when the module started.', '');
    push('| workload | scikit-learn fit s | native s | native 1t s | wasm threads s, first / again | wasm single s, first / again | wasm threads s, no warm-up | warm-up s, threads / single | sklearn / native | wasm threads / native, first / again (no warm-up) | wasm single / native 1t, first / again |');
    push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      push(`| ${r.id} (${r.samples.toLocaleString('en')} × ${r.features.toLocaleString('en')}, ${r.classes} classes) | ${fmtS(r.sklearn.seconds)} | ${fmtS(r.native.seconds)} | ${fmtS(r.native1.seconds)} | ` +
           `${fmtS(r.threads.seconds)} / ${fmtS(r.threads.warm)} | ${fmtS(r.single.seconds)} / ${fmtS(r.single.warm)} | ${fmtS(r.fresh.seconds)} | ${fmtS(r.threads.warm_up)} / ${fmtS(r.single.warm_up)} | ${fmtX(r.ratios.sklearn_native)} | ` +
           `${fmtX(r.ratios.threads_native)} / ${fmtX(r.ratios.threads_native_warm)} (${fmtX(r.ratios.fresh_native)}) | ${fmtX(r.ratios.single_native1)} / ${fmtX(r.ratios.single_native1_warm)} |`);
    }
    push('', '### Targets', '');
    push('| workload | native ≥ N× faster than sklearn | wasm threads within 1.6× of native | wasm single within 3× of native 1t | native peak ≤ limit | wasm threads heap ≤ limit | wasm single heap ≤ limit | wasm α* = native α* | whole documents identical |');
    push('|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      const target = WORKLOADS[r.id].target;
      const sameAll = Object.values(r.same).every(Boolean);
      const sameAlpha = Object.values(r.same_alpha).every(Boolean);
      push(`| ${r.id} | ${mark(r.ratios.sklearn_native >= target)} (${fmtX(r.ratios.sklearn_native)} vs ${target}×) | first ${mark(r.ratios.threads_native <= TARGET_WASM_THREADS)} (${fmtX(r.ratios.threads_native)}), again ${mark(r.ratios.threads_native_warm <= TARGET_WASM_THREADS)} (${fmtX(r.ratios.threads_native_warm)}); without the warm-up ${fmtX(r.ratios.fresh_native)} | ` +
           `first ${mark(r.ratios.single_native1 <= TARGET_WASM_SINGLE)} (${fmtX(r.ratios.single_native1)}), again ${mark(r.ratios.single_native1_warm <= TARGET_WASM_SINGLE)} (${fmtX(r.ratios.single_native1_warm)}) | ${mark(r.native.peak_bytes <= r.limit_bytes && r.native1.peak_bytes <= r.limit_bytes)} | ` +
           `${mark(r.threads.heap_bytes <= r.limit_bytes)} | ${mark(r.single.heap_bytes <= r.limit_bytes)} | ${sameAlpha ? 'yes' : '**NO**'} | ${sameAll ? 'yes' : '**no** (below)'} |`);
    }
    push('', '### Peak memory (MiB)', '');
    push('| workload | input array | limit (2 × input + 64) | native | native 1t | wasm threads heap | wasm single heap | Node RSS, threads | Node RSS, single | scikit-learn RSS |');
    push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      push(`| ${r.id} | ${fmtMiB(r.input_bytes)} | ${fmtMiB(r.limit_bytes)} | ${fmtMiB(r.native.peak_bytes)} | ${fmtMiB(r.native1.peak_bytes)} | ${fmtMiB(r.threads.heap_bytes)} | ` +
           `${fmtMiB(r.single.heap_bytes)} | ${fmtMiB(r.threads.rss_bytes)} | ${fmtMiB(r.single.rss_bytes)} | ${fmtMiB(r.sklearn.peak_bytes)} |`);
    }
    push('', '### Process wall times (s, medians) and the results', '');
    push('Wall time of the whole process: native includes reading the .npy files and writing the JSON; WebAssembly also Node\'s start and compiling and instantiating the module, and its warm-up (the threads and single columns; analysing the layer twice, too).', '');
    push('| workload | native | native 1t | wasm threads | wasm single | α* | τ* | wavelets | every run | all probe times (s) |');
    push('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const r of results) {
      const sameText = Object.values(r.same).every(Boolean) ? 'identical documents'
        : Object.entries(r.same).filter(([, v]) => !v).map(([k]) => !r[k].all.length ? `${k}: no run succeeded` : `${k}: ${r.diffs[k].count} number${r.diffs[k].count === 1 ? ' differs' : 's differ'}` +
          ` (largest relative difference ${r.diffs[k].maxRelative.toExponential(1)}, first at ${r.diffs[k].first}); α* ${r.same_alpha[k] ? 'identical' : '**differs**'}`).join('; ');
      const all = ['sklearn', 'native', 'native1', 'threads', 'single', 'fresh'].map((k) => `${k} ${r[k].all.map(fmtS).join('/')}`).join('; ');
      push(`| ${r.id} | ${fmtS(r.native.wall)} | ${fmtS(r.native1.wall)} | ${fmtS(r.threads.wall)} | ${fmtS(r.single.wall)} | ${r.alpha.toFixed(4)} | ${r.tau_star.toFixed(2)} | ${r.wavelets} | ${sameText} | ${all} |`);
    }
    push('', '"every run": the layer\'s results document (timing and file name aside) of every native run (both thread counts) and every WebAssembly run compared with the first native run, number by number; ' +
         '"wasm α* = native α*" compares α*, τ* and α_mterm (per seed and overall) and the status.', '');
    for (const r of results) {
      for (const [key, message] of Object.entries(r.errors)) push(`- **${r.id} ${key} failed** (${r[key].all.length} of ${r.repeats} runs succeeded): ${message}`);
    }
    if (results.some((r) => Object.keys(r.errors).length)) push('');
  }

  if (scalingRows.length) {
    push('## Time versus size (native, all cores)', '');
    push(`W1-style data (uniform features, 10 random classes) from bench/generate.py; median of ${SCALING_REPEATS} runs (${3 * SCALING_REPEATS} when a run takes under half a second); probe time as above. ` +
         'Linear in samples and in features means a constant time per value (samples × features).', '');
    for (const axis of ['samples', 'features']) {
      const rows = scalingRows.filter((r) => r.axis === axis);
      if (!rows.length) continue;
      const base = rows[0].ns_per_value;
      push(axis === 'samples' ? `### Samples n, at d = ${rows[0].d}` : `### Features d, at n = ${rows[0].n.toLocaleString('en')}`, '');
      push('| n | d | probe s | ns per value | relative to the first row | wavelets | peak MiB | limit MiB | peak ≤ limit |');
      push('|---:|---:|---:|---:|---:|---:|---:|---:|---|');
      for (const r of rows) {
        push(`| ${r.n.toLocaleString('en')} | ${r.d.toLocaleString('en')} | ${fmtS(r.seconds)} | ${r.ns_per_value.toFixed(2)} | ${(r.ns_per_value / base).toFixed(2)} | ${r.wavelets} | ${fmtMiB(r.peak_bytes)} | ${fmtMiB(2 * r.input_bytes + 64 * MiB)} | ${mark(r.peak_bytes <= 2 * r.input_bytes + 64 * MiB)} |`);
      }
      push('');
    }
  }

  if (parityResult) {
    push('## The same numbers as before the speed work', '');
    const p = parityResult;
    if (p.error) push(`Not checked: ${p.error}`, '');
    if (p.before) {
      const cases = p.before.cases;
      const floats = cases.reduce((sum, c) => sum + c.floats, 0);
      const maxRelative = Math.max(0, ...cases.map((c) => c.maxRelative));
      const bad = cases.filter((c) => c.mismatches.length);
      push(`Against ${p.before_commit}, the last commit before the speed work (recorded ${p.before.recorded_at}): ` +
        (p.before.ok
          ? `all ${cases.length} cases (workloads, non-default settings, demos) give the same α\*, τ\* (mean, spread and per seed), statuses, wavelet counts, τ grids and settings: every number but those computed through exp and log after the forest. **met** `
          : `**NOT met** — ${bad.map((c) => `${c.name}: ${c.mismatches.slice(0, 3).join('; ')}`).join(' · ')}. `) +
        `Of those (N_τ, log N_τ, the angles, the M-term errors, α_mterm), ${floats.toLocaleString('en')} differ, by at most ${maxRelative.toExponential(1)} relative` +
        (floats ? `: their last bits, since ${p.identical_commit} replaced the C library's exp and log by the core's own, so that native and WebAssembly agree to the bit.` : '.'), '');
      push('| case | every other number | numbers through exp and log differing | largest relative difference |', '|---|---|---:|---:|');
      for (const c of cases) push(`| ${c.name} | ${c.mismatches.length ? `**differ** (${c.mismatches.length})` : 'same'} | ${c.floats} | ${c.floats ? c.maxRelative.toExponential(1) : '0'} |`);
      push('');
    }
    if (p.identical) {
      const q = p.identical;
      if (q.ok) push(`Against ${p.identical_commit}, the commit that gave the core its own exp and log (recorded ${q.recorded_at}): \`bash bench/parity.sh check\` finds all ${q.same} cases byte-identical (timings aside) with --threads 1 and 2. **met**`, '');
      else push(`Against ${p.identical_commit} (recorded ${q.recorded_at}), \`bash bench/parity.sh check\`: **NOT met** — ${q.differs.length ? q.differs.join('; ') : q.error}`, '');
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

// Copy the CLI and the WebAssembly modules to bench/data/snapshot and check that the copies run; a
// copy taken while someone else relinks is retried.
function snapshotBuilds() {
  for (let attempt = 1; ; ++attempt) {
    fs.rmSync(snapshot, { recursive: true, force: true });
    fs.mkdirSync(wasmDir, { recursive: true });
    fs.copyFileSync(path.join(root, 'build/bin/sparsity-probe'), cli);
    fs.chmodSync(cli, 0o755);
    for (const file of fs.readdirSync(path.join(root, 'build/wasm'))) fs.copyFileSync(path.join(root, 'build/wasm', file), path.join(wasmDir, file));
    const checks = [
      run(cli, ['demo', 'spiral', '--samples', '200', '--json', '-'], { allowFailure: true }),
      ...['threads', 'single'].map((build) => run(process.execPath, [path.join(root, 'bench/wasm_probe.mjs'), build, '--check', '--dir', wasmDir], { allowFailure: true })),
    ];
    const failed = checks.filter((c) => c.status !== 0);
    if (!failed.length) return;
    const message = failed.map((c) => c.stderr.trim().split('\n').pop()).join('; ');
    if (attempt >= 15) throw new Error(`the builds do not run: ${message}`);
    log(`the copied builds do not run (${message}); copying again in 20 s`);
    spawnSync('sleep', ['20']);
  }
}

function main() {
  const loadBefore = os.loadavg()[0].toFixed(2);
  if (!process.env.BENCH_NO_BUILD) {
    log('dependencies and builds');
    run('bash', [path.join(root, 'bench/ensure-deps.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
    run('bash', [path.join(root, 'scripts/build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    run('bash', [path.join(root, 'scripts/build-wasm.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  snapshotBuilds();
  log('workloads');
  const sets = parts.filter((p) => p !== 'parity');
  if (parts.includes('parity')) sets.push('W1', 'W2', 'W3', 'scaling');
  run(python, [path.join(root, 'bench/generate.py'), ...new Set(sets)], { stdio: ['ignore', 'inherit', 'inherit'] });
  const info = machine();

  const results = [];
  for (const id of ['W1', 'W2', 'W3']) if (parts.includes(id)) results.push(workload(id));
  const scalingRows = parts.includes('scaling') ? scaling() : [];
  let parityResult = null;
  if (parts.includes('parity')) {
    log('parity');
    parityResult = parity();
  }
  const elapsed = Date.now() - startedAt;
  const text = report({ info, loadBefore, loadAfter: os.loadavg()[0].toFixed(2), results, scalingRows, parityResult, elapsed });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text + '\n');
  fs.mkdirSync(data, { recursive: true });
  fs.writeFileSync(path.join(data, 'results.json'), JSON.stringify({ info, results, scaling: scalingRows, parity: parityResult }, null, 1) + '\n');
  log(`wrote ${path.relative(root, out)} (raw numbers: bench/data/results.json)`);
}

main();
