// The Analyse view in headless Chromium: an .npz written by NumPy fills a three-row table with the
// CLI's α*, a corrupted file shows its error while the other file's results stay, the exported
// JSON loads back to the same table, a row opens its curves and 2-D view, the diagnostics columns
// equal the CLI's --diagnostics, and screenshots of both colour schemes are kept.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cliJson } from '../js/helpers.mjs';
import { fixtures, openPage, screenshot, useSite } from './site.mjs';

const model3 = path.join(fixtures, 'model3.npz');

async function upload(page, files) {
  await page.setInputFiles('[data-testid="file-input"]', files);
}

async function waitForRows(page, count) {
  await page.waitForFunction((n) => {
    const rows = document.querySelectorAll('[data-testid="layer-row"]');
    return rows.length === n && [...rows].every((row) => /^(ok|undetermined|error)/.test(row.lastChild.textContent));
  }, count, { timeout: 90000 });
}

const tableText = (page) => page.$$eval('[data-testid="layer-row"]', (rows) => rows.map((row) => [...row.children].slice(0, 8).map((c) => c.textContent)));

describe('the Analyse view', () => {
  const site = useSite(before, after);

  test('an .npz with three layers fills three rows with the CLI\'s α* and draws the chart', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3]);
    await waitForRows(page, 3);
    const alphas = await page.$$eval('[data-testid="layer-row"] td[data-alpha]', (cells) => cells.map((c) => Number(c.dataset.alpha)));
    const expected = cliJson(['analyze', 'model3.npz'], fixtures).layers.map((l) => l.alpha);
    assert.equal(alphas.length, 3);
    alphas.forEach((a, k) => assert.ok(Math.abs(a - expected[k]) <= 1e-9 * expected[k], `layer ${k}: page ${a}, CLI ${expected[k]}`));
    assert.equal(await page.locator('[data-testid="alpha-chart"] svg').count() >= 1, true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a corrupted file shows its error while the other file\'s results stay', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3]);
    await waitForRows(page, 3);
    await upload(page, [path.join(fixtures, 'model3_corrupt.npz')]);
    const error = await page.waitForSelector('[data-testid="model-error"]');
    assert.match(await error.textContent(), /model3_corrupt\.npz:input: CRC mismatch/);
    assert.equal(await page.locator('[data-testid="layer-row"]').count(), 3);
    assert.equal(await page.locator('[data-testid="alpha-chart"] svg').count() >= 1, true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the exported JSON loads back to the same table', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3]);
    await waitForRows(page, 3);
    const before = await tableText(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
    const file = path.join(fs.mkdtempSync('/tmp/sparsity-probe-e2e-'), 'results.json');
    await download.saveAs(file);
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(document.tool, 'sparsity-probe');
    assert.equal(document.settings.trees, 3);
    assert.equal(document.layers.length, 3);
    const fresh = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(fresh, [file]);
    await waitForRows(fresh, 3);
    assert.deepEqual(await tableText(fresh), before);
    assert.equal(await fresh.locator('[data-testid="alpha-chart"] svg').count() >= 1, true);
    await page.context().close();
    await fresh.context().close();
  });

  test('a row opens the layer\'s three curves and its 2-D view (PCA, then UMAP)', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await upload(page, [model3]);
    await waitForRows(page, 3);
    await page.locator('[data-testid="layer-row"]').nth(2).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.detail .chart svg').length === 3);
    await page.waitForSelector('[data-testid="layer-view"][data-drawn="true"]');
    assert.match(await page.textContent('[data-testid="layer-view"] .caption'), /principal components/);
    await page.click('[data-testid="layer-view"] [data-method="umap"]');
    await page.waitForFunction(() => /UMAP of the layer/.test(document.querySelector('[data-testid="layer-view"] .caption').textContent), null, { timeout: 60000 });
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
    const rows = await page.$$eval('[data-testid="layer-row"]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td.diag')].map((td) => td.textContent)));
    rows.forEach((cells, k) => {
      const d = expected[k].diagnostics;
      assert.equal(cells[0], `${d.linear_probe.train_accuracy.toFixed(2)} / ${d.linear_probe.heldout_accuracy.toFixed(2)}`);
      assert.equal(cells[1], d.kmeans.adjusted_rand.toFixed(3));
      assert.equal(cells[2], d.kmeans.adjusted_mutual_information.toFixed(3));
      assert.equal(cells[6], d.ncc_mismatch.toFixed(3));
    });
    assert.equal(await page.locator('[data-testid="correlations"] tbody tr').count(), 1);
    await page.context().close();
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`screenshot (${colorScheme})`, async () => {
      const page = await openPage(site.browser, `${site.server.url}#/analyse`, { colorScheme });
      await upload(page, [model3]);
      await waitForRows(page, 3);
      await upload(page, [path.join(fixtures, 'model3_corrupt.npz')]);
      await page.waitForSelector('[data-testid="model-error"]');
      await page.locator('[data-testid="layer-row"]').nth(1).click();
      await page.waitForSelector('[data-testid="layer-view"][data-drawn="true"]');
      await screenshot(page, `analyse-${colorScheme}`);
      await page.context().close();
    });
  }
});
