// Bad input in the Analyse view (headless Chromium, the built dist/): each malformed file from
// tests/fixtures, dropped on its own, shows its own message beside it; a file beyond the browser
// build's size limit is refused before it is read; a layer beyond the per-layer limit gets its
// size, the limit and the way out in its row; and a good file dropped into the same page still
// analyses to the CLI's α*, with no page error. Screenshots: the settings with the reductions, and
// the errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { cliJson } from '../js/helpers.mjs';
import { fixtures, openPage, screenshot, useSite } from './site.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sparsity-probe-bad-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const fixture = (name) => path.join(fixtures, name);
// A fixture's bytes under another name (a labels file must be called labels.npy to be found).
const renamed = (file, name) => ({ name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(fixture(file)) });

// Model name in the list -> files dropped together -> the start of the message shown beside it
// (the CLI's message for the same file: tests/test_readers.cpp).
const badFiles = [
  ['bad_magic.npy', [fixture('bad_magic.npy')], 'bad_magic.npy: not a .npy file (it does not start with the magic bytes \\x93NUMPY)'],
  ['lying_shape.npy', [fixture('lying_shape.npy')], 'lying_shape.npy: truncated array data: header declares shape (100, 64) of <f4 = 25600 bytes, found 1000 bytes'],
  ['huge_declared.npy', [fixture('huge_declared.npy')], 'huge_declared.npy: truncated array data: header declares shape (1000000, 1000000) of <f8 = 8000000000000 bytes, found 0 bytes'],
  ['bad_crc.npz', [fixture('bad_crc.npz')], 'bad_crc.npz:conv2: CRC mismatch (computed '],
  ['bomb.npz', [fixture('bomb.npz')], 'bomb.npz:conv1: decompressed data is larger than the declared size of 1000128 bytes (corrupt archive or a decompression bomb)'],
  ['ragged.csv', [fixture('ragged.csv')], 'ragged.csv: line 4 has 2 fields but the header has 3 columns'],
  ['nonnumeric.csv', [fixture('nonnumeric.csv')], 'nonnumeric.csv: line 3, column \'b\': expected a number, found "abc"'],
  ['nan.csv', [fixture('nan.csv')], 'nan.csv: line 5, column \'b\': missing or non-finite value "NaN"; remove or impute it'],
  ['single_class.npy + 1 more', [renamed('dtype_f4_le.npy', 'single_class.npy'), renamed('labels_one_class.npy', 'labels.npy')],
    'labels.npy: all 3 labels are 4; the probe needs at least 2 classes'],
  ['count.npy + 1 more', [renamed('dtype_f4_le.npy', 'count.npy'), renamed('labels_4.npy', 'labels.npy')],
    'count.npy: layer \'count\' has 3 rows (samples) but there are 4 labels in labels.npy; every layer needs one row per label'],
  ['row_mismatch.npz', [fixture('row_mismatch.npz')], 'row_mismatch.npz:conv2: layer \'conv2\' has 29 rows (samples) but there are 30 labels in row_mismatch.npz:labels'],
  ['zero_features.npz', [fixture('zero_features.npz')], 'zero_features.npz:conv1: layer \'conv1\' has shape (4, 0), i.e. 0 features per sample'],
  ['one_sample.npz', [fixture('one_sample.npz')], 'one_sample.npz:labels: all 1 labels are 7; the probe needs at least 2 classes'],
];

// A file beyond the 256 MiB read limit: sparse, so it costs no disk and Chromium never reads it.
function hugeFile() {
  const file = path.join(scratch, 'huge_file.npy');
  fs.writeFileSync(file, '');
  fs.truncateSync(file, 300 * 2 ** 20);
  return file;
}

// An .npz whose layer has 10,001 x 10,000 = 100,010,000 values, just over the per-layer limit:
// uint8 zeros, deflated to about 100 kB (parsed in the tab to 400 MB of float32).
function npyBytes(descr, shape, data) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

