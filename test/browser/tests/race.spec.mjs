// race.spec.mjs: Races of several rules: the native race's hashes, the form, bad races, and a race resumed after a reload.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { launch, root, out, base, check, status, waitFor, padInView, native, nativeRace, flags, decodePNG, colorStats } from '../common.mjs';

test('a race of three rules: each run is its solo native run, the pad and classifyAll answer for every rule, export/import and the link carry the race', async ({ page, errors }) => {
  const q = 'algo=nne,dnn,sgd:net=dense&digits=0-4&per-digit=40&hidden=60&generations=60&eval-every=20&epochs=3&seed=4';
  const ref = await nativeRace(...flags(q));
  const want = ref.runs.map((r) => r.label + ' ' + r.hash).join(', ');
  const got = (s) => s.runs.map((r) => r.label + ' ' + r.hash).join(', ');
  await page.goto(base + '?' + q + '&autostart=1');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs.every((r) => r.step > 0), null, 60000);
  // Mid-race: pause, export, reset, import: every run is back where it was.
  await page.evaluate(() => window.nnesim.pause());
  await page.waitForTimeout(800);
  const mid = await status(page);
  check(mid.runs.map((r) => r.label).join(',') === 'nne,dnn,sgd' && /workers nne \d+, dnn 1, sgd 1/.test(await page.textContent('#status')),
    'race status: ' + JSON.stringify(mid.runs) + ' / ' + await page.textContent('#status'));
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  fs.writeFileSync(path.join(out, 'exported-race.nne'), Buffer.from(file));
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs.every((r) => r.step === 0), null, 30000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(got(back) === got(mid) && back.runs.every((r, i) => r.step === mid.runs[i].step && !r.running), `imported ${JSON.stringify(back.runs)}; exported ${JSON.stringify(mid.runs)}`);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 120000);
  const end = await status(page);
  check(got(end) === want, `page race ${got(end)}; native race ${want}`);
  check(end.runs.map((r) => r.step).join(',') === '60,3,3' && end.runs.every((r) => r.testAccuracy > 0.3), 'steps or accuracy: ' + JSON.stringify(end.runs));
  // Racing changes no rule: the native race is each rule's solo run (TestRace),
  // and here the solo nnesim train of dense SGD.
  const solo = await native('-algo', 'sgd', '-net', 'dense', '-digits', '0-4', '-per-digit', '40', '-hidden', '60', '-eval-every', '20', '-epochs', '3', '-seed', '4');
  check(end.runs[2].hash === solo.weights_sha256, `sgd dense in the race ${end.runs[2].hash}, solo ${solo.weights_sha256}`);
  // The native command continues the page's race file to the same end.
  const resumed = path.join(out, 'resumed-race.json');
  const nat = spawn(path.join(root, 'bin/nnesim'), ['race', '-resume', path.join(out, 'exported-race.nne'), '-json', resumed], { stdio: 'ignore' });
  check(await new Promise((resolve) => nat.on('exit', resolve)) === 0, 'nnesim race -resume of the page\'s race file failed');
  const res = JSON.parse(fs.readFileSync(resumed, 'utf8'));
  check(res.runs.map((r) => r.label + ' ' + r.hash).join(', ') === want, 'native resume of the page race: ' + JSON.stringify(res.runs.map((r) => r.hash)));
  // The pad: a stroke is classified by every run, a row of bars each.
  const r = await padInView(page);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width / 2, r.y + r.height * 0.85, { steps: 4 });
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().predictions.every((p) => p !== null), null, 5000);
  const preds = (await status(page)).predictions;
  check(preds.length === 3 && preds.every((p) => Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-6), 'pad predictions ' + JSON.stringify(preds));
  const img = await page.evaluate(() => { const x = new Array(784).fill(0); for (let y = 4; y < 24; y++) x[y * 28 + 14] = 1; return x; });
  const all = await page.evaluate((x) => window.nnesim.classifyAll(x), img);
  check(all.length === 3 && all.map((a) => a.algo).join(',') === 'nne,dnn,sgd' && all.every((a) => a.probs.length === 10 && Math.abs(a.probs.reduce((u, v) => u + v, 0) - 1) < 1e-6),
    'classifyAll: ' + JSON.stringify(all));
  const first = await page.evaluate((x) => window.nnesim.classify(x), img);
  check(JSON.stringify(first) === JSON.stringify(all[0].probs), 'classify is not the first run\'s');
  // The tabs show each run's pictures.
  await page.click('#tabs button:nth-child(2)');
  await waitFor(page, () => window.nnesim.status().selected === 1, null, 5000);
  check(await page.getAttribute('#tabs button:nth-child(2)', 'aria-selected') === 'true', 'the dnn tab is not selected');
  await page.screenshot({ path: path.join(out, 'race.png'), fullPage: true });
  // The curve colours: one per run on the accuracy panel.
  const shot = decodePNG(await page.locator('#view').screenshot());
  for (const [name, rgb] of [['nne blue', [0x25, 0x63, 0xeb]], ['dnn violet', [0x7c, 0x3a, 0xed]], ['sgd green', [0x16, 0xa3, 0x4a]]]) {
    check(colorStats(shot, rgb).near > 100, `no ${name} on the canvas`);
  }
  // The axis switch: a click puts steps on the x-axis; hovering a curve
  // shows its value (the panel's pixels change under the pointer).
  const ax = (await status(page)).axis;
  check(ax.x === 'seconds', 'a race starts on the seconds axis: ' + JSON.stringify(ax));
  const frameBox = await page.locator('#view').boundingBox();
  await page.mouse.click(frameBox.x + ax.switch.x + ax.switch.width / 2, frameBox.y + ax.switch.y + ax.switch.height / 2);
  await waitFor(page, () => window.nnesim.status().axis.x === 'steps', null, 5000);
  const panels = await page.evaluate(() => document.getElementById('view').contentWindow.nnesimApp.panels());
  const curves = panels.find((p) => p.name === 'curves');
  const clip = { x: frameBox.x + curves.x, y: frameBox.y + curves.y, width: curves.width, height: curves.height };
  await page.mouse.move(5, 5);
  await page.waitForTimeout(400);
  const before = await page.screenshot({ clip });
  // The nne curve ends at the right edge of the plot (its stop) at its last accuracy.
  const nneEnd = end.runs[0].testAccuracy;
  let changed = false;
  for (let dy = 0; dy < 60 && !changed; dy += 6) {
    await page.mouse.move(clip.x + curves.width - 20, clip.y + 40 + dy);
    await page.waitForTimeout(350);
    changed = Buffer.compare(before, await page.screenshot({ clip })) !== 0;
  }
  check(changed, 'hovering the curves shows no value (nne ended at ' + nneEnd + ')');
  await page.screenshot({ path: path.join(out, 'race-hover.png'), clip });
  // The shared link reproduces the race.
  const link = new URL(page.url());
  // net=dense is every lifetime rule's net here, so the link sets it once.
  check(link.searchParams.get('algo') === 'nne,dnn,sgd' && link.searchParams.get('net') === 'dense', 'link: ' + link.search);
  const other = await page.context().newPage();
  await other.goto(link.href + '&autostart=1');
  await waitFor(other, () => window.nnesim.status().done && window.nnesim.status().runs.length === 3, null, 120000);
  const again = await status(other);
  await other.close();
  check(got(again) === want, `shared link: ${got(again)}; want ${want}`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a race: the form ticks its rules and Apply keeps each run\'s own values; bad races are named', async ({ page, errors }) => {
  await page.goto(base + '?algo=dnn,sgd&digits=0-4&per-digit=40&hidden=60&epochs=2&seed=2');
  await waitFor(page, () => window.nnesim.status().runs.length === 2 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
  check(await page.isChecked('#raceboxes input[data-algo=sgd]') && !(await page.isChecked('#raceboxes input[data-algo=nne]')), 'race boxes');
  const lr = await page.getAttribute('input[name=lr]', 'value');
  const title = await page.locator('input[name=lr]').evaluate((el) => el.closest('label').title);
  check(/runs differ: dnn 0.2, sgd 0.001/.test(title), 'lr field: ' + lr + ' / ' + title);
  // Tick NNE too and change the seed: the rules' own learning rates stay.
  await page.check('#raceboxes input[data-algo=nne]');
  await page.fill('input[name=seed]', '5');
  await page.click('button[type=submit]');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
  // The page writes the race's link when it hears the race's first run
  // message, a moment after the engine's status can show the new runs.
  await waitFor(page, () => new URLSearchParams(location.search).get('algo') === 'dnn,sgd,nne', null, 10000).catch(() => {});
  const q = new URL(page.url()).searchParams;
  check(q.get('algo') === 'dnn,sgd,nne' && q.get('seed') === '5' && q.get('lr') === null && q.get('hidden') === '60', 'after Apply: ' + q.toString());
  await page.goto(base + '?algo=nne,dnn:digits=3,sgd&genes=100');
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const text = await page.textContent('#errors');
  check(/digits is shared by every run of a race/.test(text), 'bad race: ' + text);
  await page.goto(base + '?algo=nne,nne-signsgd,dnn,signsgd,sgd,sgd:net=dense,constructor,__proto__');
  await waitFor(page, () => window.nnesim.status().runs.length === 6 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
  await page.waitForSelector('#errors', { state: 'visible', timeout: 30000 });
  const six = await page.textContent('#errors');
  check(/algo=constructor: unknown rule/.test(six) && /algo=__proto__: unknown rule/.test(six), 'hostile entries: ' + six);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a race\'s coordinator whose script fails to load (a busy server) is started once more, and the race runs', async () => {
  // The service worker is kept out, so that every request reaches the route.
  const fresh = await launch({ serviceWorkers: 'block' });
  try {
    let armed = false;
    const dropped = [];
    await fresh.route('**/wasm_exec.js', (r) => {
      if (!armed || dropped.length) return r.continue();
      dropped.push(r.request().url());
      return r.abort('connectionreset');
    });
    const page = await fresh.newPage();
    await page.goto(base + '?algo=sgd&digits=0-4&per-digit=40&hidden=60&epochs=2&seed=2');
    await waitFor(page, () => window.nnesim.status().runs.length === 1 && window.nnesim.status().runs[0].hash, null, 60000);
    // Race DNN too: its coordinator is the next to load wasm_exec.js.
    armed = true;
    await page.check('#raceboxes input[data-algo=dnn]');
    await page.click('button[type=submit]');
    await waitFor(page, () => window.nnesim.status().runs.length === 2 && window.nnesim.status().runs.every((r) => r.hash), null, 60000);
    await page.evaluate(() => window.nnesim.step());
    await waitFor(page, () => window.nnesim.status().runs.every((r) => r.step > 0), null, 30000);
    const box = await page.evaluate(() => document.getElementById('errors').hidden ? '' : document.getElementById('errors').textContent);
    check(dropped.length === 1, 'no script load was dropped');
    check(box === '', 'the error box says ' + box);
  } finally {
    await fresh.closeAll();
  }
});

test('a race reloaded mid-way is offered again and every run resumes to its native end; the course page hears which rule passed 90% first', async ({ page, errors }) => {
  const q = 'algo=nne,dnn,sgd&digits=0-4&per-digit=40&hidden=60&generations=80&eval-every=20&epochs=4&seed=8';
  const ref = await nativeRace(...flags(q));
  await page.goto(base + '?' + q + '&autostart=1');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs[0].step >= 20, null, 60000);
  await page.reload();
  await page.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
  const offer = await page.textContent('#resumetext');
  check(/A race of 3 runs was saved/.test(offer), 'offer: ' + offer);
  await page.click('#resume');
  await waitFor(page, () => window.nnesim.status().runs.length === 3 && window.nnesim.status().runs[0].step > 0, null, 30000);
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 120000);
  const end = await status(page);
  check(end.runs.map((r) => r.hash).join(',') === ref.runs.map((r) => r.hash).join(','), `resumed race ${JSON.stringify(end.runs.map((r) => r.hash))}; native ${JSON.stringify(ref.runs.map((r) => r.hash))}`);
  // The course page example, racing.
  await page.goto(base + 'embed-example.html?algo=nne,dnn,sgd&digits=0-4&autostart=1');
  await page.waitForSelector('#race', { state: 'visible', timeout: 120000 });
  const first = await page.textContent('#race');
  check(/^First past 90%: (nne|dnn|sgd) \(\d+\.\d s\)/.test(first), 'course page: ' + first);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});
