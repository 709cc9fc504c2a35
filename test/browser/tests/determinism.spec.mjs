// determinism.spec.mjs: The same run as the native command: any number of workers, a worker that dies, export and import, the quick10 preset, and the worker benchmark page.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { root, out, base, check, status, waitFor, native } from '../common.mjs';

test('same seed, same run as the native command, for 1, 2 and 4 workers', async ({ page }) => {
  const ref = await native('-generations', '20', '-eval-every', '10', '-seed', '5');
  for (const k of [1, 2]) {
    await page.goto(base + `?generations=20&seed=5&workers=${k}&autostart=1`);
    await waitFor(page, () => window.nnesim.status().done, null, 60000);
    const s = await status(page);
    check(s.workers === k, `asked for ${k} workers, status has ${s.workers}`);
    // Chromium has WebAssembly SIMD: the hash below is then the SIMD kernel's.
    check(s.kernel === 'wasm-simd128', `${k} workers: the page ran the ${s.kernel} kernel, not wasm-simd128`);
    check(s.generation === 20 && !s.running, `${k} workers: stopped at ${s.generation}, running ${s.running}`);
    check(s.allelesHash === ref.alleles_sha256, `${k} workers: browser ${s.allelesHash} vs native ${ref.alleles_sha256}`);
    check(Math.abs(s.testAccuracy - ref.test_accuracy) < 1e-12, `${k} workers: test accuracy ${s.testAccuracy} vs native ${ref.test_accuracy}`);
  }
  // Four workers, one step() at a time: each step is exactly one generation.
  await page.goto(base + '?generations=20&seed=5&workers=4');
  await waitFor(page, () => window.nnesim.status().settings && window.nnesim.status().workers === 4, null, 30000);
  for (let g = 1; g <= 20; g++) {
    await page.evaluate(() => window.nnesim.step());
    await waitFor(page, (g) => window.nnesim.status().generation === g && !window.nnesim.status().running, g, 10000);
    if (g === 10) {
      // Half-way, Workers 4 → 2 and Apply: the run goes on with 2.
      await page.evaluate(() => { document.getElementById('more').open = true; });
      await page.fill('#settings input[name=workers]', '2');
      await page.click('#settings button[type=submit]');
      await waitFor(page, () => window.nnesim.status().workers === 2, null, 30000);
      check((await status(page)).generation === 10, 'a new number of workers started the run over');
    }
  }
  await page.waitForTimeout(300);
  const s = await status(page);
  check(s.generation === 20 && s.done, `after 20 steps: generation ${s.generation}, done ${s.done}`);
  check(s.allelesHash === ref.alleles_sha256, `4 then 2 workers, stepped: ${s.allelesHash} vs native ${ref.alleles_sha256}`);
});

