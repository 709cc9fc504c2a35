// dataset.spec.mjs: Other data: an own dataset by URL or dropped files, and all of MNIST.
import path from 'node:path';
import { test } from '../fixtures.mjs';
import { out, base, check, status, waitFor, native, invertedDataset, folderServer, tabMemory } from '../common.mjs';

test('Own dataset: data=URL of IDX files on another origin (inverted MNIST digits 0-4) trains as nnesim train -data does, to the same hash, with the classes the files hold; dropped files give the same run; every refusal leaves the run untouched', async ({ page, errors }) => {
  const { dir, trainN } = invertedDataset();
  const cors = await folderServer(dir, true), closed = await folderServer(dir, false);
  try {
    const q = 'preset=quick10&seed=5&generations=20&eval-every=10';
    await page.goto(base + '?' + q + '&data=' + encodeURIComponent(cors.url) + '&classes=zero,one,two,three,four&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 180000);
    const st = await status(page);
    check(st.dataset && st.dataset.source === cors.url && st.dataset.classes === '0-4' && st.dataset.train === trainN && st.dataset.pool === 1500 && st.dataset.test > 5000,
      'dataset: ' + JSON.stringify(st.dataset));
    check(st.settings.digits === '0-4', 'a preset for ten digits learns the five classes the files hold: ' + st.settings.digits);
    const ref = await native('-data', dir, '-preset', 'quick10', '-seed', '5', '-generations', '20', '-eval-every', '10');
    check(st.allelesHash === ref.alleles_sha256 && Math.abs(st.testAccuracy - ref.test_accuracy) < 1e-12,
      `browser ${st.allelesHash} (${st.testAccuracy}) vs nnesim train -data ${ref.alleles_sha256} (${ref.test_accuracy})`);
    const box = await page.evaluate(() => ({ text: document.getElementById('datasettext').textContent, names: document.getElementById('datasetnames').textContent,
      width: document.getElementById('datasetsample').width, url: location.search }));
    check(box.text.startsWith(cors.url + ': 5 classes (0-4), ' + trainN.toLocaleString('en') + ' training images') && /not autosaved/.test(box.text), 'the dataset box: ' + box.text);
    check(box.names === '0 zero · 1 one · 2 two · 3 three · 4 four' && box.width === 5 * 28, 'the sample row: ' + JSON.stringify(box));
    check(new URLSearchParams(box.url).get('data') === cors.url, 'the share link keeps data=: ' + box.url);
    await page.locator('#dataset').screenshot({ path: path.join(out, 'dataset.png') });

    // The same files dropped on the page train the same run.
    await page.evaluate(async (u) => {
      const dt = new DataTransfer();
      for (const n of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
        dt.items.add(new File([await (await fetch(u + n)).arrayBuffer()], n));
      }
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, cors.url);
    await waitFor(page, () => { const s = window.nnesim.status(); return s.dataset && s.dataset.source === 'dropped files' && s.settings && s.ready; }, null, 60000);
    await page.evaluate(() => window.nnesim.start());
    await waitFor(page, () => window.nnesim.status().done, null, 180000);
    const dropped = await status(page);
    check(dropped.allelesHash === ref.alleles_sha256 && dropped.settings.digits === '0-4', 'dropped files: ' + dropped.allelesHash + ' ' + dropped.settings.digits);

    // Refusals: each names the file and the problem; the run goes on.
    const before = dropped.allelesHash;
    const refused = await page.evaluate(async (u) => {
      const bytes = async (n) => new Uint8Array(await (await fetch(u + n)).arrayBuffer());
      const good = { 'train-images-idx3-ubyte': await bytes('train-images-idx3-ubyte'), 'train-labels-idx1-ubyte': await bytes('train-labels-idx1-ubyte'),
        't10k-images-idx3-ubyte.gz': await bytes('t10k-images-idx3-ubyte.gz'), 't10k-labels-idx1-ubyte.gz': await bytes('t10k-labels-idx1-ubyte.gz') };
      const cases = {
        magic: Object.assign({}, good, { 'train-images-idx3-ubyte': Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }),
        truncated: Object.assign({}, good, { 'train-images-idx3-ubyte': good['train-images-idx3-ubyte'].slice(0, 5000) }),
        counts: Object.assign({}, good, { 'train-labels-idx1-ubyte': good['train-labels-idx1-ubyte'].slice(0, 100) }),
        notgz: Object.assign({}, good, { 't10k-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte'] }),
        missing: { 'train-images-idx3-ubyte': good['train-images-idx3-ubyte'] },
      };
      const out = {};
      for (const [k, files] of Object.entries(cases)) out[k] = await window.nnesim.loadDataset(files).then(() => 'accepted', (e) => e.message);
      out.huge = await window.nnesim.loadDataset([new File([new Uint8Array(100e6)], 'train-images-idx3-ubyte')]).then(() => 'accepted', (e) => e.message);
      out.png = await window.nnesim.loadDataset([new File([Uint8Array.of(0x89, 0x50, 0x4e, 0x47)], 't10k-images-idx3-ubyte')]).then(() => 'accepted', (e) => e.message);
      return out;
    }, cors.url);
    const want = { magic: /train-images-idx3-ubyte: idx header: bad magic/, truncated: /train-images-idx3-ubyte: .*truncated/, counts: /train-labels-idx1-ubyte: .*truncated|images but .* labels/,
      notgz: /t10k-labels-idx1-ubyte.gz: .*gzip/, missing: /no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz/, huge: /^train-images-idx3-ubyte is 100.0 MB, more than the 67 MB/, png: /t10k-images-idx3-ubyte|no train/ };
    for (const [k, re] of Object.entries(want)) check(re.test(refused[k]), k + ': ' + refused[k]);
    const after = await status(page);
    check(after.allelesHash === before && after.dataset.source === 'dropped files' && after.done, 'the run after the refusals: ' + JSON.stringify(after.dataset) + ' ' + after.allelesHash);

    // A folder on a server without CORS: said, and the runs use MNIST.
    await page.goto(base + '?' + q + '&data=' + encodeURIComponent(closed.url));
    await waitFor(page, () => window.nnesim.status().settings, null, 60000);
    const nc = await status(page);
    check(nc.dataset === null && nc.settings.digits === '0-9' && nc.errors.some((e) => /does not let this page read it \(a folder on another site must send Access-Control-Allow-Origin\)/.test(e)),
      'no CORS: ' + JSON.stringify(nc.errors) + ' ' + JSON.stringify(nc.dataset));
    check(await page.isVisible('#dataset') && /Access-Control-Allow-Origin/.test(await page.textContent('#datasettext')), 'the dataset box says why');
  } finally {
    cors.close();
    closed.close();
  }
  check(errors.filter((e) => !/Access-Control|Failed to load resource|net::ERR_FAILED/.test(e)).length === 0, 'console errors: ' + errors.join('; '));
});

test('All of MNIST: per-digit=0 downloads the whole training file once, trains as nnesim train -per-digit 0 does, and an exported run resumes in a fresh page; a default page never fetches it', async ({ page, errors }) => {
  const fetched = [];
  page.on('request', (r) => { if (/train-all\.nnd/.test(r.url())) fetched.push(r.url()); });
  await page.goto(base + '?preset=quick10&generations=20&eval-every=10&seed=2&workers=2&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 60000);
  check(fetched.length === 0, 'a default page fetched the whole training file: ' + fetched.join(' '));
  const pool = { wasm: (await status(page)).memoryBytes, tab: tabMemory().private };
  const q = 'preset=quick10&per-digit=0&generations=20&eval-every=10&seed=2&workers=2';
  await page.goto(base + '?' + q + '&autostart=1');
  await waitFor(page, () => window.nnesim.status().done, null, 240000);
  const st = await status(page);
  check(fetched.length === 1, 'the whole file was fetched ' + fetched.length + ' times');
  const ref = await native('-preset', 'quick10', '-per-digit', '0', '-seed', '2', '-generations', '20', '-eval-every', '10');
  check(st.settings['per-digit'] === '0' && st.allelesHash === ref.alleles_sha256 && Math.abs(st.testAccuracy - ref.test_accuracy) < 1e-12,
    `per-digit ${st.settings['per-digit']}: browser ${st.allelesHash} (${st.testAccuracy}) vs nnesim train -per-digit 0 ${ref.alleles_sha256} (${ref.test_accuracy})`);
  check(st.errors.length === 0 && st.fatal === null && !(await page.isVisible('#dataset')), 'errors ' + JSON.stringify(st.errors) + ', fatal ' + st.fatal);
  // The page's memory with the whole training file: every run's Go
  // instances (coordinator and workers), and the tab's.
  const tab = tabMemory().private;
  console.log(`     quick10, 2 workers: the run's wasm memory ${(pool.wasm / 1e6).toFixed(0)} MB on the pool (3,000 images), ${(st.memoryBytes / 1e6).toFixed(0)} MB on all 60,000; the tab's private memory ${(pool.tab / 1e6).toFixed(0)} MB and ${(tab / 1e6).toFixed(0)} MB`);
  const file = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
  // A fresh page (its own default run) imports the file: it needs the
  // whole training file, downloads it, and goes on bit for bit.
  await page.goto(base + '?generations=40&seed=2');
  await waitFor(page, () => window.nnesim.status().settings, null, 60000);
  const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), file);
  check(back.generation === 20 && back.allelesHash === ref.alleles_sha256 && back.settings['per-digit'] === '0', 'imported: ' + back.generation + ' ' + back.allelesHash);
  check(fetched.length === 2, 'the fresh page fetched the whole file ' + (fetched.length - 1) + ' times');
  check(errors.length === 0, 'console errors: ' + errors.join('; '));
});

