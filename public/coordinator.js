// coordinator.js is the Web Worker that owns a training run: worker.wasm
// (core only) holds the settings, p, the test set and the curve, and K
// evaluator workers (evaluator.js) score slices of each generation's
// population in parallel. The page never blocks on training. A race has
// one coordinator per run (engine.js), each told its run's index: the Go
// side reads the race from the query and gives this worker its run and
// its share of the tab's workers (budget.Workers).
//
// Each generation: next() gives p and the minibatch; every evaluator gets
// its own copy (transferred, not cloned) and the genotypes lo..hi−1 of its
// slice; their per-gene partial sums come back as typed arrays and apply()
// merges them in slice order and moves p by eq. 3 (nne.Population.Apply,
// the code nnesim train runs). The sums are integers, so p is bitwise the
// same for any K and natively. The next generation is sent out before the
// snapshot of this one is made, so evaluating the test set overlaps work.
//
// An evaluator that throws, whose Go runtime stops, or that does not answer
// within its deadline is terminated and replaced, and its slice re-run: the
// run goes on, identical, and the snapshot carries a notice.
//
// Messages: in from engine.js (or bench.js) and the evaluators, out to
// them; every type and its fields are in Go's table, wasm/protocol
// (protocol.Worker), which names.js gives this script as W.
'use strict';
// In a sandboxed page engine.js starts this script from a blob URL and
// sets self.nnesimBase to the site's address.
importScripts((self.nnesimBase || '') + 'wasm_exec.js', (self.nnesimBase || '') + 'names.js');
const W = self.nnesimMessages.worker; // message types (wasm/protocol)

const ADVANCE_MS = 40;           // a rule the coordinator steps itself yields this often

let api = null;
let memory = null;       // this Go instance's memory (WebAssembly.Memory)
let wasmModule = null;
let trainBytes = null;   // kept to start replacement evaluators
let evaluatorURL = 'evaluator.js';
let portable = false;    // run Go's portable kernel, not the SIMD one (init's portable)
let evaluators = [];     // {worker, index, memoryBytes}
let run = 0;             // id of the current run; answers for older runs are dropped
let query = '';          // the run's canonical query, as evaluators build it
let raceQuery = '';      // the race's (the page's link)
let running = false;
let steps = 0;           // generations still to do for step()
// The generation out with the evaluators: its bytes, {generation, p,
// batch, parts}; Go's ledger (wasm/pipeline, through next, sent,
// received, failed, overdue…) keeps which slice each evaluator owes, the
// deadlines, the retry policy and the timing.
let inflight = null;
let trainedMs = 0;
let gens = [], fitness = [];
let lastPost = 0;
let snapshotMs = 0;       // at most one snapshot this often while running (interval; Go's default from init)
let picturesDue = false; // an evaluation since the last snapshot
let generation = 0;      // of the current run, as last applied (its step, in its unit)
let stepped = false;     // the run is stepped here (every rule but NNE, whose population goes to the evaluators)
let index = 0;           // this run's place in its race
let token = '';          // the race's name in autosave (engine.js)
let raceSize = 1;
// A race that needs more workers than the tab has trains each run for a
// share of the time (budget.Duty): after working t ms a run rests
// t·(1/duty − 1) ms.
let duty = 1;
let restUntil = 0, restTimer = null;
function rest(busyMs) { restUntil = duty < 1 ? performance.now() + busyMs * (1 / duty - 1) : 0; }
let ticking = false;     // a tick() is scheduled

// Autosave: the run file goes to IndexedDB at most every AUTOSAVE_MS while
// the run trains (the last state is written when that time is up), one
// write at a time, and at once on 'flush', which the page sends when it
// is hidden or closed; so a reload loses at most the generation in flight
// (a tab that crashes, at most the last second).
// (Saving after every generation cost the quick preset about 1 ms of each
// 12 ms generation, on a core the evaluators need.) Where a run is kept,
// and which saved race a starting tab offers and forgets, is Go's policy
// (wasm/autosave, through slotKey and slotPlan): each tab (engine.js names
// it, init's tab) keeps its race under keys of its own, so two tabs keep
// two runs. The store 'runs' holds the run files, 'slots' what is known of
// each (autosave.Slot), under the same key.
let db = null;
let tab = '';            // this tab's name in autosave (init)
let saving = false, saveAgain = false;
const AUTOSAVE_MS = 1000;
let lastSaveAt = -Infinity, saveTimer = null;

