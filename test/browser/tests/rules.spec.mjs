// rules.spec.mjs: Every rule of the registry in the page: the native hash, the Algorithm menu, learning MNIST 0-9, a DNN run's export, and ES.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { root, out, base, check, status, waitFor, padInView, registryRules, native, flags } from '../common.mjs';

test('every rule in the page: its hash after T epochs equals the native command\'s; foreign parameters are named', async ({ page, errors }) => {
  for (const q of ['algo=dnn&digits=0-4&per-digit=40&hidden=60&epochs=3&seed=4',
    'algo=dnn&dnn-rule=printed&fire-gate=true&digits=0-4&per-digit=40&hidden=60&epochs=2&seed=4',
    'algo=signsgd&digits=0-4&per-digit=40&hidden=60&epochs=3&lr=0.001&seed=4',
    'algo=sgd&net=dense&digits=0-4&per-digit=40&hidden=60&epochs=3&seed=4',
    'algo=sgd&digits=3,8&per-digit=40&hidden=60&epochs=2&seed=4',
    'algo=nne-signsgd&digits=0-4&generations=40&eval-every=10&epochs=3&seed=4']) {
    await page.goto(base + '?' + q + '&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 60000);
    const s = await status(page);
    const nat = await native(...flags(q));
    const run = s.runs[0];
    check(s.runs.length === 1 && run.hash === nat.weights_sha256 && run.unit === 'epoch' && run.step === nat.epochs && run.algo === q.split('&')[0].slice(5),
      `${q}: page ${JSON.stringify(run)}; native ${nat.weights_sha256} at epoch ${nat.epochs}`);
    check(s.generation === run.step && s.testAccuracy === run.testAccuracy && new URLSearchParams(s.query).get('algo') === run.algo, `${q}: top-level status ${JSON.stringify(s.query)}`);
    if (run.algo === 'nne-signsgd') {
      // One curve across both phases: generations 0-40, then epochs 0-3.
      const units = (await page.evaluate(() => window.nnesim.exportCurves())).trim().split('\n').slice(1).map((l) => { const [step, unit] = l.split(','); return unit + ' ' + step; });
      check(units.join(',') === 'generation 0,generation 10,generation 20,generation 30,generation 40,epoch 0,epoch 1,epoch 2,epoch 3', 'nne-signsgd curve: ' + units);
      await page.locator('#view').screenshot({ path: path.join(out, 'rule-nne-signsgd.png') });
    }
  }
  await page.screenshot({ path: path.join(out, 'rule-sgd.png'), fullPage: true });
  await page.goto(base + '?algo=dnn&genes=100&epochs=2&digits=0-4&hidden=40');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const text = await page.textContent('#errors');
  check(/genes: not a setting of dnn \(its settings: algo, digits/.test(text), 'foreign parameter: ' + text);
  check(!(await page.isVisible('input[name=genes]')) && await page.isVisible('input[name=epochs]'), 'the form shows NNE fields for dnn');
  await page.goto(base + '?algo=backprop&seed=2');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const unknown = await page.textContent('#errors');
  check(unknown.includes('algo=backprop: unknown rule; want one of ' + registryRules().join(', ')) && (await status(page)).settings.algo === 'nne', 'unknown algo: ' + unknown);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('the Algorithm menu fills a rule\'s defaults and fields; the dopamine reading and fire gate reach the run', async ({ page, errors }) => {
  await page.goto(base + '?seed=5');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  const names = await page.$$eval('select[name=algo] option', (os) => os.map((o) => o.value));
  check(names.join(',') === registryRules().join(','), 'algorithm menu: ' + names + '; the registry: ' + registryRules());
  await page.selectOption('select[name=algo]', 'dnn');
  check(await page.inputValue('input[name=epochs]') === '500' && await page.inputValue('input[name=hidden]') === '1000' && await page.inputValue('input[name=seed]') === '5',
    'dnn defaults in the form');
  check(!(await page.isVisible('input[name=genes]')) && await page.isVisible('select[name=dnn-rule]') && await page.isVisible('input[name=fire-gate]'), 'dnn fields');
  const titles = await page.$$eval('select[name=dnn-rule] option', (os) => os.map((o) => o.textContent));
  check(titles.length === 4 && titles.slice(1).every((t) => /does not learn/.test(t)), 'reading titles: ' + titles);
  check((await status(page)).settings.algo === 'nne', 'choosing a rule started it before Apply');
  await page.selectOption('select[name=dnn-rule]', 'printed');
  await page.check('input[name=fire-gate]');
  await page.fill('input[name=epochs]', '2');
  await page.fill('input[name=hidden]', '50');
  await page.fill('input[name=digits]', '0-4');
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => window.nnesim.status().settings.algo === 'dnn', null, 30000);
  const q = new URLSearchParams((await status(page)).query);
  check(q.get('dnn-rule') === 'printed' && q.get('fire-gate') === 'true' && q.get('epochs') === '2' && !q.has('genes'), 'run query ' + q);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('every rule learns MNIST 0-9 in the page, and the pad is classified by the run', async ({ page, errors }) => {
  for (const [q, min] of [['algo=nne&digits=0-9&generations=300&eval-every=100&workers=2', 0.3], ['algo=dnn&digits=0-9&per-digit=100&hidden=300&epochs=8', 0.5],
    ['algo=signsgd&digits=0-9&per-digit=100&hidden=300&epochs=8&lr=0.001', 0.5], ['algo=sgd&digits=0-9&per-digit=100&hidden=100&epochs=4', 0.5],
    ['algo=nne-signsgd&digits=0-9&generations=300&eval-every=100&epochs=2', 0.5]]) {
    const t0 = Date.now();
    await page.goto(base + '?' + q + '&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 90000);
    const s = await status(page);
    check(s.testAccuracy > min, `${q}: test accuracy ${s.testAccuracy}, want above ${min} (chance 0.1)`);
    console.log(`     ${q}: ${(100 * s.testAccuracy).toFixed(1)}% after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The pad: a vertical bar, drawn with the mouse, gets the run's answer.
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.85, { steps: 4 });
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  const p = (await status(page)).prediction;
  const sum = p.probs.reduce((a, b) => a + b, 0);
  check(Math.abs(sum - 1) < 1e-6 && p.label >= 0 && p.label <= 9, 'pad prediction ' + JSON.stringify(p));
  const img = await page.evaluate(() => { const x = new Array(784).fill(0); for (let y = 4; y < 24; y++) x[y * 28 + 14] = 1; return x; });
  const probs = await page.evaluate((x) => window.nnesim.classify(x), img);
  check(probs.length === 10 && Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'classify: ' + JSON.stringify(probs));
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a DNN run exported mid-run and imported goes on bit for bit; the native command resumes its file', async ({ page, errors }) => {
  const q = 'algo=dnn&digits=0-4&per-digit=40&hidden=60&epochs=4&eval-every=1&seed=9';
  const ref = await native(...flags(q));
  await page.goto(base + '?' + q);
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.click('#step');
  await waitFor(page, () => window.nnesim.status().generation === 1, null, 20000);
  await page.click('#step');
  await waitFor(page, () => window.nnesim.status().generation === 2, null, 20000);
  const at = await status(page);
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  fs.writeFileSync(path.join(out, 'exported-dnn.nne'), Buffer.from(file));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === 2 && back.runs[0].hash === at.runs[0].hash && back.unit === 'epoch', `imported at ${back.generation}: ${JSON.stringify(back.runs)}`);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 30000);
  const end = await status(page);
  check(end.runs[0].hash === ref.weights_sha256 && end.generation === 4, `after import: ${end.runs[0].hash} at ${end.generation}; native ${ref.weights_sha256}`);
  const resumed = path.join(out, 'resumed-dnn.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['train', '-resume', path.join(out, 'exported-dnn.nne'), '-json', resumed], { stdio: 'ignore' });
  check(await new Promise((resolve) => nat.on('exit', resolve)) === 0, 'nnesim train -resume of the browser DNN file failed');
  check(JSON.parse(fs.readFileSync(resumed, 'utf8')).weights_sha256 === ref.weights_sha256, 'native resume of the browser DNN file ends elsewhere');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('ES, a rule added through the registry alone: menu and race box, its own sigma field, the native hash, export/import, the pad, no allele panel', async ({ page, errors }) => {
  const q = 'algo=es&digits=0-4&per-digit=40&hidden=40&pop=20&generations=30&eval-every=10&seed=6&sigma=0.08';
  const ref = await native(...flags(q));
  await page.goto(base + '?' + q);
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  check(await page.$eval('select[name=algo]', (el) => Array.from(el.options).some((o) => o.value === 'es' && /evolution strategies/.test(o.textContent))), 'ES is not in the Algorithm menu');
  check(/ES/.test(await page.textContent('#raceboxes')), 'no ES race box: ' + await page.textContent('#raceboxes'));
  check(await page.inputValue('input[name=sigma]') === '0.08', 'the sigma field shows ' + await page.inputValue('input[name=sigma]').catch((e) => e.message));
  const panels = await page.evaluate(() => document.getElementById('view').contentWindow.nnesimApp.panels().map((p) => p.name));
  check(!panels.includes('histogram') && panels.includes('tiles'), 'ES shows the panels ' + panels.join(', '));
  for (let g = 1; g <= 2; g++) {
    await page.click('#step');
    await waitFor(page, (n) => window.nnesim.status().generation >= n, 10 * g, 20000);
  }
  const at = await status(page);
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === at.generation && back.runs[0].hash === at.runs[0].hash, `imported at ${back.generation}: ${JSON.stringify(back.runs)}`);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const end = await status(page);
  check(end.runs[0].hash === ref.weights_sha256 && end.generation === 30, `ES in the page: ${end.runs[0].hash} at ${end.generation}; native ${ref.weights_sha256}`);
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.8, { steps: 4 });
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  // Raced against NNE from the form: the race keeps ES's own sigma.
  await page.check('#raceboxes input[data-algo=nne]');
  await page.click('button[type=submit]');
  await waitFor(page, () => window.nnesim.status().runs.length === 2 && window.nnesim.status().runs.every((x) => x.hash), null, 60000);
  await waitFor(page, () => /es/.test(new URLSearchParams(location.search).get('algo') || ''), null, 10000).catch(() => {});
  const rq = new URL(page.url()).searchParams;
  check(rq.get('algo') === 'es,nne' && rq.get('sigma') === '0.08', 'the race ES,NNE: ' + rq.toString());
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});
