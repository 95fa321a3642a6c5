// The browser build's limits (src/core/limits.cpp, README "Limits") through the JavaScript API: a
// layer or files beyond them are refused with the core's message before their bytes reach the
// worker, a layer that does fit but meets a full memory gets its own out-of-memory error and the
// module keeps working, and the reductions (max_samples, project_features) reach the core.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createProbe } from 'sparsity-probe';

import { assertClose, cliJson, comparable, fixtures, root, tempDir, writeNpy } from './helpers.mjs';

const require = createRequire(import.meta.url);

describe('limits through the API', () => {
  let probe;
  before(async () => {
    probe = await createProbe({ threads: 'single' });
  });
  after(() => probe.close());

  test('the limits come from the core', async () => {
    assert.deepEqual(await probe.limits(), { analysedValues: 100000000, inputValues: 200000000, fileBytes: 268435456, budgetBytes: 1717986916 });
  });

  test('a layer beyond the limit is refused with its size, the limit and the way out', async () => {
    // 10,001 x 10,000 float32 values: 400 MB that are never touched (zero pages), because the core
    // refuses the shape before the values are copied to the worker.
    const shape = [10001, 10000];
    const data = new Float32Array(shape[0] * shape[1]);
    const labels = new Int32Array(shape[0]);
    await assert.rejects(probe.analyze({ name: 'wide', data, shape, labels }), {
      message: 'layer wide: 10001 x 10000 = 100,010,000 values; the browser build analyses at most 100,000,000 values per layer ' +
        '(about 16 bytes each in its 2 GiB of WebAssembly memory). Set max_samples to 10,000 or fewer (a seeded, stratified ' +
        'sample of the rows) or project_features to 9,999 or fewer (a seeded random projection of the features), or use the ' +
        'command-line tool, which has no such limit.',
    });
    await assert.rejects(probe.diagnose({ name: 'wide', data, shape, labels }), /layer wide: 10001 x 10000 = 100,010,000 values/);
    await assert.rejects(probe.checkLayer({ name: 'deep', shape: [300000, 1000], settings: { max_samples: 1000 } }),
      /^Error: layer deep: 300000 x 1000 = 300,000,000 values; the browser build takes at most 200,000,000 values per layer, even to subsample or project them/);
    // With the suggested reduction the same shape passes the check.
    await probe.checkLayer({ name: 'wide', shape, settings: { max_samples: 10000 } });
    await probe.checkLayer({ name: 'wide', shape, settings: { project_features: 9999 } });
    // The probe still works afterwards.
    const spiral = await probe.demo('spiral', { samples: 300 });
    const result = await probe.analyze({ data: spiral.data, shape: spiral.shape, labels: spiral.labels, settings: { seeds: 1 } });
    assert.equal(result.status, 'ok');
  });

  test('many classes: the M-term step\'s samples x classes matrix is counted once the labels are known', async () => {
    const n = 1000000;
    const data = new Float32Array(2 * n);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 1000);
    // 16 bytes per value and 8 per sample, class and seed (3 seeds at once): 24,032,000,000 bytes;
    // the budget is 80% of 2 GiB, so 1,717,986,916 / (16 x 2 + 8 x 1000 x 3) = 71,487 rows fit.
    const bytes = 16 * n * 2 + 8 * n * 1000 * 3;
    const budget = Math.floor(2 ** 31 / 5) * 4;
    const rows = Math.floor(budget / (16 * 2 + 8 * 1000 * 3));
    const mib = (b) => Math.round(b / 2 ** 20).toLocaleString('en');
    await assert.rejects(probe.analyze({ name: 'logits', data, shape: [n, 2], labels }), {
      message: `layer logits: 1000000 x 2 values of 1,000 classes need about ${mib(bytes)} MiB (the M-term step keeps 8 bytes per ` +
        `sample and class for each of the 3 seeds analysed at once); the browser build has ${mib(budget)} MiB for an analysis. ` +
        `Set max_samples to ${rows.toLocaleString('en')} or fewer (a seeded, stratified sample of the rows), or use the command-line tool, which has no such limit.`,
    });
  });

  test('files beyond the limit are refused before they are read', async () => {
    const bytes = new Uint8Array(300 * 2 ** 20);   // zero pages, never copied
    await assert.rejects(probe.readFile(bytes, 'huge.npy'), {
      message: 'huge.npy: 314,572,800 bytes; the browser build reads at most 268,435,456 bytes (256 MiB) of files at once ' +
        '(parsing needs up to 6 times their size in its 2 GiB of WebAssembly memory). Save a subsample of the rows or fewer ' +
        'layers per file, or use the command-line tool, which has no such limit (--max-samples, --project-features).',
    });
    await assert.rejects(probe.checkFiles([{ fileName: 'a.npy', size: 200e6 }, { fileName: 'labels.npy', size: 100e6 }]),
      /^Error: a\.npy, labels\.npy: 300,000,000 bytes together;/);
    await probe.checkFiles([{ fileName: 'a.npy', size: 256 * 2 ** 20 }]);
  });

  // To 1e-9 as in probe.test.mjs (determinism.test.mjs compares the documents exactly).
  test('reductions: the CLI\'s numbers, recorded in the result and the settings', async () => {
    const expected = cliJson(['analyze', 'model3.npz', '--max-samples', '90', '--project-features', '6', '--seed', '4'], fixtures);
    assert.deepEqual([expected.settings.max_samples, expected.settings.project_features], [90, 6]);
    const settings = { max_samples: 90, project_features: 6, seed: 4 };
    assert.deepEqual(await probe.settings(settings), expected.settings);
    const file = await probe.readFile(fs.readFileSync(path.join(fixtures, 'model3.npz')), 'model3.npz');
    for (const [k, layer] of file.layers.entries()) {
      const result = await probe.analyze({ name: layer.name, data: layer.data, shape: layer.shape, labels: file.labels, settings });
      assertClose(comparable(result), comparable(expected.layers[k]), layer.name);
      assert.equal(result.samples, 150);
      assert.equal(result.analysed_samples, 90);
      assert.equal(result.analysed_features, Math.min(6, layer.shape[1]));
    }
  });
});

