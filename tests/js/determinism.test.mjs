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

// With the reductions on, the rows kept and the projected values are the same natively and in
// both WebAssembly builds, so the documents are. (Four runs: before the core had its own exp and
// log, glibc's FMA variants differed from musl's in the last bit of N_tau in two of them.)
const reductionRuns = [['--max-samples', '90', '--project-features', '6', '--seed', '4'], ['--max-samples', '120', '--project-features', '7', '--seed', '1'],
  ['--max-samples', '60', '--seed', '2'], ['--project-features', '3', '--seed', '3']];

async function wasmLayers(build, settings) {
  const probe = await createProbe({ threads: build });
  try {
    const file = await probe.readFile(fs.readFileSync(path.join(fixtures, 'model3.npz')), 'model3.npz');
    const out = [];
    for (const layer of file.layers) out.push(await probe.analyze({ name: layer.name, data: layer.data, shape: layer.shape, labels: file.labels, settings }));
    return out;
  } finally {
    probe.close();
  }
}

test('with max_samples and project_features, both WebAssembly builds give exactly the native numbers', async () => {
  for (const args of reductionRuns) {
    const native = JSON.parse(execFileSync(cli, ['analyze', 'model3.npz', ...args, '--json', '-'], { cwd: fixtures }).toString());
    // Recorded in the settings, so the document says how to reproduce it.
    if (args.includes('--max-samples')) assert.equal(native.settings.max_samples, Number(args[args.indexOf('--max-samples') + 1]));
    if (args.includes('--project-features')) assert.equal(native.settings.project_features, Number(args[args.indexOf('--project-features') + 1]));
    assert.ok(native.layers.some((l) => l.analysed_samples), `${args.join(' ')} reduced some layer`);
    for (const build of ['threads', 'single']) {
      const layers = await wasmLayers(build, native.settings);
      layers.forEach((result, k) => assert.equal(JSON.stringify(comparable(result)), JSON.stringify(comparable(native.layers[k])), `${build} ${args.join(' ')}: ${result.name}`));
    }
  }
});

test('with reductions, the CLI prints byte-identical documents across runs and thread counts', () => {
  const args = ['analyze', 'model3.npz', '--max-samples', '90', '--project-features', '6', '--seed', '4', '--diagnostics'];
  const reference = cliText([...args, '--threads', '1'], fixtures);
  for (const threads of ['2', '3', '8']) assert.equal(cliText([...args, '--threads', threads], fixtures), reference, `${threads} threads`);
});
