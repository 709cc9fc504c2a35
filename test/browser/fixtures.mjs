// fixtures.mjs is the browser tests' `test`: @playwright/test's, with
//   - a context whose pages have seen the first-visit tour (so that it
//     covers nothing the tests click), unless the test file sets
//     test.use({ firstVisit: true });
//   - `errors`: the page's console errors, page errors and a Go runtime's
//     panic (wasm_exec.js prints it with console.log), for the tests that
//     check there were none;
//   - a watch for Content-Security-Policy violations in the page (frames
//     and workers included): the page must work under the policy nnesim
//     serve sends, so a test that saw one fails.
import { test as base } from '@playwright/test';

export const test = base.extend({
  firstVisit: [false, { option: true }],

  context: async ({ context, firstVisit }, use) => {
    if (!firstVisit) await context.addInitScript(() => { try { localStorage.setItem('nnesim-tour', 'done'); } catch (err) { /* storage off */ } });
    await use(context);
  },

  errors: [async ({ page }, use, testInfo) => {
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error' || /^(panic|fatal error|goroutine \d|\S+\.go:\d+)/.test(m.text())) errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push('page error: ' + e.message));
    await use(errors);
    if (testInfo.status !== testInfo.expectedStatus && errors.length) {
      await testInfo.attach('console errors', { body: errors.join('\n'), contentType: 'text/plain' });
      console.log('     console errors: ' + errors.slice(0, 3).join(' | ').slice(0, 2000));
    }
  }, { auto: true }],

  cspViolations: [async ({ page }, use) => {
    const seen = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) seen.push(m.text()); });
    await use(seen);
    if (seen.length) throw new Error('Content-Security-Policy violations: ' + seen.slice(0, 5).join(' | '));
  }, { auto: true }],
});