function openStorage() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') { reject(new Error('IndexedDB is not available')); return; }
    let req;
    try { req = indexedDB.open('nnesim', 2); } catch (err) { reject(err); return; }
    req.onupgradeneeded = (e) => {
      const d = req.result, tx = req.transaction;
      const runs = e.oldVersion < 1 ? d.createObjectStore('runs') : tx.objectStore('runs');
      const slots = d.createObjectStore('slots');
      // Version 1 kept a record {bytes, …} per key ('current', 'current1'…)
      // in 'runs': split each into its bytes and its slot, of no tab.
      if (e.oldVersion === 1) {
        runs.openCursor().onsuccess = (ev) => {
          const c = ev.target.result;
          if (!c) return;
          const r = c.value || {};
          if (r.bytes) {
            slots.put({key: c.key, tab: '', index: r.index || 0, count: r.count || 1, token: r.token || '',
              generation: r.generation || 0, savedAt: r.savedAt || 0, query: r.query || '', raceQuery: r.raceQuery || ''}, c.key);
            c.update(r.bytes);
          }
          c.continue();
        };
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error || new Error('could not open the database'));
    req.onblocked = () => reject(new Error('another tab of an older nnesim holds the storage; reload it'));
  });
}

// request wraps an IndexedDB request in a promise (null on error).
function request(r) {
  return new Promise((resolve) => { r.onsuccess = () => resolve(r.result); r.onerror = () => resolve(null); });
}

// forget deletes the slots and runs of keys.
function forget(keys) {
  return new Promise((resolve) => {
    if (!db || !keys.length) { resolve(); return; }
    try {
      const tx = db.transaction(['runs', 'slots'], 'readwrite');
      for (const k of keys) { tx.objectStore('runs').delete(k); tx.objectStore('slots').delete(k); }
      tx.oncomplete = tx.onerror = tx.onabort = () => resolve();
    } catch (err) {
      resolve();
    }
  });
}

// readSaved returns the saved race this tab offers (autosave.Choose)
// {files: [bytes of each run], generation, savedAt, query, runs, keys,
// adopt} or null, after forgetting what the plan forgets.
async function readSaved() {
  const slots = await request(db.transaction('slots').objectStore('slots').getAll()) || [];
  let held = [];
  try {
    if (navigator.locks) held = ((await navigator.locks.query()).held || []).map((l) => l.name);
  } catch (err) { /* no locks: every other tab looks closed */ }
  const plan = api.slotPlan(JSON.stringify(slots), tab, held);
  if (plan.fatal) throw new Error(plan.fatal);
  const {offer, forget: gone} = JSON.parse(plan);
  await forget(gone);
  if (!offer) return null;
  const store = db.transaction('runs').objectStore('runs');
  const files = await Promise.all(offer.keys.map((k) => request(store.get(k))));
  if (files.some((f) => !(f instanceof Uint8Array))) return null;
  return Object.assign(offer, {files});
}

// autosave writes the run now if now (or the time since the last write
// is up), else when it is up.
function autosave(now) {
  if (!db || !api || generation === 0) return;
  const key = api.slotKey(tab, index);
  if (!key) return;
  if (saving && !now) { saveAgain = true; return; }
  const wait = lastSaveAt + AUTOSAVE_MS - performance.now();
  if (!now && wait > 0) {
    if (!saveTimer) saveTimer = setTimeout(() => { saveTimer = null; autosave(); }, wait);
    return;
  }
  clearTimeout(saveTimer);
  saveTimer = null;
  lastSaveAt = performance.now();
  saving = true;
  const bytes = api.save(trainedMs / 1000);
  const slot = {key, tab, index, count: raceSize, token, generation, savedAt: Date.now(), query, raceQuery};
  const done = () => { saving = false; if (saveAgain) { saveAgain = false; autosave(); } };
  let tx = null;
  try {
    // IndexedDB runs read-write transactions on a store in the order they
    // were made, so a flush during a write lands after it. One
    // transaction holds the bytes and the slot: both land, or neither.
    tx = db.transaction(['runs', 'slots'], 'readwrite');
    tx.objectStore('runs').put(bytes, key);
    tx.objectStore('slots').put(slot, key);
    tx.oncomplete = done;
    tx.onerror = tx.onabort = () => { storageFailed(tx.error); done(); };
    // Commit now: the page may be closing.
    if (tx.commit) tx.commit();
  } catch (err) {
    // A put that throws (a full storage may) must not leave half a save:
    // the bytes without their slot. Abort, so the last save stands whole.
    try { if (tx) tx.abort(); } catch (e) { /* already finished */ }
    storageFailed(err);
    done();
  }
}

