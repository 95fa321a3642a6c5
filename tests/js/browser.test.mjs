// Both WebAssembly builds in headless Chromium: a page served with COOP/COEP headers gets the
// threads build, a page without them the single build; both give the CLI's numbers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { serve } from '../browser/server.mjs';
import { assertClose, cliJson, comparable, fixtures } from './helpers.mjs';

const executablePath = '/usr/bin/chromium';

describe('the API in headless Chromium', () => {
  let browser;
  before(async () => {
    assert.ok(fs.existsSync(executablePath), `${executablePath} is missing: run scripts/ensure-deps.sh as root (Debian package chromium)`);
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });
  after(() => browser && browser.close());

  for (const [isolated, build] of [[true, 'threads'], [false, 'single']]) {
    test(`a page ${isolated ? 'with' : 'without'} cross-origin isolation runs the ${build} build`, async () => {
      const server = await serve({ isolated });
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      try {
        await page.goto(`http://127.0.0.1:${server.address().port}/tests/browser/page.html`);
        await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
        const result = await page.evaluate(() => window.result);
        assert.equal(result.error, undefined, result.error);
        assert.deepEqual(errors, []);
        assert.equal(result.isolated, isolated);
        assert.equal(result.build, build);
        assertClose(comparable(result.spiral), comparable(cliJson(['demo', 'spiral']).layers[0]), `${build} spiral`);
        assertClose(comparable(result.layer), comparable(cliJson(['analyze', 'model3.npz'], fixtures).layers[2]), `${build} last`);
        assert.equal(result.progress.at(-1), 1);
      } finally {
        await page.close();
        server.close();
      }
    });
  }
});
