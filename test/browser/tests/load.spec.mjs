// load.spec.mjs: Loading the page, and what it does with bad URL parameters (the hostile and too big ones, timed, are in alone.spec.mjs).
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, status, waitFor, decodePNG, colorStats, launch } from '../common.mjs';

test('loads without console errors, plays and learns', async ({ page, errors }) => {
  const t0 = Date.now();
  await page.goto(base + '?autostart=1&seed=3');
  await waitFor(page, () => window.nnesim && window.nnesim.status().ready && window.nnesim.status().settings, null, 30000);
  const ready = Date.now() - t0;
  await waitFor(page, () => window.nnesim.status().generation > 0, null, 30000);
  check(!(await page.isVisible('#errors')), 'error box shown for a good URL');
  check(!(await page.isVisible('#loading')), 'loading bar still shown');
  // Digits 0-4: chance is 20%.
  await waitFor(page, () => window.nnesim.status().testAccuracy >= 0.6, null, 90000);
  const s = await status(page);
  const want = await page.evaluate(() => Math.max(1, Math.min(16, navigator.hardwareConcurrency - 1)));
  check(s.running && s.algo === 'nne' && s.workers === want && s.gensPerSecond > 0 && s.fatal === null, 'status ' + JSON.stringify(s));
  check(s.settings.seed === '3' && /^[0-9a-f]{64}$/.test(s.allelesHash), 'seed or hash: ' + JSON.stringify(s));
  await page.screenshot({ path: path.join(out, 'desktop.png'), fullPage: true });
  const shot = decodePNG(await page.locator('#view').screenshot());
  const blue = colorStats(shot, [0x25, 0x63, 0xeb]);
  check(blue.colors > 200 && blue.near > 500, `canvas looks blank: ${blue.colors} colours, ${blue.near} blue pixels`);
  // Transfer sizes of everything the page and its frame downloaded.
  const bytes = await page.evaluate(() => [window, document.getElementById('view').contentWindow]
    .flatMap((w) => w.performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0));
  check(bytes < 5.3e6, `page downloaded ${bytes} bytes, budget 5.3 MB (brotli twins, nnesim site's default quality 11)`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     first frame at ${s.firstFrameMs.toFixed(0)} ms, run ready at ${ready} ms; test accuracy ${s.testAccuracy.toFixed(3)} at generation ${s.generation}; ${s.gensPerSecond.toFixed(1)} gen/s; ${(bytes / 1e6).toFixed(2)} MB transferred`);
});

test('bad URL parameters show an error and keep the defaults', async ({ page }) => {
  await page.goto(base + '?genes=1e9&pop=abc&digits=0-12&gense=5&workers=0&autostart=1&tour=maybe&bench=1');
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const text = await page.textContent('#errors');
  for (const want of ['genes=1e9', 'pop=abc', 'digits=0-12', 'gense: unknown parameter', 'workers=0: want a whole number from 1 to 16',
    'tour=maybe: want 0 (never) or 1 (always)', 'bench: unknown parameter']) {
    check(text.includes(want), `error box lacks ${want}: ${text}`);
  }
  await waitFor(page, () => window.nnesim.status().generation > 5, null, 30000);
  const s = await status(page);
  check(s.settings.genes === '4000' && s.settings.pop === '100' && s.settings.digits === '0-4', 'settings ' + JSON.stringify(s.settings));
  await page.screenshot({ path: path.join(out, 'bad-params.png') });
  // A network that fits one worker's share of memory but not two workers'.
  await page.goto(base + '?preset=paper&genes=250000&workers=2');
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const mem = await page.textContent('#errors');
  check(/fit in memory with 1 worker but not with 2/.test(mem) && /use workers=1/.test(mem), 'memory message: ' + mem);
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  check((await status(page)).settings.genes === '5000', 'the refused genes were kept');
});

test('a file that fails to download (run 0\'s coordinator fetches them) is named in the error box; the page does not wait for ever', async () => {
  for (const f of ['app.wasm', 'worker.wasm', 'data/test.nnd']) {
    const fresh = await launch();
    try {
      await fresh.route('**/' + f, (r) => r.fulfill({ status: 404, body: 'gone' }));
      const page = await fresh.newPage();
      await page.goto(base + '?tour=0');
      await page.waitForFunction(() => !document.getElementById('errors').hidden, null, { timeout: 30000, polling: 200 });
      const text = await page.textContent('#errors');
      check(text.includes('loading failed') && text.includes(f + ': HTTP 404'), f + ' missing: the page said ' + text);
    } finally {
      await fresh.closeAll();
    }
  }
});
