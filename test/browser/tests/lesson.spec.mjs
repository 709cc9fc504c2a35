// lesson.spec.mjs: Lessons: challenges a course grades (JSInput), the predict challenge, and the lesson builder.
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, waitFor, lessonHost, decodePNG, colorStats } from '../common.mjs';

test('a challenge a course grades: reach met and not met, read through JSInput (getGrade, getState, setState) and the pass/fail message; locks hold against the form, keys and commands', async ({ page, errors }) => {
  // Not met: 99.9% by epoch 1 of SGD on 0-4, with the rate and Reset locked.
  let sim = await lessonHost(page, 'embed=1&algo=sgd&digits=0-4&epochs=1&seed=3&challenge=reach&goal=99.9&within=1&lock=lr,reset');
  check(await sim.isVisible('#challenge') && /^Challenge: Reach 99\.9% test accuracy with .* by epoch 1\./.test(await sim.textContent('#challengetask')), 'challenge task: ' + await sim.textContent('#challengetask'));
  // Locks: shown but disabled, with the lesson's reason.
  check(await sim.evaluate(() => document.getElementById('reset').disabled && /lock=reset/.test(document.getElementById('reset').title)), 'Reset is not locked');
  check(await sim.evaluate(() => document.querySelector('#settings [name=lr]').disabled && document.getElementById('import').disabled), 'the rate field or Import is not locked');
  check(!(await sim.evaluate(() => document.querySelector('#settings [name=epochs]').disabled)), 'an unlocked field is disabled');
  // The lesson goes along with the run: Open in nnesim ↗ keeps the locks and the challenge.
  const full = new URL(await sim.getAttribute('#full', 'href'));
  check(full.searchParams.get('lock') === 'lr,reset' && full.searchParams.get('challenge') === 'reach' && !full.searchParams.has('embed'), 'Open in nnesim links ' + full);
  await sim.click('#play');
  await sim.waitForFunction(() => { const c = window.nnesim.status().challenge; return c && c.final; }, null, { timeout: 60000, polling: 200 });
  let grade = JSON.parse(await page.evaluate(() => window.jsinput('getGrade')));
  check(grade.kind === 'reach' && grade.met === false && grade.final && grade.score > 0.5 && grade.score < 1 && /^Not met: the best by epoch 1 was \d+\.\d%/.test(grade.text), 'grade: ' + JSON.stringify(grade));
  check(/algo=sgd/.test(grade.evidence.query) && grade.evidence.runs.length === 1 && /^[0-9a-f]{64}$/.test(grade.evidence.runs[0].hash), 'evidence: ' + JSON.stringify(grade.evidence));
  check(/^Not met/.test(await sim.textContent('#challengetext')), 'the page says: ' + await sim.textContent('#challengetext'));
  let heard = await page.evaluate(() => window.heard);
  check(heard.some((m) => m && m.type === 'nnesim:challenge' && m.challenge.final && !m.challenge.met), 'no nnesim:challenge message: ' + JSON.stringify(heard.filter((m) => m && m.type !== 'nnesim:status').slice(-5)));
  check(heard.some((m) => typeof m === 'string' && m.includes('"testsPassed":false')), 'no pass/fail string');
  // A locked control holds against the R key and the course page's command.
  const before = (await sim.evaluate(() => window.nnesim.status())).generation;
  await sim.focus('#status');
  await sim.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('r');
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({type: 'nnesim:command', command: 'reset'}, '*'));
  await page.waitForFunction(() => window.heard.some((m) => m && m.type === 'nnesim:error' && /reset: locked by the lesson \(lock=reset\)/.test(m.message)), null, { timeout: 5000 });
  check((await sim.evaluate(() => window.nnesim.status())).generation === before, 'the locked reset ran');
  // getState keeps the run; a fresh frame's setState continues it exactly.
  const state = await page.evaluate(() => window.jsinput('getState'));
  const kept = JSON.parse(state);
  check(kept.nnesim_state === 1 && kept.run && kept.run.length > 100 && kept.result.final, 'state: ' + state.slice(0, 200));
  const hash = grade.evidence.runs[0].hash;
  sim = await lessonHost(page, 'embed=1&algo=sgd&digits=0-4&epochs=1&seed=3&challenge=reach&goal=99.9&within=1&lock=lr,reset', state);
  check(await page.evaluate(() => window.early) === 'done', 'the early setState: ' + await page.evaluate(() => window.early));
  const bad = await page.evaluate(() => window.jsinput('setState', '{"nnesim_state": 9}').then(() => 'accepted', (e) => e.message));
  check(/version 9, newer/.test(bad), 'a wrong state: ' + bad);
  await sim.waitForFunction((h) => { const s = window.nnesim.status(); return s.challenge && s.challenge.final && s.runs[0].hash === h; }, hash, { timeout: 30000, polling: 200 });
  grade = JSON.parse(await page.evaluate(() => window.jsinput('getGrade')));
  check(grade.met === false && grade.final, 'grade after setState: ' + JSON.stringify(grade));
  const unknown = await page.evaluate(() => window.jsinput('constructor').then(() => 'answered', (e) => e.message));
  check(/unknown_method: JSInput constructor: want one of getGrade, getState, setState/.test(unknown), 'an unknown method: ' + unknown);
  // Met: 50% by epoch 1.
  sim = await lessonHost(page, 'embed=1&algo=sgd&digits=0-4&epochs=1&seed=3&challenge=reach&goal=50&within=1&autostart=1');
  await sim.waitForFunction(() => { const c = window.nnesim.status().challenge; return c && c.final; }, null, { timeout: 60000, polling: 200 });
  grade = JSON.parse(await page.evaluate(() => window.jsinput('getGrade')));
  check(grade.met && grade.score === 1 && /^Met: .* reached \d+\.\d% at epoch 1/.test(grade.text), 'grade met: ' + JSON.stringify(grade));
  heard = await page.evaluate(() => window.heard);
  check(heard.some((m) => typeof m === 'string' && m.includes('"testsPassed":true')), 'no pass string');
  // Reset starts the run over under the same lesson: the challenge stays.
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({type: 'nnesim:command', command: 'reset'}, '*'));
  await sim.waitForFunction(() => { const s = window.nnesim.status(); return s.generation === 0 && s.challenge && !s.challenge.final; }, null, { timeout: 30000, polling: 200 })
    .catch(async () => { throw new Error('after Reset: ' + JSON.stringify(await sim.evaluate(() => window.nnesim.status().challenge))); });
  await page.screenshot({ path: path.join(out, 'challenge-met.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a predict challenge: the student picks a run before the race, the pick is locked once it starts, and the grade says who passed first', async ({ page, errors }) => {
  await page.goto(base + '?algo=sgd,signsgd&digits=0-4&epochs=1&seed=3&challenge=predict&goal=50&by=steps');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings && window.nnesim.status().runs.length === 2, null, 60000);
  check(await page.isVisible('#prediction'), 'no prediction menu');
  const labels = await page.evaluate(() => Array.from(document.querySelectorAll('#prediction option')).map((o) => o.textContent));
  check(labels.length === 3, 'prediction menu: ' + labels.join(', '));
  await page.selectOption('#prediction', '0');
  await waitFor(page, (l) => window.nnesim.status().challenge.evidence.prediction === l, labels[1], 5000);
  await page.click('#play');
  await waitFor(page, () => window.nnesim.status().challenge.final, null, 60000);
  const c = await page.evaluate(() => window.nnesim.status().challenge);
  // SGD passes 50% in its first epoch; one epoch of SignSGD at its
  // default step does not.
  check(c.met && c.score === 1 && /^Met: sgd passed 50\.0% first, as you predicted\./.test(c.text), 'result: ' + JSON.stringify(c));
  check(await page.evaluate(() => document.getElementById('prediction').disabled), 'the prediction can still change after the start');
  // The race says who passed first and why, and how the runs share the machine.
  await page.click('#racesummary summary');
  const lines = await page.evaluate(() => Array.from(document.querySelectorAll('#racesummary li')).map((l) => l.textContent));
  check(/^Past 50%: sgd after \d+\.\d s of training \(epoch 1\) first; signsgd never did\.$/.test(lines[0]) &&
    lines.some((l) => /^Each epoch of sgd passes every training image once, training the whole network by backpropagation and Adam\.$/.test(l)) &&
    /share this tab's \d+ workers \(sgd \d+, signsgd \d+\)/.test(lines[lines.length - 1]), 'race summary: ' + lines.join(' | '));
  const late = await page.evaluate(() => window.nnesim.predict(0).then(() => 'accepted', (e) => e.message));
  check(/the race has started/.test(late), 'a late prediction: ' + late);
  // Reset does not open the prediction again: the student has seen the winner.
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0 && window.nnesim.status().challenge && !window.nnesim.status().challenge.final, null, 30000);
  const again = await page.evaluate(() => window.nnesim.predict(1).then(() => 'accepted', (e) => e.message));
  check(/stays for the race/.test(again) && await page.evaluate(() => document.getElementById('prediction').disabled), 'a prediction after Reset: ' + again);
  await page.screenshot({ path: path.join(out, 'challenge-predict.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('the lesson builder (teach.html): forms from Go\'s tables, a live preview, wrong values named, and a snippet that shows on a course page what the preview showed', async ({ page, errors }) => {
  await page.goto(base + 'teach.html');
  await page.evaluate(() => { window.heard = []; addEventListener('message', (e) => window.heard.push(e.data)); });
  const lists = await page.evaluate(() => ({
    rules: document.querySelectorAll('#rules input').length, want: self.nnesimNames.rules.length,
    kinds: Array.from(document.querySelectorAll('[name=challenge] option')).map((o) => o.value),
    goKinds: self.nnesimNames.lesson.kinds.map((k) => k.name),
    noField: self.nnesimNames.lesson.kinds.flatMap((k) => k.params).filter((p) => !document.querySelector('#lesson [name="' + p + '"]')),
    locks: Array.from(document.querySelectorAll('#locks input')).map((b) => b.value)}));
  check(lists.rules === lists.want && lists.kinds.join(',') === ',' + lists.goKinds.join(',') && lists.goKinds.includes('reach') && lists.noField.length === 0 && ['play', 'reset', 'open', 'settings', 'genes'].every((n) => lists.locks.includes(n)), 'builder lists: ' + JSON.stringify(lists));
  await page.fill('[name=extra]', 'generations=60&eval-every=20');
  await page.selectOption('[name=challenge]', 'reach');
  check(await page.isVisible('[name=within]') && !(await page.isVisible('[name=by]')), 'the reach challenge\'s fields');
  await page.fill('[name=goal]', '50');
  await page.fill('[name=within]', '60');
  await page.check('#locks input[value=reset]');
  await page.check('#locks input[value=genes]');
  const task = /^Reach 50\.0% test accuracy with nne by generation 60\./;
  await page.waitForFunction((src) => window.heard.some((m) => m && m.type === 'nnesim:status' && m.challenge && new RegExp(src).test(m.challenge.task)), task.source, { timeout: 60000, polling: 200 });
  const preview = page.frames().find((f) => f.url().includes('index.html?') && f.url().includes('challenge=reach'));
  check(preview, 'no preview frame');
  await preview.waitForFunction(() => window.nnesim && window.nnesim.status().settings && document.getElementById('reset').disabled, null, { timeout: 30000, polling: 200 });
  const shown = await preview.evaluate(() => ({query: window.nnesim.status().query, task: window.nnesim.status().challenge.task}));
  const snippetText = await page.inputValue('#outsnippet');
  check(/^<iframe src="[^"]*embed=1[^"]*" width="960" height="\d+" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"/.test(snippetText), 'snippet: ' + snippetText);
  check(/<jsinput gradefn="getGrade" get_statefn="getState" set_statefn="setState"/.test(await page.inputValue('#outxml')), 'no JSInput problem');
  await page.screenshot({ path: path.join(out, 'teach.png'), fullPage: true });
  // The preview draws its canvas once it is in view.
  await page.locator('#preview').scrollIntoViewIfNeeded();
  // On a loaded machine the first frame can take seconds: look again
  // for up to 20 s before calling it blank.
  let blue = { colors: 0, near: 0 };
  for (const t0 = Date.now(); Date.now() - t0 < 20000 && !(blue.colors > 100 && blue.near > 1000); ) {
    await page.waitForTimeout(1000);
    const previewShot = await page.locator('#preview').screenshot({ path: path.join(out, 'teach-preview.png') });
    blue = colorStats(decodePNG(previewShot), [0x25, 0x63, 0xeb]);
  }
  check(blue.colors > 100 && blue.near > 1000, `the preview's canvas looks blank after 20 s: ${blue.colors} colours, ${blue.near} blue pixels`);
  // Wrong values reach the builder in the embed's own words.
  await page.fill('[name=extra]', 'generations=60&hide=__proto__');
  await page.waitForFunction(() => /hide: unknown group "__proto__"/.test(document.getElementById('teacherrors').textContent), null, { timeout: 60000, polling: 200 });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  // The snippet pasted into a course page on another origin shows the same run, challenge and lock.
  const course = await page.context().newPage();
  try {
    await course.setContent('<!doctype html><body style="margin:0">' + snippetText + '</body>');
    let sim = null;
    for (let i = 0; i < 100 && !(sim = course.frames().find((f) => f.url().includes('index.html?'))); i++) await course.waitForTimeout(100);
    check(sim, 'no frame from the snippet: ' + course.frames().map((f) => f.url()).join(', '));
    await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings && window.nnesim.status().challenge, null, { timeout: 30000, polling: 200 });
    var pasted = await sim.evaluate(() => ({query: window.nnesim.status().query, task: window.nnesim.status().challenge.task, reset: document.getElementById('reset').disabled}));
  } finally {
    await course.close();
  }
  check(pasted.query === shown.query && pasted.task === shown.task && pasted.reset, `pasted ${JSON.stringify(pasted)}, preview ${JSON.stringify(shown)}`);
});