function zip(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const packed = zlib.deflateRawSync(content, { level: 9 });
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8); local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(content.length, 22); local.writeUInt16LE(nameBytes.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0); record.writeUInt16LE(20, 4); record.writeUInt16LE(20, 6); record.writeUInt16LE(8, 10); record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE(crc, 16); record.writeUInt32LE(packed.length, 20); record.writeUInt32LE(content.length, 24); record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(record, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function wideModel() {
  const n = 10001, d = 10000;
  const labels = Buffer.alloc(8 * n);
  for (let i = 0; i < n; ++i) labels.writeBigInt64LE(BigInt(i % 2), 8 * i);
  const file = path.join(scratch, 'wide.npz');
  fs.writeFileSync(file, zip([['wide.npy', npyBytes('|u1', [n, d], Buffer.alloc(n * d))], ['labels.npy', npyBytes('<i8', [n], labels)]]));
  return file;
}

const modelError = (page, name) => page.locator('[data-testid="model"]', { has: page.locator('strong', { hasText: new RegExp(`^${name.replace(/[.+()]/g, '\\$&')}$`) }) })
  .locator('[data-testid="model-error"]');

describe('bad input in the Analyse view', () => {
  const site = useSite(before, after);

  test('every bad file shows its own message beside it; a good file still analyses', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    const upload = (files) => page.setInputFiles('[data-testid="file-input"]', files);
    for (const [name, files] of badFiles) {
      await upload(files);
      await modelError(page, name).waitFor();
    }
    await upload([hugeFile()]);
    await modelError(page, 'huge_file.npy').waitFor();
    for (const [name, , message] of badFiles) {
      const shown = await modelError(page, name).textContent();
      assert.ok(shown.startsWith(message), `${name}: shows "${shown}", expected "${message}…"`);
    }
    assert.equal(await modelError(page, 'huge_file.npy').textContent(),
      'huge_file.npy: 314,572,800 bytes; the browser build reads at most 268,435,456 bytes (256 MiB) of files at once ' +
      '(parsing needs up to 6 times their size in its 2 GiB of WebAssembly memory). Save a subsample of the rows or fewer ' +
      'layers per file, or use the command-line tool, which has no such limit (--max-samples, --project-features).');
    assert.equal(await page.locator('[data-testid="model-error"]').count(), badFiles.length + 1);

    // A layer over the per-layer limit: beside its file, its size, the limit and the way out; its
    // row says error, with the message as its tooltip.
    await upload([wideModel()]);
    const wideRow = page.locator('[data-testid="layer-row"]', { hasText: 'wide.npz' });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="layer-row"]')].find((r) => r.textContent.includes('wide.npz'))?.lastChild.textContent === 'error', null, { timeout: 60000 });
    const limitMessage = 'layer wide: 10001 x 10000 = 100,010,000 values; the browser build analyses at most 100,000,000 values per layer ' +
      '(about 16 bytes each in its 2 GiB of WebAssembly memory). Set max_samples to 10,000 or fewer (a seeded, stratified ' +
      'sample of the rows) or project_features to 9,999 or fewer (a seeded random projection of the features), or use the ' +
      'command-line tool, which has no such limit.';
    const wideItem = page.locator('[data-testid="model"]', { has: page.locator('strong', { hasText: /^wide\.npz$/ }) });
    assert.equal(await wideItem.locator('[data-testid="layer-error"]').textContent(), limitMessage);
    assert.equal(await wideRow.locator('td').last().getAttribute('title'), limitMessage);
    assert.equal(await wideRow.evaluate((tr) => tr.children[2].textContent), '10001 × 10000');

    // The page keeps working: a good file analyses to the CLI's numbers.
    await upload([fixture('model3.npz')]);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="layer-row"]')].filter((r) => r.textContent.includes('model3.npz') && r.lastChild.textContent === 'ok').length === 3, null, { timeout: 90000 });
    const expected = cliJson(['analyze', 'model3.npz', '--diagnostics'], fixtures).layers;
    const alphas = await page.$$eval('[data-testid="layer-row"] td[data-alpha]', (cells) => cells.map((c) => Number(c.dataset.alpha)));
    assert.equal(alphas.length, 3);
    alphas.forEach((alpha, k) => assert.ok(Math.abs(alpha - expected[k].alpha) <= 1e-9 * Math.abs(expected[k].alpha), `layer ${k}: ${alpha} vs ${expected[k].alpha}`));
    assert.equal(await page.isHidden('.run'), true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'analyse-bad-input');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('max samples and project features reach the core and the table; the settings show the limits', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/analyse`);
    await page.click('.settings summary');
    await page.waitForFunction(() => /at most 100,000,000 values/.test(document.querySelector('[data-testid="limits"]').textContent));
    assert.match(await page.textContent('[data-testid="limits"]'), /reads at most 256 MiB of files at once/);
    await page.fill('[name="max_samples"]', '90');
    await page.fill('[name="project_features"]', '6');
    await page.fill('[name="seeds"]', '3');
    assert.match(await page.textContent('.settings-summary'), /≤ 90 rows, projected to 6 features\)$/);
    await page.setInputFiles('[data-testid="file-input"]', [fixture('model3.npz')]);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="layer-row"]')].filter((r) => r.lastChild.textContent === 'ok').length === 3, null, { timeout: 90000 });
    assert.deepEqual(await page.$$eval('[data-testid="layer-row"]', (trs) => trs.map((tr) => tr.children[2].textContent)),
      ['150 × 12 → 90 × 6', '150 × 8 → 90 × 6', '150 × 4 → 90 × 4']);
    const expected = cliJson(['analyze', 'model3.npz', '--max-samples', '90', '--project-features', '6'], fixtures).layers;
    const alphas = await page.$$eval('[data-testid="layer-row"] td[data-alpha]', (cells) => cells.map((c) => Number(c.dataset.alpha)));
    alphas.forEach((alpha, k) => assert.ok(Math.abs(alpha - expected[k].alpha) <= 1e-9 * Math.abs(expected[k].alpha), `layer ${k}: ${alpha} vs ${expected[k].alpha}`));
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'analyse-reduction-settings');
    // Invalid values are named by the core beside the settings.
    await page.fill('[name="max_samples"]', '1');
    await page.click('[data-testid="reanalyse"]');
    await page.waitForSelector('[data-testid="settings-error"]:not([hidden])');
    assert.match(await page.textContent('[data-testid="settings-error"]'), /invalid setting max_samples = 1: expected 0 \(all rows\) or at least 2/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
