// The JavaScript API against the native CLI: same numbers (1e-9 relative) for both WebAssembly
// builds, progress in order, cancel within 200 ms, and the CLI's own error messages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createProbe } from 'sparsity-probe';

import { assertClose, cliError, cliJson, comparable, fixtures, makeLayer, tempDir, writeNpy } from './helpers.mjs';

for (const build of ['threads', 'single']) {
  describe(`the ${build} build`, () => {
    let probe;
    before(async () => {
      probe = await createProbe({ threads: build });
    });
    after(() => probe.close());

    test('is the build asked for', () => {
      assert.equal(probe.build, build);
      assert.equal(probe.threads >= 1, true);
      if (build === 'single') assert.equal(probe.threads, 1);
    });

    test('warms the engine up when it starts, unless asked not to, with the same numbers either way', async () => {
      assert.equal(typeof probe.warmUpSeconds, 'number');
      assert.ok(probe.warmUpSeconds > 0, `warm-up took ${probe.warmUpSeconds} s`);
      const cold = await createProbe({ threads: build, warmUp: false });
      try {
        assert.equal(cold.warmUpSeconds, null);
        const data = await probe.demo('circles', { samples: 600 });
        const layer = { name: 'circles', data: data.data, shape: data.shape, labels: data.labels, settings: { seeds: 1 } };
        assert.deepEqual(comparable(await cold.analyze(layer)), comparable(await probe.analyze(layer)));
      } finally {
        cold.close();
      }
    });

    test('the spiral demo gives the CLI numbers', async () => {
      const expected = cliJson(['demo', 'spiral']).layers[0];
      const data = await probe.demo('spiral');
      assert.deepEqual(data.shape, [1000, 2]);
      const result = await probe.analyze({ name: 'spiral', data: data.data, shape: data.shape, labels: data.labels });
      assertClose(comparable(result), comparable(expected), 'spiral');
    });

    for (const name of ['moons', 'xor', 'gaussian-quantiles', 'random']) {
      test(`the ${name} demo with position noise gives the CLI's points and numbers`, async () => {
        const expected = cliJson(['demo', name, '--noise', '0.2', '--seed', '3', '--seeds', '1']).layers[0];
        const data = await probe.demo(name, { noise: 0.2, seed: 3 });
        const result = await probe.analyze({ name, data: data.data, shape: data.shape, labels: data.labels, settings: { seeds: 1, seed: 3 } });
        assertClose(comparable(result), comparable(expected), name);
      });
    }

    test('other settings reach the core: samples measure, degrees, two seeds, label noise', async () => {
      const expected = cliJson(['demo', 'circles', '--measure', 'samples', '--eps-unit', 'deg', '--seeds', '2',
        '--label-noise', '0.2', '--seed', '5', '--samples', '700']).layers[0];
      const data = await probe.demo('circles', { samples: 700, labelNoise: 0.2, seed: 5 });
      const result = await probe.analyze({
        name: 'circles', data: data.data, shape: data.shape, labels: data.labels,
        settings: { measure: 'samples', eps_unit: 'deg', seeds: 2, seed: 5 },
      });
      assertClose(comparable(result), comparable(expected), 'circles');
    });

    test('an .npz written by NumPy: readFile then analyze gives every layer of the CLI', async () => {
      const expected = cliJson(['analyze', 'model3.npz'], fixtures).layers;
      const file = await probe.readFile(fs.readFileSync(path.join(fixtures, 'model3.npz')), 'model3.npz');
      assert.deepEqual(file.layers.map((l) => l.name), ['input', 'hidden', 'last']);
      assert.equal(file.labels.length, 150);
      for (const [k, layer] of file.layers.entries()) {
        const result = await probe.analyze({ name: layer.name, data: layer.data, shape: layer.shape, labels: file.labels });
        assertClose(comparable(result), comparable(expected[k]), layer.name);
      }
    });

    test('a Float64Array layer gives the same result as its Float32 values', async () => {
      const data = await probe.demo('moons', { samples: 400 });
      const single = await probe.analyze({ data: data.data, shape: data.shape, labels: data.labels, settings: { seeds: 1 } });
      const double = await probe.analyze({ data: Float64Array.from(data.data), shape: data.shape, labels: Array.from(data.labels), settings: { seeds: 1 } });
      assertClose(comparable(double), comparable(single), 'moons', 0);
    });

    test('diagnostics equal the CLI --diagnostics values', async () => {
      const expected = cliJson(['analyze', 'model3.npz', '--diagnostics'], fixtures).layers;
      const file = await probe.readFile(fs.readFileSync(path.join(fixtures, 'model3.npz')), 'model3.npz');
      for (const [k, layer] of file.layers.entries()) {
        const diagnostics = await probe.diagnose({ name: layer.name, data: layer.data, shape: layer.shape, labels: file.labels });
        assertClose(diagnostics, expected[k].diagnostics, `${layer.name}.diagnostics`);
      }
      const withPredictions = await probe.readFile(fs.readFileSync(path.join(fixtures, 'with_y_and_predictions.npz')), 'with_y_and_predictions.npz');
      assert.equal(withPredictions.predictions.length, withPredictions.labels.length);
      const layer = withPredictions.layers[0];
      const diagnostics = await probe.diagnose({ ...layer, labels: withPredictions.labels, predictions: withPredictions.predictions });
      assert.equal(diagnostics.ncc_reference, 'predictions');
    });

    test('the 2-D view is the first two principal components', async () => {
      const file = await probe.readFile(fs.readFileSync(path.join(fixtures, 'model3.npz')), 'model3.npz');
      const view = await probe.project({ ...file.layers[0] });
      assert.equal(view.coordinates.length, 2 * 150);
      assert.ok(view.explained[0] >= view.explained[1] && view.explained[1] > 0 && view.explained[0] + view.explained[1] <= 1);
    });

    test('progress events arrive in order and reach 100 %', async () => {
      const data = await probe.demo('gaussian-quantiles');
      const events = [];
      await probe.analyze({ name: 'gq', data: data.data, shape: data.shape, labels: data.labels, onProgress: (p) => events.push(p) });
      assert.equal(events.length, 12);  // 3 seeds x 3 trees, then 3 seed analyses
      events.forEach((p, i) => {
        assert.equal(p.done, i + 1);
        assert.equal(p.total, 12);
        assert.equal(p.layer, 'gq');
      });
      assert.equal(events.at(-1).fraction, 1);
    });

    for (const name of ['model3_truncated.npz', 'model3_corrupt.npz', 'bad_magic.npy', 'ragged.csv']) {
      test(`a malformed file (${name}) rejects with the CLI's message`, async () => {
        const expected = cliError(['analyze', name], fixtures);
        await assert.rejects(probe.readFile(fs.readFileSync(path.join(fixtures, name)), name), (error) => {
          assert.equal(error.message, expected);
          return true;
        });
      });
    }

    test('bad arguments and bad settings reject with specific messages', async () => {
      const data = new Float32Array(6);
      await assert.rejects(probe.analyze({ data, shape: [3, 3], labels: [0, 1, 0] }), /shape 3 x 3 needs 9 values, data has 6/);
      await assert.rejects(probe.analyze({ data: [1, 2], shape: [1, 2], labels: [0] }), /Float32Array or Float64Array, found Array/);
      await assert.rejects(probe.analyze({ name: 'x', data, shape: [3, 2], labels: [0, 1, 0], settings: { eps_unit: 'grad' } }),
        /invalid setting eps_unit = grad: expected rad or deg/);
      await assert.rejects(probe.analyze({ name: 'x', data, shape: [3, 2], labels: [1, 1, 1] }), /at least two classes/);
      await assert.rejects(probe.demo('swirl'), /unknown data set "swirl"/);
    });
  });
}

