// a11y.spec.mjs: Accessibility: the screen reader's live region, the panels' explanations and text alternatives with axe-core audits, How it works, and dark mode.
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, status, waitFor, padInView, appFrameOf, axe, decodePNG, colorStats } from '../common.mjs';

test('a screen reader hears milestones from one polite live region, a sentence every few seconds at most', async ({ page, errors }) => {
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

test('every panel explains itself (ⓘ), says what it shows in words that follow the run, and passes an accessibility audit with the keyboard', async ({ page }) => {
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
  for (let k = 1; k <= 4; k++) await page.mouse.move(r.x + r.width / 2 + k * 0.9, r.y + r.height * (0.15 + 0.7 * k / 4));
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
  // the page and in the canvas frame (axe audits the page's frames too).
  const v = await axe(page);
  check(v.length === 0, 'axe-core: ' + v.join(' | '));
});

test('How it works: the paper\'s equations in MathML, linked from the header, with the paper; no serious accessibility violation', async ({ page }) => {
  await page.goto(base);
  await page.click('text=How it works');
  await page.waitForURL(/how\.html/);
  const maths = await page.locator('math').count();
  check(maths >= 7, maths + ' MathML formulas');
  const text = await page.textContent('main');
  for (const w of ['(3)', '(4)', 'weak selection', 'dopamine', 'SignSGD', 'Adam']) check(text.includes(w), 'How it works lacks ' + w);
  check(await page.locator('a[href="https://openreview.net/forum?id=B1eh4mYIUB"]').count() >= 1, 'no link to the paper');
  await page.screenshot({ path: path.join(out, 'how.png'), fullPage: true });
  const v = await axe(page);
  check(v.length === 0, 'axe-core: ' + v.join(' | '));
});

// Dark mode: a browser whose system prefers it.
test.describe(() => {
  test.use({ colorScheme: 'dark' });
  test('dark mode follows the system: dark panels, curves that still contrast; the theme button is remembered', async ({ page }) => {
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
  });
});
