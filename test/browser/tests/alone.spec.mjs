// alone.spec.mjs: Tests that must have the machine to themselves: the page must be ready within 10 s of hostile URLs and show a refusal within 10 s of a too big one (in a fresh context, under load), a throttled first visit times the loading bar, and the offline test rewrites public/sw.js, which every page of a test running beside it would fetch.
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { root, out, base, check, status, waitFor, readyOrMessage, launch, throttled } from '../common.mjs';

// The trace's DOM snapshots (of every action, in a page this big) cost a
// first load several seconds (the first hostile URL: 12-13 s with them,
// under 10 s without), so these timed tests keep a trace without them.
test.use({ trace: { mode: 'retain-on-failure', snapshots: false, screenshots: false } });

// warm loads the page once, untimed, as the old runner's shared profile
// had: the timed loads below are a returning visitor's, whose browser
// has the wasm in its cache (a cold first visit is the throttled test's).
async function warm(page) {
  await page.goto(base + '?tour=0');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 120000);
}

test('hostile URL parameters: Object.prototype names, 100 kB values, bad escapes; the page is ready within 10 s', async ({ page, errors }) => {
  const keys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
  const names = ['hide', 'preset', 'workers', 'embed', 'autostart', 'digits', 'seed', 'algo', 'scale', 'fitness'];
  const urls = [];
  for (const k of keys) {
    urls.push(['hide=' + k, '?hide=' + k, 'hide: unknown group "' + k + '"']);
    urls.push(['every parameter = ' + k, '?' + names.map((n) => n + '=' + encodeURIComponent(k)).join('&') + '&' + encodeURIComponent(k) + '=1', k + ': unknown parameter']);
  }
  const big = 'x'.repeat(100000);
  urls.push(['100 kB values', '?seed=' + big + '&hide=' + big + '&workers=' + big + '&' + big + '=1', '… (100000 characters)']);
  urls.push(['bad percent escapes', '?seed=%zz&hide=%E0%A4%A&digits=%&%%=1&preset=quick', 'seed=%zz: want a whole number']);
  urls.push(['repeated parameters', '?seed=1&seed=2&preset=quick&preset=demo', 'seed is given 2 times; the last, seed=2, counts']);
  await warm(page);
  for (const [what, query, want] of urls) {
    const { ms, text } = await readyOrMessage(page, base + query, 10000);
    check(ms < 10000, `${what}: ${ms} ms to become ready`);
    check(text.includes(want), `${what}: error box lacks ${JSON.stringify(want)}: ${text.slice(0, 300)}`);
    check(text.length < 3000, `${what}: ${text.length} characters of errors (a value was not clipped)`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 1400, `${what}: the page became ${width} px wide`);
    await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 10000);
  }
  await page.screenshot({ path: path.join(out, 'hostile-params.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a generation too long for a tab is refused before it starts, with the estimate', async ({ page }) => {
  await warm(page);
  const { text } = await readyOrMessage(page, base + '?pop=1048576&workers=1', 10000);
  check(/would take about \d+ (s|min) per generation here with 1 worker/.test(text) && /lower pop, batch, hidden or genes/.test(text),
    'no work estimate: ' + text);
  await waitFor(page, () => window.nnesim.status().settings, null, 10000);
  check((await status(page)).settings.pop === '100', 'the refused population was kept');
});

test('on a throttled first visit (9 Mbit/s, 60 ms, no cache) the loading bar counts bytes on the wire and the time left, and never stands still', async () => {
  const fresh = await launch({ firstVisit: true });
  const page = await fresh.newPage();
  // One link for the page and its workers (the first coordinator
  // downloads the files): harness.mjs's throttled proxy.
  const link = await throttled(base, { mbit: 9, latency: 60 });
  try {
    const cdp = await fresh.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const t0 = Date.now();
    await page.goto(link.base + '?tour=0', { waitUntil: 'commit' });
    const seen = [];
    for (;;) {
      const s = await page.evaluate(() => {
        const el = document.getElementById('loading');
        return el ? { hidden: el.hidden, text: document.getElementById('loadtext').textContent } : null;
      }).catch(() => null);
      if (s && s.hidden) break;
      if (s) seen.push({ t: Date.now() - t0, text: s.text });
      check(Date.now() - t0 < 60000, 'still loading after 60 s: ' + (s && s.text));
      await page.waitForTimeout(100);
    }
    const playable = Date.now() - t0;
    const bytes = link.bytes();
    const shown = seen.map((x) => /Loading ([\d.]+) of ([\d.]+) MB/.exec(x.text)).filter((m) => m).map((m) => [Number(m[1]), Number(m[2])]);
    check(shown.length >= 5, 'the bar showed bytes ' + shown.length + ' times: ' + JSON.stringify(seen.slice(0, 5)));
    const total = shown[shown.length - 1][1];
    check(Math.abs(total * 1e6 - bytes) < 0.12 * bytes, `the bar's total ${total} MB, ${(bytes / 1e6).toFixed(2)} MB transferred`);
    for (let i = 1; i < shown.length; i++) check(shown[i][0] >= shown[i - 1][0], 'the count went back: ' + JSON.stringify(shown.slice(i - 1, i + 1)));
    check(seen.some((x) => /about \d+ s left|almost there/.test(x.text)), 'no time left shown: ' + seen.map((x) => x.text).slice(-3).join(' | '));
    // Never a still screen: while bytes are owed, the text changes at
    // least every 2 s.
    let changed = null;
    for (let i = 0; i < seen.length; i++) {
      const m = /Loading ([\d.]+) of ([\d.]+) MB/.exec(seen[i].text);
      if (!m || m[1] === m[2]) { changed = null; continue; }
      if (changed === null || seen[i].text !== seen[i - 1].text) changed = seen[i].t;
      check(seen[i].t - changed < 2000, `the bar stood still from ${changed} to ${seen[i].t} ms: ${seen[i].text}`);
    }
    console.log(`     Play usable at ${playable} ms; ${(bytes / 1e6).toFixed(2)} MB transferred; the bar said: ${seen.filter((_, i) => i % 10 === 0).map((x) => x.text).join(' | ').slice(0, 400)}`);
  } finally {
    link.close();
    await fresh.closeAll();
  }
});
test.describe(() => {
  test.use({ firstVisit: true });
  test('offline: after one visit the page loads and trains with no network, from the service worker\'s cache of this build; a new build replaces the old cache', async ({ page }) => {
    await page.goto(base + '?tour=0&generations=30');
    await waitFor(page, () => window.nnesim.status().settings, null, 30000);
    // The worker has installed this build's files and controls the page
    // (polled from here: waitForFunction does not wait on a promise).
    for (let t0 = Date.now(); ; await page.waitForTimeout(500)) {
      const ready = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        if (!reg || !reg.active || !navigator.serviceWorker.controller) return false;
        const keys = await caches.keys();
        const cache = keys.find((k) => k.startsWith('nnesim-'));
        return !!cache && (await (await caches.open(cache)).keys()).length >= 20;
      });
      if (ready) break;
      check(Date.now() - t0 < 60000, 'the service worker did not install and take the page within 60 s');
    }
    const version = await page.evaluate(async () => (await caches.keys()).find((k) => k.startsWith('nnesim-')));
    await page.context().setOffline(true);
    await page.reload();
    await waitFor(page, () => window.nnesim.status().settings, null, 30000);
    await page.evaluate(() => window.nnesim.start());
    await waitFor(page, () => window.nnesim.status().done, null, 60000);
    const s = await status(page);
    check(s.generation === 30 && s.testAccuracy > 0.3, `offline run: generation ${s.generation}, accuracy ${s.testAccuracy}`);
    check(!(await page.isVisible('#errors')), 'errors offline: ' + await page.textContent('#errors'));
    // The How it works page is there too.
    await page.goto(base + 'how.html');
    check((await page.locator('math').count()) > 0, 'How it works is not offline');
    await page.context().setOffline(false);
    check(/^nnesim-[0-9a-f]{16}$/.test(version), 'cache name ' + version);
    // A new build (here: the same files under another hash) installs beside
    // it; the page offers to switch, and after the switch only the new
    // build's cache is left.
    const sw = path.join(root, 'public/sw.js');
    const orig = fs.readFileSync(sw, 'utf8'), origGz = fs.readFileSync(sw + '.gz'), origBr = fs.readFileSync(sw + '.br');
    try {
      fs.writeFileSync(sw, orig.replace(/const VERSION = '([0-9a-f]{16})'/, "const VERSION = 'feedfacefeedface'"));
      fs.rmSync(sw + '.gz');
      fs.rmSync(sw + '.br');
      await page.goto(base + '?tour=0');
      await waitFor(page, () => window.nnesim.status().settings, null, 30000);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await page.waitForSelector('#updatebar', { state: 'visible', timeout: 60000 });
      await Promise.all([page.waitForNavigation({ timeout: 60000 }), page.click('#update')]);
      await waitFor(page, () => window.nnesim.status().settings, null, 30000);
      const left = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('nnesim-')));
      check(left.join() === 'nnesim-feedfacefeedface', 'caches after the update: ' + left.join(', '));
      check(!(await page.isVisible('#updatebar')), 'the update bar stayed after the switch');
    } finally {
      fs.writeFileSync(sw, orig);
      fs.writeFileSync(sw + '.gz', origGz);
      fs.writeFileSync(sw + '.br', origBr);
    }
  });
});
