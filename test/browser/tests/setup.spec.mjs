// setup.spec.mjs: the project "setup", which every other project depends
// on, checks that the site is served; its teardown is the project "alone"
// (see playwright.config.mjs).
import { test } from '../fixtures.mjs';
import { base, check } from '../common.mjs';

test('nnesim serve answers with the page and its service worker', async ({ request }) => {
  for (const f of ['', 'sw.js', 'app.html']) {
    const res = await request.get(base + f);
    check(res.ok(), `${base + f}: HTTP ${res.status()}`);
  }
});
