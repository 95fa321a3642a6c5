// Shared by the end-to-end tests: the built site (dist/) on a local static server with the
// cross-origin isolation headers, Debian's Chromium through playwright-core, and a folder for the
// screenshots kept as test artefacts (test-results/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serveStatic } from '../static-server.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = path.join(root, 'dist');
export const fixtures = path.join(root, 'tests/fixtures');
export const artefacts = path.join(root, 'test-results');

export function serveDist({ isolated = true } = {}) {
  return serveStatic({ root: dist, isolated });
}

// Registers before/after hooks that start the site and the browser for a test suite; the returned
// object's server and browser are set once the suite starts.
export function useSite(before, after) {
  const site = {};
  before(async () => {
    site.server = await serveDist();
    site.browser = await launchBrowser();
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}

export async function launchBrowser() {
  const executablePath = '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} is missing: run scripts/ensure-deps.sh as root`);
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run npm run build first');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A new page that records uncaught page errors (tests assert there are none).
export async function openPage(browser, url, { colorScheme = 'light', viewport = { width: 1360, height: 900 } } = {}) {
  const context = await browser.newContext({ colorScheme, viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  await page.goto(url);
  return page;
}

export async function screenshot(page, name) {
  fs.mkdirSync(artefacts, { recursive: true });
  const file = path.join(artefacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
