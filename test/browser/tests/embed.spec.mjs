// embed.spec.mjs: The page embedded in a course page's (sandboxed) iframe: events, sizing, two embeds, a hidden slide, and the Embed snippet.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { test } from '../fixtures.mjs';
import { root, out, base, check, status, waitFor, appFrame, panelsOf, wheelScrolls, host, decodePNG, colorStats } from '../common.mjs';

test('embedded in a sandboxed iframe: compact, posts status to the course page, storage off with a notice, keeps its run (Export, the export command, Open in nnesim)', async ({ page, errors }) => {
  // The example course page embeds index.html?embed=1 in <iframe sandbox="allow-scripts">.
  await page.goto(base + 'embed-example.html?autostart=1&seed=5');
  await page.waitForSelector('#quiz', { state: 'visible', timeout: 120000 });
  const events = await page.evaluate(() => window.nnesimEvents);
  const statuses = events.filter((m) => m.type === 'nnesim:status');
  const passed = statuses.find((m) => m.testAccuracy >= 0.8);
  check(passed && passed.seed === 5 && /seed=5/.test(passed.query), 'no status event with accuracy ≥ 80% for seed 5: ' + JSON.stringify(statuses.slice(-1)));
  check(statuses.some((m) => m.generation > 0 && m.generation < passed.generation), 'no status events before 80%');
  check(await page.textContent('#at') === String(passed.generation), 'quiz shows generation ' + await page.textContent('#at'));
  const sim = page.frames().find((f) => f.url().includes('index.html?'));
  check(sim, 'no simulator frame');
  check(await sim.evaluate(() => self.origin) === 'null', 'the simulator frame is not sandboxed (origin not opaque)');
  for (const sel of ['header', '#settings', '#export', '#share']) check(!(await sim.isVisible(sel)), sel + ' shown in embed mode');
  check(await sim.isVisible('#play') && await sim.isVisible('#full'), 'play button or "Open in nnesim" link missing in embed mode');
  const notices = await sim.textContent('#noticetext');
  check(/^ℹ Autosave is off here[^\n]{0,200} Export run keeps the run\.$/.test(notices), 'not one short storage notice in a sandboxed frame: ' + notices);
  // The notice is a line of the embed's bar: it covers no panel of the canvas.
  const [nr, vr, br] = await sim.evaluate(() => ['notices', 'view', 'controls'].map((id) => document.getElementById(id).getBoundingClientRect().toJSON()));
  check(nr.bottom <= vr.top + 1 && nr.top >= br.top - 1 && nr.bottom <= br.bottom + 1, `the notice ${JSON.stringify(nr)} is not in the bar ${JSON.stringify(br)} above the canvas ${JSON.stringify(vr)}`);
  await page.screenshot({ path: path.join(out, 'embed-notice.png') });
  await sim.click('#dismiss');
  check(!(await sim.isVisible('#notices')), 'the notice stays after ✕');
  // The embed keeps its run: Export run downloads it (allow-downloads),
  // and the course page's command export gets it as a message.
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), sim.click('#saverun')]);
  const fileBytes = fs.readFileSync(await dl.path());
  check(/^nnesim-seed5-gen\d+\.nne$/.test(dl.suggestedFilename()) && fileBytes.subarray(0, 8).toString() === 'NNESIMRN', `embed download ${dl.suggestedFilename()}, ${fileBytes.subarray(0, 8)}`);
  await page.click('#keep');
  await page.waitForFunction(() => window.nnesimEvents.some((m) => m.type === 'nnesim:runfile'), null, { timeout: 10000 });
  const kept = await page.evaluate(() => { const m = window.nnesimEvents.find((e) => e.type === 'nnesim:runfile'); return {name: m.name, magic: String.fromCharCode(...new Uint8Array(m.data, 0, 8)), size: m.data.byteLength}; });
  check(/^nnesim-seed5-gen\d+\.nne$/.test(kept.name) && kept.magic === 'NNESIMRN' && kept.size > 1000, 'the runfile message: ' + JSON.stringify(kept));
  check(/Kept nnesim-seed5-gen\d+\.nne/.test(await page.textContent('#kept')), 'the course page does not say it kept the run');
  // The course page's own buttons command the simulator.
  await page.click('#pause');
  await page.waitForFunction(() => { const s = window.nnesimEvents.filter((m) => m.type === 'nnesim:status'); return s.length && !s[s.length - 1].running; },
    null, { timeout: 10000 });
  await page.waitForTimeout(600);
  const g = (await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:status').pop())).generation;
  await page.waitForTimeout(1500);
  check(await sim.textContent('#status').then((t) => t.includes('Generation ' + g + ' ')), 'still running after pause: ' + await sim.textContent('#status'));
  await page.evaluate(() => document.getElementById('sim').contentWindow.postMessage({ type: 'nnesim:command', command: 'dance' }, '*'));
  await page.waitForFunction(() => /nnesim:command "dance": want one of start, pause, step, reset, export/.test(document.getElementById('log').textContent),
    null, { timeout: 5000 });
  // Hostile commands each get a short nnesim:error, and the page lives on.
  const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(20e6), { start: 1 }, 42, null];
  for (const [i, c] of hostile.entries()) {
    const before = await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:error').length);
    await page.evaluate(([c, big]) => document.getElementById('sim').contentWindow.postMessage(
      { type: 'nnesim:command', command: big ? 'x'.repeat(20e6) : c }, '*'), [i === 4 ? null : c, i === 4]);
    await page.waitForFunction((n) => window.nnesimEvents.filter((m) => m.type === 'nnesim:error').length > n, before, { timeout: 5000 })
      .catch(() => { throw new Error('no nnesim:error for command #' + i); });
    const msg = (await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:error').pop())).message;
    check(msg.length < 300 && /want one of start, pause, step, reset, export/.test(msg), `command #${i}: ${msg.slice(0, 200)}`);
  }
  // A drawing on the pad reaches the course page: the input the networks
  // see and each run's answer.
  {
    const app = appFrame(page);
    const box = await (await app.frameElement()).boundingBox();
    await page.evaluate((y) => window.scrollBy(0, y - 100), box.y);
    const fb = await (await app.frameElement()).boundingBox();
    const pad = await app.evaluate(() => window.nnesimApp.padRect());
    const x = fb.x + pad.x + pad.width / 2;
    await page.mouse.move(x, fb.y + pad.y + pad.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(x, fb.y + pad.y + pad.height * 0.85, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => window.nnesimEvents.some((m) => m.type === 'nnesim:pad'), null, { timeout: 10000 });
    const ev = await page.evaluate(() => window.nnesimEvents.find((m) => m.type === 'nnesim:pad'));
    check(ev.pixels.length === 784 && ev.pixels.filter((v) => v > 0.5).length > 20 && ev.predictions.length === 1 && ev.predictions[0].label >= 0 && ev.predictions[0].label <= 4 &&
      Math.abs(ev.predictions[0].probs.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'nnesim:pad: ' + JSON.stringify({ ...ev, pixels: ev.pixels.length }));
    check(/You drew a digit; nne reads \d/.test(await page.textContent('#drawn')), 'the course page says: ' + await page.textContent('#drawn'));
  }
  // "Open in nnesim ↗" takes the paused run along: the new tab continues
  // it where the embed is (same step, same alleles), not from step 0.
  const here = await page.evaluate(() => window.nnesimEvents.filter((m) => m.type === 'nnesim:status').pop());
  const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: 15000 }), sim.click('#full')]);
  await tab.waitForFunction((g) => window.nnesim && window.nnesim.status().generation === g && !window.nnesim.status().running, here.generation, { timeout: 60000, polling: 200 })
    .catch(async () => { throw new Error(`the opened tab is at ${JSON.stringify(await tab.evaluate(() => window.nnesim && window.nnesim.status().generation))}, the embed at ${here.generation}`); });
  const opened = await tab.evaluate(() => window.nnesim.status());
  check(opened.allelesHash === here.allelesHash && !/handoff/.test(tab.url()), `opened tab: hash ${opened.allelesHash} (embed ${here.allelesHash}), url ${tab.url()}`);
  await tab.close();
  await sim.click('#play');
  await page.waitForFunction(() => { const s = window.nnesimEvents.filter((m) => m.type === 'nnesim:status'); return s.length && s[s.length - 1].running; },
    null, { timeout: 10000 });
  await page.screenshot({ path: path.join(out, 'embed-sandboxed.png'), fullPage: true });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  console.log(`     the course page heard ${statuses.length} status events; 80% at generation ${passed.generation}`);
});

