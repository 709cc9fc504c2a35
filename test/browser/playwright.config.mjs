// playwright.config.mjs runs the browser tests (tests/*.spec.mjs) with
// @playwright/test in Debian's headless Chromium, against one nnesim
// serve of public/ (global-setup.mjs):
//
//   npx playwright test -c test/browser/playwright.config.mjs            (after ./build.sh; ./build.sh test runs it)
//   npx playwright test -c test/browser/playwright.config.mjs --no-deps -g embed   (only the tests whose name has "embed")
//   npx playwright test -c test/browser/playwright.config.mjs --no-deps tests/race.spec.mjs  (one file)
//   NNESIM_TEST_WORKERS=1 npx playwright test -c …                       (one test at a time; the default is 2)
//
// The tests that must have the machine to themselves (tests/alone.spec.mjs:
// two time the page's load, one rewrites public/sw.js) are the project
// "alone", the teardown of "setup": it runs once every other project has
// finished, failed or not. --no-deps leaves setup and alone out unless
// they are asked for (with -g, a file or --project).
//
// Screenshots the tests take go to test/browser/out/; the HTML report to
// out/report, and each failed test's trace and screenshot to out/results.
import { defineConfig } from '@playwright/test';

const desktop = { viewport: { width: 1400, height: 900 } };
// A phone: 390×844 CSS px, touch, device scale 3.
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };

export default defineConfig({
  testDir: 'tests',
  outputDir: 'out/results',
  globalSetup: './global-setup.mjs',
  // Generous: each test bounds its own waits (some up to 10 minutes, as
  // the quick10 run's), as under the old sequential runner.
  timeout: 15 * 60 * 1000,
  workers: Number(process.env.NNESIM_TEST_WORKERS || 2),
  fullyParallel: true,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['html', { outputFolder: 'out/report', open: 'never' }], ['./slowest.mjs']],
  use: {
    browserName: 'chromium',
    headless: true,
    // Never a downloaded browser: Debian's Chromium, software GL.
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // playwright-core's defaults, which the tests were written against.
    actionTimeout: 30000,
    navigationTimeout: 30000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'setup', testMatch: /setup\.spec\.mjs/, teardown: 'alone', use: desktop },
    { name: 'desktop', testIgnore: /(setup|phone|embed|alone)\.spec\.mjs/, dependencies: ['setup'], use: desktop },
    { name: 'phone', testMatch: /phone\.spec\.mjs/, dependencies: ['setup'], use: phone },
    // A course page's sandboxed iframe, on a desktop.
    { name: 'embed', testMatch: /embed\.spec\.mjs/, dependencies: ['setup'], use: desktop },
    // Timed tests: one retry, so that a single slow moment of a loaded
    // machine is reported as flaky rather than failing the run.
    { name: 'alone', testMatch: /alone\.spec\.mjs/, workers: 1, retries: 1, use: desktop },
  ],
});