// storageFailed tells the page, once, that autosave failed, and why
// (autosave.Notice); the run goes on.
let storageTold = '';
function storageFailed(err) {
  const message = api.storageNotice(false, err ? err.name || '' : '', err ? err.message || '' : '');
  console.info('nnesim: autosave failed:', err && err.message || err);
  if (message === storageTold) return;
  storageTold = message;
  postMessage({type: W.storage, message});
}

function post(msg) {
  const transfer = [];
  const collect = (o) => { for (const v of Object.values(o)) if (ArrayBuffer.isView(v)) transfer.push(v.buffer); };
  collect(msg);
  if (msg.snapshot) collect(msg.snapshot);
  postMessage(msg, transfer);
}

function fail(where, err) {
  running = false;
  steps = 0;
  inflight = null;
  if (api) api.drop();
  postMessage({type: W.error, message: where + ': ' + (err && err.message ? err.message : String(err))});
}

// spawn starts evaluator i; it gets the module and the training pool once,
// then builds the current run.
function spawn(i) {
  const w = new Worker(evaluatorURL);
  const ev = {worker: w, index: i, memoryBytes: 0};
  api.preparing(i, Math.max(evaluators.length, i + 1));
  w.onmessage = (e) => onEvaluator(ev, e.data);
  w.onerror = (e) => { e.preventDefault(); replace(ev, 'threw an error (' + (e.message || 'no message') + ')'); };
  const train = trainBytes.slice();
  w.postMessage({type: W.init, module: wasmModule, train: train.buffer, query, run, portable}, [train.buffer]);
  evaluators[i] = ev;
}

// resize keeps k evaluators and has each build the current run.
function resize(k) {
  for (const ev of evaluators.splice(k)) ev.worker.terminate();
  for (let i = 0; i < k; i++) {
    const ev = evaluators[i];
    if (!ev) { spawn(i); continue; }
    api.preparing(i, k);
    ev.worker.postMessage({type: W.prepare, query, run});
  }
}

// replace terminates a failed evaluator and starts another in its place;
// the slice it owed is sent again once the new one is ready (the
// ledger's retry policy: failed, prepared).
function replace(ev, reason) {
  if (!ev || evaluators[ev.index] !== ev) return;
  ev.worker.terminate();
  const r = api.failed(ev.index, evaluators.length, reason);
  if (r.fatal) { fail('training', r.fatal); return; }
  postMessage({type: W.notice, message: r.notice});
  spawn(ev.index);
}

function onEvaluator(ev, m) {
  if (evaluators[ev.index] !== ev) return;
  switch (m.type) {
  case W.prepared:
    if (m.run !== run) return;
    if (api.prepared(ev.index) && inflight) send(ev.index);
    pump();
    break;
  case W.sums: {
    if (m.run !== run || !inflight) return;
    const kept = api.received(ev.index, m.generation, m.lo, m.hi, m.ms);
    if (!kept) return;
    inflight.parts[ev.index] = {deltaX: m.deltaX, x: m.x, delta: m.delta, count: m.count};
    ev.memoryBytes = m.memoryBytes || 0;
    if (kept === 2) finish();
    break;
  }
  case W.error:
    replace(ev, 'failed (' + m.message + ')');
    break;
  }
}

function send(i) {
  const g = inflight, [lo, hi] = g.slices[i];
  const p = g.p.slice(), batch = g.batch.slice();
  evaluators[i].worker.postMessage({type: W.eval, run, generation: g.generation, p, batch, lo, hi},
    [p.buffer, batch.buffer]);
  api.sent(i);
}

// pump sends out the next generation if the run should go on and every
// evaluator has built the run.
// afterRest is true when a rest's timer calls it.
function pump(afterRest) {
  const wait = restUntil - performance.now();
  if (wait > 0) {
    if (!restTimer) restTimer = setTimeout(() => { restTimer = null; pump(true); }, wait);
    return;
  }
  if (stepped) {
    if (!ticking && api && (running || steps > 0)) { ticking = true; setTimeout(tick, 0); }
    return;
  }
  if (inflight || !api || !(running || steps > 0)) return;
  if (!api.ready()) return;
  const nx = api.next(evaluators.length, !running);
  if (!nx) {
    running = false;
    steps = 0;
    // Done. finish says so with the last evaluation, but not when the
    // run was resting: then say it here (finish evaluated already).
    if (afterRest) snapshot();
    return;
  }
  inflight = {generation: nx.generation, p: nx.p, batch: nx.batch, slices: nx.slices, parts: []};
  for (let i = 0; i < evaluators.length; i++) send(i);
  api.sentAll();
}