test('an embed tells its course page its height (lti.frameResize and nnesim:resize); a host that follows it shows every panel, and it settles', async ({ page, errors }) => {
  // A course page on another origin that sizes the frame as Canvas LMS does.
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="sim" src="${base}?embed=1&seed=4" width="700" height="300" style="border:0;display:block"
      sandbox="allow-scripts"></iframe><script>
    window.heard = [];
    addEventListener('message', (e) => {
      if (e.data && (e.data.subject === 'lti.frameResize' || e.data.type === 'nnesim:resize')) window.heard.push(e.data);
      if (e.data && e.data.subject === 'lti.frameResize') document.getElementById('sim').height = e.data.height;
    });</script></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame: ' + page.frames().map((f) => f.url()).join(', '));
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  await page.waitForFunction(() => window.heard.length >= 2, null, { timeout: 10000 });
  await page.waitForTimeout(2000);
  const heard = await page.evaluate(() => window.heard);
  const lti = heard.filter((m) => m.subject === 'lti.frameResize'), own = heard.filter((m) => m.type === 'nnesim:resize');
  check(lti.length >= 1 && own.length === lti.length && own.every((m, i) => m.height === lti[i].height), 'messages: ' + JSON.stringify(heard));
  const last = lti[lti.length - 1].height;
  check(last > 300 && lti.length <= 3, `heights told: ${lti.map((m) => m.height).join(', ')}`);
  const frameHeight = await page.evaluate(() => document.getElementById('sim').getBoundingClientRect().height);
  check(Math.abs(frameHeight - last) < 1, `the frame is ${frameHeight} px, told ${last}`);
  const shown = (await sim.evaluate(() => window.nnesim.panels())).length;
  await page.screenshot({ path: path.join(out, 'embed-resized.png') });
  const blue = colorStats(decodePNG(await page.screenshot({ clip: { x: 0, y: 100, width: 700, height: 700 } })), [0x25, 0x63, 0xeb]);
  check(blue.colors > 200 && blue.near > 5000, `the resized embed's canvas looks blank: ${blue.colors} colours, ${blue.near} blue pixels`);
  await page.goto(base + '?seed=4');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  const all = (await page.evaluate(() => window.nnesim.panels())).length;
  check(shown === all, `${shown} of ${all} panels shown in the frame sized as told`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('two embeds on one course page run independently, stream their events (events=1), and after a reload each is offered its own run', async ({ page, errors }) => {
  // A course page on an origin of its own (a server of this test on
  // another port), with two embeds that keep storage.
  const frames = `<!doctype html><body style="margin:0"><script>window.heard = [[], []];
    addEventListener('message', (e) => { for (const i of [0, 1]) if (document.getElementById('sim' + i) && e.source === document.getElementById('sim' + i).contentWindow) window.heard[i].push(e.data); });</script>` +
    [11, 12].map((seed, i) => `<iframe id="sim${i}" src="${base}?embed=1&events=1&generations=2000&seed=${seed}" width="700" height="420" style="border:0;display:block"
      sandbox="allow-scripts allow-same-origin allow-popups allow-downloads"></iframe>`).join('') + '</body>';
  // After the reload the first embed is put on the page 2 s after the
  // second, so that the second starts first.
  const late = frames.replace(/<iframe id="sim0"[^>]*><\/iframe>/, '').replace('</body>',
    `<script>setTimeout(() => document.body.insertBefore(Object.assign(document.createElement('div'), {innerHTML: ${JSON.stringify((frames.match(/<iframe id="sim0"[^>]*><\/iframe>/) || [''])[0])}}).firstChild, document.getElementById('sim1')), 2000);</script></body>`);
  let visits = 0;
  const course = http.createServer((req, res) => { res.setHeader('Content-Type', 'text/html'); res.end(visits++ === 0 ? frames : late); });
  await new Promise((resolve) => course.listen(0, '127.0.0.1', resolve));
  const hostURL = `http://127.0.0.1:${course.address().port}/lesson.html`;
  try {
  const sims = async () => {
    let found = [];
    for (let i = 0; i < 100 && (found = page.frames().filter((f) => f.url().startsWith(base + '?') && f.parentFrame() === page.mainFrame())).length < 2; i++) await page.waitForTimeout(100);
    check(found.length === 2, 'embeds found: ' + found.length + ' of ' + page.frames().map((f) => f.url()).join(', '));
    for (const f of found) await f.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 60000, polling: 200 });
    return found.sort((a, b) => (a.url().includes('seed=11') ? -1 : 1));
  };
  await page.goto(hostURL);
  let [a, b] = await sims();
  await a.click('#play');
  await a.waitForFunction(() => window.nnesim.status().generation >= 20, null, { timeout: 60000, polling: 200 });
  check((await b.evaluate(() => window.nnesim.status())).generation === 0, 'the second embed ran with the first');
  await b.click('#play');
  await b.waitForFunction(() => window.nnesim.status().generation >= 20, null, { timeout: 60000, polling: 200 });
  await a.click('#play');
  await b.click('#play');
  await page.waitForTimeout(1500); // an autosave
  const heard = await page.evaluate(() => window.heard);
  const events = heard.map((list) => list.filter((m) => m && m.type === 'nnesim:event').map((m) => m.event + '@' + m.step));
  check(events.every((e) => e.length === 2 && e[0] === 'play@0' && /^pause@\d+$/.test(e[1])), 'events: ' + JSON.stringify(events));
  const seeds = heard.map((list) => list.filter((m) => m && m.type === 'nnesim:status').pop().seed);
  check(seeds[0] === 11 && seeds[1] === 12, 'statuses by frame: seeds ' + seeds);
  await page.reload();
  [a, b] = await sims();
  for (const [f, seed] of [[a, 11], [b, 12]]) {
    await f.waitForSelector('#resumebar', { state: 'visible', timeout: 30000 });
    const saved = (await f.evaluate(() => window.nnesim.status())).saved;
    check(saved && new RegExp('seed=' + seed + '\\b').test(saved.query), `the embed of seed ${seed} was offered ${JSON.stringify(saved)}`);
  }
  await page.screenshot({ path: path.join(out, 'two-embeds.png') });
  } finally {
    course.close();
  }
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('an embed sized by a standard resizer (iframe-resizer 4, checkOrigin off for a sandboxed frame) shows every panel', async ({ page, errors }) => {
  const lib = fs.readFileSync(path.join(root, 'test/browser/node_modules/iframe-resizer/js/iframeResizer.min.js'), 'utf8');
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="sim" src="${base}?embed=1&seed=4" width="700" height="300" style="border:0;display:block;width:700px"
      sandbox="allow-scripts"></iframe><script>${lib}</script><script>
    window.sized = [];
    iFrameResize({checkOrigin: false, warningTimeout: 0, onResized: (m) => window.sized.push(Number(m.height))}, '#sim');</script></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  await page.waitForFunction(() => window.sized.length >= 1 && window.sized[window.sized.length - 1] > 300, null, { timeout: 15000 });
  await page.waitForTimeout(2000);
  const sized = await page.evaluate(() => window.sized);
  const frameHeight = await page.evaluate(() => document.getElementById('sim').getBoundingClientRect().height);
  check(Math.abs(frameHeight - sized[sized.length - 1]) < 2 && sized.length <= 4, `the resizer set ${sized.join(', ')}; the frame is ${frameHeight} px`);
  const shown = (await sim.evaluate(() => window.nnesim.panels())).length;
  await page.goto(base + '?seed=4');
  await waitFor(page, () => window.nnesim && window.nnesim.status().settings, null, 30000);
  const all = (await page.evaluate(() => window.nnesim.panels())).length;
  check(shown === all, `${shown} of ${all} panels shown in the frame the resizer sized`);
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('an embed in a frame that starts hidden (a slide not yet shown) lays out when it is shown', async ({ page, errors }) => {
  await page.setContent(`<!doctype html><body style="margin:0"><div id="slide" style="display:none"><iframe id="sim" src="${base}?embed=1&seed=4" width="700" height="500" style="border:0;display:block"
      sandbox="allow-scripts"></iframe></div></body>`);
  let sim = null;
  for (let i = 0; i < 100 && !(sim = page.frames().find((f) => f.url().startsWith(base + '?'))); i++) await page.waitForTimeout(100);
  check(sim, 'no simulator frame');
  await sim.waitForFunction(() => window.nnesim && window.nnesim.status().settings, null, { timeout: 30000, polling: 100 });
  await page.waitForTimeout(1000);
  await page.evaluate(() => { document.getElementById('slide').style.display = 'block'; });
  await page.waitForTimeout(1500);
  const names = (await sim.evaluate(async () => await window.nnesim.panels())).map((p) => p.name);
  check(['pad', 'curves'].every((n) => names.includes(n)), 'panels after the slide showed: ' + names.join(', '));
  const blue = colorStats(decodePNG(await page.screenshot({ clip: { x: 0, y: 0, width: 700, height: 500 } })), [0x25, 0x63, 0xeb]);
  check(blue.colors > 100 && blue.near > 500, `the shown embed looks blank: ${blue.colors} colours, ${blue.near} blue pixels`);
  await page.screenshot({ path: path.join(out, 'embed-shown-late.png') });
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('embed at 700×500 in a sandboxed frame: pad, curve and histogram without inner scrolling; the wheel scrolls the course page', async ({ page, errors }) => {
  const sim = await host(page, 'embed=1&seed=4', 700, 500);
  await sim.waitForFunction(() => document.getElementById('loading').hidden, null, { timeout: 30000 });
  const app = appFrame(page);
  await app.waitForFunction(() => window.nnesimApp && window.nnesimApp.panels().length > 0, null, { timeout: 30000 });
  await page.waitForTimeout(500); // a frame or two to lay out at the final size
  const inner = await sim.evaluate(() => document.documentElement.scrollHeight);
  check(inner <= 501, `the embed is ${inner} px tall inside a 500 px frame`);
  // The bar fits the width: play, Export run, the status, the notice
  // (storage is off in the sandbox) and "Open in nnesim ↗" all inside it.
  const bar = await sim.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
    items: ['play', 'saverun', 'status', 'notices', 'full'].map((id) => { const r = document.getElementById(id).getBoundingClientRect(); return [id, r.left, r.right, r.height]; }) }));
  check(bar.scroll <= 701 && bar.items.every(([, l, r, h]) => l >= 0 && r <= 701 && h < 60), 'the embed bar does not fit 700 px: ' + JSON.stringify(bar));
  const appFit = await app.evaluate(() => ({ scroll: document.documentElement.scrollHeight, h: innerHeight,
    panels: window.nnesimApp.panels() }));
  const names = appFit.panels.map((p) => p.name);
  check(['pad', 'curves', 'histogram'].every((n) => names.includes(n)), 'panels shown at 700×500: ' + names.join(', '));
  check(appFit.panels.every((p) => p.y + p.height <= appFit.h + 1) && appFit.scroll <= appFit.h + 1,
    `panels run past the canvas frame (${appFit.h} px): ` + JSON.stringify(appFit.panels));
  await page.screenshot({ path: path.join(out, 'embed-700x500.png') });
  const y = await wheelScrolls(page, (await panelsOf(page)).curves);
  check(y > 100, `a wheel turn over the embed's curves scrolled the course page by ${y} px`);
  // "Open in nnesim ↗" opens the run in a tab of its own.
  await page.evaluate(() => window.scrollTo(0, 0));
  const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: 10000 }), sim.click('#full')]);
  await tab.waitForLoadState();
  check(tab.url().startsWith(base + '?') && /seed=4/.test(tab.url()) && !/embed=/.test(tab.url()), 'opened ' + tab.url());
  await tab.close();
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
});

