// tour.spec.mjs: A first visit: the tour, and where it is skipped.
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, waitFor, launch } from '../common.mjs';

test.describe(() => {
  test.use({ firstVisit: true });
  test('a first visit gets the tour (pointing at each step\'s panel), which is remembered; tour=0 and embeds skip it', async ({ page }) => {
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
  });
});

test('embeds skip the tour unless tour=1; tour=0 and autostart=1 skip it on a first visit; it lets strokes through', async () => {
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
});
