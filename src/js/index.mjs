// sparsity-probe: the Sparsity Probe in JavaScript. Hides Emscripten: picks the WebAssembly build
// (threads when the page is cross-origin isolated and the engine supports them, else single),
// runs it in a worker so no page blocks, reports progress, and cancels through AbortSignal.
import { simd, threads as threadsSupported } from 'wasm-feature-detect';

const inNode = typeof process === 'object' && process.versions != null && process.versions.node != null &&
  typeof document === 'undefined' && typeof importScripts !== 'function';

const defaultModuleBase = new URL(/* @vite-ignore */ '../../build/wasm/', import.meta.url);

function hardwareThreads() {
  if (typeof navigator === 'object' && navigator.hardwareConcurrency) return navigator.hardwareConcurrency;
  return 2;
}

async function nodeThreads() {
  const os = await import(/* @vite-ignore */ 'node:os');
  return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
}

function abortError() {
  return new DOMException('The analysis was cancelled', 'AbortError');
}

// Decides the build: 'threads' needs shared memory, which browsers grant only to cross-origin
// isolated pages (COOP/COEP headers); Node always has it.
async function chooseBuild(requested) {
  if (requested === false || requested === 'single') return 'single';
  const isolated = inNode || globalThis.crossOriginIsolated === true;
  const supported = isolated && (await threadsSupported());
  if (requested === true || requested === 'threads') {
    if (!supported) {
      throw new Error(
        isolated
          ? 'this engine does not support WebAssembly threads'
          : 'WebAssembly threads need a cross-origin isolated page (Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)');
    }
    return 'threads';
  }
  return supported ? 'threads' : 'single';
}

class WorkerHost {
  constructor(build, moduleUrl, poolSize, warmUp) {
    this.build = build;
    this.moduleUrl = moduleUrl;
    this.poolSize = poolSize;
    this.warmUp = warmUp;
    this.worker = null;
    this.ready = null;
    this.listener = null;
  }

  async start() {
    if (this.ready) return this.ready;
    const url = new URL('./probe-worker.js', import.meta.url);
    if (inNode) {
      const { Worker } = await import(/* @vite-ignore */ 'node:worker_threads');
      this.worker = new Worker(url);
      this.worker.on('message', (message) => this.dispatch(message));
      this.worker.on('error', (error) => this.dispatch({ type: 'crash', message: String(error && error.message) }));
    } else {
      this.worker = new Worker(url);
      this.worker.onmessage = (event) => this.dispatch(event.data);
      this.worker.onerror = (event) => this.dispatch({ type: 'crash', message: event.message || 'the worker failed' });
    }
    this.ready = new Promise((resolve, reject) => {
      this.listener = (message) => {
        if (message.type === 'ready') resolve(message);
        else if (message.type === 'init-failed' || message.type === 'crash') reject(new Error(`cannot start the ${this.build} WebAssembly build: ${message.message}`));
      };
    });
    this.worker.postMessage({ type: 'init', moduleUrl: this.moduleUrl, poolSize: this.build === 'threads' ? this.poolSize : 0, warmUp: this.warmUp });
    return this.ready;
  }

  dispatch(message) {
    if (this.listener) this.listener(message);
  }

  post(message, transfer) {
    this.worker.postMessage(message, transfer || []);
  }

  // Stopping the worker is the only way to interrupt WebAssembly mid-computation; the next job
  // starts a fresh one.
  stop() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = null;
    this.listener = null;
  }
}

class Probe {
  constructor(host, version, warmUpSeconds) {
    this.host = host;
    this.build = host.build;
    this.threads = host.build === 'threads' ? host.poolSize : 1;
    this.version = version;
    this.warmUpSeconds = warmUpSeconds;
    this.queue = [];
    this.running = null;
    this.nextId = 1;
    this.closed = false;
  }

