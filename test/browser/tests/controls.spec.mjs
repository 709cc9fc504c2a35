// controls.spec.mjs: The controls: play, pause, step and reset, the pad and pictures, the URL and its link, the timeline, hide=, the confusion matrix's grid, scrolling, and a narrow window.
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, status, waitFor, padInView, appFrame, native, panelsOf, centre, wheelScrolls, scrollYOf, decodePNG, colorStats } from '../common.mjs';

test('pause stops, step advances one generation, reset returns to 0', async ({ page }) => {
  await page.goto(base + '?autostart=1');
  await waitFor(page, () => window.nnesim.status().generation >= 20, null, 30000);
  await page.keyboard.press('Space'); // pause
  await page.waitForTimeout(500);
  const g1 = (await status(page)).generation;
  await page.waitForTimeout(700);
  const g2 = (await status(page)).generation;
  check(g1 === g2 && !(await status(page)).running, `paused run moved from ${g1} to ${g2}`);
  await page.click('#step');
  await waitFor(page, (g) => window.nnesim.status().generation === g + 1, g2, 10000);
  await page.click('#reset');
  await waitFor(page, () => window.nnesim.status().generation === 0, null, 10000);
});

test('drawing on the pad gives a prediction', async ({ page, errors }) => {
  // The run stops at generation 600, so the weights that read the drawing
  // are always the same.
  await page.goto(base + '?autostart=1&seed=2&generations=600');
  await waitFor(page, () => window.nnesim.status().done, null, 90000);
  const r = await padInView(page);
  check(r && r.width > 50, 'pad rect ' + JSON.stringify(r));
  check((await status(page)).prediction === null, 'prediction before drawing');
  // A vertical stroke: a "1".
  const x = r.x + r.width / 2;
  await page.mouse.move(x, r.y + r.height * 0.15);
  await page.mouse.down();
  for (let k = 1; k <= 4; k++) await page.mouse.move(x + k * 0.9, r.y + r.height * (0.15 + 0.7 * k / 4));
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  const p = (await status(page)).prediction;
  const sum = p.probs.reduce((a, b) => a + b, 0);
  check(p.probs.length === 10 && Math.abs(sum - 1) < 1e-6, 'probs ' + JSON.stringify(p.probs));
  check(p.label === 1, `a vertical stroke was read as ${p.label}: ${JSON.stringify(p.probs.map((v) => v.toFixed(2)))}`);
  await page.locator('#view').screenshot({ path: path.join(out, 'pad.png') });
  // Clear takes a click shorter than a frame (a trackpad's tap), and the
  // keyboard: it is a button over the drawn one.
  const clear = await page.frameLocator('#view').locator('.pad-clear').boundingBox();
  check(clear && clear.height >= 44, 'the Clear button: ' + JSON.stringify(clear));
  await page.mouse.move(clear.x + clear.width / 2, clear.y + clear.height / 2);
  await page.mouse.down();
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction === null, null, 3000);
  await page.mouse.move(x, r.y + r.height * 0.2);
  await page.mouse.down();
  for (let k = 1; k <= 4; k++) await page.mouse.move(x, r.y + r.height * (0.2 + 0.14 * k));
  await page.mouse.up();
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 5000);
  await page.frameLocator('#view').locator('.pad-clear').focus();
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.nnesim.status().prediction === null, null, 3000);
  // classify() on the same kind of input, and on bad input.
  const probs = await page.evaluate(() => {
    const img = new Array(784).fill(0);
    for (let y = 4; y < 24; y++) { img[y * 28 + 14] = 1; img[y * 28 + 15] = 0.6; }
    return window.nnesim.classify(img);
  });
  check(probs.length === 10 && probs.indexOf(Math.max(...probs)) === 1, 'classify of a bar: ' + JSON.stringify(probs));
  const bad = await page.evaluate(() => { try { window.nnesim.classify([1, 2]); return 'no error'; } catch (e) { return e.message; } });
  check(bad.includes('784'), 'classify([1,2]): ' + bad);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a picture of a digit, chosen or dropped, goes on the pad as MNIST was made and is read by the run; bad files are named', async ({ page, errors }) => {
  await page.goto(base + '?digits=0-4&generations=300&eval-every=100&seed=3&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 90000);
  // A photo-like picture made in the page: a dark bar on light grey paper,
  // off centre, as a PNG.
  const png = await page.evaluate(async () => {
    const c = new OffscreenCanvas(160, 120);
    const x = c.getContext('2d');
    x.fillStyle = '#ddd'; x.fillRect(0, 0, 160, 120);
    x.strokeStyle = '#222'; x.lineWidth = 9; x.lineCap = 'round';
    x.beginPath(); x.moveTo(110, 15); x.lineTo(104, 100); x.stroke();
    return Array.from(new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer()));
  });
  await page.setInputFiles('#picturefile', { name: 'one.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  await waitFor(page, () => window.nnesim.status().prediction !== null, null, 10000);
  const f = appFrame(page);
  const input = await f.evaluate(() => Array.from(window.nnesimApp.padInput().pixels));
  let mass = 0, mx = 0, rows = new Set();
  input.forEach((v, i) => { mass += v; mx += v * (i % 28 + 0.5); if (v > 0.3) rows.add(Math.floor(i / 28)); });
  check(Math.abs(mx / mass - 14.5) < 1 && rows.size >= 18 && rows.size <= 21, `the 28×28 input: centre of mass at column ${(mx / mass).toFixed(2)}, ${rows.size} rows of ink (want about 14.5 and 20)`);
  const p = (await status(page)).prediction;
  check(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-6 && p.label >= 0 && p.label <= 4, 'prediction of the picture: ' + JSON.stringify(p));
  check(/The pad shows one\.png/.test(await page.textContent('#hint')), 'hint: ' + await page.textContent('#hint'));
  await page.screenshot({ path: path.join(out, 'picture-on-pad.png') });
  // Dropped on the page, and bad files: each named, the pad kept.
  const drop = (name, type, bytes) => page.evaluate(([name, type, bytes]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([typeof bytes === 'number' ? new Uint8Array(bytes) : new Uint8Array(bytes)], name, { type }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, type, bytes]);
  for (const [name, type, bytes, want] of [['notes.txt', 'text/plain', [104, 105], /notes\.txt: not a picture \(text\/plain\)/],
    ['broken.png', 'image/png', [137, 80, 78, 71, 1, 2, 3], /broken\.png: the browser cannot read it as a picture/],
    ['huge.png', 'image/png', 25 << 20, /huge\.png: 26\.2 MB; want a picture under 20 MB/]]) {
    await drop(name, type, bytes);
    await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('errors').textContent), want.source, { timeout: 10000 })
      .catch(async () => { throw new Error(`${name}: errors say ${JSON.stringify(await page.textContent('#errors'))}`); });
  }
  const still = await f.evaluate(() => Array.from(window.nnesimApp.padInput().pixels));
  check(still.every((v, i) => v === input[i]), 'a bad file changed the pad');
  await drop('one-again.png', 'image/png', png);
  await page.waitForFunction(() => /The pad shows one-again\.png/.test(document.getElementById('hint').textContent), null, { timeout: 10000 });
  check(!(await page.isVisible('#errors')), 'errors after a good picture: ' + await page.textContent('#errors'));
  // Several pictures at once give a table, the pad untouched: each one's
  // 28×28 input and what the run reads; a bad one says why in its row.
  await page.setInputFiles('#picturefile', [{ name: 'one.png', mimeType: 'image/png', buffer: Buffer.from(png) },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') }, { name: 'one-more.png', mimeType: 'image/png', buffer: Buffer.from(png) }]);
  await page.waitForFunction(() => document.querySelectorAll('#picturestable tr').length === 4, null, { timeout: 20000 });
  const rowsText = await page.evaluate(() => Array.from(document.querySelectorAll('#picturestable tr')).map((r) => Array.from(r.cells).map((c) => c.textContent)));
  check(rowsText[1][1] === 'one.png' && rowsText[1][2] === p.label + ' (' + Math.round(100 * Math.max(...p.probs)) + '%)' && /^⚠ notes\.txt: not a picture/.test(rowsText[2][2]) && rowsText[3][2] === rowsText[1][2],
    'the pictures table: ' + JSON.stringify(rowsText));
  const shot = decodePNG(await page.locator('#picturestable canvas').first().screenshot());
  check(colorStats(shot).colors > 5, 'the first picture\'s 28×28 input is not drawn');
  const kept = await f.evaluate(() => Array.from(window.nnesimApp.padInput().pixels));
  check(kept.every((v, i) => v === input[i]), 'reading several pictures changed the pad');
  await page.locator('#pictures').screenshot({ path: path.join(out, 'pictures-table.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('the URL follows the settings and the shared link reproduces the run', async ({ page }) => {
  await page.goto(base + '?workers=2');
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  await page.fill('input[name=seed]', '9');
  await page.fill('input[name=genes]', '3000');
  await page.fill('input[name=generations]', '20');
  await page.click('button[type=submit]');
  // The engine's status changes before the shell hears the new run and
  // rewrites the address bar; wait for both, as a user would look at both.
  await waitFor(page, () => window.nnesim.status().settings && window.nnesim.status().settings.seed === '9' &&
    new URLSearchParams(location.search).get('seed') === '9', null, 30000);
  const link = new URL(page.url());
  for (const [k, v] of [['seed', '9'], ['genes', '3000'], ['generations', '20'], ['workers', '2'], ['preset', 'quick']]) {
    check(link.searchParams.get(k) === v, `URL ${link.search} lacks ${k}=${v}`);
  }
  await page.evaluate(() => window.nnesim.start());
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const first = await status(page);
  await page.click('#share');
  await page.waitForFunction(() => /Link copied/.test(document.getElementById('share').textContent) || !document.getElementById('notices').hidden, null, { timeout: 5000 });
  // Someone opens the link.
  const other = await page.context().newPage();
  await other.goto(link.href + '&autostart=1');
  await waitFor(other, () => window.nnesim.status().done, null, 60000);
  const second = await status(other);
  await other.close();
  check(second.generation === 20 && second.allelesHash === first.allelesHash && second.workers === 2,
    `shared link: ${second.allelesHash} at ${second.generation} with ${second.workers} workers; original ${first.allelesHash}`);
});

test('the timeline replays a finished run to an earlier step exactly (the native hash there) and goes back to where it was', async ({ page, errors }) => {
  await page.goto(base + '?generations=120&eval-every=20&seed=6&autostart=1');
  await waitFor(page, () => window.nnesim.status().done && window.nnesim.status().generation === 120, null, 90000);
  const end = (await status(page)).allelesHash;
  check(await page.isVisible('#timeline'), 'no timeline on a finished run');
  await page.$eval('#replayat', (el) => { el.value = '40'; el.dispatchEvent(new Event('input')); });
  check(/^generation 40 of 120$/.test(await page.textContent('#replayout')), 'timeline reads ' + await page.textContent('#replayout'));
  await page.click('#replay');
  await waitFor(page, () => window.nnesim.status().done && window.nnesim.status().generation === 40, null, 60000);
  const ref = await native('-generations', '40', '-eval-every', '20', '-seed', '6');
  const at = await status(page);
  check(at.allelesHash === ref.alleles_sha256, `replayed to 40: ${at.allelesHash}, native ${ref.alleles_sha256}`);
  await waitFor(page, () => /^Generation 40, recomputed from the seed/.test(document.getElementById('hint').textContent), null, 5000);
  check(/^Back to generation 120$/.test(await page.textContent('#latest')), 'the way back: ' + await page.textContent('#latest'));
  await page.screenshot({ path: path.join(out, 'replay.png') });
  await page.click('#latest');
  await waitFor(page, (h) => window.nnesim.status().generation === 120 && window.nnesim.status().allelesHash === h, end, 30000);
  check(!(await page.isVisible('#latest')), 'the way back stays after it was taken');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('a finished run continues to a later stop bit for bit; the preset menu waits for Apply', async ({ page, errors }) => {
  await page.goto(base + '?seed=9&generations=20&workers=2&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check(/finished at generation 20/.test(await page.textContent('#status')), 'status: ' + await page.textContent('#status'));
  await page.click('#play');
  check(/finished at generation 20\. Raise “Stop at generation”/.test(await page.textContent('#hint')), 'Play on a finished run said: ' + await page.textContent('#hint'));
  await page.fill('input[name=generations]', '40');
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => !window.nnesim.status().done && /generations=40/.test(window.nnesim.status().query), null, 10000);
  check((await status(page)).generation === 20, 'Apply with a later stop started over at generation ' + (await status(page)).generation);
  await page.click('#play');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  const s = await status(page);
  const nat = await native('-generations', '40', '-seed', '9');
  check(s.generation === 40 && s.allelesHash === nat.alleles_sha256, `continued run ${s.allelesHash} at ${s.generation}, native ${nat.alleles_sha256}`);
  // The preset menu fills the form and waits for Apply.
  await page.selectOption('select[name=preset]', 'demo');
  await page.waitForTimeout(500);
  check(await page.inputValue('input[name=genes]') === '2000' && await page.inputValue('input[name=seed]') === '9', 'the form after choosing demo');
  const t = await status(page);
  check(t.generation === 40 && /preset=quick/.test(t.query), 'choosing a preset started a run: ' + t.query);
  await page.click('#settings button[type=submit]');
  await waitFor(page, () => /preset=demo/.test(window.nnesim.status().query) && window.nnesim.status().generation === 0, null, 10000);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('hide=… leaves out groups (an embed without controls keeps its canvas); curves CSV, picture PNG and the embed snippet', async ({ page }) => {
  await page.goto(base + '?hide=setings');
  await waitFor(page, () => window.nnesim.status().settings !== null, null, 30000);
  check(/hide: unknown group "setings"; want some of header, controls, settings, pad/.test(await page.textContent('#errors')),
    'bad hide: ' + await page.textContent('#errors'));
  const fullHeight = (await page.locator('#view').boundingBox()).height;
  // An embed without its controls bar: the canvas still fills the frame
  // (it once fell to an iframe's default 150 px).
  await page.goto(base + '?embed=1&hide=controls');
  await waitFor(page, () => window.nnesim.status().ready, null, 30000);
  const embedView = (await page.locator('#view').boundingBox()).height, vh = page.viewportSize().height;
  check(embedView > 0.9 * vh, `embed=1&hide=controls: canvas ${embedView} px high in a ${vh} px window`);
  await page.goto(base + '?hide=header,pad,weights&seed=3&generations=40&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check(!(await page.isVisible('#errors')), 'error for a good hide list: ' + await page.textContent('#errors'));
  check(!(await page.isVisible('header')), 'header shown with hide=header');
  check((await page.evaluate(() => window.nnesim.padRect())).width === 0, 'pad still on the canvas with hide=pad');
  const box = await page.locator('#view').boundingBox();
  check(box.height < fullHeight, `canvas ${box.height} px high with three panels hidden, ${fullHeight} with none`);
  const s = await status(page);
  // Curves CSV: one row per evaluation, the accuracy the page shows last.
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  check(csvDl.suggestedFilename() === 'nnesim-seed3-gen40.csv', 'csv file name ' + csvDl.suggestedFilename());
  const rows = fs.readFileSync(await csvDl.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
  check(rows[0].join(',') === 'step,unit,seconds,test_accuracy,train_accuracy,fixed_fraction,mean_fitness,dopamine,weights_sha256', 'csv header ' + rows[0]);
  const last = rows[rows.length - 1];
  check(Number(last[0]) === 40 && last[1] === 'generation' && Number(last[3]) === s.testAccuracy, `last csv row ${last}; page: generation 40, test accuracy ${s.testAccuracy}`);
  // Picture PNG: the canvas at device pixels, with the visible panels' pictures.
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#png')]);
  const img = decodePNG(fs.readFileSync(await pngDl.path()));
  check(Math.abs(img.width - box.width) <= 1 && Math.abs(img.height - box.height) <= 2, `png ${img.width}×${img.height}, canvas ${box.width}×${box.height}`);
  check(colorStats(img).colors > 100, 'the png looks blank');
  fs.copyFileSync(await pngDl.path(), path.join(out, 'picture-hidden.png'));
  // Embed snippet.
  await page.click('#embed');
  await waitFor(page, () => document.getElementById('snippet').value !== '', null, 5000);
  const snippet = await page.inputValue('#snippet');
  const src = new URL(snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&'));
  check(src.searchParams.get('embed') === '1' && src.searchParams.get('seed') === '3' && src.searchParams.get('hide') === 'header,pad,weights' &&
    !src.searchParams.has('autostart') && /^<iframe .*><\/iframe>$/.test(snippet), 'snippet: ' + snippet);
});

test('a confusion cell fills the digit grid with its test images, which page; a row label shows a whole class; all digits goes back', async ({ page, errors }) => {
  await page.goto(base + '?digits=0-4&generations=150&eval-every=50&seed=2&autostart=1');
  await waitFor(page, () => window.nnesim && window.nnesim.status().done, null, 60000);
  const f = await appFrame(page);
  const grid = async () => (await f.evaluate(() => window.nnesimApp.panels())).find((p) => p.name === 'grid').alt;
  // Presses a rectangle of the frame (in its CSS pixels) with the mouse,
  // scrolled into view first.
  const press = async (rect) => {
    check(rect, 'no rectangle to press');
    const frame = await page.locator('#view').boundingBox();
    await page.evaluate((y) => window.scrollBy(0, y - 200), frame.y + rect.y);
    const fr = await page.locator('#view').boundingBox();
    await page.mouse.click(fr.x + rect.x + rect.width / 2, fr.y + rect.y + rect.height / 2);
  };
  check(/^Test digits: .*\(page 1\)/.test(await grid()), 'grid before: ' + await grid());
  // True 1 read as 1: the diagonal cell of digit 1.
  await press(await f.evaluate(() => window.nnesimApp.confusionCell(1, 1)));
  for (let i = 0; i < 50 && !/true 1, read as 1/.test(await grid()); i++) await page.waitForTimeout(100);
  let alt = await grid();
  const total = Number((alt.match(/: (\d+) images/) || [])[1]);
  check(/true 1, read as 1: \d+ images, page 1 shows 40; 0 of them are wrong/.test(alt) && total > 40, 'grid after the cell: ' + alt);
  await page.screenshot({ path: path.join(out, 'grid-filtered.png') });
  // The next page, then the row label of digit 3 (every true 3, right or wrong).
  await press((await f.evaluate(() => window.nnesimApp.gridButtons())).next);
  for (let i = 0; i < 50 && !/page 2/.test(await grid()); i++) await page.waitForTimeout(100);
  check(/true 1, read as 1: \d+ images, page 2 shows/.test(await grid()), 'grid after next: ' + await grid());
  await press(await f.evaluate(() => window.nnesimApp.confusionCell(3, -1)));
  for (let i = 0; i < 50 && !/true 3:/.test(await grid()); i++) await page.waitForTimeout(100);
  alt = await grid();
  check(/true 3: \d+ images, page 1 shows 40/.test(alt), 'grid after the row label: ' + alt);
  let buttons = null;
  for (let i = 0; i < 50 && !((buttons = await f.evaluate(() => window.nnesimApp.gridButtons())).all && !buttons.prev); i++) await page.waitForTimeout(100);
  check(buttons.all && !buttons.prev, 'pager buttons: ' + JSON.stringify(buttons));
  await press(buttons.all);
  // The words follow the view at once; the buttons when the grid is next drawn.
  const allShown = async () => /^Test digits: .*\(page 1\)/.test(await grid()) && !(await f.evaluate(() => window.nnesimApp.gridButtons())).all;
  for (let i = 0; i < 50 && !(await allShown()); i++) await page.waitForTimeout(100);
  check(await allShown(), 'grid after all digits: ' + await grid() + '; buttons ' + JSON.stringify(await f.evaluate(() => window.nnesimApp.gridButtons())));
  // The same from the keyboard: the matrix's ring (arrow keys, Enter),
  // then the pager's Next as a real button (Enter), and Space does not
  // pause the run.
  await f.focus('.conf-keys');
  for (const k of ['ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowLeft']) await page.keyboard.press(k);
  const ring = await f.evaluate(() => { const r = document.querySelector('.conf-ring'); return r.hidden ? null : r.getBoundingClientRect().toJSON(); });
  const want = await f.evaluate(() => window.nnesimApp.confusionCell(1, 1));
  check(ring && Math.abs(ring.x - want.x) < 6 && Math.abs(ring.y - want.y) < 6, 'the ring is on (1, 1): ' + JSON.stringify(ring) + ' vs ' + JSON.stringify(want));
  await page.keyboard.press('Enter');
  for (let i = 0; i < 50 && !/true 1, read as 1/.test(await grid()); i++) await page.waitForTimeout(100);
  check(/true 1, read as 1: \d+ images, page 1/.test(await grid()), 'Enter on the ring: ' + await grid());
  const running = (await status(page)).running;
  let next = null;
  for (let i = 0; i < 50 && !(next = await f.evaluate(() => { const b = Array.from(document.querySelectorAll('#overlay button')).find((x) => x.getAttribute('aria-label') === 'Next page of test digits'); return b && !b.hidden; })); i++) await page.waitForTimeout(100);
  check(next, 'the pager\'s Next is a button');
  await f.focus('#overlay button[aria-label="Next page of test digits"]');
  await page.keyboard.press(' ');
  for (let i = 0; i < 50 && !/page 2/.test(await grid()); i++) await page.waitForTimeout(100);
  check(/true 1, read as 1: \d+ images, page 2/.test(await grid()), 'Space on Next: ' + await grid());
  check((await status(page)).running === running, 'a key on the overlay reached the page\'s shortcuts');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('desktop: the mouse wheel over the canvas scrolls the page', async ({ page, errors }) => {
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(base + '?seed=4');
  const y = await wheelScrolls(page, (await panelsOf(page)).curves);
  check(y > 100, `a wheel turn over the curves panel scrolled the page by ${y} px`);
  // A press on the pad does not move the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => window.nnesim.padRect());
  await page.mouse.move(r.x + 30, r.y + 10);
  await page.mouse.down();
  await page.mouse.move(r.x + 40, r.y + 60, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(300);
  check(await scrollYOf(page) === 0, `a press on the pad scrolled the page to ${await scrollYOf(page)}`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('phone width: no horizontal scrolling, canvas drawn', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(base + '?autostart=1');
  await waitFor(page, () => window.nnesim.status().testAccuracy !== null && window.nnesim.status().generation >= 50, null, 30000);
  await page.waitForTimeout(500);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 360, `page is ${w} px wide at a 360 px viewport`);
  await page.screenshot({ path: path.join(out, 'phone.png'), fullPage: true });
  const shot = decodePNG(await page.locator('#view').screenshot());
  check(colorStats(shot).colors > 100, 'phone canvas looks blank');
});
