// storage.spec.mjs: Autosave in the browser: resuming after a reload, full or missing storage, two tabs, and an old storage version.
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { root, base, check, status, waitFor, native, launch } from '../common.mjs';

test('reload mid-run offers to resume, and the resumed run continues identically', async ({ page }) => {
  const ref = await native('-generations', '200', '-eval-every', '50', '-seed', '7');
  await page.goto(base + '?generations=200&seed=7&autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 60, null, 60000);
  const before = (await status(page)).generation;
  await page.reload();
  await page.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
  const saved = (await status(page)).saved;
  check(saved && saved.generation >= before, `saved at ${saved && saved.generation}, the page showed ${before} before the reload`);
  check(/saved at generation \d+ \(seed 7\)/.test(await page.textContent('#resumetext')), 'offer text: ' + await page.textContent('#resumetext'));
  await page.click('#resume');
  await waitFor(page, (g) => window.nnesim.status().generation === g && window.nnesim.status().settings.seed === '7', saved.generation, 30000);
  check(!(await page.isVisible('#resumebar')), 'the offer stayed after resuming');
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const s = await status(page);
  check(s.generation === 200 && s.allelesHash === ref.alleles_sha256, `resumed run: ${s.allelesHash} at ${s.generation}; native ${ref.alleles_sha256}`);
  console.log(`     reloaded while the page showed generation ${before}; resumed at ${saved.generation}`);
  // Discarding forgets it.
  await page.goto(base + '?seed=8');
  await page.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
  const offered = (await status(page)).saved;
  check(offered.generation === 200 && /seed=7/.test(offered.query), 'the finished run is not the one offered: ' + JSON.stringify(offered));
  await page.click('#discard');
  await waitFor(page, () => window.nnesim.status().discarded, null, 10000); // deleted from storage
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  await page.waitForTimeout(500);
  // Earlier tests' closed tabs may have left runs, which may be offered; never the discarded one.
  const again = (await status(page)).saved;
  check(!again || again.savedAt !== offered.savedAt, 'a discarded run was offered again');
});

test('full or missing storage: a quota error, no IndexedDB and a save that fails half-way each give one notice; the run goes on, Export works, and the last whole save is offered', async () => {
  const fresh = await launch({ serviceWorkers: 'block', acceptDownloads: true });
  const page = await fresh.newPage();
  // fault(js) serves coordinator.js with js run first: the storage faults
  // are simulated inside the worker that autosaves.
  const fault = async (js) => {
    await fresh.unroute('**/coordinator.js');
    if (js) {
      await fresh.route('**/coordinator.js', async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, body: js + '\n' + await res.text() });
      });
    }
  };
  const noticeOf = async () => (await page.isVisible('#notices')) ? await page.textContent('#noticetext') : '';
  try {
    // Quota: every write of a run file fails as a full storage does.
    await fault("IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };");
    await page.goto(base + '?seed=5&generations=3000&autostart=1&tour=0');
    await waitFor(page, () => window.nnesim.status().generation > 30, null, 30000);
    await page.waitForFunction(() => /storage in the browser is full/.test(document.getElementById('noticetext').textContent), null, { timeout: 10000 });
    const quota = await noticeOf();
    check((quota.match(/Autosave/g) || []).length === 1 && /Export run keeps the run/.test(quota), 'quota notice: ' + quota);
    const g = (await status(page)).generation;
    await waitFor(page, (g0) => window.nnesim.status().generation > g0 + 20, g, 20000);
    check(!(await page.isVisible('#errors')), 'the run stopped on a full storage: ' + await page.textContent('#errors'));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click('#export')]);
    check(/\.nne$/.test(download.suggestedFilename()), 'export on a full storage: ' + download.suggestedFilename());
    // No IndexedDB at all.
    await fault("Object.defineProperty(self, 'indexedDB', { value: undefined, configurable: true });");
    await page.goto(base + '?seed=6&generations=3000&autostart=1&tour=0');
    await waitFor(page, () => window.nnesim.status().generation > 10, null, 30000);
    await page.waitForFunction(() => /Autosave is off here/.test(document.getElementById('noticetext').textContent), null, { timeout: 10000 });
    check(/no storage\)\. Export run keeps the run\.$/.test(await noticeOf()), 'no IndexedDB: ' + await noticeOf());
    // Half a save: two saves land whole; then each save's slot fails after
    // its run file was written in the same transaction. The last whole
    // save must be what a reload offers, and resume to the very same
    // generation (not to newer bytes under an older slot).
    await fault("{ let slots = 0; const put = IDBObjectStore.prototype.put; IDBObjectStore.prototype.put = function (v, k) { if (this.name === 'slots' && ++slots > 2) throw new DOMException('simulated failure', 'UnknownError'); return put.call(this, v, k); }; }");
    await page.goto(base + '?seed=7&generations=100000&autostart=1&tour=0');
    await page.waitForFunction(() => /Autosave failed \(UnknownError: simulated failure\)/.test(document.getElementById('noticetext').textContent), null, { timeout: 30000 });
    await page.waitForTimeout(2500); // more failed saves, of later generations
    const reached = (await status(page)).generation;
    await fault(null);
    // The same tab again, without autostart (a new run would train
    // while the offer waits).
    await page.goto(base + '?seed=7&generations=100000&tour=0');
    await page.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
    const saved = (await status(page)).saved;
    check(saved && saved.generation > 0 && saved.generation < reached, `offered generation ${saved && saved.generation}, the run had reached ${reached}`);
    await page.click('#resume');
    await waitFor(page, () => document.getElementById('resumebar').hidden && window.nnesim.status().generation > 0, null, 30000);
    await page.waitForTimeout(500);
    const resumed = (await status(page)).generation;
    check(resumed === saved.generation, `resumed at generation ${resumed}; the slot said ${saved.generation}`);
    console.log(`     quota: "${quota.slice(0, 90)}…"; half-way saves: offered and resumed at ${resumed} of ${reached}`);
  } finally {
    await fresh.closeAll();
  }
});