  analyze({ name = 'layer', data, shape, labels, settings = {}, onProgress, signal } = {}) {
    if (!(data instanceof Float32Array || data instanceof Float64Array))
      return Promise.reject(new TypeError(`analyze: data must be a Float32Array or Float64Array, found ${describe(data)}`));
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((v) => Number.isInteger(v) && v >= 0))
      return Promise.reject(new TypeError(`analyze: shape must be [samples, features], found ${JSON.stringify(shape)}`));
    if (shape[0] * shape[1] !== data.length)
      return Promise.reject(new RangeError(`analyze: shape ${shape[0]} x ${shape[1]} needs ${shape[0] * shape[1]} values, data has ${data.length}`));
    const labelArray = labels instanceof Int32Array ? labels : Int32Array.from(labels || []);
    if (labelArray.length !== shape[0])
      return Promise.reject(new RangeError(`analyze: ${shape[0]} samples but ${labelArray.length} labels`));
    const job = { type: 'analyze', name, data, shape, labels: labelArray, settings, layer: name };
    // The core first checks the shape against the build's limits, before the values are copied
    // to the worker at all: a layer too large for the tab is refused with the way out.
    return this.checkLayer({ name, shape, settings, signal }).then(() => this.enqueue(job, onProgress, signal));
  }

  // Resolves when a layer of this shape can be analysed with these settings (max_samples and
  // project_features included) in this build; rejects with the core's message otherwise.
  checkLayer({ name = 'layer', shape, settings = {}, signal } = {}) {
    return this.enqueue({ type: 'checkLayer', name, shape, settings }, null, signal);
  }

  // Resolves when files of these sizes ([{ fileName, size }]) can be read together; rejects with
  // the core's message (size found, the limit, the way out) otherwise. Lets a page refuse a file
  // before reading its bytes.
  checkFiles(files, { signal } = {}) {
    const list = files.map(({ fileName, size }) => ({ fileName: String(fileName), size: Number(size) }));
    return this.enqueue({ type: 'checkFiles', files: list }, null, signal);
  }

  // The browser build's limits: { analysedValues, inputValues, fileBytes, budgetBytes }.
  limits() {
    return this.enqueue({ type: 'limits' }, null, null);
  }

  // Diagnostics beside α*: linear probe (training and 5-fold held-out accuracy), KMeans scored by
  // five clustering indices, nearest-class-centre mismatch (against `predictions` when given).
  // `settings`: the seed, max_samples and project_features count (the layer is reduced as analyze
  // reduces it); `seed`, when given, overrides settings.seed.
  diagnose({ name = 'layer', data, shape, labels, predictions, seed, settings = {}, signal } = {}) {
    const labelArray = labels instanceof Int32Array ? labels : Int32Array.from(labels || []);
    const predictionArray = predictions ? (predictions instanceof Int32Array ? predictions : Int32Array.from(predictions)) : null;
    const given = seed === undefined ? settings : { ...settings, seed };
    return this.checkLayer({ name, shape, settings: given, signal }).then(() =>
      this.enqueue({ type: 'diagnose', name, data, shape, labels: labelArray, predictions: predictionArray, settings: given }, null, signal));
  }

  // A 2-D view of a layer: its first two principal components, { coordinates, explained }.
  project({ name = 'layer', data, shape, seed = 0, signal } = {}) {
    return this.enqueue({ type: 'project', name, data, shape, seed }, null, signal);
  }

  // For teaching on a 2-feature layer: grow the first seed's forest (the one whose curve analyze
  // reports first) and a linear probe, and keep them in the worker for approximate().
  explain({ name = 'layer', data, shape, labels, settings = {}, grid = 96, signal } = {}) {
    const labelArray = labels instanceof Int32Array ? labels : Int32Array.from(labels || []);
    return this.enqueue({ type: 'explain', name, data, shape, labels: labelArray, settings, grid }, null, signal);
  }

  // f_M of the last explained forest at the centres of a grid x grid lattice of the normalised
  // square: grid·grid·classes values, row-major with y outer.
  approximate(m, { grid = 96, signal } = {}) {
    return this.enqueue({ type: 'approximate', m, grid }, null, signal);
  }

  readFile(bytes, fileName, { labels } = {}) {
    return this.readFiles([{ bytes, fileName }], { labels });
  }

  readFiles(files, { labels, signal } = {}) {
    const list = files.map(({ bytes, fileName }) => ({ fileName, bytes: toBytes(bytes) }));
    return this.checkFiles(list.map((f) => ({ fileName: f.fileName, size: f.bytes.byteLength })), { signal })
      .then(() => this.enqueue({ type: 'read', files: list, labelsName: labels || '' }, null, signal));
  }

  demo(name, options = {}, { signal } = {}) {
    return this.enqueue({ type: 'demo', name, options }, null, signal);
  }

  // The complete settings block of the results document, validated by the core.
  settings(settings = {}) {
    return this.enqueue({ type: 'settings', settings }, null, null);
  }

  close() {
    this.closed = true;
    for (const job of this.queue) job.reject(new Error('the probe was closed'));
    this.queue = [];
    if (this.running) this.running.reject(new Error('the probe was closed'));
    this.running = null;
    this.host.stop();
  }

  enqueue(message, onProgress, signal) {
    if (this.closed) return Promise.reject(new Error('the probe was closed'));
    if (signal && signal.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const job = { id: this.nextId++, message, onProgress, signal, resolve, reject };
      if (signal) {
        job.onAbort = () => this.cancel(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  cancel(job) {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    } else if (this.running === job) {
      this.host.stop();
      this.running = null;
    } else {
      return;
    }
    job.reject(abortError());
    this.pump();
  }

  async pump() {
    if (this.running || this.queue.length === 0 || this.closed) return;
    const job = this.queue.shift();
    this.running = job;
    const finish = () => {
      if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
      if (this.running === job) this.running = null;
      this.pump();
    };
    try {
      await this.host.start();
    } catch (error) {
      if (this.running !== job) return;
      job.reject(error);
      finish();
      return;
    }
    if (this.running !== job) return;  // cancelled while the worker started
    this.host.listener = (message) => {
      if (this.running !== job) return;
      if (message.type === 'progress' && message.id === job.id) {
        if (job.onProgress) {
          job.onProgress({
            layer: job.message.layer, done: message.done, total: message.total,
            fraction: message.total ? message.done / message.total : 1, seed: message.seed, tree: message.tree,
          });
        }
      } else if (message.type === 'result' && message.id === job.id) {
        job.resolve(message.value);
        finish();
      } else if (message.type === 'failure' && message.id === job.id) {
        job.reject(new Error(message.message));
        finish();
      } else if (message.type === 'crash') {
        this.host.stop();
        job.reject(new Error(`the WebAssembly worker stopped: ${message.message}`));
        finish();
      }
    };
    const { message } = job;
    const transfer = [];
    this.host.post({ ...message, id: job.id }, transfer);
  }
}

function toBytes(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError(`readFile: bytes must be a Uint8Array or ArrayBuffer, found ${describe(bytes)}`);
}

function describe(value) {
  if (value === null || value === undefined) return String(value);
  return value.constructor ? value.constructor.name : typeof value;
}

/**
 * Start the probe. options.threads: 'auto' (default), 'threads' / true, or 'single' / false.
 * options.maxThreads caps the worker pool (default 8). options.moduleBaseUrl: where the
 * sparsity-probe-{threads,single}.{js,wasm} files are served (default: the build output).
 * options.warmUp (default true): the worker probes a small synthetic layer when it starts, so that
 * the engine has compiled the hot code to its optimising tier before the first real layer (a
 * worker restarted after a cancellation warms up again).
 */
export async function createProbe(options = {}) {
  const { threads = 'auto', maxThreads = 8, moduleBaseUrl = defaultModuleBase, warmUp = true } = options;
  if (!(await simd())) throw new Error('this engine does not support WebAssembly SIMD, which the probe needs');
  const build = await chooseBuild(threads);
  const hardware = inNode ? await nodeThreads() : hardwareThreads();
  const poolSize = Math.max(1, Math.min(hardware, maxThreads));
  const moduleUrl = new URL(`sparsity-probe-${build}.js`, moduleBaseUrl).href;
  const host = new WorkerHost(build, moduleUrl, poolSize, warmUp !== false);
  const { version, warmUpSeconds } = await host.start();
  return new Probe(host, version, warmUpSeconds);
}
