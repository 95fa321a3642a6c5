// The Analyse view in headless Chromium (the built dist/, served with COOP/COEP): files written by
// NumPy fill the table with the native CLI's α*, a corrupted file's error stays beside it while the
// other model's rows stay, exported JSON loads back to the same table, a row opens its curves,
// cancel keeps finished layers, several models overlay, and both colour schemes are photographed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cliJson, writeNpy } from '../js/helpers.mjs';
import { fixtures, openPage, screenshot, useSite } from './site.mjs';

const model3 = path.join(fixtures, 'model3.npz');
const corrupt = path.join(fixtures, 'model3_corrupt.npz');
const npySet = ['e2e_early.npy', 'e2e_late.npy', 'e2e_labels.npy'].map((f) => path.join(fixtures, f));
const csvSet = ['e2e_early.csv', 'e2e_late.csv'].map((f) => path.join(fixtures, f));
const finished = /^(ok|undetermined|error|cancelled|not analysed)/;

const rows = (page) => page.locator('[data-testid="layer-row"]');
const upload = (page, files) => page.setInputFiles('[data-testid="file-input"]', files);

// Waits until the table has `count` rows and none is queued or running.
async function waitForRows(page, count, timeout = 90000) {
  await page.waitForFunction(([n, pattern]) => {
    const all = document.querySelectorAll('[data-testid="layer-row"]');
    return all.length === n && [...all].every((row) => new RegExp(pattern).test(row.lastChild.textContent));
  }, [count, finished.source], { timeout });
}

// Model, layer, shape, α* ± std, τ*, alpha_mterm, wavelets, status (not the time: it differs per run).
const tableText = (page) => page.$$eval('[data-testid="layer-row"]', (trs) =>
  trs.map((tr) => [...tr.children].filter((cell, k) => k !== 7 && !cell.classList.contains('diag')).map((cell) => cell.textContent)));

const alphaCells = (page) => page.$$eval('[data-testid="layer-row"] td[data-alpha]', (cells) => cells.map((c) => ({ shown: c.textContent, alpha: Number(c.dataset.alpha) })));

// The page shows each layer's α* as the CLI computes it: to the displayed three decimals, and the
// full number kept on the cell to 1e-9 (the WebAssembly core and the CLI are the same code).
function assertCliAlphas(cells, expectedLayers) {
  assert.equal(cells.length, expectedLayers.length);
  cells.forEach((cell, k) => {
    const expected = expectedLayers[k];
    assert.equal(cell.shown, `${expected.alpha.toFixed(3)} ± ${expected.alpha_std.toFixed(3)}`, `layer ${expected.name}`);
    assert.ok(Math.abs(cell.alpha - expected.alpha) <= 1e-9 * Math.abs(expected.alpha), `layer ${expected.name}: page ${cell.alpha}, CLI ${expected.alpha}`);
  });
}

// Downloads and generated models go to one scratch folder, removed when the tests end.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sparsity-probe-e2e-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const target = path.join(fs.mkdtempSync(path.join(scratch, 'download-')), file.suggestedFilename());
  await file.saveAs(target);
  return target;
}

