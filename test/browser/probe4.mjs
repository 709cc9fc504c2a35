import { chromium } from 'playwright-core';
import fs from 'node:fs';
const url = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
const page = await browser.newPage();
await page.goto(url);
await page.waitForFunction(() => window.nnesim && window.nnesim.status().ready && window.nnesim.status().settings);
await page.evaluate(() => window.nnesim.start());
await page.waitForTimeout(2000);
await browser.startTracing(page, { path: '/tmp/trace.json', categories: ['devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-devtools.timeline', 'gpu', 'cc', 'viz'] });
await page.waitForTimeout(3000);
await browser.stopTracing();
await browser.close();
const t = JSON.parse(fs.readFileSync('/tmp/trace.json'));
const ev = t.traceEvents || t;
const names = {};
for (const e of ev) if (e.name === 'thread_name') names[e.pid + ':' + e.tid] = e.args.name;
const sum = {};
for (const e of ev) {
  if (e.ph !== 'X' || !e.dur) continue;
  const th = names[e.pid + ':' + e.tid] || (e.pid + ':' + e.tid);
  const k = th + ' | ' + e.name;
  sum[k] = (sum[k] || 0) + e.dur / 1000;
}
Object.entries(sum).sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, v]) => console.log(v.toFixed(0).padStart(7), k));
