// The Learn view in headless Chromium: α* for the smooth demos equals the CLI's, label noise
// lowers it, the URL reproduces the view, and screenshots of both colour schemes are kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cliJson } from '../js/helpers.mjs';
import { openPage, screenshot, serveDist, useSite } from './site.mjs';

// α* once it belongs to the state in the URL (the view marks the state each score was computed for).
async function alphaOf(page) {
  const handle = await page.waitForFunction(() => {
    const element = document.querySelector('[data-testid="alpha"]');
    const current = location.hash.split('?')[1];
    return element && element.dataset.for === current && element.dataset.value ? element.dataset.value : null;
  }, null, { timeout: 60000 });
  return Number(await handle.jsonValue());
}

// Move a slider as a user would: set its value and fire the input event the view listens to.
async function slide(page, name, value) {
  await page.evaluate(([n, v]) => {
    const input = document.querySelector(`#learn [name="${n}"]`);
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, [name, value]);
}

describe('the Learn view', () => {
  const site = useSite(before, after);

  for (const name of ['spiral', 'circles', 'gaussian-quantiles']) {
    test(`shows the CLI's α* for ${name}`, async () => {
      const page = await openPage(site.browser, `${site.server.url}#/learn?set=${name}`);
      const alpha = await alphaOf(page);
      const expected = cliJson(['demo', name]).layers[0].alpha;
      assert.ok(Math.abs(alpha - expected) <= 1e-9 * Math.abs(expected), `${name}: page ${alpha}, CLI ${expected}`);
      assert.match(await page.textContent('[data-testid="alpha"]'), new RegExp(`α\\* = ${expected.toFixed(3)}`));
      assert.equal(await page.locator('[data-testid="partition"] canvas').count(), 1);
      assert.ok((await page.locator('.curves svg').count()) >= 3, 'the three curves are drawn');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('raising label noise lowers α*', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/learn?set=spiral`);
    const values = [await alphaOf(page)];
    for (const noise of [0.1, 0.3, 0.5]) {
      await slide(page, 'labelNoise', noise);
      await page.waitForFunction((n) => location.hash.includes(`ln=${n}`), noise);
      values.push(await alphaOf(page));
    }
    for (let i = 1; i < values.length; ++i) assert.ok(values[i] < values[i - 1], `α* ${values.join(' → ')} should fall`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the URL round-trips the state', async () => {
    const page = await openPage(site.browser, `${site.server.url}#/learn`);
    await alphaOf(page);
    await page.selectOption('#learn [name="set"]', 'moons');
    await slide(page, 'samples', 700);
    await slide(page, 'trees', 4);
    await page.selectOption('#learn [name="measure"]', 'samples');
    await page.check('#learn [name="linear"]');
    await page.waitForFunction(() => location.hash.includes('set=moons') && location.hash.includes('n=700') && location.hash.includes('trees=4') && location.hash.includes('lp=1'));
    const alpha = await alphaOf(page);
    const url = page.url();
    const copy = await openPage(site.browser, url);
    assert.equal(await alphaOf(copy), alpha);
    assert.equal(await copy.inputValue('#learn [name="set"]'), 'moons');
    assert.equal(await copy.inputValue('#learn [name="samples"]'), '700');
    assert.equal(await copy.inputValue('#learn [name="trees"]'), '4');
    assert.equal(await copy.inputValue('#learn [name="measure"]'), 'samples');
    assert.equal(await copy.isChecked('#learn [name="linear"]'), true);
    const expected = cliJson(['demo', 'moons', '--samples', '700', '--trees', '4', '--measure', 'samples']).layers[0].alpha;
    assert.ok(Math.abs(alpha - expected) <= 1e-9 * expected, `moons: page ${alpha}, CLI ${expected}`);
    await page.context().close();
    await copy.context().close();
  });

  test('from a plain static host (no COOP/COEP) the page runs single-threaded and says so', async () => {
    const plain = await serveDist({ isolated: false });
    const page = await openPage(site.browser, `${plain.url}#/learn?set=circles`);
    const alpha = await alphaOf(page);
    assert.ok(Math.abs(alpha - cliJson(['demo', 'circles']).layers[0].alpha) <= 1e-9 * alpha);
    assert.match(await page.textContent('#engine'), /single-threaded: this page is not cross-origin isolated/);
    await page.context().close();
    plain.close();
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`screenshot (${colorScheme})`, async () => {
      const page = await openPage(site.browser, `${site.server.url}#/learn?set=spiral&lp=1`, { colorScheme });
      await alphaOf(page);
      await page.waitForTimeout(300);
      await screenshot(page, `learn-${colorScheme}`);
      await page.context().close();
    });
  }
});
