// soak.mjs leaves the page running as a lecture does: a race of all six
// rules on digits 0-9, with stops far enough away that every run trains
// the whole time, in Debian's headless Chromium. Every minute it samples
// the tab's private memory (the renderer processes' Private_Clean +
// Private_Dirty), their resident memory, the runs' wasm memory, the
// page's JS heap, the frame rate (the page's median over the last
// minute) and the console. It writes docs/results-soak/soak.json and
// soak.svg (the curves), whose figures nnesim results puts in
// docs/PERFORMANCE.md, and prints the targets: no console error,
// a median frame rate of at least 30, and the private memory growing by
// at most 50 MB over the last 40 minutes.
//
//   ./build.sh soak                       (build, then this; an hour)
//   SOAK_MINUTES=10 node test/browser/soak.mjs
//   SOAK_OUT=DIR node test/browser/soak.mjs    (write to another folder)
//   SOAK_QUERY=hide=weights node …           (more URL parameters)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, serve, launch, tabMemory } from './harness.mjs';

const minutes = Number(process.env.SOAK_MINUTES) || 60;
const outDir = process.env.SOAK_OUT || path.join(root, 'docs/results-soak');
const query = 'algo=nne,nne-signsgd,dnn,signsgd,sgd,sgd:net=dense&digits=0-9&generations=1000000&epochs=10000&autostart=1' + (process.env.SOAK_QUERY ? '&' + process.env.SOAK_QUERY : '');

const server = await serve();
const ctx = await launch();
const errors = [];
const samples = [];
try {
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push({ minute: samples.length, text: m.text() }); });
  page.on('pageerror', (e) => errors.push({ minute: samples.length, text: e.message }));
  const cdp = await ctx.newCDPSession(page);
  await page.goto(server.base + '?' + query);
  await page.waitForFunction(() => window.nnesim && window.nnesim.status().runs.length === 6 && window.nnesim.status().running, null, { timeout: 180000, polling: 500 });
  const t0 = Date.now();
  for (let m = 1; m <= minutes; m++) {
    await page.waitForTimeout(Math.max(0, t0 + m * 60000 - Date.now()));
    const mem = tabMemory();
    const st = await page.evaluate(() => window.nnesim.status());
    const heap = await cdp.send('Runtime.getHeapUsage').catch(() => null);
    const s = {
      minute: m, private_bytes: mem.private, rss_bytes: mem.rss, wasm_bytes: st.memoryBytes, app_wasm_bytes: st.appMemoryBytes, js_heap_bytes: heap ? heap.usedSize : null,
      fps_median: st.fpsMedian, fps_seconds: st.fpsSeconds, running: st.running,
      runs: st.runs.map((r) => ({ label: r.label, unit: r.unit, step: r.step, test_accuracy: r.testAccuracy, wasm_bytes: r.memoryBytes || 0 })),
    };
    samples.push(s);
    console.log(`${m} min: private ${(s.private_bytes / 2 ** 20).toFixed(0)} MiB, RSS ${(s.rss_bytes / 2 ** 20).toFixed(0)} MiB, wasm ${(s.wasm_bytes / 2 ** 20).toFixed(0)} MiB (the canvas app ${(s.app_wasm_bytes / 2 ** 20).toFixed(0)} MiB), ` +
      `JS heap ${heap ? (heap.usedSize / 2 ** 20).toFixed(0) : '?'} MiB, ${s.fps_median === null ? '?' : s.fps_median.toFixed(1)} fps; ` +
      s.runs.map((r) => `${r.label} ${r.unit} ${r.step} ${(100 * r.test_accuracy).toFixed(1)}%`).join(', '));
  }
} finally {
  await ctx.closeAll();
  server.stop();
}

fs.mkdirSync(outDir, { recursive: true });
const result = { query, minutes, date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', cores: os.cpus().length, samples, errors };
fs.writeFileSync(path.join(outDir, 'soak.json'), JSON.stringify(result, null, 1) + '\n');
fs.writeFileSync(path.join(outDir, 'soak.svg'), svg(samples));

const last = samples[samples.length - 1], from = samples.find((s) => s.minute === Math.max(1, minutes - 40));
const growth = (last.private_bytes - from.private_bytes) / 1e6;
const fps = samples.map((s) => s.fps_median).filter((x) => x !== null).sort((a, b) => a - b);
const median = fps.length ? fps[Math.floor(fps.length / 2)] : null;
console.log(`soak, ${minutes} min: ${errors.length} console errors (target 0); median frame rate ${median === null ? '?' : median.toFixed(1)} (target ≥ 30); ` +
  `private memory ${(from.private_bytes / 2 ** 20).toFixed(0)} MiB at minute ${from.minute}, ${(last.private_bytes / 2 ** 20).toFixed(0)} MiB at minute ${last.minute}: +${growth.toFixed(0)} MB (target ≤ 50)`);
console.log('wrote ' + path.join(outDir, 'soak.json') + ' and soak.svg');

// svg draws the tab's private memory (MiB, left axis) and the frame rate
// (fps, right axis) against minutes.
function svg(rows) {
  const W = 640, H = 300, L = 60, R = 50, T = 20, B = 40;
  const maxM = Math.max(...rows.map((r) => r.minute)), maxMem = Math.max(...rows.map((r) => r.private_bytes / 2 ** 20)) * 1.1;
  const maxF = 60;
  const x = (m) => L + (W - L - R) * m / maxM;
  const y = (v, top) => T + (H - T - B) * (1 - v / top);
  const line = (pts, color) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([a, b]) => a.toFixed(1) + ',' + b.toFixed(1)).join(' ')}"/>`;
  const mem = rows.map((r) => [x(r.minute), y(r.private_bytes / 2 ** 20, maxMem)]);
  const fpsPts = rows.filter((r) => r.fps_median !== null).map((r) => [x(r.minute), y(r.fps_median, maxF)]);
  const ticks = [];
  for (let k = 0; k <= 4; k++) {
    const v = maxMem * k / 4, f = maxF * k / 4;
    ticks.push(`<text x="${L - 6}" y="${y(v, maxMem) + 4}" text-anchor="end">${v.toFixed(0)}</text>`,
      `<text x="${W - R + 6}" y="${y(f, maxF) + 4}">${f.toFixed(0)}</text>`,
      `<line x1="${L}" x2="${W - R}" y1="${y(v, maxMem)}" y2="${y(v, maxMem)}" stroke="#e5e7eb"/>`);
  }
  for (let m = 0; m <= maxM; m += Math.max(1, Math.round(maxM / 6))) ticks.push(`<text x="${x(m)}" y="${H - B + 16}" text-anchor="middle">${m}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11" fill="#374151">
<rect width="${W}" height="${H}" fill="white"/>
${ticks.join('\n')}
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#9ca3af"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#9ca3af"/>
${line(mem, '#2563eb')}
${line(fpsPts, '#d97706')}
<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">minutes of a six-rule race on 0-9</text>
<text x="${L}" y="${T - 6}" fill="#2563eb">the tab's private memory, MiB</text>
<text x="${W - R}" y="${T - 6}" text-anchor="end" fill="#d97706">median frame rate, fps</text>
</svg>
`;
}