test('two tabs keep two runs: each reload is offered its own; a new tab gets a closed tab\'s run, never an open one\'s', async ({ page: a }) => {
  const open = async (p, q) => {
    await p.goto(base + q);
    await waitFor(p, () => window.nnesim.status().settings !== null, null, 60000);
  };
  const offer = async (p) => {
    await p.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
    return (await status(p)).saved;
  };
  const b = await a.context().newPage();
  await open(a, '?generations=2000&seed=11&autostart=1');
  await open(b, '?generations=2000&seed=12&autostart=1');
  await waitFor(a, () => window.nnesim.status().generation >= 20, null, 60000);
  await waitFor(b, () => window.nnesim.status().generation >= 20, null, 60000);
  await a.reload();
  await b.reload();
  const [sa, sb] = [await offer(a), await offer(b)];
  check(/seed=11/.test(sa.query) && /seed=12/.test(sb.query), `tab 11 was offered ${sa.query}, tab 12 ${sb.query}`);
  // Both stay open (each holds its run) but need not train: the new
  // tabs below load faster on a machine of two cores.
  for (const p of [a, b]) await p.evaluate(() => window.nnesim.pause());
  // A third tab, while both are open, is offered neither.
  const c = await a.context().newPage();
  await open(c, '?seed=13');
  await c.waitForTimeout(500);
  const sc = (await status(c)).saved;
  check(!sc || !/seed=1[12]/.test(sc.query), 'a new tab was offered an open tab\'s run: ' + JSON.stringify(sc));
  // Tab 12 is closed: the next new tab is offered its run, and resuming moves it there.
  await b.close();
  const d = await a.context().newPage();
  await open(d, '?seed=14');
  const sd = await offer(d);
  check(/seed=12/.test(sd.query), 'after tab 12 closed, a new tab was offered ' + JSON.stringify(sd));
  await d.click('#resume');
  await waitFor(d, (g) => window.nnesim.status().generation === g && window.nnesim.status().settings.seed === '12', sd.generation, 30000);
  await d.evaluate(() => window.nnesim.start());
  await waitFor(d, (g) => window.nnesim.status().generation > g + 20, sd.generation, 30000);
  await d.evaluate(() => window.nnesim.pause());
  await d.waitForTimeout(1500); // an autosave
  // Tab 12's run now lives in that tab, which is open: no one else is offered it.
  const e = await a.context().newPage();
  await open(e, '?seed=15');
  await e.waitForTimeout(500);
  const se = (await status(e)).saved;
  check(!se || !/seed=1[12]/.test(se.query), 'a new tab was offered a run that another open tab resumed: ' + JSON.stringify(se));
  await d.reload();
  const sd2 = await offer(d);
  check(/seed=12/.test(sd2.query) && sd2.generation > sd.generation, 'the tab that resumed tab 12\'s run was offered ' + JSON.stringify(sd2));
  for (const p of [c, d, e]) await p.close();
});

test('an autosave from before tabs had names (storage version 1) is still offered, and resumes', async () => {
  const fresh = await launch();
  try {
    const page = await fresh.newPage();
    await page.goto(base + 'how.html');
    // The record version 1 kept under 'current': the run file and what the offer says.
    const file = Array.from(fs.readFileSync(path.join(root, 'core/runfile/testdata/v1-quick-seed5-gen20.nne')));
    await page.evaluate((b) => new Promise((resolve, reject) => {
      const req = indexedDB.open('nnesim', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('runs');
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const tx = req.result.transaction('runs', 'readwrite');
        tx.objectStore('runs').put({bytes: new Uint8Array(b), generation: 20, savedAt: Date.now(), query: 'preset=quick&seed=5',
          raceQuery: 'preset=quick&seed=5', token: 'old', index: 0, count: 1}, 'current');
        tx.oncomplete = () => { req.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), file);
    await page.goto(base + '?seed=9');
    await page.waitForSelector('#resumebar', { state: 'visible', timeout: 60000 });
    const saved = (await status(page)).saved;
    check(saved && saved.generation === 20 && /seed=5/.test(saved.query), 'offered ' + JSON.stringify(saved));
    await page.click('#resume');
    await waitFor(page, () => window.nnesim.status().generation === 20 && window.nnesim.status().settings.seed === '5', null, 30000);
  } finally {
    await fresh.closeAll();
  }
});