// tick advances a run the coordinator steps itself (every rule but NNE)
// for ADVANCE_MS, then yields to messages (pause, classify) and goes on.
// Step stops at the next point of the curve.
function tick() {
  ticking = false;
  if (!api || !stepped || !(running || steps > 0)) return;
  const t0 = performance.now();
  const r = api.advance(ADVANCE_MS);
  if (r.fatal) { fail('training', r.fatal); return; }
  trainedMs += performance.now() - t0;
  rest(performance.now() - t0);
  generation = r.step;
  if (r.due) {
    if (!running && steps > 0) steps--;
    api.evaluate(trainedMs / 1000);
    picturesDue = true;
    autosave();
  }
  if (r.done) { running = false; steps = 0; }
  const stopped = !(running || steps > 0);
  if (r.due || stopped || performance.now() - lastPost >= snapshotMs) snapshot();
  pump();
}

// finish merges a generation's partial sums and applies eq. 3 (apply,
// which also records in the ledger where the generation's time went).
// The coordinator's work after the next generation went out (evaluation,
// autosave, snapshot) overlaps the evaluators; it is recorded too
// (overlap), since on two cores it competes with them.
function finish() {
  const res = api.apply(inflight.parts);
  if (res.fatal) { fail('training', res.fatal); return; }
  inflight = null;
  if (res.stepped && steps > 0) steps--;
  trainedMs += res.genMs;
  gens.push(res.generation);
  fitness.push(res.fitness);
  generation = res.generation;
  rest(res.genMs);
  pump();
  autosave();
  // Stopped: no generation went out, and none waits for a rest to end.
  const stopped = !inflight && !(restTimer && (running || steps > 0));
  if (res.evaluate || stopped) {
    api.evaluate(trainedMs / 1000);
    picturesDue = true;
  }
  if (stopped || performance.now() - lastPost >= snapshotMs) snapshot();
  api.overlap();
}

function snapshot() {
  const snap = api.snapshot(picturesDue, trainedMs / 1000);
  picturesDue = false;
  snap.gens = Float32Array.from(gens);
  snap.fitness = Float32Array.from(fitness);
  gens = [];
  fitness = [];
  snap.running = running || steps > 0 || inflight !== null;
  snap.workers = workerCount();
  // The run's memory: this Go instance's and its evaluators' (as of their
  // last slice); a wasm memory only grows.
  snap.memoryBytes = memory.buffer.byteLength + evaluators.reduce((a, ev) => a + (ev.memoryBytes || 0), 0);
  lastPost = performance.now();
  post({type: W.snapshot, snapshot: snap});
}

// reset forgets the current run's progress in this worker (answers for
// it are dropped, since run changes).
function reset() {
  run++;
  inflight = null;
  running = false;
  steps = 0;
  trainedMs = 0;
  restUntil = 0;
  gens = [];
  fitness = [];
  picturesDue = false;
  api.resetRun();
}

// started has the evaluators build the new run r (its share of the
// race's workers) and tells the page.
function started(r) {
  generation = r.snapshot.step;
  query = r.query;
  raceQuery = r.raceQuery;
  raceSize = r.race.length;
  duty = r.race[r.index].duty || 1;
  stepped = !r.evolving;
  resize(stepped ? 0 : r.race[r.index].workers);
  post(runMessage(r));
}

// workerCount is the number of workers training: the evaluators, or the
// coordinator itself for a rule it steps.
function workerCount() { return stepped ? 1 : evaluators.length; }

// runMessage is the 'run' message telling the page about run r.
function runMessage(r) {
  const msg = {type: W.run, settings: r.settings, rule: r.rule, presets: r.presets, rules: r.rules, params: r.params, evolving: r.evolving, query: r.query,
    index: r.index, race: r.race, raceQuery: r.raceQuery, token, errors: r.errors, describe: r.describe,
    labels: r.labels, numTest: r.numTest, gridImages: r.gridImages, gridTruth: r.gridTruth,
    snapshot: r.snapshot, workers: workerCount(), continued: !!r.continued, advice: r.advice || ''};
  Object.assign(msg.snapshot, {running: running || steps > 0, workers: workerCount(), gens: new Float32Array(0), fitness: new Float32Array(0)});
  return msg;
}