test('the Embed snippet is as tall as the panels it includes', async ({ page }) => {
  await page.goto(base + '?seed=3&hide=digits');
  await waitFor(page, () => window.nnesim.status().settings, null, 30000);
  await page.click('#embed');
  await waitFor(page, () => document.getElementById('snippet').value !== '', null, 5000);
  const snippet = await page.inputValue('#snippet');
  check(/sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"/.test(snippet), 'snippet sandbox: ' + snippet);
  const w = Number(snippet.match(/width="(\d+)"/)[1]), h = Number(snippet.match(/height="(\d+)"/)[1]);
  await page.setViewportSize({ width: 1400, height: 1400 });
  await page.setContent('<!doctype html><body style="margin:0">' + snippet.replace('loading="lazy"', '') + '</body>');
  let app = null;
  for (let i = 0; i < 100 && !(app = appFrame(page)); i++) await page.waitForTimeout(100);
  check(app, 'no canvas frame in the snippet');
  await app.waitForFunction(() => window.nnesimApp && window.nnesimApp.panels().length > 0, null, { timeout: 30000 });
  const names = (await app.evaluate(() => window.nnesimApp.panels())).map((p) => p.name).sort();
  check(names.join(',') === 'curves,heatmap,histogram,pad,tiles', `a ${w}×${h} snippet shows ${names.join(', ')}`);
  await page.screenshot({ path: path.join(out, 'embed-snippet.png') });
});