test('a run file names its data: a dataset\'s run is refused on MNIST and an MNIST run on the dataset, each saying which data it needs; on its own data it goes on', async ({ page, errors }) => {
  const { dir } = invertedDataset();
  const cors = await folderServer(dir, true);
  try {
    const q = 'preset=quick10&seed=5&generations=10&eval-every=10';
    await page.goto(base + '?' + q + '&data=' + encodeURIComponent(cors.url) + '&autostart=1');
    await waitFor(page, () => window.nnesim.status().done, null, 180000);
    const onData = await status(page);
    const dataFile = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
    // The same page on MNIST: the dataset's file is refused, and the MNIST run stays.
    await page.evaluate(() => window.nnesim.useMNIST());
    await waitFor(page, () => { const s = window.nnesim.status(); return s.ready && s.settings && s.dataset === null; }, null, 60000);
    await page.evaluate(() => window.nnesim.start());
    await waitFor(page, () => window.nnesim.status().generation >= 3, null, 60000);
    await page.evaluate(() => window.nnesim.pause());
    const before = await status(page);
    const refused = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)).then(() => 'accepted', (e) => e.message), dataFile);
    check(new RegExp('the run learned from the dataset ' + cors.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + ' \\(data [0-9a-f]{16}\\), and MNIST is other data \\(data [0-9a-f]{16}\\)').test(refused), 'the dataset\'s run on MNIST: ' + refused);
    const after = await status(page);
    check(after.allelesHash === before.allelesHash && after.generation === before.generation, 'the refusal changed the run');
    const mnistFile = await page.evaluate(async () => Array.from(await window.nnesim.exportRun()));
    // Back on the dataset: its own file goes on; MNIST's is refused.
    await page.goto(base + '?' + q + '&data=' + encodeURIComponent(cors.url));
    await waitFor(page, () => { const s = window.nnesim.status(); return s.ready && s.settings && s.dataset; }, null, 120000);
    const back = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)), dataFile);
    check(back.generation === 10 && back.allelesHash === onData.allelesHash, 'the dataset\'s run on its data: ' + back.generation + ' ' + back.allelesHash);
    const wrong = await page.evaluate(async (f) => window.nnesim.importRun(new Uint8Array(f)).then(() => 'accepted', (e) => e.message), mnistFile);
    check(/the file names no data, so the run learned from MNIST \(data [0-9a-f]{16}\)/.test(wrong) && /is other data/.test(wrong), 'the MNIST run on the dataset: ' + wrong);
  } finally {
    cors.close();
  }
  // The folder holds the test pair gzipped only: the raw names' 404s.
  check(errors.filter((e) => !/Failed to load resource/.test(e)).length === 0, 'console errors: ' + errors.join('; '));
});

