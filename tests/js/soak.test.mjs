// Soak: in Chromium, start and cancel an analysis 100 times in a row, then finish one. Every run
// must be cancelled, the tab's JavaScript heap must stay bounded (a cancelled worker takes its
// WebAssembly memory with it), and the final result must equal a clean run's (the CLI's).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { serve } from '../browser/server.mjs';
import { assertClose, cliJson, comparable } from './helpers.mjs';

let browser, server;
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  server = await serve({ isolated: true });
});
after(async () => {
  await browser?.close();
  server?.close();
});

test('100 starts and cancels, then a full run equal to a clean one, with bounded memory', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/tests/browser/soak.html`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 240000 });
  const outcome = await page.evaluate(() => window.result);
  assert.equal(outcome.error, undefined, outcome.error);
  assert.equal(outcome.build, 'threads');
  assert.equal(outcome.cancelled, 100);
  // Bound: the JS heap after the 100th cancel is within 32 MiB of what it was after the 10th.
  const settled = outcome.heap[9], last = outcome.heap.at(-1);
  assert.ok(last - settled < 32 * 1024 * 1024, `JS heap grew from ${settled} to ${last} bytes`);
  assertClose(comparable(outcome.result), comparable(cliJson(['demo', 'spiral', '--samples', '3000']).layers[0]), 'after the soak');
  await page.close();
});