describe('running out of memory in the single build', () => {
  test('is that layer\'s error, and the module keeps working', async () => {
    const file = path.join(root, 'build/wasm/sparsity-probe-single.js');
    const core = await require(file)({ wasmBinary: fs.readFileSync(file.replace(/\.js$/, '.wasm')), locateFile: (f) => path.join(path.dirname(file), f) });
    const stage = (name, n, d, value) => {
      const layer = core.stageLayer(name, n, d);
      const labels = core.stageLabels(n);   // may grow the memory: views are made afterwards
      new Int32Array(core.HEAPU8.buffer, labels, n).set(Int32Array.from({ length: n }, (_, i) => i % 3));
      const x = new Float32Array(core.HEAPU8.buffer, layer, n * d);
      for (let i = 0; i < n; ++i) for (let f = 0; f < d; ++f) x[i * d + f] = value(i, f);
    };
    const value = (i, f) => ((i * 7919 + f * 31) % 1000) / 1000 + (i % 3 === f % 3 ? 0.3 : 0);
    // A layer well within the limits (2,000,000 values)...
    stage('crowded', 20000, 100, value);
    // ...in a module whose memory something else has filled up to its 2 GiB, but for less than 4 MB.
    const blocks = [];
    for (let size = 64 * 2 ** 20; size >= 2 ** 20; size /= 2) {
      for (let p = core._malloc(size); p; p = core._malloc(size)) blocks.push(p);
    }
    assert.equal(core.HEAPU8.buffer.byteLength, 2 ** 31);
    core._free(blocks.pop());
    const failed = JSON.parse(core.analyzeStaged('crowded', {}, null));
    assert.deepEqual(failed, { error: 'layer crowded: out of memory analysing 20000 x 100 values; subsample the rows (max_samples) or project the features (project_features)' });
    for (const p of blocks) core._free(p);
    blocks.length = 0;

    // Reading: 16 MB of .npy staged, then the memory filled again; parsing needs another 32 MB.
    const npy = path.join(tempDir(), 'big.npy');
    writeNpy(npy, new Float32Array(4000 * 1000), [4000, 1000]);
    const bytes = fs.readFileSync(npy);
    const pointer = core.stageFile('big.npy', bytes.length);
    new Uint8Array(core.HEAPU8.buffer, pointer, bytes.length).set(bytes);
    for (let size = 64 * 2 ** 20; size >= 2 ** 20; size /= 2) {
      for (let p = core._malloc(size); p; p = core._malloc(size)) blocks.push(p);
    }
    core._free(blocks.pop());
    // (The reader names the file itself; the bindings' own catch covers what happens outside it.)
    assert.equal(core.readStaged('').error, `big.npy: not enough memory to unpack this ${bytes.length}-byte file; subsample rows or reduce the layers' dimension before loading`);
    for (const p of blocks) core._free(p);
    fs.rmSync(path.dirname(npy), { recursive: true, force: true });

    // The same module analyses the next layer.
    stage('next', 20000, 100, value);
    const next = JSON.parse(core.analyzeStaged('next', {}, null));
    assert.equal(next.status, 'ok');
    assert.equal(next.samples, 20000);
  });
});