test('a worker that dies or throws is replaced and the run stays identical', async ({ page, errors }) => {
  const ref = await native('-generations', '200', '-eval-every', '50', '-seed', '4');
  await page.goto(base + '?generations=200&seed=4&workers=2&autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 30, null, 60000);
  await page.evaluate(() => document.getElementById('view').contentWindow.nnesimEngine.testHooks.killWorker(1));
  await waitFor(page, () => window.nnesim.status().notices.length >= 1, null, 30000);
  const g = (await status(page)).generation;
  check(g < 200, 'the run ended before the kill was noticed');
  await page.evaluate(() => document.getElementById('view').contentWindow.nnesimEngine.testHooks.throwInWorker(0));
  await waitFor(page, () => window.nnesim.status().notices.length >= 2, null, 30000);
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const s = await status(page);
  check(/worker 2 stopped answering/.test(s.notices[0]) && /re-ran its slice/.test(s.notices[0]), 'kill notice: ' + s.notices[0]);
  check(/worker 1 threw an error/.test(s.notices[1]), 'throw notice: ' + s.notices[1]);
  check(s.fatal === null && s.generation === 200 && s.workers === 2, 'status ' + JSON.stringify(s));
  check(s.allelesHash === ref.alleles_sha256, `after faults: ${s.allelesHash} vs native ${ref.alleles_sha256}`);
  check(await page.isVisible('#notices'), 'the notice is not shown on the page');
  await page.screenshot({ path: path.join(out, 'worker-replaced.png') });
  console.log('     ' + s.notices.join('\n     '));
  check(errors.filter((e) => !/test hook/.test(e)).length === 0, 'console errors: ' + errors.join(' | '));
});

test('export then import continues the same run; a corrupted file is refused', async ({ page, errors }) => {
  const ref = await native('-generations', '60', '-eval-every', '10', '-seed', '6');
  await page.goto(base + '?generations=60&seed=6&autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 20, null, 60000);
  await page.evaluate(() => window.nnesim.pause());
  await page.waitForTimeout(500);
  const at = await status(page);
  // Export, start over, import: the run is back at the same generation and p.
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  check(String.fromCharCode(...file.slice(0, 8)) === 'NNESIMRN', 'export does not start with the magic');
  fs.writeFileSync(path.join(out, 'exported.nne'), Buffer.from(file));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === at.generation && back.allelesHash === at.allelesHash && !back.running,
    `imported at ${back.generation} (${back.allelesHash}), exported at ${at.generation} (${at.allelesHash})`);
  // The file's settings and run go on to the native result.
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const end = await status(page);
  check(end.generation === 60 && end.allelesHash === ref.alleles_sha256, `after import: ${end.allelesHash} at ${end.generation}; native ${ref.alleles_sha256}`);
  // The native command resumes the browser's file to the same end.
  const resumed = path.join(out, 'resumed.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', '-resume', path.join(out, 'exported.nne'), '-json', resumed], { stdio: 'ignore' });
  check(await new Promise((resolve) => nat.on('exit', resolve)) === 0, 'nnesim train -resume of the browser file failed');
  check(JSON.parse(fs.readFileSync(resumed, 'utf8')).alleles_sha256 === ref.alleles_sha256, 'native resume of the browser file ends elsewhere');
  // A corrupted file, chosen in the real file input, is refused with the
  // reason and the finished run stays as it was.
  const bad = Buffer.from(file);
  bad[bad.length - 5] ^= 0xff;
  await page.setInputFiles('#importfile', { name: 'broken.nne', mimeType: 'application/octet-stream', buffer: bad });
  await page.waitForSelector('#errors', { state: 'visible', timeout: 10000 });
  const msg = await page.textContent('#errors');
  check(/Import of broken.nne refused: .*checksum mismatch.*The current run was not changed/.test(msg), 'message: ' + msg);
  const after = await status(page);
  check(after.generation === 60 && after.allelesHash === end.allelesHash && after.fatal === null, 'the run changed after a refused import');
  await page.screenshot({ path: path.join(out, 'import-refused.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('ten digits on a preset made for five offer quick10', async ({ page, errors }) => {
  await page.goto(base + '?preset=quick&digits=0-9');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  await page.waitForSelector('#hint', { state: 'visible', timeout: 10000 });
  const hint = await page.textContent('#hint');
  check(/quick preset is tuned for 5 digits; for 10, choose quick10 under Preset/.test(hint), 'hint: ' + hint);
  await page.goto(base + '?preset=quick10');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  await page.waitForTimeout(500);
  check(!(await page.isVisible('#hint')) || !/tuned for/.test(await page.textContent('#hint')), 'quick10 on ten digits got advice');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('the quick10 preset learns all ten digits with every class kept, as the native command', async ({ page, errors }) => {
  const gens = 2000; // 80.1% natively, every class's recall ≥ 0.58
  const ref = await native('-preset', 'quick10', '-generations', String(gens), '-eval-every', '500');
  check(ref.test_accuracy >= 0.8 && Math.min(...ref.per_class_recall) >= 0.5, `native quick10: ${ref.test_accuracy}, recall ${ref.per_class_recall}`);
  const t0 = Date.now();
  await page.goto(base + `?preset=quick10&generations=${gens}&workers=2&autostart=1`);
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.evaluate(() => { document.getElementById('more').open = true; });
  const form = await page.evaluate(() => {
    const f = document.getElementById('settings').elements;
    return {preset: f.preset.value, presets: Array.from(f.preset.options).map((o) => o.value), fitness: f.fitness.value,
      fitnessTitle: f.fitness.selectedOptions[0] && f.fitness.selectedOptions[0].textContent, fitnessShown: !f.fitness.closest('label').hidden, genes: f.genes.value};
  });
  check(form.preset === 'quick10' && form.presets.join(',') === 'quick,quick10,demo,paper' && form.fitness === 'outrank' && /outrank/.test(form.fitnessTitle) && form.fitnessShown && form.genes === '8000',
    'form: ' + JSON.stringify(form));
  const st = (await status(page)).settings;
  check(st.fitness === 'outrank' && st.digits === '0-9' && st.beta === '0.00125', 'settings ' + JSON.stringify(st));
  await waitFor(page, () => window.nnesim.status().done, null, 600000);
  const s = await status(page);
  check(s.generation === gens && s.allelesHash === ref.alleles_sha256, `browser ${s.allelesHash} at ${s.generation} vs native ${ref.alleles_sha256}`);
  check(Math.abs(s.testAccuracy - ref.test_accuracy) < 1e-12, `test accuracy ${s.testAccuracy} vs native ${ref.test_accuracy}`);
  // The confusion panel's text alternative gives every class's recall.
  const app = page.frames().find((f) => f.url().includes('app.html'));
  await app.evaluate(() => window.nnesimOverlay.refresh());
  const conf = await app.evaluate(() => Array.from(document.querySelectorAll('.panel-alt')).find((e, i) => document.querySelectorAll('.panel-info')[i].dataset.panel === 'confusion').getAttribute('aria-label'));
  const recalls = Array.from(conf.matchAll(/(\d) (\d+)%/g)).map((m) => +m[2] / 100);
  check(recalls.length === 10 && recalls.every((r, i) => Math.abs(r - ref.per_class_recall[i]) <= 0.005), `confusion alt "${conf}" vs native recall ${ref.per_class_recall}`);
  // Switching the menu to the paper's fitness is a setting like any other.
  await page.selectOption('#settings select[name=fitness]', 'paper');
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => window.nnesim.status().settings.fitness === 'paper' && window.nnesim.status().generation === 0 &&
    new URLSearchParams(location.search).get('fitness') === 'paper', null, 30000);
  check(new URL(page.url()).searchParams.get('fitness') === 'paper', 'URL after Apply: ' + page.url());
  await page.screenshot({ path: path.join(out, 'quick10.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     quick10, 2 workers: ${(100 * s.testAccuracy).toFixed(1)}% at generation ${gens} (native hash matched), ${((Date.now() - t0) / 1000).toFixed(0)} s after opening the page; worst class ${Math.min(...recalls).toFixed(2)}`);
});

test('the worker benchmark page times 1 and 2 workers with the settings and kernel asked, and refuses settings it cannot use', async ({ page, errors }) => {
  await page.goto(base + 'bench.html?presets=quick&workers=1,2&query=pop%3D96');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 120000);
  const b = await page.evaluate(() => window.nnesimBench);
  check(!b.error, 'benchmark failed: ' + b.error);
  check(b.rows.length === 2 && b.rows.map((r) => r.workers).join() === '1,2', 'rows: ' + JSON.stringify(b.rows));
  for (const r of b.rows) {
    check(r.generations >= 150 && r.gensPerSecond > 0 && r.trace && r.trace.scoreMs > 0, 'row: ' + JSON.stringify(r));
  }
  check(b.rows.every((r) => r.kernel === 'wasm-simd128'), 'kernels: ' + b.rows.map((r) => r.kernel));
  check((await page.locator('#bench tbody tr').count()) === 2, 'the table lacks its rows');
  // kernel=go times Go's portable kernel, for comparison.
  await page.goto(base + 'bench.html?presets=quick&workers=1&kernel=go');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 120000);
  const go = await page.evaluate(() => window.nnesimBench);
  check(!go.error && go.rows.length === 1 && go.rows[0].kernel === 'go', 'kernel=go: ' + JSON.stringify(go));
  // A run that ends before it is timed fails the benchmark rather than
  // leaving it waiting.
  await page.goto(base + 'bench.html?presets=quick&workers=1&query=generations%3D30');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 60000);
  const short = await page.evaluate(() => window.nnesimBench);
  check(/ended \(generation 30\) before it was timed/.test(short.error || ''), 'a run too short to time: ' + JSON.stringify(short));
  await page.goto(base + 'bench.html?presets=quick&workers=1&query=pop%3Dabc%26__proto__%3D1');
  await waitFor(page, () => window.nnesimBench && window.nnesimBench.done, null, 60000);
  const bad = await page.evaluate(() => window.nnesimBench);
  check(/pop=abc/.test(bad.error || '') && bad.rows.length === 0, 'a bad query was benchmarked: ' + JSON.stringify(bad));
  check(/Failed: .*pop=abc/.test(await page.textContent('#benchstatus')), 'the page does not say what failed');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});
