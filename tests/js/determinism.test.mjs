// Determinism: the same input and seed give byte-identical results (timings aside) across runs,
// thread counts, and native versus both WebAssembly builds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { createProbe } from 'sparsity-probe';

import { cli, comparable, fixtures } from './helpers.mjs';

// The CLI's document as text with the timing lines removed.
function cliText(args, cwd) {
  return execFileSync(cli, [...args, '--json', '-'], { cwd }).toString().split('\n').filter((line) => !/"seconds":/.test(line)).join('\n');
}

test('the CLI prints byte-identical documents across runs and thread counts', () => {
  for (const args of [['demo', 'spiral', '--label-noise', '0.2'], ['analyze', 'model3.npz', '--diagnostics']]) {
    const reference = cliText([...args, '--threads', '1'], fixtures);
    for (const threads of ['1', '2', '3', '8']) assert.equal(cliText([...args, '--threads', threads], fixtures), reference, `${args.join(' ')} with ${threads} threads`);
  }
});

test('both WebAssembly builds give exactly the native numbers', async () => {
  const native = JSON.parse(execFileSync(cli, ['analyze', 'model3.npz', '--json', '-'], { cwd: fixtures }).toString()).layers;
  for (const build of ['threads', 'single']) {
    const probe = await createProbe({ threads: build });
    const file = await probe.readFile(fs.readFileSync(path.join(fixtures, 'model3.npz')), 'model3.npz');
    for (const [k, layer] of file.layers.entries()) {
      const result = await probe.analyze({ name: layer.name, data: layer.data, shape: layer.shape, labels: file.labels });
      assert.equal(JSON.stringify(comparable(result)), JSON.stringify(comparable(native[k])), `${build}: ${layer.name}`);
    }
    probe.close();
  }
});