test('a race whose second run holds out a validation set (sgd:val=0.1) downloads the whole training file, and that run is the native one', async ({ page, errors }) => {
  const fetched = [];
  page.on('request', (r) => { if (/train-all\.nnd/.test(r.url())) fetched.push(r.url()); });
  await page.goto(base + '?algo=nne,sgd:val=0.1&digits=0-4&per-digit=100&generations=5&epochs=1&seed=2&autostart=1');
  await waitFor(page, () => { const s = window.nnesim.status(); return s.done && s.runs.length === 2; }, null, 240000);
  const st = await status(page);
  check(fetched.length === 1 && st.errors.length === 0 && st.fatal === null, `fetched ${fetched.length}, errors ${JSON.stringify(st.errors)}, fatal ${st.fatal}`);
  const ref = await native('-algo', 'sgd', '-digits', '0-4', '-per-digit', '100', '-epochs', '1', '-seed', '2', '-val', '0.1');
  check(st.runs[1].hash === ref.weights_sha256 && Math.abs(st.runs[1].testAccuracy - ref.test_accuracy) < 1e-12, `sgd:val=0.1 in the race ${st.runs[1].hash} (${st.runs[1].testAccuracy}) vs nnesim train ${ref.weights_sha256} (${ref.test_accuracy})`);
  check(errors.length === 0, 'console errors: ' + errors.join('; '));
});
