// run.mjs tests the nnesim page as a person uses it, in Debian's headless
// Chromium driven by playwright-core: it serves public/ with nnesim serve,
// opens the page, plays, draws on the pad, feeds bad URL parameters, and
// checks the screenshots' pixels. Screenshots go to test/browser/out/.
//
//   node test/browser/run.mjs            (after ./build.sh)
//   ONLY=embed node test/browser/run.mjs (only the tests whose name has "embed")
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, serve, launch } from './harness.mjs';
import { decodePNG, colorStats } from './png.mjs';

const out = path.join(root, 'test/browser/out');
fs.mkdirSync(out, { recursive: true });

const server = await serve();
const base = server.base;
const ctx = await launch();

let failures = 0;
const results = [];
const only = process.env.ONLY || '';
async function test(name, fn) {
  if (!name.includes(only)) return;
  const t0 = Date.now();
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  try {
    await fn(page, errors);
    results.push(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (err) {
    failures++;
    results.push(`FAIL ${name}: ${err.message}`);
    await page.screenshot({ path: path.join(out, 'fail-' + name.replace(/\W+/g, '-') + '.png'), fullPage: true }).catch(() => {});
  }
  console.log(results[results.length - 1]);
  await page.close();
}

function check(cond, msg) { if (!cond) throw new Error(msg); }
// padInView scrolls the draw pad into the viewport and returns its rect.
async function padInView(page) {
  await page.evaluate(() => { const r = window.nnesim.padRect(); if (r) window.scrollBy(0, r.y - 40); });
  await page.waitForTimeout(100);
  return page.evaluate(() => window.nnesim.padRect());
}
const status = (page) => page.evaluate(() => window.nnesim.status());
const waitFor = (page, fn, arg, timeout) => page.waitForFunction(fn, arg, { timeout, polling: 200 });

await test('loads without console errors, plays and learns', async (page, errors) => {
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
  check(bytes < 6e6, `page downloaded ${bytes} bytes, budget 6 MB`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     first frame at ${s.firstFrameMs.toFixed(0)} ms, run ready at ${ready} ms; test accuracy ${s.testAccuracy.toFixed(3)} at generation ${s.generation}; ${s.gensPerSecond.toFixed(1)} gen/s; ${(bytes / 1e6).toFixed(2)} MB transferred`);
});

await test('pause stops, step advances one generation, reset returns to 0', async (page) => {
  await page.goto(base + '?autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 20, null, 30000);
  await page.keyboard.press('Space'); // pause
  await page.waitForTimeout(500);
  const g1 = (await status(page)).generation;
  await page.waitForTimeout(700);
  const g2 = (await status(page)).generation;
  check(g1 === g2 && !(await status(page)).running, `paused run moved from ${g1} to ${g2}`);
  await page.click('#step');
  await waitFor(page, (g) => window.nnesim.status().generation === g + 1, g2, 10000);
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
});

await test('drawing on the pad gives a prediction', async (page, errors) => {
  // The run stops at generation 600, so the weights that read the drawing
  // are always the same.
  await page.goto(base + '?autostart=1&seed=2&generations=600');
  await waitFor(page, () => window.nnesim.status().done, null, 90000);
  const r = await padInView(page);
  check(r && r.width > 50, 'pad rect ' + JSON.stringify(r));
  check((await status(page)).prediction === null, 'prediction before drawing');
  // A vertical stroke: a "1".
  const x = r.x + r.width / 2;
  await page.mouse.move(x, r.y + r.height * 0.15);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) await page.mouse.move(x + k * 0.3, r.y + r.height * (0.15 + 0.7 * k / 12));
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  const p = (await status(page)).prediction;
  const sum = p.probs.reduce((a, b) => a + b, 0);
  check(p.probs.length === 10 && Math.abs(sum - 1) < 1e-6, 'probs ' + JSON.stringify(p.probs));
  check(p.label === 1, `a vertical stroke was read as ${p.label}: ${JSON.stringify(p.probs.map((v) => v.toFixed(2)))}`);
  await page.locator('#view').screenshot({ path: path.join(out, 'pad.png') });
  // classify() on the same kind of input, and on bad input.
  const probs = await page.evaluate(() => {
    const img = new Array(784).fill(0);
    for (let y = 4; y < 24; y++) { img[y * 28 + 14] = 1; img[y * 28 + 15] = 0.6; }
    return window.nnesim.classify(img);
  });
  check(probs.length === 10 && probs.indexOf(Math.max(...probs)) === 1, 'classify of a bar: ' + JSON.stringify(probs));
  const bad = await page.evaluate(() => { try { window.nnesim.classify([1, 2]); return 'no error'; } catch (e) { return e.message; } });
  check(bad.includes('784'), 'classify([1,2]): ' + bad);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('bad URL parameters show an error and keep the defaults', async (page) => {
  await page.goto(base + '?genes=1e9&pop=abc&digits=0-12&gense=5&workers=0&autostart=1');
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const text = await page.textContent('#errors');
  for (const want of ['genes=1e9', 'pop=abc', 'digits=0-12', 'gense: unknown parameter', 'workers=0: want a whole number from 1 to 16']) {
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

// native runs bin/nnesim train with args and returns its JSON result.
async function native(...args) {
  const json = path.join(out, 'native-' + args.join('_').replace(/\W+/g, '') + '.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', ...args, '-json', json], { stdio: 'ignore' });
  const code = await new Promise((resolve) => nat.on('exit', resolve));
  check(code === 0, 'nnesim train exited with ' + code);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

await test('same seed, same run as the native command, for 1, 2 and 4 workers', async (page) => {
  const ref = await native('-generations', '20', '-eval-every', '10', '-seed', '5');
  for (const k of [1, 2]) {
    await page.goto(base + `?generations=20&seed=5&workers=${k}&autostart=1`);
    await waitFor(page, () => window.nnesim.status().done, null, 60000);
    const s = await status(page);
    check(s.workers === k, `asked for ${k} workers, status has ${s.workers}`);
    check(s.generation === 20 && !s.running, `${k} workers: stopped at ${s.generation}, running ${s.running}`);
    check(s.allelesHash === ref.alleles_sha256, `${k} workers: browser ${s.allelesHash} vs native ${ref.alleles_sha256}`);
    check(Math.abs(s.testAccuracy - ref.test_accuracy) < 1e-12, `${k} workers: test accuracy ${s.testAccuracy} vs native ${ref.test_accuracy}`);
  }
  // Four workers, one step() at a time: each step is exactly one generation.
  await page.goto(base + '?generations=20&seed=5&workers=4');
  await waitFor(page, () => window.nnesim.status().settings && window.nnesim.status().workers === 4, null, 30000);
  for (let g = 1; g <= 20; g++) {
    await page.evaluate(() => window.nnesim.step());
    await waitFor(page, (g) => window.nnesim.status().generation === g && !window.nnesim.status().running, g, 10000);
  }
  await page.waitForTimeout(300);
  const s = await status(page);
  check(s.generation === 20 && s.done, `after 20 steps: generation ${s.generation}, done ${s.done}`);
  check(s.allelesHash === ref.alleles_sha256, `4 workers stepped: ${s.allelesHash} vs native ${ref.alleles_sha256}`);
});

await test('a worker that dies or throws is replaced and the run stays identical', async (page, errors) => {
  const ref = await native('-generations', '200', '-eval-every', '50', '-seed', '4');
  await page.goto(base + '?generations=200&seed=4&workers=2&autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 30, null, 60000);
  await page.evaluate(() => document.getElementById('view').contentWindow.nnesimEngine.testHooks.killWorker(1));
  await waitFor(page, () => window.nnesim.status().notices.length >= 1, null, 30000);
  const g = (await status(page)).generation;
  check(g < 200, 'the run ended before the kill was noticed');
  await page.evaluate(() => document.getElementById('view').contentWindow.nnesimEngine.testHooks.throwInWorker(0));
  await waitFor(page, () => window.nnesim.status().notices.length >= 2, null, 30000);
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const s = await status(page);
  check(/worker 2 stopped answering/.test(s.notices[0]) && /re-ran its slice/.test(s.notices[0]), 'kill notice: ' + s.notices[0]);
  check(/worker 1 threw an error/.test(s.notices[1]), 'throw notice: ' + s.notices[1]);
  check(s.fatal === null && s.generation === 200 && s.workers === 2, 'status ' + JSON.stringify(s));
  check(s.allelesHash === ref.alleles_sha256, `after faults: ${s.allelesHash} vs native ${ref.alleles_sha256}`);
  check(await page.isVisible('#notices'), 'the notice is not shown on the page');
  await page.screenshot({ path: path.join(out, 'worker-replaced.png') });
  console.log('     ' + s.notices.join('\n     '));
  check(errors.filter((e) => !/test hook/.test(e)).length === 0, 'console errors: ' + errors.join(' | '));
});

await test('export then import continues the same run; a corrupted file is refused', async (page, errors) => {
  const ref = await native('-generations', '60', '-eval-every', '10', '-seed', '6');
  await page.goto(base + '?generations=60&seed=6&autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 20, null, 60000);
  await page.evaluate(() => window.nnesim.pause());
  await page.waitForTimeout(500);
  const at = await status(page);
  // Export, start over, import: the run is back at the same generation and p.
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  check(String.fromCharCode(...file.slice(0, 8)) === 'NNESIMRN', 'export does not start with the magic');
  fs.writeFileSync(path.join(out, 'exported.nne'), Buffer.from(file));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === at.generation && back.allelesHash === at.allelesHash && !back.running,
    `imported at ${back.generation} (${back.allelesHash}), exported at ${at.generation} (${at.allelesHash})`);
  // The file's settings and run go on to the native result.
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const end = await status(page);
  check(end.generation === 60 && end.allelesHash === ref.alleles_sha256, `after import: ${end.allelesHash} at ${end.generation}; native ${ref.alleles_sha256}`);
  // The native command resumes the browser's file to the same end.
  const resumed = path.join(out, 'resumed.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', '-resume', path.join(out, 'exported.nne'), '-json', resumed], { stdio: 'ignore' });
  check(await new Promise((resolve) => nat.on('exit', resolve)) === 0, 'nnesim train -resume of the browser file failed');
  check(JSON.parse(fs.readFileSync(resumed, 'utf8')).alleles_sha256 === ref.alleles_sha256, 'native resume of the browser file ends elsewhere');
  // A corrupted file, chosen in the real file input, is refused with the
  // reason and the finished run stays as it was.
  const bad = Buffer.from(file);
  bad[bad.length - 5] ^= 0xff;
  await page.setInputFiles('#importfile', { name: 'broken.nne', mimeType: 'application/octet-stream', buffer: bad });
  await page.waitForSelector('#errors', { state: 'visible', timeout: 10000 });
  const msg = await page.textContent('#errors');
  check(/Import of broken.nne refused: .*checksum mismatch.*The current run was not changed/.test(msg), 'message: ' + msg);
  const after = await status(page);
  check(after.generation === 60 && after.allelesHash === end.allelesHash && after.fatal === null, 'the run changed after a refused import');
  await page.screenshot({ path: path.join(out, 'import-refused.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('the URL follows the settings and the shared link reproduces the run', async (page) => {
  await page.goto(base + '?workers=2');
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  await page.fill('input[name=seed]', '9');
  await page.fill('input[name=genes]', '3000');
  await page.fill('input[name=generations]', '20');
  await page.click('button[type=submit]');
  await waitFor(page, () => window.nnesim.status().settings && window.nnesim.status().settings.seed === '9', null, 30000);
  const link = new URL(page.url());
  for (const [k, v] of [['seed', '9'], ['genes', '3000'], ['generations', '20'], ['workers', '2'], ['preset', 'quick']]) {
    check(link.searchParams.get(k) === v, `URL ${link.search} lacks ${k}=${v}`);
  }
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const first = await status(page);
  await page.click('#share');
  await page.waitForFunction(() => /Link copied/.test(document.getElementById('share').textContent) || !document.getElementById('notices').hidden, null, { timeout: 5000 });
  // Someone opens the link.
  const other = await ctx.newPage();
  await other.goto(link.href + '&autostart=1');
  await waitFor(other, () => window.nnesim.status().done, null, 60000);
  const second = await status(other);
  await other.close();
  check(second.generation === 20 && second.allelesHash === first.allelesHash && second.workers === 2,
    `shared link: ${second.allelesHash} at ${second.generation} with ${second.workers} workers; original ${first.allelesHash}`);
});

await test('reload mid-run offers to resume, and the resumed run continues identically', async (page) => {
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
  check((await status(page)).saved.generation === 200, 'the finished run is not the one offered');
  await page.click('#discard');
  await waitFor(page, () => window.nnesim.status().discarded, null, 10000); // deleted from storage
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  await page.waitForTimeout(500);
  check(!(await page.isVisible('#resumebar')) && (await status(page)).saved === null, 'a discarded run was offered again');
});

await test('phone width: no horizontal scrolling, canvas drawn', async (page) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(base + '?autostart=1');
  await waitFor(page, () => window.nnesim.status().testAccuracy !== null && window.nnesim.status().generation >= 50, null, 30000);
  await page.waitForTimeout(500);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 360, `page is ${w} px wide at a 360 px viewport`);
  await page.screenshot({ path: path.join(out, 'phone.png'), fullPage: true });
  const shot = decodePNG(await page.locator('#view').screenshot());
  check(colorStats(shot).colors > 100, 'phone canvas looks blank');
});

await test('embedded in a sandboxed iframe: compact, posts status to the course page, storage off with a notice', async (page, errors) => {
  // The example course page embeds index.html?embed=1 in <iframe sandbox="allow-scripts">.
  await page.goto(base + 'embed-example.html?autostart=1&seed=5');
  await page.waitForSelector('#quiz', { state: 'visible', timeout: 120000 });
  const events = await page.evaluate(() => window.nnesimEvents);
  const statuses = events.filter((m) => m.type === 'nnesim:status');
  const passed = statuses.find((m) => m.testAccuracy >= 0.8);
  check(passed && passed.seed === 5 && /seed=5/.test(passed.query), 'no status event with accuracy ≥ 80% for seed 5: ' + JSON.stringify(statuses.slice(-1)));
  check(statuses.some((m) => m.generation > 0 && m.generation < passed.generation), 'no status events before 80%');
  check(await page.textContent('#at') === String(passed.generation), 'quiz shows generation ' + await page.textContent('#at'));
  const sim = page.frames().find((f) => f.url().includes('index.html?'));
  check(sim, 'no simulator frame');
  check(await sim.evaluate(() => self.origin) === 'null', 'the simulator frame is not sandboxed (origin not opaque)');
  for (const sel of ['header', '#settings', '#export', '#share']) check(!(await sim.isVisible(sel)), sel + ' shown in embed mode');
  check(await sim.isVisible('#play') && await sim.isVisible('#full'), 'play button or "Open in nnesim" link missing in embed mode');
  const notices = await sim.textContent('#notices');
  check(/Autosave is off: storage is not available/.test(notices), 'no storage notice in a sandboxed frame: ' + notices);
  // The course page's own buttons command the simulator.
  await page.click('#pause');
  await page.waitForFunction(() => { const s = window.nnesimEvents.filter((m) => m.type === 'nnesim:status'); return s.length && !s[s.length - 1].running; },
    null, { timeout: 10000 });
  await page.waitForTimeout(600);
  const g = (await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:status').pop())).generation;
  await page.waitForTimeout(1500);
  check(await sim.textContent('#status').then((t) => t.includes('Generation ' + g + ' ')), 'still running after pause: ' + await sim.textContent('#status'));
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({ type: 'nnesim:command', command: 'dance' }, '*'));
  await page.waitForFunction(() => /nnesim:command "dance": want one of start, pause, step, reset/.test(document.getElementById('log').textContent),
    null, { timeout: 5000 });
  await page.screenshot({ path: path.join(out, 'embed-sandboxed.png'), fullPage: true });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     the course page heard ${statuses.length} status events; 80% at generation ${passed.generation}`);
});

await test('hide=… leaves out groups; curves CSV, picture PNG and the embed snippet', async (page) => {
  await page.goto(base + '?hide=setings');
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  check(/hide=setings: unknown group "setings"; want some of header, controls, settings, pad/.test(await page.textContent('#errors')),
    'bad hide: ' + await page.textContent('#errors'));
  const fullHeight = (await page.locator('#view').boundingBox()).height;
  await page.goto(base + '?hide=header,pad,weights&seed=3&generations=40&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check(!(await page.isVisible('#errors')), 'error for a good hide list: ' + await page.textContent('#errors'));
  check(!(await page.isVisible('header')), 'header shown with hide=header');
  check((await page.evaluate(() => window.nnesim.padRect())).width === 0, 'pad still on the canvas with hide=pad');
  const box = await page.locator('#view').boundingBox();
  check(box.height < fullHeight, `canvas ${box.height} px high with three panels hidden, ${fullHeight} with none`);
  const s = await status(page);
  // Curves CSV: one row per evaluation, the accuracy the page shows last.
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  check(csvDl.suggestedFilename() === 'nnesim-seed3-gen40.csv', 'csv file name ' + csvDl.suggestedFilename());
  const rows = fs.readFileSync(await csvDl.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
  check(rows[0].join(',') === 'generation,seconds,test_accuracy,train_accuracy,fixed_fraction,mean_fitness', 'csv header ' + rows[0]);
  const last = rows[rows.length - 1];
  check(Number(last[0]) === 40 && Number(last[2]) === s.testAccuracy, `last csv row ${last}; page: generation 40, test accuracy ${s.testAccuracy}`);
  // Picture PNG: the canvas at device pixels, with the visible panels' pictures.
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#png')]);
  const img = decodePNG(fs.readFileSync(await pngDl.path()));
  check(Math.abs(img.width - box.width) <= 1 && Math.abs(img.height - box.height) <= 2, `png ${img.width}×${img.height}, canvas ${box.width}×${box.height}`);
  check(colorStats(img).colors > 100, 'the png looks blank');
  fs.copyFileSync(await pngDl.path(), path.join(out, 'picture-hidden.png'));
  // Embed snippet.
  await page.click('#embed');
  const snippet = await page.inputValue('#snippet');
  const src = new URL(snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&'));
  check(src.searchParams.get('embed') === '1' && src.searchParams.get('seed') === '3' && src.searchParams.get('hide') === 'header,pad,weights' &&
    !src.searchParams.has('autostart') && /^<iframe .*><\/iframe>$/.test(snippet), 'snippet: ' + snippet);
});

await ctx.closeAll();

// A phone-like browser: touch input and a device pixel ratio of 2.
const touchCtx = await launch({ viewport: { width: 412, height: 900 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
const touchName = 'touch drawing and a crisp canvas at device pixel ratio 2';
if (touchName.includes(only)) {
  const name = touchName;
  const page = touchCtx.pages()[0] || await touchCtx.newPage();
  try {
    await page.goto(base + '?autostart=1&seed=2&generations=600');
    await waitFor(page, () => window.nnesim.status().done, null, 90000);
    const r = await padInView(page);
    const cdp = await touchCtx.newCDPSession(page);
    const x = r.x + r.width / 2;
    const at = (k) => [{ x: x + k * 0.2, y: r.y + r.height * (0.15 + 0.7 * k / 12) }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
    for (let k = 1; k <= 12; k++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
    const p = (await status(page)).prediction;
    await page.locator('#view').screenshot({ path: path.join(out, 'touch-dpr2.png') });
    check(p.label === 1, 'a vertical touch stroke was read as ' + p.label);
    const shot = await page.locator('#view').screenshot({ path: path.join(out, 'touch-dpr2.png') });
    const img = decodePNG(shot);
    const box = await page.locator('#view').boundingBox();
    check(img.width === Math.round(box.width * 2), `screenshot ${img.width} px wide for a ${box.width} CSS px frame at DPR 2`);
    results.push('ok   ' + name);
  } catch (err) {
    failures++;
    results.push(`FAIL ${name}: ${err.message}`);
    await page.screenshot({ path: path.join(out, 'fail-touch.png'), fullPage: true }).catch(() => {});
  }
  console.log(results[results.length - 1]);
}
await touchCtx.closeAll();
server.stop();
console.log(failures === 0 ? `browser tests: all ${results.length} passed` : `browser tests: ${failures} of ${results.length} failed`);
process.exit(failures === 0 ? 0 : 1);
