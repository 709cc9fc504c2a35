// theory.spec.mjs: The Theory view (theory.html): Theorem 2's linear
// target run live, as nnesim linear runs it; its settings, buttons, ⓘ
// and audit; and on a phone.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { root, out, base, check, waitFor, axe } from '../common.mjs';

const where = (page) => page.textContent('#where');
const cosOf = (text) => Number((/cos\(W·p, a\) (-?[\d.]+)/.exec(text) || [])[1]);

test('the Theory view: cos(W·p, a) rises as nnesim linear\'s does, to the same value; bad settings are named; Step, Apply, Reset and ⓘ work; no audit violation', async ({ page, errors }) => {
  // nnesim linear prints cos(W·p, a) to four decimals at generation 200.
  const native = execFileSync(path.join(root, 'bin/nnesim'), ['linear', '-generations', '200', '-every', '200'], { encoding: 'utf8' });
  const want = Number(/gen\s+200\s+cos\(W·p, a\) ([\d.]+)/.exec(native)[1]);
  await page.goto(base + 'theory.html?generations=200&bogus=1&genes=0');
  await waitFor(page, () => /generation 0 of 200/.test(document.getElementById('where').textContent), null, 30000);
  const said = await page.textContent('#errors');
  check(/"bogus" is not a setting/.test(said) && /genes="0": want a whole number from 1 to 4000/.test(said), 'the errors box said: ' + said);
  check(new URL(page.url()).search === '?generations=200', 'the link kept ' + page.url());
  const start = cosOf(await where(page));
  await page.selectOption('#speed', '0');
  await page.click('#play');
  await waitFor(page, () => /generation 200 of 200/.test(document.getElementById('where').textContent), null, 60000);
  const got = cosOf(await where(page));
  check(Math.abs(got - want) < 0.0006 && got > 0.9 && start < 0.6, `cos ${start} → ${got}; nnesim linear: ${want}`);
  check(/Stopped at generation 200/.test(await page.textContent('#said')), 'the screen reader line: ' + await page.textContent('#said'));
  check((await page.textContent('#play')) === 'Play', 'Play did not come back at the stop');
  await page.screenshot({ path: path.join(out, 'theory.png'), fullPage: true });
  // Apply: the form's settings become the run and the link.
  check(JSON.stringify(await page.$$eval('select[name="scale"] option', (o) => o.map((x) => x.value))) === '["raw","fanin","sign"]', 'the scale menu');
  await page.fill('input[name="genes"]', '10');
  await page.fill('input[name="generations"]', '50');
  await page.click('#settings button[type="submit"]');
  await waitFor(page, () => /generation 0 of 50/.test(document.getElementById('where').textContent), null, 10000);
  const search = new URL(page.url()).search;
  check(/genes=10/.test(search) && /generations=50/.test(search) && (await page.textContent('#errors')) === '', 'after Apply: ' + page.url());
  // Step runs one generation; Reset goes back to 0 with the same settings.
  await page.click('#stepone');
  await waitFor(page, () => /generation 1 of 50/.test(document.getElementById('where').textContent), null, 10000);
  await page.click('#reset');
  await waitFor(page, () => /generation 0 of 50/.test(document.getElementById('where').textContent), null, 10000);
  // The ⓘ shows the panel's explanation (Go's render.TheoryExplanations).
  const info = page.locator('button.info[data-panel="1"]');
  await info.click();
  check((await info.getAttribute('aria-expanded')) === 'true', 'the ⓘ did not expand');
  check(/Allele frequencies/.test(await page.locator('figure').nth(1).locator('.about').textContent()), 'no explanation shown');
  // A canvas was drawn: not one colour.
  const colours = await page.evaluate(() => {
    const c = document.getElementById('curve');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] << 16 | d[i + 1] << 8 | d[i + 2]);
    return seen.size;
  });
  check(colours > 3, 'the curve canvas has ' + colours + ' colours');
  const v = await axe(page);
  check(v.length === 0, 'axe: ' + v.join(' | '));
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test.describe(() => {
  test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  test('the Theory view on a phone: no horizontal scrolling, touch targets of 44 px, and a tap on Play runs it', async ({ page, errors }) => {
    await page.goto(base + 'theory.html');
    await waitFor(page, () => /generation 0 of/.test(document.getElementById('where').textContent), null, 30000);
    check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page scrolls sideways');
    const small = await page.evaluate(() => Array.from(document.querySelectorAll('button, select, input'))
      .filter((e) => e.offsetParent !== null)
      .map((e) => { const b = e.getBoundingClientRect(); return {what: e.id || e.name || e.textContent.trim(), w: b.width, h: b.height}; })
      .filter((b) => b.h < 44 || b.w < 44));
    check(small.length === 0, 'touch targets under 44 px: ' + JSON.stringify(small));
    await page.tap('#play');
    await waitFor(page, () => /generation [1-9]\d* of/.test(document.getElementById('where').textContent), null, 20000);
    await page.screenshot({ path: path.join(out, 'theory-phone.png') });
    check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  });
});
