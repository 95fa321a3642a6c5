// The worker that runs the WebAssembly core, so that no page ever blocks. One script for both
// hosts: a classic Web Worker in browsers (importScripts) and a worker_threads Worker in Node
// (require). It only moves bytes in and out; parsing and maths happen in C++.
/* eslint-env worker, node */
'use strict';

(function () {
  const inNode = typeof importScripts !== 'function';
  let send;
  let core = null;

  function memory() {
    // With threads the memory is shared and may have grown on another thread: always take the
    // current buffer rather than a possibly stale HEAP view.
    return core.wasmMemory ? core.wasmMemory.buffer : core.HEAPU8.buffer;
  }

  async function load({ moduleUrl, poolSize, warmUp }) {
    const options = { pthreadPoolSize: poolSize };
    let factory;
    if (inNode) {
      const { fileURLToPath } = require('node:url');
      const fs = require('node:fs');
      const path = require('node:path');
      const modulePath = fileURLToPath(moduleUrl);
      factory = require(modulePath);
      // Emscripten 3.1.6 in Node would fetch() the .wasm by path, which fails: hand it the bytes.
      options.wasmBinary = fs.readFileSync(modulePath.replace(/\.js$/, '.wasm'));
      options.locateFile = (file) => path.join(path.dirname(modulePath), file);
    } else {
      importScripts(moduleUrl);
      factory = self.createSparsityProbeModule;
      options.locateFile = (file) => new URL(file, moduleUrl).href;
      options.mainScriptUrlOrBlob = moduleUrl;
    }
    core = await factory(options);
    if (poolSize) core.setThreadLimit(poolSize);
    // V8 compiles hot functions to its optimising tier in the background, on the cores the
    // analysis needs, and only calls made after that use the result: a synthetic layer probed now
    // has that done before the first real layer (docs/design.md, "WebAssembly").
    const warmUpSeconds = warmUp ? core.warmUp() : null;
    return { version: core.version(), warmUpSeconds };
  }

  // The core checks sizes against the browser build's limits (and catches running out of memory);
  // a refused layer throws the core's message.
  function stage(name, data, shape, labels, settings) {
    const [samples, features] = shape;
    const layerPointer = core.stageLayer(name, samples, features);
    if (!layerPointer)
      throw new Error(core.checkLayer(name, samples, features, settings || {}) || `layer ${name}: out of memory for its ${samples} x ${features} values`);
    // TypedArray.set converts Float64 to Float32 natively, without a JavaScript loop.
    new Float32Array(memory(), layerPointer, samples * features).set(data);
    const labelsPointer = core.stageLabels(labels.length);
    new Int32Array(memory(), labelsPointer, labels.length).set(labels);
  }

  function checkLayer({ name, shape, settings }) {
    const problem = core.checkLayer(name, shape[0], shape[1], settings || {});
    if (problem) throw new Error(problem);
    return { value: null };
  }

  function checkFiles({ files }) {
    const problem = core.checkFiles(files);
    if (problem) throw new Error(problem);
    return { value: null };
  }

  function limits() {
    return { value: core.limits() };
  }

  function analyze({ id, name, data, shape, labels, settings }) {
    checkLayer({ name, shape, settings });
    stage(name, data, shape, labels, settings);
    const progress = (done, total, seed, tree) => send({ type: 'progress', id, done, total, seed, tree });
    const result = JSON.parse(core.analyzeStaged(name, settings || {}, progress));
    if (result.error) throw new Error(result.error);
    return { value: result };
  }

  function diagnose({ name, data, shape, labels, predictions, settings }) {
    stage(name, data, shape, labels, settings);
    if (predictions) {
      const pointer = core.stagePredictions(predictions.length);
      new Int32Array(memory(), pointer, predictions.length).set(predictions);
    }
    const result = JSON.parse(core.diagnoseStaged(settings || {}));
    if (result.error) throw new Error(result.error);
    return { value: result };
  }

  function project({ name, data, shape, seed }) {
    stage(name, data, shape, new Int32Array(0));
    const result = core.projectStaged(seed || 0);
    if (result.error) throw new Error(result.error);
    return { value: result, transfer: [result.coordinates.buffer] };
  }

  function explain({ name, data, shape, labels, settings, grid }) {
    stage(name, data, shape, labels);
    const summary = JSON.parse(core.explainStaged(settings || {}));
    if (summary.error) throw new Error(summary.error);
    const linear = core.linearGrid(grid);
    if (linear.error) throw new Error(linear.error);
    summary.linear_grid = linear.classes;
    return { value: summary, transfer: [linear.classes.buffer] };
  }

  function approximate({ m, grid }) {
    const result = core.approximation(m, grid);
    if (result.error) throw new Error(result.error);
    return { value: result.values, transfer: [result.values.buffer] };
  }

  function read({ files, labelsName }) {
    for (const { fileName, bytes } of files) {
      const pointer = core.stageFile(fileName, bytes.byteLength);
      if (!pointer) {
        core.clearStaging();
        checkFiles({ files: files.map((f) => ({ fileName: f.fileName, size: f.bytes.byteLength })) });
        throw new Error(`${files.map((f) => f.fileName).join(', ')}: out of memory for the files' bytes`);
      }
      new Uint8Array(memory(), pointer, bytes.byteLength).set(bytes);
    }
    const result = core.readStaged(labelsName || '');
    if (result.error) throw new Error(result.error);
    const transfer = [result.labels.buffer, ...result.layers.map((layer) => layer.data.buffer)];
    const value = { layers: result.layers, labels: result.labels };
    if (result.predictions) {
      value.predictions = result.predictions;
      transfer.push(result.predictions.buffer);
    }
    return { value, transfer };
  }

  function demo({ name, options }) {
    const result = core.demo(name, options || {});
    if (result.error) throw new Error(result.error);
    return { value: result, transfer: [result.data.buffer, result.labels.buffer] };
  }

  function settings({ settings: given }) {
    const result = JSON.parse(core.settingsJson(given || {}));
    if (result.error) throw new Error(result.error);
    return { value: result.settings };
  }

  const handlers = { analyze, diagnose, project, explain, approximate, read, demo, settings, checkLayer, checkFiles, limits };

  async function receive(message) {
    if (message.type === 'init') {
      try {
        send({ type: 'ready', ...(await load(message)) });
      } catch (error) {
        send({ type: 'init-failed', message: String(error && error.message ? error.message : error) });
      }
      return;
    }
    const handler = handlers[message.type];
    try {
      const { value, transfer } = handler(message);
      send({ type: 'result', id: message.id, value }, transfer);
    } catch (error) {
      send({ type: 'failure', id: message.id, message: String(error && error.message ? error.message : error) });
    }
  }

  if (inNode) {
    const { parentPort } = require('node:worker_threads');
    send = (message, transfer) => parentPort.postMessage(message, transfer || []);
    parentPort.on('message', receive);
  } else {
    send = (message, transfer) => self.postMessage(message, transfer || []);
    self.onmessage = (event) => receive(event.data);
  }
})();