describe('a 10,000 x 512 layer on threads', () => {
  let probe;
  const layer = makeLayer(10000, 512, 10, 7);
  before(async () => {
    probe = await createProbe({ threads: 'threads' });
  });
  after(() => probe.close());

  test('gives the CLI numbers', async () => {
    const dir = tempDir();
    writeNpy(path.join(dir, 'wide.npy'), layer.data, layer.shape);
    writeNpy(path.join(dir, 'labels.npy'), layer.labels, [layer.labels.length]);
    const expected = cliJson(['analyze', 'wide.npy', 'labels.npy'], dir).layers[0];
    fs.rmSync(dir, { recursive: true });
    const result = await probe.analyze({ name: 'wide', ...layer });
    assertClose(comparable(result), comparable(expected), 'wide');
  });

  test('cancel stops the work within 200 ms, and the probe works afterwards', async () => {
    const controller = new AbortController();
    let firstTree;
    const treeGrown = new Promise((resolve) => { firstTree = resolve; });
    const run = probe.analyze({ name: 'wide', ...layer, signal: controller.signal, onProgress: () => firstTree() });
    let rejectedAt = 0;
    const settled = run.then(() => 'finished', (error) => {
      rejectedAt = performance.now();
      return error;
    });
    await treeGrown;  // cancel in the middle of growing the forests
    const abortedAt = performance.now();
    controller.abort();
    const outcome = await settled;
    assert.equal(outcome.name, 'AbortError');
    const latency = rejectedAt - abortedAt;
    assert.ok(latency < 200, `cancel took ${latency.toFixed(0)} ms`);
    const data = await probe.demo('spiral', { samples: 300 });
    const result = await probe.analyze({ data: data.data, shape: data.shape, labels: data.labels });
    assert.equal(result.status, 'ok');
  });
});