// configure starts the run of m.query (as the settings form edits it, if
// m.edit: Go's race.Edit), or continues the current one when only its
// stop moved later (the Go side decides: r.continued).
function configure(m) {
  const r = api.configure(m.query, m.workers, trainedMs / 1000, m.index || 0, !!m.fresh, m.edit || undefined);
  index = m.index || 0;
  token = m.token || '';
  if (r.fatal && !r.errors) { postMessage({type: W.run, errors: [r.fatal], fatal: r.fatal, token}); return; }
  if (r.continued && (!r.evolving || r.race[r.index].workers === evaluators.length)) {
    // The evaluators' runs do not depend on the stop: they go on as they
    // are. (A new number of workers starts them again below; the run goes
    // on from its generation, since any split gives the same sums.)
    query = r.query;
    raceQuery = r.raceQuery;
    raceSize = r.race.length;
    post(runMessage(r));
    pump();
    return;
  }
  reset();
  // whole: the run needs MNIST's whole training file, which engine.js
  // then downloads (Go's learner.WholeFileError).
  if (r.fatal) { postMessage({type: W.run, errors: r.errors, fatal: r.fatal, whole: !!r.whole, token}); return; }
  started(r);
}

// restore continues the run in a run file, paused at its generation; a
// file that cannot be used leaves everything as it was.
function restore(m) {
  const r = api.restore(new Uint8Array(m.bytes), m.workers, m.index || 0);
  if (r.refused) { postMessage({type: W.restoreFailed, message: r.refused, whole: !!r.whole, token: m.token}); return; }
  reset();
  index = m.index || 0;
  token = m.token || '';
  trainedMs = 1000 * r.seconds;
  started(r);
}

// The watchdog replaces evaluators that owe a slice (or their start-up)
// for too long (the ledger's deadlines): a worker that dies silently
// sends nothing. A slow generation shows its own progress rather than a
// rate of 0.
setInterval(() => {
  if (!api) return;
  const p = api.progress();
  if (p) postMessage(Object.assign({type: W.progress}, p));
  for (const [i, reason] of api.overdue()) replace(evaluators[i], reason);
}, 250);

// loadFailed tells the page that a file could not be had.
function loadFailed(err) {
  postMessage({type: W.error, message: 'loading failed: ' + (err && err.message || err)});
}

// download fetches the page's files here, off the page's thread (whose
// work would otherwise hold up reading them), all at once: files are
// app.wasm, worker.wasm, the training pool and the test set (the page's
// list, in that order). Each .wasm is
// compiled as it streams in. Every chunk's count goes to the page
// (downloading), which shows the bytes on the wire. It returns {module,
// data}: promises of worker.wasm compiled and of [train, test], so that
// Go starts here while the data still arrive. app.wasm goes to the page
// (appModule) once every file is in: the canvas app's start holds the
// page's thread for a second or two, which would stop its loading bar.
function download(files) {
  const base = self.nnesimBase || '';
  const get = async (f) => {
    const r = await fetch(base + f);
    if (!r.ok) throw new Error(f + ': HTTP ' + r.status);
    const encoding = r.headers.get('Content-Encoding') || '';
    let body = r.body, module = null;
    if (f.endsWith('.wasm')) {
      const [count, compile] = body.tee();
      body = count;
      module = WebAssembly.compileStreaming(new Response(compile, {headers: {'Content-Type': 'application/wasm'}}));
    }
    const reader = body.getReader();
    const chunks = [];
    let got = 0;
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      if (!module) chunks.push(value);
      got += value.length;
      postMessage({type: W.downloading, file: f, got, encoding});
    }
    if (module) return module;
    const out = new Uint8Array(got);
    let off = 0;
    for (const c of chunks) { out.set(c, off); off += c.length; }
    return out;
  };
  const all = files.map(get);
  // The others' failures stop init (which says so); app.wasm's is said here.
  all[0].catch(loadFailed);
  Promise.all(all).then(([module]) => postMessage({type: W.appModule, module}), () => {});
  return {module: all[1], data: Promise.all([all[2], all[3]])};
}

onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
    case W.init: {
      // The first coordinator of a page downloads the files (download);
      // the others are given them.
      const got = m.download ? download(m.download) : {module: Promise.resolve(m.module), data: Promise.resolve([m.train, m.test])};
      got.data.catch(() => {}); // awaited below
      let module, train, test;
      try { module = await got.module; } catch (err) { loadFailed(err); return; }
      wasmModule = module;
      if (m.evaluatorURL) evaluatorURL = m.evaluatorURL;
      tab = typeof m.tab === 'string' ? m.tab : '';
      const go = new Go();
      const inst = await WebAssembly.instantiate(module, go.importObject);
      memory = inst.exports.mem;
      // For Go's SIMD kernel (wasm/kernel), before go.run; bench.html can
      // ask for the portable kernel instead.
      portable = !!m.portable;
      if (!portable) self.nnesimMemory = memory;
      go.run(inst).then(() => fail('coordinator', 'the Go runtime stopped'));
      api = self.nnesimWorker;
      snapshotMs = api.interval(0);
      // Go has started while the data may still be arriving.
      try { [train, test] = await got.data; } catch (err) { loadFailed(err); return; }
      // The page keeps a copy, to start the race's other runs.
      const files = m.download ? {module, train: train.slice().buffer, test: test.slice().buffer} : null;
      trainBytes = new Uint8Array(train);
      const err = api.load(trainBytes, new Uint8Array(test), typeof m.from === 'string' ? m.from : 'MNIST');
      if (err) { fail('data', err); return; }
      // Read the autosaved run before this page writes its own.
      let saved = null;
      try {
        db = await openStorage();
        if (m.first && tab) saved = await readSaved();
      } catch (err) {
        db = null;
        // One short line for the page; the browser's reason goes to the console.
        console.info('nnesim: no storage for autosave:', err && err.message || err);
        postMessage({type: W.storage, message: api.storageNotice(true, err && err.name || '', err && err.message || '')});
      }
      postMessage({type: W.ready, saved, files}, files ? [files.train, files.test] : []);
      break;
    }
    case W.configure:
      configure(m);
      break;
    case W.restore:
      restore(m);
      break;
    case W.flush:
      autosave(true);
      break;
    case W.discard:
      // The offered race's keys: discarded, or resumed into this tab's.
      await forget(Array.isArray(m.keys) ? m.keys.filter((k) => typeof k === 'string') : []);
      if (!m.quiet) postMessage({type: W.discarded});
      break;
    case W.join: {
      const drawn = m.drawn ? {images: new Uint8Array(m.drawn.images), labels: new Uint8Array(m.drawn.labels)} : null;
      const data = api.join(m.files.map((f) => new Uint8Array(f)), m.format, drawn);
      postMessage({type: W.saved, id: m.id, data}, data instanceof Uint8Array ? [data.buffer] : []);
      break;
    }
    case W.drawn:
      postMessage({type: W.saved, id: m.id, data: api.drawn(new Uint8Array(m.bytes))});
      break;
    case W.dataset: {
      const files = {};
      for (const [k, b] of Object.entries(m.files || {})) files[k] = new Uint8Array(b);
      const d = api.readDataset(files, String(m.query || ''));
      postMessage({type: W.saved, id: m.id, data: d}, d.pool ? [d.pool.buffer, d.test.buffer, d.sample.buffer] : []);
      break;
    }
    case W.save:
      if (m.format === 'csv') {
        postMessage({type: W.saved, id: m.id, data: api.curveCSV()});
      } else {
        const bytes = api.save(trainedMs / 1000);
        postMessage({type: W.saved, id: m.id, data: bytes}, bytes ? [bytes.buffer] : []);
      }
      break;
    case W.start:
      running = true;
      pump();
      break;
    case W.pause:
      running = false;
      // Resting or stepped, nothing will end with a snapshot: say where
      // the run stopped now.
      if (api && !inflight) snapshot();
      break;
    case W.step:
      running = false;
      steps++;
      pump();
      break;
    case W.classify:
      // The draw pad's input (or window.nnesim.classify's), under the run.
      postMessage({type: W.probs, id: m.id, version: m.version, probs: api ? api.classify(new Float32Array(m.pixels)) : null});
      break;
    case W.grid:
      // The test-digit grid's view (a confusion cell, a page): the next
      // snapshot with pictures shows it, now if no generation is out.
      if (api) {
        api.grid(Number(m.truth), Number(m.pred), Number(m.page));
        picturesDue = true;
        if (!inflight) snapshot();
      }
      break;
    case W.interval:
      if (api) snapshotMs = api.interval(Number(m.ms));
      break;
    case W.kill:
      // Terminate without telling the bookkeeping, as a crash would.
      if (evaluators[m.index]) evaluators[m.index].worker.terminate();
      break;
    case W.throw:
      if (evaluators[m.index]) evaluators[m.index].worker.postMessage({type: W.throw});
      break;
    }
  } catch (err) {
    fail(m.type, err);
  }
};