function slowModel() {
  const folder = fs.mkdtempSync(path.join(scratch, 'model-'));
  const n = 3000, d = 64;
  let state = 12345;
  const next = () => {
    state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const files = [];
  for (const name of ['slow_a', 'slow_b', 'slow_c']) {
    const data = Float32Array.from({ length: n * d }, (_, k) => next() + 0.3 * (labels[Math.floor(k / d)] % 3));
    files.push(path.join(folder, `${name}.npy`));
    writeNpy(files.at(-1), data, [n, d]);
  }
  files.push(path.join(folder, 'labels.npy'));
  writeNpy(files.at(-1), labels, [n]);
  return files;
}

describe('the Analyse view', () => {
  const site = useSite(before, after);
  const cli = {};
  before(() => {
    cli.model3 = cliJson(['analyze', 'model3.npz'], fixtures);
  });

  test('an .npz with three layers fills three rows with the CLI\'s α* and draws the chart', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3]);
    await waitForRows(page, 3);
    assert.deepEqual(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent)), ['input', 'hidden', 'last']);
    assert.deepEqual(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.children[2].textContent)), ['150 × 12', '150 × 8', '150 × 4']);
    assertCliAlphas(await alphaCells(page), cli.model3.layers);
    const tau = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.children[4].textContent));
    assert.deepEqual(tau, cli.model3.layers.map((l) => l.tau_star.toFixed(3)));
    // The chart: one line with three dots, the seed band, the layer names on x, the legend inside the SVG.
    const chart = page.locator('[data-testid="alpha-chart"] .chart svg');
    assert.equal(await chart.count(), 1);
    assert.equal(await chart.locator('circle').count(), 3);
    const text = await chart.textContent();
    for (const word of ['input', 'hidden', 'last', 'model3.npz', 'α*']) assert.ok(text.includes(word), `chart text has ${word}`);
    assert.equal(await page.isHidden('.run'), true);
    assert.match(await page.textContent('.privacy'), /Nothing is uploaded/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a corrupted file shows its error beside it while the other file\'s rows stay', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3, corrupt]);   // together: two models
    await waitForRows(page, 3);
    const item = page.locator('[data-testid="model"]', { hasText: 'model3_corrupt.npz' });
    assert.match(await item.locator('[data-testid="model-error"]').textContent(), /^model3_corrupt\.npz:input: CRC mismatch/);
    assert.equal(await page.locator('[data-testid="model-error"]').count(), 1);
    assertCliAlphas(await alphaCells(page), cli.model3.layers);
    // And after: a truncated file dropped later adds its own error, nothing else changes.
    await upload(page, [path.join(fixtures, 'model3_truncated.npz')]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="model-error"]').length === 2);
    assert.equal(await rows(page).count(), 3);
    assert.equal(await page.locator('[data-testid="alpha-chart"] svg').count() >= 1, true);
    // Removing the broken models leaves the good one.
    await page.click('button[aria-label="Remove model3_corrupt.npz"]');
    await page.click('button[aria-label="Remove model3_truncated.npz"]');
    assert.equal(await page.locator('[data-testid="model"]').count(), 1);
    assert.equal(await rows(page).count(), 3);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('several .npy files form one model; the label name field finds their labels', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, npySet);
    const error = await page.waitForSelector('[data-testid="model-error"]');
    assert.match(await error.textContent(), /no labels found/);
    assert.match(await page.textContent('[data-testid="model"]'), /Label array name/);
    await page.fill('[name="labels"]', 'e2e_labels');
    await upload(page, npySet);
    await waitForRows(page, 2);
    assertCliAlphas(await alphaCells(page), cliJson(['analyze', ...npySet.map((f) => path.basename(f)), '--labels', 'e2e_labels'], fixtures).layers);
    assert.match(await rows(page).first().textContent(), /^e2e \(3 files\)( \(2\))?e2e_early/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('CSV files with a label column form one model and overlay with an .npz in the chart', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3, ...csvSet]);
    await waitForRows(page, 5);
    const expected = [...cli.model3.layers, ...cliJson(['analyze', ...csvSet.map((f) => path.basename(f))], fixtures).layers];
    assertCliAlphas(await alphaCells(page), expected);
    const chart = page.locator('[data-testid="alpha-chart"] .chart svg');
    assert.equal(await chart.locator('circle').count(), 5);
    assert.equal(await chart.locator('path[stroke]').evaluateAll((paths) => new Set(paths.map((p) => p.getAttribute('stroke'))).size) >= 2, true);
    assert.match(await chart.textContent(), /e2e \(2 files\)/);
    // The chart exports as SVG (with its legend) and as PNG.
    const svg = fs.readFileSync(await download(page, '[data-testid="alpha-chart"] [data-export="svg"]'), 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /model3\.npz/);
    const png = fs.readFileSync(await download(page, '[data-testid="alpha-chart"] [data-export="png"]'));
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    // And the table as CSV: a header and one line per layer.
    const csv = fs.readFileSync(await download(page, '[data-testid="export-csv"]'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 6);
    assert.match(csv[0], /^model,layer,samples,features,classes,alpha,/);
    assert.match(csv[1], /^model3\.npz,input,150,12,3,0\.22/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the exported JSON loads back to the same table and chart, without recomputing', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3, corrupt]);
    await waitForRows(page, 3);
    const before = await tableText(page);
    const file = await download(page, '[data-testid="export-json"]');
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(document.tool, 'sparsity-probe');
    assert.equal(typeof document.version, 'string');
    assert.deepEqual(document.settings, cli.model3.settings);   // complete, as the CLI writes them
    assert.deepEqual(document.files, ['model3.npz', 'model3_corrupt.npz']);
    assert.deepEqual(document.models.map((m) => m.name), ['model3.npz', 'model3_corrupt.npz']);
    assert.match(document.models[1].error, /CRC mismatch/);
    assert.equal(document.layers.length, 3);
    document.layers.forEach((layer, k) => {
      assert.equal(layer.model, 'model3.npz');
      for (const key of ['name', 'samples', 'features', 'classes', 'alpha', 'alpha_std', 'alpha_min', 'alpha_max', 'alpha_per_seed', 'tau_star', 'status', 'alpha_mterm', 'wavelets', 'seconds', 'curve', 'mterm'])
        assert.ok(key in layer, `layer ${k} has ${key}`);
      assert.equal(layer.alpha, cli.model3.layers[k].alpha);
      assert.equal(layer.curve.tau.length, cli.model3.layers[k].curve.tau.length);
    });

    await page.reload();
    await page.setInputFiles('[data-testid="import-json"]', [file]);
    await waitForRows(page, 3);
    assert.deepEqual(await tableText(page), before);
    assert.match(await page.textContent('[data-testid="model-error"]'), /CRC mismatch/);
    assert.equal(await page.locator('[data-testid="alpha-chart"] .chart svg circle').count(), 3);
    assert.equal(await page.isHidden('.run'), true);   // nothing was recomputed
    await rows(page).nth(0).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="layer-detail"] .chart svg').length === 3);
    // The CLI's own document loads the same way.
    await page.reload();
    const cliFile = path.join(path.dirname(file), 'cli.json');
    fs.writeFileSync(cliFile, JSON.stringify(cli.model3));
    await page.setInputFiles('[data-testid="import-json"]', [cliFile]);
    await waitForRows(page, 3);
    assertCliAlphas(await alphaCells(page), cli.model3.layers);
    // A file that is not a results document says so, and the page stays usable.
    const bad = path.join(path.dirname(file), 'bad.json');
    fs.writeFileSync(bad, '{"tool": "something else"}');
    await page.setInputFiles('[data-testid="import-json"]', [bad]);
    assert.match(await page.locator('[data-testid="model-error"]').textContent(), /bad\.json: not a sparsity-probe results document/);
    assert.equal(await rows(page).count(), 3);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a row opens the layer\'s three curves and its 2-D view (PCA, then UMAP)', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3]);
    await waitForRows(page, 3);
    await rows(page).nth(1).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="layer-detail"] .chart svg').length === 3);
    assert.match(await page.textContent('[data-testid="layer-detail"] h2'), /model3\.npz · hidden/);
    const captions = await page.$$eval('[data-testid="layer-detail"] .chart-card .caption', (ps) => ps.map((p) => p.textContent));
    assert.match(captions[0], /log₁₀ N_τ/);
    assert.match(captions[1], /ε from 0\.1 to 0\.4 rad/);
    assert.match(captions[2], new RegExp(`alpha_mterm = ${cli.model3.layers[1].alpha_mterm.toFixed(3)}`));
    assert.equal(await rows(page).nth(1).getAttribute('aria-current'), 'true');
    // Keyboard: Escape closes and returns to the row; Enter on another row opens it.
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid="layer-detail"]').count(), 0);
    await rows(page).nth(2).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /· last/.test(document.querySelector('[data-testid="layer-detail"] h2')?.textContent));
    assert.equal(await page.locator('[data-testid="layer-detail"] .chart svg').count(), 3);
    await page.waitForSelector('[data-testid="layer-view"][data-drawn="true"]');
    assert.match(await page.textContent('[data-testid="layer-view"] .caption'), /principal components/);
    await page.click('[data-testid="layer-view"] [data-method="umap"]');
    await page.waitForFunction(() => /UMAP of the layer/.test(document.querySelector('[data-testid="layer-view"] .caption').textContent), null, { timeout: 60000 });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('cancel stops the running layer and keeps finished ones; files added meanwhile wait; analyse again', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await page.click('.settings summary');
    await page.fill('[name="trees"]', '300');   // about 10 s a layer of the slow model: time to cancel mid-layer
    await upload(page, [model3, ...slowModel()]);
    await page.waitForFunction(() => {
      const all = [...document.querySelectorAll('[data-testid="layer-row"]')];
      return all.length === 6 && all.slice(0, 3).every((r) => r.lastChild.textContent === 'ok') && /^running [1-9]/.test(all[3].lastChild.textContent);
    }, null, { timeout: 90000 });
    assert.equal(await page.isVisible('[data-testid="overall-progress"]'), true);
    assert.ok(Number(await page.getAttribute('[data-testid="overall-progress"]', 'value')) > 0.5);
    assert.equal(await rows(page).nth(3).locator('progress').count(), 1);
    // Files dropped now wait behind the running layer (the worker reads them next) instead of stopping it.
    await upload(page, csvSet);
    await page.waitForSelector('[data-testid="model"]:has-text("reading…")');
    assert.match(await rows(page).nth(3).locator('td').last().textContent(), /^running/);
    await page.click('[data-testid="cancel"]');
    await waitForRows(page, 6, 10000);
    const statuses = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.lastChild.textContent));
    assert.deepEqual(statuses, ['ok', 'ok', 'ok', 'cancelled', 'cancelled', 'cancelled']);
    assert.match(await page.textContent('[data-testid="model-error"]'), /reading was cancelled/);
    assert.equal(await page.isHidden('.run'), true);
    assert.equal(await page.locator('[data-testid="alpha-chart"] .chart svg').count(), 1);
    assert.equal(await page.isVisible('[data-testid="resume"]'), true);
    // Resume queues the cancelled layers again, with the settings their model ran with.
    await page.click('[data-testid="resume"]');
    await page.waitForFunction(() => /^running/.test(document.querySelectorAll('[data-testid="layer-row"]')[3].lastChild.textContent));
    assert.deepEqual(await rows(page).evaluateAll((trs) => trs.slice(4).map((tr) => tr.lastChild.textContent)), ['queued', 'queued']);
    await page.click('[data-testid="cancel"]');
    await waitForRows(page, 6, 10000);
    // Fewer trees, then everything again with them.
    await page.fill('[name="trees"]', '3');
    await page.click('[data-testid="reanalyse"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="layer-row"]')].every((r) => r.lastChild.textContent === 'ok'), null, { timeout: 90000 });
    assertCliAlphas((await alphaCells(page)).slice(0, 3), cli.model3.layers);
    assert.equal(await page.isHidden('[data-testid="resume"]'), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('invalid settings are named beside the settings, and the files wait for them', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await page.click('.settings summary');
    await page.fill('[name="eps_high"]', '0.05');   // below eps_low
    await upload(page, [model3]);
    await waitForRows(page, 3);
    assert.match(await page.textContent('[data-testid="settings-error"]'), /eps_high/);
    assert.deepEqual(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.lastChild.textContent)), Array(3).fill('not analysed'));
    await page.fill('[name="eps_high"]', '0.4');
    await page.click('[data-testid="reanalyse"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="layer-row"]')].every((r) => r.lastChild.textContent === 'ok'), null, { timeout: 90000 });
    assertCliAlphas(await alphaCells(page), cli.model3.layers);
    assert.equal(await page.isHidden('[data-testid="settings-error"]'), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('diagnostics columns equal the CLI\'s --diagnostics, with the correlation table', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await page.click('.settings summary');
    await page.check('[name="diagnostics"]');
    await upload(page, [model3]);
    await waitForRows(page, 3);
    const expected = cliJson(['analyze', 'model3.npz', '--diagnostics'], fixtures).layers;
    const cells = await rows(page).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td.diag')].map((td) => td.textContent)));
    cells.forEach((row, k) => {
      const d = expected[k].diagnostics;
      assert.equal(row[0], `${d.linear_probe.train_accuracy.toFixed(2)} / ${d.linear_probe.heldout_accuracy.toFixed(2)}`);
      assert.equal(row[1], d.kmeans.adjusted_rand.toFixed(3));
      assert.equal(row[2], d.kmeans.adjusted_mutual_information.toFixed(3));
      assert.equal(row[6], d.ncc_mismatch.toFixed(3));
    });
    assert.equal(await page.locator('[data-testid="correlations"] tbody tr').count(), 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  for (const [colorScheme, viewport] of [['light'], ['dark'], ['light', { width: 420, height: 900 }]]) {
    const name = viewport ? 'analyse-narrow' : `analyse-${colorScheme}`;
    test(`screenshot ${name}`, async () => {
      const page = await openPage(site.browser, `${site.server.url}#/analyse`, { colorScheme, ...(viewport ? { viewport } : {}) });
      await upload(page, [model3, ...csvSet]);
      await waitForRows(page, 5);
      await upload(page, [corrupt]);
      await page.waitForSelector('[data-testid="model-error"]');
      await rows(page).nth(1).click();
      await page.waitForSelector('[data-testid="layer-view"][data-drawn="true"]');
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = await screenshot(page, name);
      assert.ok(fs.statSync(file).size > 10000);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});
