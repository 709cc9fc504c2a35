// engine.js runs inside app.html: it downloads the wasm and data with a
// progress report, starts the ebiten app (app.wasm) on this frame's canvas
// and a training coordinator per run of the race (worker.wasm in
// coordinator.js, which runs K evaluator workers for NNE; a single run is
// a race of one), and relays between them. It also counts animation
// frames, to show that training never blocks the page. The page that
// embeds this frame (index.html) drives it through window.nnesimEngine, or,
// when it may not touch this window (a sandboxed iframe gives each frame
// its own opaque origin), through call messages answered by reply; it
// hears from it through postMessage events. Every message type, with its
// fields, is in Go's table, wasm/protocol (protocol.Page and, with the
// coordinators, protocol.Worker), which names.js gives this script as P
// and W.
//
// This frame's own URL parameter hide=… names canvas panels to leave out
// (render.ParseHidden).
'use strict';
(() => {
  // Message types, from Go's table (wasm/protocol) via names.js.
  const W = self.nnesimMessages.worker, P = self.nnesimMessages.page;
  const names = self.nnesimNames; // names.js: lists and constants from Go
  // The files a page downloads before its first run (run 0's coordinator
  // fetches them: download in coordinator.js).
  const files = ['app.wasm', 'worker.wasm', 'data/train.nnd', 'data/test.nnd'];
  // The race: every run on the page, each trained by its own coordinator
  // (coordinator.js) with its share of the workers. A single run is a race
  // of one. The Go side reads the race from the query (race.Parse);
  // run 0's coordinator answers first and says how many runs there are.
  const race = {
    runs: [],          // newRun(i) for each run of the race
    token: '',         // the current configure or restore; answers for older ones are dropped
    pending: null,     // {kind: 'configure' | 'restore', query | bytes, workers}
    raceQuery: '', race: [], // the race as Go wrote it: its query and [{algo, label, workers, duty}]
    size: 0,           // runs in the pending race, once run 0 has answered (0 before)
    ready: false, fatal: null, errors: [], storage: null, discarded: false,
  };
  const defaultWorkers = Math.max(1, Math.min(names.maxWorkers, (navigator.hardwareConcurrency || 2) - 1));
  let pendingQuery = null;
  let pendingEdit = null; // the settings form's edit of pendingQuery (configure)
  let wantRunning = false;
  // {module, train, test, evaluatorURL, coordinatorURL, tab} to start
  // coordinators; module, train and test are null until run 0's
  // coordinator has downloaded them.
  let wasm = null;
  let appUp = false; // the canvas app (app.wasm) runs
  let firstReady = null; // run 0's coordinator's ready message, kept until the canvas app runs
  let appMemory = null; // the canvas app's wasm memory

  // newRun starts coordinator i; what the page knows of its run is kept
  // beside it, updated from its messages.
  function newRun(i, attempt = 0) {
    const run = {
      index: i, worker: new Worker(wasm.coordinatorURL), ready: false, token: '',
      generation: 0, running: false, algo: names.defaultRule, label: names.defaultRule, testAccuracy: null, trainAccuracy: null,
      gensPerSecond: 0, workers: 0, allelesHash: null, hash: null, unit: 'generation', done: false, settings: null, query: '',
      describe: '', notices: [], timing: null, seconds: 0, labels: null,
      progress: null, // a slow generation under way: {generation, slices, slicesDone, seconds}
    };
    run.worker.onmessage = (e) => onWorker(run, e.data);
    run.worker.onerror = (e) => {
      if (race.runs[i] !== run) return; // stopped: its race shrank or started again
      if (!run.ready && attempt < 1) {
        // It could not start: a script that failed to load (importScripts'
        // NetworkError, as a busy server or a dropped connection can make
        // it). It is started once more before the race gives up on it.
        e.preventDefault();
        run.worker.terminate();
        race.runs[i] = newRun(i, attempt + 1);
        return;
      }
      fatal('coordinator ' + (i + 1) + ': ' + (e.message || 'failed to start'));
    };
    const init = {type: W.init, evaluatorURL: wasm.evaluatorURL, first: i === 0, tab: wasm.tab,
      from: dataset.source ? (dataset.source === 'dropped files' ? 'a dataset of dropped files' : 'the dataset ' + dataset.source) : 'MNIST'};
    if (!wasm.module) {
      // The page's first coordinator downloads the files.
      run.worker.postMessage(Object.assign(init, {download: files}));
      return run;
    }
    // Each coordinator gets its own copy of the data (transferred).
    const train = wasm.train.slice(), test = wasm.test.slice();
    run.worker.postMessage(Object.assign(init, {module: wasm.module, train: train.buffer, test: test.buffer}), [train.buffer, test.buffer]);
    return run;
  }

  // each sends a message to every run of the race.
  function each(msg) { for (const r of race.runs) r.worker.postMessage(msg); }

  // fanOut sends the pending configure or restore to runs 1… once run 0
  // has answered it with the race's size, starting and stopping
  // coordinators to match.
  function fanOut(n) {
    for (const r of race.runs.splice(n)) r.worker.terminate();
    for (let i = 1; i < n; i++) {
      if (!race.runs[i]) race.runs[i] = newRun(i);
      else if (race.runs[i].ready) send(race.runs[i]);
    }
  }

  // send gives run r the pending configure or restore.
  function send(r) {
    const p = race.pending;
    if (!p) return;
    if (p.kind === 'restore') {
      const bytes = p.bytes.slice();
      r.worker.postMessage({type: W.restore, bytes: bytes.buffer, workers: p.workers, index: r.index, token: race.token}, [bytes.buffer]);
    } else {
      r.worker.postMessage({type: W.configure, query: p.query, edit: p.edit || null, workers: p.workers, index: r.index, token: race.token, fresh: !!p.fresh});
    }
  }
  // The canvas is a tall frame in a scrolling page, but ebiten cancels
  // (preventDefault) every touch and wheel event on its canvas, so the
  // page would not scroll over it. Touch gestures that start off the draw
  // pad and its Clear button (nnesimApp.onControl), and every wheel turn,
  // are kept from ebiten: the browser then scrolls the page as anywhere
  // else. Listeners on window in the capture phase run before the canvas's.
  let scrollGesture = false; // the current touch gesture began off the pad
  const onControl = (t) => !!(window.nnesimApp && window.nnesimApp.onControl(t.clientX, t.clientY));
  window.addEventListener('touchstart', (ev) => {
    if (ev.touches.length === ev.changedTouches.length) scrollGesture = !Array.from(ev.changedTouches).some(onControl);
    if (scrollGesture) ev.stopImmediatePropagation();
  }, {capture: true, passive: true});
  for (const type of ['touchmove', 'touchend', 'touchcancel']) {
    window.addEventListener(type, (ev) => { if (scrollGesture) ev.stopImmediatePropagation(); }, {capture: true, passive: true});
  }
  window.addEventListener('wheel', (ev) => ev.stopImmediatePropagation(), {capture: true, passive: true});
  // The curves show the value under a mouse, or under a tap or click
  // (touch gestures off the pad never reach ebiten, see above): the app
  // hears them through nnesimApp.pointer and nnesimApp.tap.
  let press = null;
  window.addEventListener('pointermove', (ev) => {
    if (ev.pointerType === 'mouse' && window.nnesimApp) window.nnesimApp.pointer(ev.clientX, ev.clientY);
  }, {passive: true});
  document.addEventListener('mouseleave', () => { if (window.nnesimApp) window.nnesimApp.pointer(-1, -1); });
  window.addEventListener('pointerdown', (ev) => { press = {x: ev.clientX, y: ev.clientY, t: performance.now()}; }, {capture: true, passive: true});
  window.addEventListener('pointerup', (ev) => {
    const p = press;
    press = null;
    if (ev.target.closest && ev.target.closest('#overlay')) return; // an ⓘ or its note
    if (!p || !window.nnesimApp || Math.hypot(ev.clientX - p.x, ev.clientY - p.y) > 10 || performance.now() - p.t > 600) return;
    pressAt(ev.clientX, ev.clientY);
  }, {capture: true, passive: true});
  // pressAt taps the canvas at (x, y) (CSS pixels of this frame): a press on
  // the confusion matrix or the grid's pager makes the shown run's
  // coordinator send that page of its test digits. The overlay's keyboard
  // controls press through it too (self.nnesimPress).
  function pressAt(x, y) {
    const t = window.nnesimApp && window.nnesimApp.tap(x, y);
    const r = t && t.grid ? race.runs[t.grid.run] : null;
    if (r) r.worker.postMessage({type: W.grid, truth: t.grid.truth, pred: t.grid.pred, page: t.grid.page});
    return !!t;
  }
  self.nnesimPress = pressAt;
  // ebiten focuses its canvas on every press, and focus() scrolls the
  // page to show as much of the tall canvas as it can: the first stroke
  // on the pad would land where the pad was. Focus without scrolling.
  const focus = HTMLElement.prototype.focus;
  HTMLCanvasElement.prototype.focus = function (options) {
    return focus.call(this, Object.assign({}, options, {preventScroll: true}));
  };

  function tell(type, detail) {
    const msg = Object.assign({type}, detail);
    if (window.parent !== window) window.parent.postMessage(msg, '*');
    window.dispatchEvent(new CustomEvent('nnesim', {detail: msg}));
  }

  // notice says something the user should know that is the page's, not
  // a run's (My digits, an import's drawings): it stays in status().notices
  // (the last five), which the page shows until dismissed.
  function notice(message) {
    race.notices = (race.notices || []).filter((n) => n !== message).concat([message]).slice(-5);
    tell(P.notice, {message});
    if (race.ready) tell(P.status, {status: status()}); // the page shows it now
  }

  function fatal(message) {
    race.fatal = message;
    for (const r of race.runs) r.running = false;
    tell(P.error, {message});
  }

  // concat joins chunks of n bytes in all into one Uint8Array.
  function concat(chunks, n) {
    const out = new Uint8Array(n);
    let off = 0;
    for (const c of chunks) { out.set(c, off); off += c.length; }
    return out;
  }

  // loading counts the bytes on the wire of the files (run 0's
  // coordinator reports each file's bytes as they arrive, decompressed,
  // and the encoding the server chose); each counts as its share of the
  // file's size in that encoding (manifest.json has each file's raw, gzip
  // and brotli sizes). told: the page has heard that loading is over.
  const loading = {manifest: null, got: {}, enc: {}, told: false};
  function reportLoading() {
    const manifest = loading.manifest;
    if (!manifest) return;
    // A file counts in the encoding its answer said: br, gzip, or none;
    // until it answers, in the one another file's answer said (the same
    // server), and if a host hides it, as gzip (the twin every server of
    // nnesim's files has, and what static hosts send).
    const said = files.map((f) => loading.enc[f]).find((e) => e !== undefined);
    let loaded = 0, total = 0;
    for (const f of files) {
      const m = manifest[f], enc = f in loading.enc ? loading.enc[f] : said;
      if (!m) continue;
      const wire = enc === 'br' && m.br ? m.br : enc === 'identity' ? m.bytes : m.gzip;
      total += wire;
      if (loading.got[f]) loaded += wire * Math.min(1, loading.got[f] / m.bytes);
    }
    tell(P.progress, {loaded: Math.round(loaded), total});
  }
  async function readManifest() {
    const res = await fetch('manifest.json');
    if (!res.ok) throw new Error('manifest.json: HTTP ' + res.status + ' (was the site built with ./build.sh?)');
    loading.manifest = await res.json();
    reportLoading();
  }
  // appModule resolves to app.wasm compiled, which run 0's coordinator
  // sends (appModule) as soon as it has it.
  let gotApp;
  const appModule = new Promise((resolve) => { gotApp = resolve; });

  // raceReady takes requests once run 0's coordinator has said it is
  // ready (firstReady) and the canvas app runs, whichever comes last: Go's
  // reading of a query (nnesimApp.page) is in the app.
  function raceReady() {
    const m = firstReady;
    firstReady = null;
    if (!loading.told) { loading.told = true; tell(P.loaded, {}); }
    race.ready = true;
    each({type: W.interval, ms: window.nnesimApp.pace().interval});
    if (whole.again) {
      // Back on the whole training file: ask again what needed it,
      // unless the page asked for something newer meanwhile.
      const again = whole.again;
      whole.again = null;
      if (pendingQuery === null) { again(); return; }
    }
    savedRun = m.saved || null;
    if (savedRun) tell(P.autosaved, {generation: savedRun.generation, savedAt: savedRun.savedAt, query: savedRun.query, runs: savedRun.runs});
    if (pendingQuery !== null) configure(pendingQuery, false, pendingEdit);
  }

  // onWorker handles a message from run r's coordinator.
  function onWorker(r, m) {
    const app = window.nnesimApp;
    switch (m.type) {
    case W.downloading:
      loading.got[m.file] = m.got;
      loading.enc[m.file] = m.encoding;
      reportLoading();
      break;
    case W.appModule:
      gotApp(m.module);
      break;
    case W.ready:
      r.ready = true;
      if (m.files) Object.assign(wasm, {module: m.files.module, train: new Uint8Array(m.files.train), test: new Uint8Array(m.files.test)});
      r.worker.postMessage({type: W.interval, ms: app ? app.pace().interval : 0});
      if (r.index > 0) {
        if (r.index < race.size) send(r); // else fanOut sends it, once run 0 says how many runs there are
        break;
      }
      firstReady = m;
      if (appUp) raceReady();
      break;
    case W.run: {
      if (m.token !== race.token) break; // an answer to an earlier configure
      const first = r.index === 0;
      if (first && m.fatal && m.whole) {
        const p = race.pending;
        if (p && wantWhole(() => configure(p.query, p.fresh, p.edit))) {
          for (const x of race.runs) x.running = false; // the coordinator stopped it
          tell(P.status, {status: status()});
          return;
        }
      }
      if (first && m.fatal) {
        race.pending = null;
        race.errors = (m.errors || []).concat(pageErrors);
        fatal(m.fatal);
        if (pendingRestore) { pendingRestore.reject(new Error(m.fatal)); pendingRestore = null; }
        return;
      }
      if (m.fatal) { fatal('run ' + (r.index + 1) + ': ' + m.fatal); return; }
      if (first) {
        race.errors = (m.errors || []).concat(pageErrors);
        race.race = m.race;
        race.size = m.race.length;
        race.raceQuery = m.raceQuery;
        if (race.pending && race.pending.edit) race.pending = Object.assign({}, race.pending, {query: m.raceQuery, edit: null});
        app.setRace(m.race.map((x) => x.label));
        fanOut(m.race.length);
      }
      r.token = m.token;
      Object.assign(r, {notices: [], advice: m.advice || '', settings: m.settings, algo: m.settings.algo, phases: m.rule ? m.rule.phases : [], label: m.race[r.index].label, labels: m.labels,
        query: m.query, describe: m.describe, generation: 0, progress: null, testAccuracy: null, trainAccuracy: null, done: false});
      r.workers = m.workers;
      applySnapshot(r, m.snapshot);
      const err = app.configure(r.index, m);
      if (err) fatal('app: ' + err);
      if (wantRunning && !r.done) play(r);
      if (race.runs.every((x) => x.token === race.token)) {
        // Every run of the race has answered.
        race.pending = null;
        const r0 = race.runs[0];
        tell(P.run, {workers: race.workers || defaultWorkers, settings: r0.settings, runSettings: race.runs.map((x) => x.settings), presets: m.presets, rules: m.rules, params: m.params, race: race.race, continued: m.continued,
          query: race.raceQuery, errors: race.errors, advice: (race.runs.find((x) => x.advice) || {}).advice || '', describe: race.runs.map((x) => x.describe).join('\n'),
          locks: race.locks || null, status: status()});
        if (pendingRestore) { pendingRestore.resolve(status()); pendingRestore = null; }
      } else {
        tell(P.status, {status: status()});
      }
      break;
    }
    case W.progress:
      r.progress = {generation: m.generation, slices: m.slices, slicesDone: m.slicesDone, seconds: m.seconds};
      tell(P.status, {status: status()});
      break;
    case W.snapshot:
      if (r.token !== race.token) break;
      applySnapshot(r, m.snapshot);
      {
        const err = app.update(r.index, m.snapshot);
        if (err) fatal('app: ' + err);
      }
      tell(P.status, {status: status()});
      break;
    case W.probs: {
      // The run's answer for the pad's input (version) or a classify call (id).
      const req = classifyCalls.get(m.id);
      classifyCalls.delete(m.id);
      if (req) req(m.probs);
      // An answer the app did not take (the drawing changed since it was
      // sent) is no answer for the drawing the course page would be told.
      else if (m.probs && app && app.setProbs(r.index, m.version, m.probs)) padAnswered(r.index, m.version);
      break;
    }
    case W.saved: {
      const req = requests.get(m.id);
      requests.delete(m.id);
      if (!req) break;
      if (m.data === null || m.data === undefined) req.reject(new Error('there is no run yet'));
      else req.resolve(m.data);
      break;
    }
    case W.discarded:
      race.discarded = true;
      break;
    case W.restoreFailed:
      if (m.token !== race.token) break;
      if (m.whole && r.index === 0 && race.pending) {
        const p = race.pending;
        if (wantWhole(() => { race.pending = p; race.token = newToken(); race.size = 0; send(race.runs[0]); })) break;
      }
      race.pending = null;
      if (pendingRestore) { pendingRestore.reject(new Error(r.index > 0 ? 'run ' + (r.index + 1) + ': ' + m.message : m.message)); pendingRestore = null; }
      break;
    case W.storage:
      if (r.index > 0) break; // every coordinator has the same storage: say it once
      race.storage = m.message;
      tell(P.notice, {message: m.message});
      break;
    case W.notice: {
      const msg = race.runs.length > 1 ? r.label + ': ' + m.message : m.message;
      r.notices = r.notices.concat([msg]).slice(-5);
      tell(P.notice, {message: msg});
      break;
    }
    case W.error:
      fatal(race.runs.length > 1 ? r.label + ': ' + m.message : m.message);
      break;
    }
  }

  function applySnapshot(r, s) {
    if (s.step !== r.generation) r.progress = null;
    r.generation = s.step;
    r.unit = s.unit;
    r.hash = s.hash;
    r.running = wantRunning && s.running;
    r.done = s.done;
    if (race.runs.every((x) => x.done)) wantRunning = false;
    r.gensPerSecond = s.rate || 0;
    r.allelesHash = s.allelesHash || null;
    r.kernel = s.kernel || null;
    r.seconds = s.seconds;
    if (s.timing) r.timing = s.timing;
    if (s.workers) r.workers = s.workers;
    if (s.memoryBytes) r.memoryBytes = s.memoryBytes;
    if (typeof s.testAccuracy === 'number') {
      r.testAccuracy = s.testAccuracy;
      r.trainAccuracy = s.trainAccuracy;
    }
  }

  let pageErrors = [];
  let pendingRestore = null;
  const requests = new Map(); // id → {resolve, reject} of a 'save' or 'join' to a coordinator
  let requestID = 0;
  let savedRun = null; // the autosaved race found at start-up: autosave.Race and its files

  // ask sends msg with a fresh id to run r's coordinator and resolves with
  // its 'saved' answer.
  function ask(r, msg, transfer) {
    return new Promise((resolve, reject) => {
      const id = ++requestID;
      requests.set(id, {resolve, reject});
      r.worker.postMessage(Object.assign({id}, msg), transfer || []);
    });
  }

  // joined resolves with the race file of every run's current state
  // (format 'run'), with the digits drawn (My digits) beside it if
  // withDrawn, or with format 'csv' every run's curve as one CSV (Go
  // joins them: runfile.Join, runfile.Attach, runfile.WriteCurvesCSV).
  async function joined(format, withDrawn) {
    if (!race.ready || !race.runs.length || !race.runs[0].settings) throw new Error('no run to export yet');
    const drawn = format === 'run' && withDrawn ? drawnSet() : null;
    // A run of another dataset goes through join too, which names its data.
    if (race.runs.length === 1 && !drawn && (format !== 'run' || !dataset.source)) return ask(race.runs[0], {type: W.save, format});
    const files = await Promise.all(race.runs.map((r) => ask(r, {type: W.save, format: 'run'})));
    const transfer = files.map((f) => f.buffer).concat(drawn ? [drawn.images, drawn.labels] : []);
    return ask(race.runs[0], {type: W.join, files: files.map((f) => f.buffer), format, drawn}, transfer);
  }
  // drawnSet is the digits drawn as an IDX pair of ArrayBuffers, or null
  // for none.
  function drawnSet() {
    const app = window.nnesimApp;
    if (!app) return null;
    loadMine(app);
    if (!app.mine('state').kept) return null;
    const p = app.mineIDX();
    return {images: p.images.buffer, labels: p.labels.buffer};
  }
  // mergeDrawn adds the digits drawn that an imported file carries to
  // My digits (Go's mnist.Mine.Merge: only those the set lacks), saying
  // how many; the run goes on either way.
  async function mergeDrawn(bytes) {
    const app = window.nnesimApp;
    if (!app || !race.runs[0]) return;
    const b = new Uint8Array(bytes).slice();
    const d = await ask(race.runs[0], {type: W.drawn, bytes: b.buffer}, [b.buffer]);
    if (!d.images && !d.error) return;
    loadMine(app);
    const m = d.error ? d : app.mineMerge(d.images, d.labels);
    if (m.error) { notice('The digits drawn in the file were not added to My digits: ' + m.error); return; }
    if (m.added > 0) {
      saveMine(app);
      notice(m.added + ' drawing' + (m.added === 1 ? '' : 's') + ' from the file joined My digits (' + m.kept + ' kept).');
    }
  }

  // resumeSaved continues the autosaved race; discardSaved forgets it.
  async function resumeSaved() {
    if (!savedRun) throw new Error('there is no saved run');
    const files = savedRun.files;
    const bytes = files.length === 1 ? files[0]
      : await ask(race.runs[0], {type: W.join, files: files.map((f) => f.slice().buffer), format: 'run'});
    const s = await importRun(bytes);
    // Another tab's race now lives in this tab's keys.
    if (savedRun.adopt.length) race.runs[0].worker.postMessage({type: W.discard, keys: savedRun.adopt, quiet: true});
    savedRun = null;
    return s;
  }
  function discardSaved() {
    if (race.runs[0]) race.runs[0].worker.postMessage({type: W.discard, keys: savedRun ? savedRun.keys : []});
    savedRun = null;
  }

  // frameSlot tells apart embeds of one course page, which share the
  // tab's sessionStorage: ':embed' and the embed's address as its host
  // wrote it (read before the page rewrites it), '' in a page of its own.
  // Two embeds of the same settings share a list, and each holds a name
  // of it. (This frame is the canvas; its parent is the page, whose
  // parent is the course page.)
  function frameSlot() {
    try {
      const page = window.parent;
      if (page.parent === page) return '';
      return ':embed' + page.location.search;
    } catch (err) {
      return ':embed'; // the page is not this frame's origin: no storage either
    }
  }
  // claimTab resolves with this tab's name in autosave (wasm/autosave),
  // or '' without storage. sessionStorage keeps a tab's names across its
  // reloads (a tab may hold two embeds, so it keeps a list); a name is
  // this frame's while it holds the Web Lock names.tabLock + name, so a
  // duplicated tab, which starts with a copy of the list, takes a new one.
  // Right after a reload the old page may hold its lock a moment longer.
  async function claimTab() {
    const KEY = 'nnesim-tabs' + frameSlot();
    let list = [];
    try {
      list = JSON.parse(sessionStorage.getItem(KEY) || '[]');
      if (!Array.isArray(list)) list = [];
    } catch (err) {
      return ''; // no storage (a sandboxed frame): no autosave either
    }
    list = list.filter((t) => typeof t === 'string').slice(0, 8);
    const fresh = () => Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    if (!navigator.locks) return list[0] || fresh();
    const hold = (name) => new Promise((resolve) => {
      navigator.locks.request(names.tabLock + name, {ifAvailable: true}, (lock) => {
        resolve(!!lock);
        return lock ? new Promise(() => {}) : null; // held while this page lives
      }).catch(() => resolve(false));
    });
    for (let tries = 0; tries < 10; tries++) {
      for (const t of list) if (await hold(t)) return t;
      if (!list.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const t = fresh();
    await hold(t);
    try { sessionStorage.setItem(KEY, JSON.stringify(list.concat([t]))); } catch (err) { /* kept for this page only */ }
    return t;
  }
  const tabClaim = claimTab().catch(() => '');
  // The page is going away, or hidden (a phone may then close it without
  // pagehide): write the latest generation now.
  window.addEventListener('pagehide', () => each({type: W.flush}));
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') each({type: W.flush}); });

  // exportRun resolves with the race as a run file (Uint8Array): one
  // run's file, or a race file holding every run's.
  // The digits drawn go with it unless withDrawn is false (a course
  // platform's state keeps the run alone).
  function exportRun(withDrawn) { return joined('run', withDrawn !== false); }
  // exportCurves resolves with the accuracy curves as CSV text, the
  // columns of nnesim train -csv (a race's with a first column "run").
  function exportCurves() { return joined('csv'); }
  // exportPNG resolves with the canvas panels as PNG bytes, in device
  // pixels (drawn by Go from the panels' pixels, not read back from WebGL).
  function exportPNG() {
    const png = window.nnesimApp && window.nnesimApp.png();
    return png ? Promise.resolve(png) : Promise.reject(new Error('the canvas is not drawn yet'));
  }

  // importRun continues the race (or run) in a run file, paused where it
  // was saved. Run 0's coordinator checks the whole file first: a file
  // that cannot be used rejects with the reason, and the current race
  // goes on untouched.
  function importRun(bytes) {
    if (!race.ready) return Promise.reject(new Error('the engine is still loading'));
    if (pendingRestore) return Promise.reject(new Error('an import is already in progress'));
    return new Promise((resolve, reject) => {
      // An imported run starts paused, unless Play comes after this (its
      // runs then start as they answer).
      wantRunning = false;
      whole.next = null; // a newer request than the one waiting for the whole file
      pendingRestore = {resolve: (s) => { mergeDrawn(bytes).catch(() => {}).then(() => resolve(s)); }, reject};
      race.pending = {kind: 'restore', bytes: new Uint8Array(bytes).slice(), workers: totalWorkers()};
      race.token = newToken();
      race.size = 0;
      send(race.runs[0]);
    });
  }

  // totalWorkers is the number of workers the race shares now.
  function totalWorkers() {
    return race.pending ? race.pending.workers : race.workers || defaultWorkers;
  }

  let tokens = 0;
  function newToken() { return Date.now().toString(36) + '.' + (++tokens); }

  // configure starts the race of query; a run whose settings stay (or
  // only move its stop later) goes on, unless fresh (Reset). With edit
  // ({algos, set}: the settings form's rules and typed values), the race
  // is the one the form makes of query's (Go's race.Edit, in run 0's
  // coordinator, whose answer gives the other runs its query).
  function configure(query, fresh, edit) {
    whole.next = null; // a newer request than the one waiting for the whole file
    pendingQuery = query;
    pendingEdit = edit || null;
    if (!race.ready) return;
    pendingQuery = pendingEdit = null;
    race.fatal = null;
    // The page's own parameters (Go's pageurl.Parse): the workers the
    // race shares, and a message for each wrong one.
    const w = window.nnesimApp.page(query, defaultWorkers);
    pageErrors = w.errors;
    // data=: another dataset, downloaded before the race starts on it.
    if (w.data && w.data !== dataset.source && w.data !== dataset.failed) {
      if (dataset.loading !== w.data) loadURL(w.data, query);
      return;
    }
    if (dataset.failed && dataset.failed === w.data) pageErrors = pageErrors.concat([dataset.why]);
    race.locks = w.locks; // lock= (Go's lesson.Locks), for the page's form and buttons
    const pq = new URLSearchParams(query);
    race.pageParams = names.pageParams.filter((k) => pq.has(k)).map((k) => [k, pq.get(k)]);
    race.workers = w.workers;
    race.pending = {kind: 'configure', query, edit: edit || null, workers: w.workers, fresh: !!fresh};
    race.token = newToken();
    race.size = 0;
    send(race.runs[0]);
    // Start the other runs' coordinators now (loading takes seconds); Go
    // reads the race, and run 0's answer says how many there are (fanOut).
    const listed = edit ? edit.algos : (new URLSearchParams(query).get('algo') || '').split(',').filter((e) => e.trim());
    const guess = Math.min(names.maxRaceRuns, listed.length);
    for (let i = race.runs.length; i < guess; i++) race.runs[i] = newRun(i);
  }

  // start plays every run of the race that has answered its configure
  // and is not done; the others start when they answer (onWorker 'run').
  function start() {
    wantRunning = true;
    if (!race.ready) return;
    for (const r of race.runs) {
      if (r.token === race.token && !r.done) play(r);
    }
  }
  function play(r) {
    r.running = true;
    r.worker.postMessage({type: W.start});
  }

  function pause() {
    wantRunning = false;
    for (const r of race.runs) { r.running = false; r.worker.postMessage({type: W.pause}); }
  }

  // runStatus is what status() says of one run.
  function runStatus(r, i, colors) {
    return {algo: r.algo, label: r.label, phases: (r.phases || []).map((p) => ({unit: p.unit, stop: p.stop, param: p.param})), color: colors.length ? colors[i % colors.length] : null, step: r.generation, unit: r.unit, testAccuracy: r.testAccuracy,
      trainAccuracy: r.trainAccuracy, hash: r.hash, running: r.running, done: r.done, seconds: r.seconds,
      workers: r.workers, gensPerSecond: r.gensPerSecond, allelesHash: r.allelesHash, memoryBytes: r.memoryBytes || 0, kernel: r.kernel,
      progress: r.progress && r.progress.generation > r.generation ? r.progress : null};
  }

  // status describes the race: run 0's position and accuracy at the top
  // level (what a page that knows one run reads), and every run in runs:
  // its rule, label, position, accuracy, hash (alleles_sha256 for NNE,
  // weights_sha256 for the others, as nnesim train -json writes them) and
  // share of the workers.
  function status() {
    const app = window.nnesimApp;
    const r0 = race.runs[0] || {};
    const all = race.runs.filter((r) => r.settings);
    const notices = [].concat(...race.runs.map((r) => r.notices));
    const runColors = app ? app.runColors() : []; // the palette's, once per call
    const rate = app ? app.frameRate() : {median: null, seconds: 0};
    const runs = all.map((r, i) => runStatus(r, i, runColors));
    return {
      generation: r0.generation || 0, running: all.some((r) => r.running), algo: r0.algo || names.defaultRule,
      testAccuracy: r0.testAccuracy ?? null, trainAccuracy: r0.trainAccuracy ?? null,
      gensPerSecond: r0.gensPerSecond || 0, workers: all.reduce((a, r) => a + r.workers, 0), allelesHash: r0.allelesHash || null,
      done: all.length > 0 && all.every((r) => r.done), ready: race.ready, settings: r0.settings || null, query: race.raceQuery, unit: r0.unit,
      hash: r0.hash || null, kernel: r0.kernel || null,
      runs,
      // What a screen reader hears: milestones, a sentence every few
      // seconds at most (Go's render.Announcer).
      announce: app ? app.announce(performance.now(), runs) : '',
      // The wasm memory of every run's workers, which only grows.
      memoryBytes: all.reduce((a, r) => a + (r.memoryBytes || 0), 0),
      // The canvas app's (one Go instance, which draws every panel).
      appMemoryBytes: appMemory ? appMemory.buffer.byteLength : 0,
      progress: r0.progress && r0.progress.generation > r0.generation ? r0.progress : null,
      errors: race.errors.slice(), fatal: race.fatal, notices: notices.concat(race.storage ? [race.storage] : [], race.notices || []),
      saved: savedRun ? {generation: savedRun.generation, savedAt: savedRun.savedAt, query: savedRun.query, runs: savedRun.runs} : null,
      timing: r0.timing || null, fps: frames.fps, fpsMedian: rate.median, fpsSeconds: rate.seconds,
      snapshotMs: app ? app.pace().interval : 0, seconds: r0.seconds || 0, discarded: race.discarded,
      prediction: app ? app.prediction() : null,
      // Every run's prediction for the pad: [{label, run, probs} or null].
      predictions: app ? app.predictions() : [],
      selected: app ? app.selected() : 0,
      // The curves' x-axis ("seconds" or "steps") and its switch (CSS px).
      axis: app ? app.axis() : null,
      // The course's challenge and how it stands (Go's lesson.Result:
      // met, final, score, task, text, evidence), or null.
      challenge: app ? app.challenge(race.raceQuery || '', runs) : null,
      // A race's order past each mark, what a step of each rule does and
      // how the runs share the machine (Go's render.RaceSummary).
      raceSummary: app && runs.length > 1 ? app.raceSummary(runs) : [],
      // The dataset the runs learn, or null for MNIST.
      dataset: datasetStatus(),
    };
  }

  // Another dataset (data=, or IDX files dropped or chosen; Go's
  // mnist.ReadDataset in run 0's coordinator): its packs replace MNIST's for every
  // run, which start again, paused. MNIST's packs are kept for useMNIST.
  // A dataset's runs are not autosaved (a reload would not have its
  // files); the autosaved MNIST run stays as it was.
  const dataset = {source: '', info: null, failed: '', why: '', loading: ''};
  // restartRuns starts every run again on wasm's packs, with query,
  // paused unless play (data= of a link that plays at once).
  function restartRuns(query, play) {
    for (const r of race.runs) r.worker.terminate();
    race.ready = false;
    firstReady = null;
    race.pending = null;
    race.size = 0;
    race.token = newToken();
    wantRunning = !!play && wantRunning;
    pendingQuery = query;
    pendingEdit = null;
    race.runs = [newRun(0)];
  }
  // MNIST's whole training file (names.wholeFile: 60,000 images, 47 MB)
  // is downloaded the first time a run needs more than the pool of 300
  // images per digit (Go's learner.WholeFile: per-digit over 300, 0 for
  // every image, or val=). Every run then starts again on it and what
  // needed it (a configure or an import) is asked again. Each
  // coordinator and worker holds a copy, so only such a run brings it.
  // next: what to ask again once it is here (null: nothing waits, a
  // newer request took its place); again: what to ask once run 0 is back
  // on it; bytes: the file, once downloaded, kept for a later run that
  // needs it.
  const whole = {loading: false, next: null, again: null, bytes: null};
  // wantWhole starts that download (or uses the file downloaded before),
  // to call again once the runs are back on it, and returns true; or
  // returns false when it cannot help (the runs have the file, or learn
  // another dataset, which brings its pool alone), and the run's error
  // stands.
  function wantWhole(again) {
    if (wasm.whole || dataset.source) return false;
    whole.next = again;
    if (whole.bytes) { useWhole(); return true; }
    if (whole.loading) return true;
    whole.loading = true;
    fetchWhole().then((b) => {
      whole.bytes = b;
      // A dataset loaded meanwhile keeps its runs; the file waits.
      if (whole.next && !dataset.source) useWhole();
    }, (err) => {
      if (!whole.next || dataset.source) return; // nothing waits for it now
      const why = 'MNIST\'s whole training file (' + names.wholeFile + ') did not download: ' + err.message + '. Runs of up to 300 images per digit need only the pool: set per-digit to 300 or fewer, or try again.';
      tell(P.dataset, {source: 'MNIST', error: why});
      if (pendingRestore) { pendingRestore.reject(new Error(why)); pendingRestore = null; }
      race.pending = null;
      fatal(why);
    }).finally(() => { whole.loading = false; whole.next = null; });
    return true;
  }
  // useWhole starts every run again on the whole training file, to ask
  // again what needed it once run 0 is back.
  function useWhole() {
    Object.assign(wasm, {train: whole.bytes, whole: true});
    tell(P.dataset, {source: ''});
    whole.again = whole.next;
    whole.next = null;
    restartRuns(null, true);
  }
  // fetchWhole downloads names.wholeFile, saying how far it is.
  async function fetchWhole() {
    const r = await fetch(names.wholeFile);
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const reader = r.body.getReader();
    const chunks = [];
    let n = 0, said = -1, total = 0;
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.length;
      // The pack's header gives its size (mnist pack format: count at byte 12).
      if (!total && n >= 16) { const h = concat(chunks, n); total = 32 + new DataView(h.buffer).getUint32(12, true) * 785; }
      const pct = total ? Math.floor(100 * n / total) : 0;
      if (pct !== said && !dataset.source) {
        said = pct;
        tell(P.dataset, {source: 'MNIST', loading: true, text: 'downloading all of MNIST\'s training images for a run that learns from more than the 300 of each digit the page keeps: ' + pct + '%…'});
      }
    }
    return concat(chunks, n);
  }
  // currentQuery is the race's query with the page's own parameters, as
  // Reset starts it.
  function currentQuery() {
    const q = new URLSearchParams(race.raceQuery || pendingQuery || '');
    for (const [k, v] of race.pageParams || []) q.set(k, v);
    return q.toString();
  }
  // useDataset trains every run on files ({name: Uint8Array}) from
  // source (data='s URL, or 'dropped files'); it throws what Go refused,
  // the runs untouched.
  // Run 0's coordinator reads the files (Go's mnist.ReadDataset) and is
  // then replaced, with the memory they took.
  async function useDataset(files, source, query, play) {
    const app = window.nnesimApp;
    if (!app || !wasm || !race.ready || !race.runs[0]) throw new Error('the simulator is still loading');
    const buffers = {};
    for (const [k, b] of Object.entries(files)) buffers[k] = b.buffer.byteLength === b.byteLength ? b.buffer : b.slice().buffer;
    const d = await ask(race.runs[0], {type: W.dataset, files: buffers, query}, Object.values(buffers));
    if (d.error) throw new Error(d.error);
    if (!wasm.mnist) wasm.mnist = {train: wasm.train, test: wasm.test, tab: wasm.tab, whole: wasm.whole};
    Object.assign(wasm, {train: d.pool, test: d.test, tab: '', whole: false});
    dataset.info = {source, classes: d.classes, classList: d.classList, names: app.page(query, defaultWorkers).classes,
      train: d.train, pool: d.poolLen, test: d.testLen, sample: d.sample,
      notice: 'Runs on this dataset are not autosaved: Export run keeps one.'};
    dataset.source = source;
    restartRuns(d.query, play);
    tell(P.dataset, dataset.info);
    return datasetStatus();
  }
  function datasetStatus() {
    const i = dataset.info;
    return i ? {source: i.source, classes: i.classes, names: i.names, train: i.train, pool: i.pool, test: i.test} : null;
  }
  // tooBig is the refusal of a dataset file of n bytes (more than
  // names.dataset.maxBytes; n null when only that is known).
  const tooBig = (name, n) => new Error(name + ' is ' + (n === null ? 'more than ' : (n / 1e6).toFixed(1) + ' MB, more than ') + 'the ' + (names.dataset.maxBytes / 1e6).toFixed(0) + ' MB a dataset file may be');
  // readBody reads a response or file body of at most the dataset's
  // largest file, refusing more before it is all read.
  async function readBody(stream, name) {
    const max = names.dataset.maxBytes;
    const reader = stream.getReader();
    const chunks = [];
    let n = 0;
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) { reader.cancel(); throw tooBig(name, null); }
      chunks.push(value);
    }
    return concat(chunks, n);
  }
  // fetchDataset downloads the four IDX files of the folder at base, each
  // raw or .gz (the raw name first). A server that gunzips a .gz on the
  // way (Content-Encoding) gives the raw bytes, kept under the raw name.
  async function fetchDataset(base) {
    const root = new URL(base.endsWith('/') ? base : base + '/', location.href);
    const files = {};
    for (const name of names.dataset.files) {
      let found = false;
      for (const n of [name, name + '.gz']) {
        const url = new URL(n, root).href;
        let r;
        try {
          r = await fetch(url);
        } catch (err) {
          throw new Error('could not read ' + url + ': the server did not answer, or does not let this page read it (a folder on another site must send Access-Control-Allow-Origin)');
        }
        if (r.status === 404) continue;
        if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
        const len = Number(r.headers.get('Content-Length') || 0);
        if (len > names.dataset.maxBytes) throw tooBig(n, len);
        const b = await readBody(r.body, n);
        files[n.endsWith('.gz') && !(b[0] === 0x1f && b[1] === 0x8b) ? name : n] = b;
        found = true;
        break;
      }
      if (!found) throw new Error(root.href + ' has no ' + name + ' or ' + name + '.gz (a dataset folder holds ' + names.dataset.files.join(', ') + ', each raw or .gz)');
    }
    return files;
  }
  // loadURL trains every run on data=base, the query's; on a refusal the
  // runs go on with MNIST (or the dataset they had) and say why.
  async function loadURL(base, query) {
    dataset.loading = base;
    tell(P.dataset, {source: base, loading: true});
    try {
      await useDataset(await fetchDataset(base), base, query, true);
    } catch (err) {
      dataset.failed = base;
      dataset.why = 'data=' + self.nnesimClip(base) + ': ' + err.message + '; the runs use ' + (dataset.source ? 'the dataset they had' : 'MNIST');
      tell(P.dataset, {source: base, error: dataset.why});
      configure(query); // its errors say why
    } finally {
      dataset.loading = '';
    }
  }
  // loadDataset trains every run on dropped or chosen files (Files, or
  // {name: bytes}); it resolves with the dataset, or rejects with what
  // was wrong, naming the file, the runs untouched.
  async function loadDataset(list) {
    if (!race.ready || !wasm) throw new Error('the simulator is still loading');
    const files = {};
    if (list && typeof list.length === 'number') {
      for (const f of Array.from(list)) {
        if (f.size > names.dataset.maxBytes) throw tooBig(f.name, f.size);
        files[f.name] = await readBody(f.stream(), f.name);
      }
    } else if (list && typeof list === 'object') {
      for (const k of Object.keys(list)) files[k] = new Uint8Array(list[k]);
    }
    // Dropped files replace a data= folder.
    const q = new URLSearchParams(currentQuery());
    q.delete('data');
    try {
      const d = await useDataset(files, 'dropped files', q.toString());
      race.pageParams = (race.pageParams || []).filter(([k]) => k !== 'data');
      return d;
    } catch (err) {
      tell(P.dataset, {source: 'dropped files', error: err.message});
      throw err;
    }
  }
  // useMNIST trains every run on MNIST again, autosaved as before.
  function useMNIST() {
    if (!wasm || !wasm.mnist) return null;
    Object.assign(wasm, wasm.mnist);
    wasm.mnist = null;
    dataset.source = '';
    dataset.info = null;
    const q = new URLSearchParams(currentQuery());
    q.delete('data');
    q.delete('classes');
    race.pageParams = (race.pageParams || []).filter(([k]) => k !== 'data' && k !== 'classes');
    restartRuns(q.toString());
    tell(P.dataset, {source: ''});
    return null;
  }

  // "My digits" (Go's mnist.Mine, in the app): the digits the student
  // draws when asked are kept in this browser's storage as an IDX pair
  // (base64, under MINE_KEY), and scored by every run of the race.
  const MINE_KEY = 'nnesim-mine';
  let mineLoaded = false;
  const b64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  function loadMine(app) {
    if (mineLoaded) return;
    mineLoaded = true;
    let v = null;
    try { v = JSON.parse(localStorage.getItem(MINE_KEY) || 'null'); } catch (err) { return; } // no storage: this page keeps them
    if (!v || typeof v.images !== 'string' || typeof v.labels !== 'string') return;
    let err;
    try { err = app.mineLoad(unb64(v.images), unb64(v.labels)); } catch (e) { err = 'not base64'; }
    if (err) notice('Your saved digits could not be read (' + err + '); they were left out.');
  }
  function saveMine(app) {
    const p = app.mineIDX();
    try {
      localStorage.setItem(MINE_KEY, JSON.stringify({images: b64(p.images), labels: b64(p.labels)}));
    } catch (err) {
      notice('Your digits are kept in this page only (' + (err.name === 'QuotaExceededError' ? 'the browser\'s storage is full' : 'no storage here') + '): Export as IDX keeps them.');
    }
  }
  // mine(action, each) runs a step of My digits (Go's app.mine: start,
  // keep, skip, stop, forget, state) and keeps the set; it resolves with
  // the set's state, or rejects with what was refused.
  function mine(action, each) {
    const app = window.nnesimApp;
    if (!app) throw new Error('the simulator is still loading');
    loadMine(app);
    const s = app.mine(String(action), each === undefined ? names.mine.each : Number(each));
    if (s.error) throw new Error(s.error);
    if (action === 'keep' || action === 'forget') saveMine(app);
    tell(P.status, {status: status()}); // a draw challenge reads the set
    return s;
  }
  // mineScore resolves with every run's score on the drawn digits (Go's
  // app.mineScore), with their inputs {pixels, labels} to show them.
  async function mineScore() {
    const app = window.nnesimApp;
    if (!app) throw new Error('the simulator is still loading');
    loadMine(app);
    const {pixels, labels, size: n} = app.mineImages();
    if (!labels.length) throw new Error('no digits drawn yet: press Draw and keep a few');
    const answers = await Promise.all(race.runs.map((r) => Promise.all(labels.map((_, i) => classifyWith(r, pixels.subarray(i * n, (i + 1) * n))))));
    const res = app.mineScore(answers);
    if (res.error) throw new Error(res.error);
    tell(P.status, {status: status()}); // a draw challenge reads the scores
    return Object.assign(res, {pixels, labels, size: n});
  }
  // mineExport resolves with the drawn digits as an IDX pair {images,
  // labels} (Uint8Arrays), the files nnesim train -test-data reads.
  function mineExport() {
    const app = window.nnesimApp;
    if (!app) throw new Error('the simulator is still loading');
    loadMine(app);
    return app.mineIDX();
  }

  // predict(i) records the student's prediction of a predict challenge:
  // run i of the race, before it starts (Go's lesson.Predict says why
  // not, and it throws that).
  function predict(i) {
    const why = window.nnesimApp ? window.nnesimApp.predict(Number(i)) : 'the simulator is still loading';
    if (why) throw new Error(why);
    tell(P.status, {status: status()});
    return status().challenge;
  }
  // getState resolves with what a course platform keeps of the page
  // (Open edX JSInput's getState): the query, the prediction and the
  // run file once the race has taken a step (Go's lesson.State).
  async function getState() {
    const app = window.nnesimApp;
    if (!app || !race.ready) throw new Error('the simulator is still loading');
    const runs = status().runs;
    const run = race.runs.some((r) => r.generation > 0) ? await exportRun(false) : null;
    return app.encodeState(race.raceQuery || '', runs, run);
  }
  // setState(s) continues the run of a state of getState, paused, with
  // its prediction; a wrong state rejects with the reason and the
  // current run is untouched.
  async function setState(s) {
    const app = window.nnesimApp;
    if (!app || !race.ready) throw new Error('the simulator is still loading');
    if (typeof s !== 'string') throw new Error('the saved state is not a string');
    if (s.length > names.lesson.maxStateBytes) throw new Error(`the saved state is ${(s.length / 1e6).toFixed(0)} MB, over the ${names.lesson.maxStateBytes >> 20} MB a state may be`);
    const d = app.decodeState(s);
    if (d.error) throw new Error(d.error);
    if (d.run) await importRun(d.run);
    if (d.prediction) app.restorePrediction(d.prediction);
    tell(P.status, {status: status()});
    return status();
  }

  // classifyWith resolves with run r's probabilities for the ten digits
  // (0 for digits outside its set) of one input x, or null.
  function classifyWith(r, x) {
    if (!r.settings) return Promise.resolve(null);
    const copy = x.slice();
    return new Promise((resolve) => {
      const id = ++classifyID;
      classifyCalls.set(id, (probs) => {
        if (!probs) { resolve(null); return; }
        const out = new Array(10).fill(0);
        r.labels.forEach((d, c) => { out[Number(d)] = probs[c]; });
        resolve(out);
      });
      r.worker.postMessage({type: W.classify, id, version: -1, pixels: copy.buffer}, [copy.buffer]);
    });
  }
  function pixelsOf(pixels, what) {
    if (!pixels || pixels.length !== 784) throw new Error(what + ': want 784 numbers in [0, 1], got ' + (pixels ? pixels.length : pixels));
    return new Float32Array(Array.from(pixels, Number));
  }

  // decodePicture decodes a picture file in the browser, scaled to at
  // most names.picture.side a side: {rgba, w, h}; it throws what is
  // wrong, naming the file.
  async function decodePicture(file) {
    const N = self.nnesimNames.picture;
    const name = file && typeof file.name === 'string' ? file.name : 'the picture';
    // (A File of the page's window is not an instanceof this frame's Blob.)
    if (!file || typeof file.size !== 'number' || typeof file.arrayBuffer !== 'function') throw new Error('want a picture file');
    if (file.size > N.maxBytes) throw new Error(`${name}: ${(file.size / 1e6).toFixed(1)} MB; want a picture under ${N.maxBytes / (1 << 20)} MB`);
    if (file.type && !/^image\//.test(file.type)) throw new Error(`${name}: not a picture (${file.type}); want a PNG or JPEG`);
    let bmp;
    try {
      bmp = await createImageBitmap(file);
    } catch (err) {
      throw new Error(`${name}: the browser cannot read it as a picture; want a PNG or JPEG`);
    }
    const s = Math.min(1, N.side / Math.max(bmp.width, bmp.height));
    const w = Math.max(1, Math.round(bmp.width * s)), h = Math.max(1, Math.round(bmp.height * s));
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d');
    ctx.drawImage(bmp, 0, 0, w, h);
    bmp.close();
    return {rgba: ctx.getImageData(0, 0, w, h).data, w, h};
  }
  // padPicture puts a picture file on the pad.
  async function padPicture(file) {
    const name = file && typeof file.name === 'string' ? file.name : 'the picture';
    const p = await decodePicture(file);
    const err = window.nnesimApp ? window.nnesimApp.padPicture(p.rgba, p.w, p.h) : 'the simulator is still loading';
    if (err) throw new Error(name + ': ' + err);
  }
  // readPictures resolves with what every run of the race reads in each
  // picture file, the pad untouched: [{name, pixels (the 28×28 input the
  // networks see), runs: [{algo, label, probs}]} or {name, error}].
  async function readPictures(files) {
    const app = window.nnesimApp;
    if (!app) throw new Error('the simulator is still loading');
    const list = Array.from(files || []);
    if (!list.length || list.length > MAX_PICTURES) throw new Error(`want 1 to ${MAX_PICTURES} pictures, not ${list.length}`);
    const out = [];
    for (const file of list) {
      const name = file && typeof file.name === 'string' ? file.name : 'a picture';
      try {
        const p = await decodePicture(file);
        const r = app.pictureInput(p.rgba, p.w, p.h);
        if (r.error) throw new Error(name + ': ' + r.error);
        const runs = race.runs.filter((x) => x.settings);
        const probs = await Promise.all(runs.map((x) => classifyWith(x, r.pixels)));
        out.push({name, pixels: r.pixels, runs: runs.map((x, i) => ({algo: x.algo, label: x.label, probs: probs[i]}))});
      } catch (err) {
        out.push({name, error: err.message});
      }
    }
    return out;
  }
  const MAX_PICTURES = 100;
  // A picture dropped on the canvas goes on the pad.
  window.addEventListener('dragover', (ev) => { if (ev.dataTransfer && Array.from(ev.dataTransfer.types).includes('Files')) ev.preventDefault(); });
  // Several go to the page, which reads them into a table.
  window.addEventListener('drop', (ev) => {
    const files = ev.dataTransfer ? Array.from(ev.dataTransfer.files) : [];
    if (!files.length) return;
    ev.preventDefault();
    // A dataset's IDX files train every run; pictures are read.
    if (files.some((f) => self.nnesimIsDataFile(f.name))) { loadDataset(files).catch((err) => tell(P.error, {message: err.message})); return; }
    if (files.length > 1) tell(P.pictures, {files});
    else padPicture(files[0]).catch((err) => tell(P.error, {message: err.message}));
  });

  window.nnesimEngine = {
    configure, start, pause, status, exportRun, exportCurves, exportPNG, importRun, resumeSaved, discardSaved, predict, getState, setState, mine, mineScore, mineExport, readPictures, loadDataset, useMNIST,
    step() { pause(); if (race.ready) for (const r of race.runs) if (!r.done) r.worker.postMessage({type: W.step}); },
    // Reset starts the race over with the page's own parameters (a
    // lesson's challenge and locks), which the race's query leaves out.
    reset() { configure(currentQuery(), true); },
    // classify resolves with the first run's probabilities for the ten
    // digits (0 for digits outside the set) of one input; a wrong input
    // throws.
    classify(pixels) {
      const x = pixelsOf(pixels, 'classify');
      return race.runs[0] ? classifyWith(race.runs[0], x) : Promise.resolve(null);
    },
    // classifyAll resolves with every run's: [{algo, label, probs}].
    classifyAll(pixels) {
      const x = pixelsOf(pixels, 'classifyAll');
      const runs = race.runs.filter((r) => r.settings);
      return Promise.all(runs.map((r) => classifyWith(r, x))).then((ps) => ps.map((probs, i) => ({algo: runs[i].algo, label: runs[i].label, probs})));
    },
    // setTheme(dark) draws the canvas and this frame in the dark palette
    // (render.Dark) or the light one; the page calls it with its theme.
    setTheme(d) { pageSaid = true; applyTheme(!!d); },
    // select(i) shows run i's pictures in the per-run panels.
    select(i) { if (window.nnesimApp) window.nnesimApp.select(Number(i) || 0); },
    padRect() { return window.nnesimApp ? window.nnesimApp.padRect() : null; },
    // padPicture(file) puts a picture of a digit (a PNG or JPEG File or
    // Blob) on the pad, read as MNIST was made (mnist.FromImage); every
    // run classifies it. It rejects with what was wrong, naming the file.
    padPicture,
    // panels() lists the canvas panels: [{name, x, y, width, height,
    // title, about, alt}] in CSS pixels of this frame; tour() the page's
    // first-visit tour [{target, text}] (both from Go).
    panels() { return window.nnesimApp ? window.nnesimApp.panels() : []; },
    tour() { return window.nnesimApp ? window.nnesimApp.tour() : []; },
    contentHeight(w) { return window.nnesimApp ? window.nnesimApp.contentHeight(w) : 0; },
    // fit(on) makes the canvas show only the panels that fit its frame
    // (an embed that must not scroll inside).
    fit(on) { if (window.nnesimApp) window.nnesimApp.fit(!!on); },
    defaultWorkers,
    // Fault injection for tests: kill (terminate silently) or make throw
    // evaluator i of the first run.
    testHooks: {
      killWorker(i) { race.runs[0].worker.postMessage({type: W.kill, index: i}); },
      throwInWorker(i) { race.runs[0].worker.postMessage({type: W.throw, index: i}); },
    },
  };


  // frames counts animation frames per second. While a run trains, each
  // second's rate goes to Go (the app's pace, pipeline.Pace), which keeps
  // the last minute for the smoothness check and sets how often the
  // coordinators send pictures: redrawing costs a frame (in headless
  // Chromium the whole canvas is read back each time), so the interval
  // grows when the frame rate sags and shrinks when frames are to spare.
  const frames = {fps: 0, count: 0, since: performance.now()};
  // The draw pad's input is classified by every run, each in its
  // coordinator: each new input (or a run's new weights, which bump the
  // version) goes to each run once; the answers come back as 'probs'.
  let padSent = -1;
  // A new drawing, once every run has answered it, is told to the page
  // (and by it to a course page): the 28×28 input and each run's answer.
  let padStroke = -1, padTold = -1, padPixels = null;
  const padAnswers = new Set();
  function padAnswered(index, version) {
    if (version !== padSent || padStroke === padTold) return;
    padAnswers.add(index);
    if (padAnswers.size < race.runs.filter((r) => r.settings).length) return;
    padTold = padStroke;
    tell(P.pad, {stroke: padStroke, pixels: Array.from(padPixels), predictions: window.nnesimApp.predictions()});
  }
  const classifyCalls = new Map(); // id → resolve, for classify()
  let classifyID = 0;
  function classifyPad() {
    const app = window.nnesimApp;
    if (!app || !race.ready) return;
    const input = app.padInput();
    if (!input || input.version === padSent) return;
    padSent = input.version;
    padAnswers.clear();
    if (input.stroke !== padStroke) { padStroke = input.stroke; padPixels = input.pixels.slice(); }
    for (const r of race.runs) {
      if (!r.settings) continue;
      const x = input.pixels.slice();
      r.worker.postMessage({type: W.classify, id: 0, version: input.version, pixels: x.buffer}, [x.buffer]);
    }
  }
  function countFrame(now) {
    classifyPad();
    frames.count++;
    if (now - frames.since >= 1000) {
      frames.fps = 1000 * frames.count / (now - frames.since);
      const pace = window.nnesimApp && window.nnesimApp.pace(frames.fps, race.runs.some((r) => r.running));
      if (pace && pace.changed) each({type: W.interval, ms: pace.interval});
      frames.count = 0;
      frames.since = now;
    }
    requestAnimationFrame(countFrame);
  }
  requestAnimationFrame(countFrame);

  // Calls by message from the embedding page (see the top of this file).
  const callable = self.nnesimMessages.methods; // wasm/protocol: Methods
  window.addEventListener('message', async (ev) => {
    const m = ev.data;
    if (ev.source !== window.parent || !m || m.type !== P.call) return;
    const reply = (o) => window.parent.postMessage(Object.assign({type: P.reply, id: m.id}, o), '*');
    if (!callable.includes(m.method)) { reply({error: 'unknown method ' + self.nnesimClip(m.method)}); return; }
    try {
      reply({result: await window.nnesimEngine[m.method](...(Array.isArray(m.args) ? m.args : []))});
    } catch (err) {
      reply({error: err.message || String(err)});
    }
  });

  // hide names canvas panels to leave out (shell.js passes only panels;
  // configure reports the page's wrong names).
  const hide = new URLSearchParams(location.search).get('hide') || '';

  // workerURLs gives the scripts of the coordinator and the evaluators. A
  // page in a sandboxed iframe (sandbox="allow-scripts") has an opaque
  // origin and may not start workers from its site's URLs; it fetches the
  // scripts (the host must allow CORS, as GitHub Pages and nnesim serve
  // do) and starts them from blob URLs, telling them where the site is.
  async function workerURLs() {
    if (self.origin !== 'null') return {coordinator: 'coordinator.js', evaluator: 'evaluator.js'};
    const base = new URL('.', location.href).href;
    const blob = async (name) => {
      const r = await fetch(base + name);
      if (!r.ok) throw new Error(name + ': HTTP ' + r.status);
      const src = 'self.nnesimBase = ' + JSON.stringify(base) + ';\n' + await r.text();
      return URL.createObjectURL(new Blob([src], {type: 'text/javascript'}));
    };
    return {coordinator: await blob('coordinator.js'), evaluator: await blob('evaluator.js')};
  }

  // Keys pressed while the canvas has focus go to the page's shortcuts.
  window.addEventListener('keydown', (ev) => {
    if (ev.key === ' ') ev.preventDefault();
    tell(P.key, {key: ev.key});
  });

  // The theme: this frame's own (theme.js: the system's or the stored
  // choice) until the page says, then the page's.
  let dark = !!(self.nnesimTheme && self.nnesimTheme.dark());
  let pageSaid = false; // the page has set the theme (setTheme)
  function applyTheme(d) {
    dark = d;
    document.documentElement.classList.toggle('dark', d);
    if (window.nnesimApp) window.nnesimApp.setTheme(d);
  }
  // This frame's theme.js follows the system until the page says; after
  // that a system change (which theme.js applies to this frame's class)
  // is overruled by the page's choice, which the page sends again itself.
  if (self.nnesimTheme) self.nnesimTheme.onChange((d) => applyTheme(pageSaid ? dark : d));

  // boot starts run 0's coordinator, which downloads the files (download
  // in coordinator.js) and starts its Go runtime while the data arrive,
  // and the canvas app once every file is in (its start holds this
  // thread, and so the page's loading bar, for a second or two). The race
  // takes requests once both are up (raceReady).
  async function boot() {
    try {
      const urls = await workerURLs();
      wasm = {module: null, train: null, test: null, evaluatorURL: urls.evaluator, coordinatorURL: urls.coordinator, tab: await tabClaim};
      race.runs = [newRun(0)];
      const listed = readManifest();
      listed.catch(() => {}); // awaited below
      const go = new Go();
      const inst = await WebAssembly.instantiate(await appModule, go.importObject);
      appMemory = inst.exports.mem;
      go.run(inst).then(() => fatal('the canvas app stopped'));
      applyTheme(dark);
      // The canvas is pictures for the eye: the overlay (overlay.js) gives
      // each panel its words and its keyboard-reachable ⓘ, so the canvas
      // itself leaves the tab order (ebiten gives it a positive tabindex)
      // and the accessibility tree.
      const quiet = () => {
        for (const c of document.querySelectorAll('canvas')) { c.tabIndex = -1; c.setAttribute('aria-hidden', 'true'); }
      };
      quiet();
      requestAnimationFrame(quiet);
      if (hide) window.nnesimApp.hide(hide);
      // The app draws on the next animation frame; report when it has.
      requestAnimationFrame(() => requestAnimationFrame(() => tell(P.frame, {})));
      appUp = true;
      await listed;
      if (firstReady) raceReady();
    } catch (err) {
      fatal('loading failed: ' + err.message);
    }
  }
  boot();
})();
