// engine.js runs inside app.html: it downloads the wasm and data with a
// progress report, starts the ebiten app (app.wasm) on this frame's canvas
// and the training coordinator (worker.wasm in coordinator.js, which runs
// K evaluator workers), and relays between them. It also counts animation
// frames, to show that training never blocks the page. The page that
// embeds this frame (index.html) drives it through window.nnesimEngine, or,
// when it may not touch this window (a sandboxed iframe gives each frame
// its own opaque origin), through {type: 'nnesim:call', id, method, args}
// messages answered by {type: 'nnesim:reply', id, result | error}; it hears
// from it through postMessage events {type: 'nnesim:…'}.
//
// This frame's own URL parameter hide=… names canvas panels to leave out
// (render.ParseHidden).
'use strict';
(() => {
  const files = ['app.wasm', 'worker.wasm', 'data/train.nnd', 'data/test.nnd'];
  const state = {
    generation: 0, running: false, algo: 'nne', testAccuracy: null, trainAccuracy: null,
    gensPerSecond: 0, workers: 0, allelesHash: null, done: false, settings: null, query: '',
    errors: [], ready: false, fatal: null, describe: '', notices: [], timing: null, seconds: 0, storage: null,
    discarded: false, // the saved run was deleted from storage
    progress: null, // a slow generation under way: {generation, slices, slicesDone, seconds}
  };
  const maxWorkers = 16;
  const defaultWorkers = Math.max(1, Math.min(maxWorkers, (navigator.hardwareConcurrency || 2) - 1));
  let worker = null;
  let pendingQuery = null;
  let wantRunning = false;

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
  // ebiten focuses its canvas on every press, and focus() scrolls the
  // page to show as much of the tall canvas as it can: the first stroke
  // on the pad would land where the pad was. Focus without scrolling.
  const focus = HTMLElement.prototype.focus;
  HTMLCanvasElement.prototype.focus = function (options) {
    return focus.call(this, Object.assign({}, options, {preventScroll: true}));
  };

  function tell(type, detail) {
    const msg = Object.assign({type: 'nnesim:' + type}, detail);
    if (window.parent !== window) window.parent.postMessage(msg, '*');
    window.dispatchEvent(new CustomEvent('nnesim', {detail: msg}));
  }

  function fatal(message) {
    state.fatal = message;
    state.running = false;
    tell('error', {message});
  }

  // fetchAll downloads every file, reporting the bytes received against
  // the sizes in manifest.json. A .wasm file is compiled while it streams
  // in (WebAssembly.compileStreaming on one branch of the body, the
  // progress count on the other) and resolves to its WebAssembly.Module;
  // the others resolve to their bytes.
  async function fetchAll() {
    const res = await fetch('manifest.json');
    if (!res.ok) throw new Error('manifest.json: HTTP ' + res.status + ' (was the site built with ./build.sh?)');
    const manifest = await res.json();
    const total = files.reduce((s, f) => s + (manifest[f] ? manifest[f].bytes : 0), 0);
    const got = {};
    const report = () => tell('progress', {loaded: Object.values(got).reduce((a, b) => a + b, 0), total});
    return Promise.all(files.map(async (f) => {
      const r = await fetch(f);
      if (!r.ok) throw new Error(f + ': HTTP ' + r.status);
      let body = r.body, module = null;
      if (f.endsWith('.wasm')) {
        const [count, compile] = body.tee();
        body = count;
        module = WebAssembly.compileStreaming(new Response(compile, {headers: {'Content-Type': 'application/wasm'}}));
      }
      const reader = body.getReader();
      const chunks = [];
      got[f] = 0;
      for (;;) {
        const {done, value} = await reader.read();
        if (done) break;
        if (!module) chunks.push(value);
        got[f] += value.length;
        report();
      }
      if (module) return module;
      const out = new Uint8Array(got[f]);
      let off = 0;
      for (const c of chunks) { out.set(c, off); off += c.length; }
      return out;
    }));
  }

  function onWorker(e) {
    const m = e.data;
    const app = window.nnesimApp;
    switch (m.type) {
    case 'ready':
      state.ready = true;
      savedRun = m.saved || null;
      if (savedRun) tell('autosaved', {generation: savedRun.generation, savedAt: savedRun.savedAt, query: savedRun.query});
      if (pendingQuery !== null) configure(pendingQuery);
      break;
    case 'run': {
      if (pendingRestore) wantRunning = false; // an imported run starts paused
      state.errors = (m.errors || []).concat(pageErrors);
      if (m.fatal) { fatal(m.fatal); return; }
      state.workers = m.workers;
      state.notices = [];
      state.settings = m.settings;
      state.algo = m.settings.algo;
      state.labels = m.labels;
      state.query = m.query;
      state.describe = m.describe;
      state.generation = 0;
      state.progress = null;
      state.testAccuracy = state.trainAccuracy = null;
      state.done = false;
      applySnapshot(m.snapshot);
      const err = app.configure(m);
      if (err) fatal('app: ' + err);
      tell('run', {settings: m.settings, presets: m.presets, rules: m.rules, params: m.params, continued: m.continued, query: m.query, errors: state.errors,
        describe: m.describe, status: status()});
      if (pendingRestore) { pendingRestore.resolve(status()); pendingRestore = null; }
      if (wantRunning) start();
      break;
    }
    case 'progress':
      state.progress = {generation: m.generation, slices: m.slices, slicesDone: m.slicesDone, seconds: m.seconds};
      tell('status', {status: status()});
      break;
    case 'snapshot':
      applySnapshot(m.snapshot);
      {
        const err = app.update(m.snapshot);
        if (err) fatal('app: ' + err);
      }
      tell('status', {status: status()});
      break;
    case 'probs': {
      // The run's answer for the pad's input (version) or a classify call (id).
      const req = classifyCalls.get(m.id);
      classifyCalls.delete(m.id);
      if (req) req(m.probs);
      else if (m.probs && app) app.setProbs(m.version, m.probs);
      break;
    }
    case 'saved': {
      const req = requests.get(m.id);
      requests.delete(m.id);
      if (!req) break;
      if (m.data === null || m.data === undefined) req.reject(new Error('there is no run yet'));
      else req.resolve(m.data);
      break;
    }
    case 'discarded':
      state.discarded = true;
      break;
    case 'restore-failed':
      if (pendingRestore) { pendingRestore.reject(new Error(m.message)); pendingRestore = null; }
      break;
    case 'storage':
      state.storage = m.message;
      tell('notice', {message: m.message});
      break;
    case 'notice':
      state.notices = state.notices.concat([m.message]).slice(-5);
      tell('notice', {message: m.message});
      break;
    case 'error':
      fatal(m.message);
      break;
    }
  }

  function applySnapshot(s) {
    if (s.step !== state.generation) state.progress = null;
    state.generation = s.step;
    state.unit = s.unit;
    state.hash = s.hash;
    state.running = wantRunning && s.running;
    state.done = s.done;
    if (s.done) wantRunning = false;
    state.gensPerSecond = s.rate || 0;
    state.allelesHash = s.allelesHash || null;
    state.seconds = s.seconds;
    if (s.timing) state.timing = s.timing;
    if (s.workers) state.workers = s.workers;
    if (typeof s.testAccuracy === 'number') {
      state.testAccuracy = s.testAccuracy;
      state.trainAccuracy = s.trainAccuracy;
    }
  }

  let pageErrors = [];
  let pendingRestore = null;
  const requests = new Map(); // id → {resolve, reject} of a 'save' to the coordinator
  let requestID = 0;
  let savedRun = null; // the autosaved run found at start-up

  // resumeSaved continues the autosaved run; discardSaved forgets it.
  function resumeSaved() {
    if (!savedRun) return Promise.reject(new Error('there is no saved run'));
    const bytes = savedRun.bytes;
    return importRun(bytes).then((s) => { savedRun = null; return s; });
  }
  function discardSaved() {
    savedRun = null;
    if (worker) worker.postMessage({type: 'discard'});
  }
  // The page is going away: write the latest generation now.
  window.addEventListener('pagehide', () => { if (worker) worker.postMessage({type: 'flush'}); });

  // save asks the coordinator for the run in a format: 'nne' (the run
  // file, a Uint8Array) or 'csv' (the curve, text).
  function save(format) {
    if (!state.ready || !state.settings) return Promise.reject(new Error('no run to export yet'));
    return new Promise((resolve, reject) => {
      const id = ++requestID;
      requests.set(id, {resolve, reject});
      worker.postMessage({type: 'save', id, format});
    });
  }
  // exportRun resolves with the current run as a run file (Uint8Array).
  function exportRun() { return save('nne'); }
  // exportCurves resolves with the accuracy curve as CSV text, the columns
  // of nnesim train -csv.
  function exportCurves() { return save('csv'); }
  // exportPNG resolves with the canvas panels as PNG bytes, in device
  // pixels (drawn by Go from the panels' pixels, not read back from WebGL).
  function exportPNG() {
    const png = window.nnesimApp && window.nnesimApp.png();
    return png ? Promise.resolve(png) : Promise.reject(new Error('the canvas is not drawn yet'));
  }

  // importRun continues the run in a run file, paused at its generation.
  // A file that cannot be used rejects with the reason, and the current
  // run goes on untouched.
  function importRun(bytes) {
    if (!state.ready) return Promise.reject(new Error('the engine is still loading'));
    if (pendingRestore) return Promise.reject(new Error('an import is already in progress'));
    const copy = new Uint8Array(bytes).slice();
    return new Promise((resolve, reject) => {
      pendingRestore = {resolve, reject};
      worker.postMessage({type: 'restore', bytes: copy.buffer, workers: state.workers || defaultWorkers}, [copy.buffer]);
    });
  }

  // workersOf reads the page's `workers` parameter (evaluator count).
  function workersOf(query) {
    const v = new URLSearchParams(query).get('workers');
    if (v === null || v === '') return {workers: defaultWorkers};
    const k = Number(v);
    if (!Number.isInteger(k) || k < 1 || k > maxWorkers) {
      return {workers: defaultWorkers, error: 'workers=' + self.nnesimClip(v) + ': want a whole number from 1 to ' + maxWorkers + '; using ' + defaultWorkers};
    }
    return {workers: k};
  }

  function configure(query) {
    pendingQuery = query;
    if (!state.ready) return;
    pendingQuery = null;
    state.fatal = null;
    const w = workersOf(query);
    pageErrors = (w.error ? [w.error] : []).concat(hideError ? [hideError] : []);
    worker.postMessage({type: 'configure', query, workers: w.workers});
  }

  function start() {
    wantRunning = true;
    if (!state.ready || !state.settings || state.done) return;
    state.running = true;
    worker.postMessage({type: 'start'});
  }

  function pause() {
    wantRunning = false;
    state.running = false;
    if (worker) worker.postMessage({type: 'pause'});
  }

  function status() {
    const app = window.nnesimApp;
    return {
      generation: state.generation, running: state.running, algo: state.algo,
      testAccuracy: state.testAccuracy, trainAccuracy: state.trainAccuracy,
      gensPerSecond: state.gensPerSecond, workers: state.workers, allelesHash: state.allelesHash,
      done: state.done, ready: state.ready, settings: state.settings, query: state.query, unit: state.unit,
      // Every run on the page (one so far; the race adds more): its rule,
      // position and hash (alleles_sha256 for NNE, weights_sha256 for the
      // others, as nnesim train -json writes them).
      runs: state.settings ? [{algo: state.algo, step: state.generation, unit: state.unit, testAccuracy: state.testAccuracy,
        trainAccuracy: state.trainAccuracy, hash: state.hash, running: state.running, done: state.done}] : [],
      progress: state.progress && state.progress.generation > state.generation ? state.progress : null,
      errors: state.errors.slice(), fatal: state.fatal, notices: state.notices.concat(state.storage ? [state.storage] : []),
      saved: savedRun ? {generation: savedRun.generation, savedAt: savedRun.savedAt, query: savedRun.query} : null,
      timing: state.timing, fps: frames.fps, fpsMedian: median(frames.history), fpsSeconds: frames.history.length,
      snapshotMs, seconds: state.seconds, discarded: state.discarded,
      prediction: app ? app.prediction() : null,
    };
  }

  window.nnesimEngine = {
    configure, start, pause, status, exportRun, exportCurves, exportPNG, importRun, resumeSaved, discardSaved,
    step() { pause(); if (state.ready) worker.postMessage({type: 'step'}); },
    reset() { configure(state.query || pendingQuery || ''); },
    // classify resolves with the run's probabilities for the ten digits (0
    // for digits outside the set) of one input; a wrong input throws.
    classify(pixels) {
      if (!pixels || pixels.length !== 784) throw new Error('classify: want 784 numbers in [0, 1], got ' + (pixels ? pixels.length : pixels));
      if (!worker || !state.settings) return Promise.resolve(null);
      const x = new Float32Array(Array.from(pixels, Number));
      return new Promise((resolve) => {
        const id = ++classifyID;
        classifyCalls.set(id, (probs) => {
          if (!probs) { resolve(null); return; }
          const out = new Array(10).fill(0);
          state.labels.forEach((d, c) => { out[Number(d)] = probs[c]; });
          resolve(out);
        });
        worker.postMessage({type: 'classify', id, version: -1, pixels: x.buffer}, [x.buffer]);
      });
    },
    padRect() { return window.nnesimApp ? window.nnesimApp.padRect() : null; },
    contentHeight(w) { return window.nnesimApp ? window.nnesimApp.contentHeight(w) : 0; },
    // fit(on) makes the canvas show only the panels that fit its frame
    // (an embed that must not scroll inside).
    fit(on) { if (window.nnesimApp) window.nnesimApp.fit(!!on); },
    defaultWorkers,
    // Fault injection for tests: kill (terminate silently) or make throw
    // evaluator i.
    testHooks: {
      killWorker(i) { worker.postMessage({type: 'kill', index: i}); },
      throwInWorker(i) { worker.postMessage({type: 'throw', index: i}); },
    },
  };

  // frames counts animation frames per second; history keeps the last
  // minute of whole seconds while training, for the smoothness check.
  const frames = {fps: 0, count: 0, since: performance.now(), history: []};
  function median(xs) {
    if (xs.length === 0) return null;
    const s = xs.slice().sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  }
  // snapshotMs is how often the coordinator sends pictures while running.
  // Redrawing costs a frame (in headless Chromium the whole canvas is read
  // back each time), so the interval grows when the frame rate sags and
  // shrinks again when frames are to spare.
  let snapshotMs = 250;
  function adapt(fps) {
    let ms = snapshotMs;
    if (fps < 40) ms = Math.min(2000, Math.round(ms * 1.5));
    else if (fps > 50) ms = Math.max(100, Math.round(ms / 1.25));
    if (ms !== snapshotMs && worker) {
      snapshotMs = ms;
      worker.postMessage({type: 'interval', ms});
    }
  }
  // The draw pad's input is classified by the run, which lives in the
  // coordinator: each new input (or new weights, which bump the version)
  // goes there once; the answer comes back as 'probs'.
  let padSent = -1;
  const classifyCalls = new Map(); // id → resolve, for classify()
  let classifyID = 0;
  function classifyPad() {
    const app = window.nnesimApp;
    if (!app || !worker || !state.ready || !state.settings) return;
    const input = app.padInput();
    if (!input || input.version === padSent) return;
    padSent = input.version;
    worker.postMessage({type: 'classify', id: 0, version: input.version, pixels: input.pixels.buffer}, [input.pixels.buffer]);
  }
  function countFrame(now) {
    classifyPad();
    frames.count++;
    if (now - frames.since >= 1000) {
      frames.fps = 1000 * frames.count / (now - frames.since);
      if (state.running) {
        frames.history.push(frames.fps);
        if (frames.history.length > 60) frames.history.shift();
        adapt(frames.fps);
      }
      frames.count = 0;
      frames.since = now;
    }
    requestAnimationFrame(countFrame);
  }
  requestAnimationFrame(countFrame);

  // Calls by message from the embedding page (see the top of this file).
  const callable = ['configure', 'start', 'pause', 'step', 'reset', 'status', 'classify', 'padRect', 'contentHeight', 'fit',
    'exportRun', 'exportCurves', 'exportPNG', 'importRun', 'resumeSaved', 'discardSaved'];
  window.addEventListener('message', async (ev) => {
    const m = ev.data;
    if (ev.source !== window.parent || !m || m.type !== 'nnesim:call') return;
    const reply = (o) => window.parent.postMessage(Object.assign({type: 'nnesim:reply', id: m.id}, o), '*');
    if (!callable.includes(m.method)) { reply({error: 'unknown method ' + self.nnesimClip(m.method)}); return; }
    try {
      reply({result: await window.nnesimEngine[m.method](...(Array.isArray(m.args) ? m.args : []))});
    } catch (err) {
      reply({error: err.message || String(err)});
    }
  });

  // hide names canvas panels to leave out; a wrong name is an error shown
  // with the run's, and nothing is hidden.
  const hide = new URLSearchParams(location.search).get('hide') || '';
  let hideError = null;

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
    tell('key', {key: ev.key});
  });

  async function boot() {
    try {
      const [appModule, workerModule, train, test] = await fetchAll();
      const go = new Go();
      const inst = await WebAssembly.instantiate(appModule, go.importObject);
      go.run(inst).then(() => fatal('the canvas app stopped'));
      if (hide) {
        const err = window.nnesimApp.hide(hide);
        if (err) hideError = 'hide=' + self.nnesimClip(hide) + ': ' + self.nnesimClip(err);
      }
      // The app draws on the next animation frame; report when it has.
      requestAnimationFrame(() => requestAnimationFrame(() => tell('frame', {})));
      const urls = await workerURLs();
      worker = new Worker(urls.coordinator);
      worker.onmessage = onWorker;
      worker.onerror = (e) => fatal('coordinator: ' + (e.message || 'failed to start'));
      worker.postMessage({type: 'init', module: workerModule, train: train.buffer, test: test.buffer, evaluatorURL: urls.evaluator},
        [train.buffer, test.buffer]);
      tell('loaded', {});
    } catch (err) {
      fatal('loading failed: ' + err.message);
    }
  }
  boot();
})();
