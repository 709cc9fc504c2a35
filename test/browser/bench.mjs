// bench.mjs measures the browser engine against native Go in one run and
// prints the figures of the worker issue:
//   1. native ms/generation of the quick and paper presets, 1 and 2
//      goroutines (go test -bench PresetGeneration ./core/train);
//   2. public/bench.html in headless Chromium: gen/s for K = 1, 2 workers,
//      the slowest slice, and the coordinator's share of a generation;
//   3. the simulator page with 2 workers on digits 0-4 (quick preset):
//      time to 90% test accuracy, and the frame rate while training.
//   4. the lifetime rules in the page on digits 0-9 with their defaults:
//      time to the paper's accuracy (DNN 85%, SGD of Table 2 88%).
//
//   node test/browser/bench.mjs        (after ./build.sh; ./build.sh bench-browser)
// PRESETS=quick to skip the (slow) paper preset.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, serve, launch } from './harness.mjs';

const out = path.join(root, 'test/browser/out');
fs.mkdirSync(out, { recursive: true });
const presets = (process.env.PRESETS || 'quick,paper').split(',');

// 1. Native.
const native = {};
for (const preset of presets) {
  const times = preset === 'paper' ? '3x' : '200x';
  const outp = execFileSync('go', ['test', './core/train', '-run', '^$', '-bench', `PresetGeneration/${preset}/`, '-benchtime', times],
    { cwd: root, encoding: 'utf8' });
  for (const m of outp.matchAll(/PresetGeneration\/(\w+)\/threads=(\d+)\S*\s+\d+\s+(\d+) ns\/op/g)) {
    native[`${m[1]}/${m[2]}`] = Number(m[3]) / 1e6;
  }
}

const server = await serve();
const base = server.base;
const ctx = await launch();

try {
  // 2. The engine alone.
  const page = await ctx.newPage();
  await page.goto(base + `bench.html?presets=${presets.join(',')}&workers=1,2`);
  await page.waitForFunction(() => window.nnesimBench && window.nnesimBench.done, null, { timeout: 15 * 60 * 1000, polling: 500 });
  const bench = await page.evaluate(() => window.nnesimBench);
  if (bench.error) throw new Error('bench page: ' + bench.error);
  await page.screenshot({ path: path.join(out, 'bench.png'), fullPage: true });
  await page.close();

  console.log('preset  workers  browser ms/gen  gen/s   native ms/gen (threads)  browser/native  slowest slice ms  coordinator share');
  const by = {};
  for (const r of bench.rows) {
    by[`${r.preset}/${r.workers}`] = r;
    const nat = native[`${r.preset}/${r.workers}`];
    const ms = 1000 / r.gensPerSecond;
    console.log(`${r.preset.padEnd(7)} ${String(r.workers).padStart(7)}  ${ms.toFixed(1).padStart(14)}  ${r.gensPerSecond.toFixed(2).padStart(6)}  ${(nat ? nat.toFixed(1) : '?').padStart(16)} (${r.workers})  ${nat ? (nat / ms).toFixed(2).padStart(14) : ''}  ${r.computeMs.toFixed(1).padStart(16)}  ${(100 * r.coordinatorShare).toFixed(2).padStart(16)}%`);
  }
  for (const p of presets) {
    const a = by[`${p}/1`], b = by[`${p}/2`];
    if (a && b) console.log(`${p}: 2 workers / 1 worker = ${(b.gensPerSecond / a.gensPerSecond).toFixed(2)}x; wasm 1 worker vs native 1 thread = ${(native[`${p}/1`] * a.gensPerSecond / 1000).toFixed(2)}x`);
  }

  // 3. The page as a person sees it.
  const app = await ctx.newPage();
  const t0 = Date.now();
  await app.goto(base + '?workers=2&autostart=1');
  await app.waitForFunction(() => window.nnesim && window.nnesim.status().testAccuracy >= 0.9, null, { timeout: 180000, polling: 100 });
  const wall = (Date.now() - t0) / 1000;
  const s = await app.evaluate(() => window.nnesim.status());
  console.log(`page, quick preset (digits 0-4), 2 workers: 90% test accuracy (${(100 * s.testAccuracy).toFixed(1)}%) at generation ${s.generation}, ` +
    `${s.seconds.toFixed(1)} s of training, ${wall.toFixed(1)} s after opening the page; frame rate while training: median ${s.fpsMedian === null ? '?' : s.fpsMedian.toFixed(1)} fps over ${s.fpsSeconds} s; snapshot interval ${s.snapshotMs} ms`);
  await app.close();

  // 4. The lifetime rules in the page, digits 0-9 with their defaults
  // (h = 1000, minibatches of 50), evaluated every epoch: time from
  // opening the page to the paper-level accuracy.
  for (const [q, target, what] of [['algo=dnn&digits=0-9&eval-every=1', 0.85, 'DNN (ours)'],
    ['algo=sgd&net=dense&digits=0-9&eval-every=1', 0.88, 'SGD (Table 2)']]) {
    const rule = await ctx.newPage();
    const r0 = Date.now();
    await rule.goto(base + '?' + q + '&autostart=1');
    await rule.waitForFunction((t) => window.nnesim && window.nnesim.status().testAccuracy >= t, target, { timeout: 300000, polling: 100 });
    const rs = await rule.evaluate(() => window.nnesim.status());
    console.log(`page, ${what} on 0-9: ${(100 * target).toFixed(0)}% test accuracy (${(100 * rs.testAccuracy).toFixed(1)}%) at epoch ${rs.generation}, ` +
      `${rs.seconds.toFixed(1)} s of training, ${((Date.now() - r0) / 1000).toFixed(1)} s after opening the page`);
    await rule.close();
  }
} finally {
  await ctx.closeAll();
  server.stop();
}
