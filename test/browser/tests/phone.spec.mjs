// phone.spec.mjs: A phone (390×844, touch, device scale 3): a race, an own dataset, the first screen and touch, a sandboxed embed; and touch at device pixel ratio 2.
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, status, waitFor, padInView, panelsOf, centre, scrollYOf, touchStroke, swipe, host, invertedDataset, decodePNG } from '../common.mjs';

test('a race on a phone: no horizontal scrolling, tabs and every run\'s row on the pad', async ({ page, errors }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(base + '?algo=nne,dnn,sgd&digits=0-4&per-digit=40&hidden=60&epochs=2&generations=40&autostart=1');
  await waitFor(page, () => window.nnesim.status().done && window.nnesim.status().runs.length === 3, null, 90000);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 360, `page is ${w} px wide at a 360 px viewport`);
  check(await page.isVisible('#tabs'), 'no tabs on the phone');
  // The pad answers with a row per run.
  const r = await padInView(page);
  await touchStroke(page, Array.from({ length: 5 }, (_, k) => ({ x: r.x + r.width / 2, y: r.y + r.height * (0.15 + 0.7 * k / 4) })));
  await waitFor(page, () => window.nnesim.status().predictions.every((p) => p !== null), null, 5000);
  await page.screenshot({ path: path.join(out, 'race-phone.png'), fullPage: true });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('Own dataset on a phone: the Dataset… button reads the four files chosen, and Use MNIST goes back', async ({ page, errors }) => {
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
});

test('phone: settings folded, pad and curve on the first screen; a swipe off the pad scrolls, the first touch on the pad draws where it touched', async ({ page, errors }) => {
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
  await touchStroke(page, Array.from({ length: 5 }, (_, k) => ({ x, y: r.y + r.height * (0.2 + 0.15 * k) })));
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
});

test('phone, sandboxed embed: a swipe over the canvas off the pad scrolls the course page; a touch on the pad does not', async ({ page, errors }) => {
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
});

// A phone-like browser: touch input and a device pixel ratio of 2.
test.describe(() => {
  test.use({ viewport: { width: 412, height: 900 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  test('touch drawing and a crisp canvas at device pixel ratio 2', async ({ page }) => {
    await page.goto(base + '?autostart=1&seed=2&generations=600');
    await waitFor(page, () => window.nnesim.status().done, null, 90000);
    const r = await padInView(page);
    const x = r.x + r.width / 2;
    await touchStroke(page, Array.from({ length: 5 }, (_, k) => ({ x: x + k * 0.6, y: r.y + r.height * (0.15 + 0.7 * k / 4) })));
    await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
    const p = (await status(page)).prediction;
    await page.locator('#view').screenshot({ path: path.join(out, 'touch-dpr2.png') });
    check(p.label === 1, 'a vertical touch stroke was read as ' + p.label);
    const shot = await page.locator('#view').screenshot({ path: path.join(out, 'touch-dpr2.png') });
    const img = decodePNG(shot);
    const box = await page.locator('#view').boundingBox();
    check(img.width === Math.round(box.width * 2), `screenshot ${img.width} px wide for a ${box.width} CSS px frame at DPR 2`);
  });
});
