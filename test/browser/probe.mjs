import { chromium } from 'playwright-core';
const url = process.argv[2];
const secs = Number(process.argv[3] || 15);
const ctx = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader'] });
const page = await ctx.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
await page.goto(url);
for (let i = 0; i < secs; i += 3) {
  await page.waitForTimeout(3000);
  const s = await page.evaluate(() => window.nnesim.status());
  console.log(JSON.stringify({g: s.generation, acc: s.testAccuracy, rate: s.gensPerSecond, w: s.workers, fps: s.fps, t: s.timing, n: s.notices, e: s.errors, f: s.fatal, h: s.allelesHash && s.allelesHash.slice(0, 8)}));
}
await ctx.close();
