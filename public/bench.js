// bench.js drives the training coordinator (coordinator.js) without the
// canvas, to time generations for each preset and worker count. Results go
// to the table and to window.nnesimBench = {done, rows, error} for the
// headless script test/browser/bench.mjs.
'use strict';
(() => {
  const W = self.nnesimMessages.worker; // message types (wasm/protocol)
  const params = new URLSearchParams(location.search);
  const presets = (params.get('presets') || 'quick,paper').split(',');
  const workers = (params.get('workers') || '1,2').split(',').map(Number);
  // query: more settings for every run (e.g. pop=96), after the preset's;
  // the engine checks them as it checks the page's address.
  const extra = new URLSearchParams(params.get('query') || '');
  // kernel=go runs Go's portable kernel instead of the WebAssembly SIMD
  // one (wasm/kernel), to compare them in one sitting.
  const portable = params.get('kernel') === 'go';
  // Warm-up of at least `warm` generations and `warmMs` of time (the
  // browser first runs wasm in a quick baseline tier and moves the hot
  // functions to its optimising compiler within seconds; measured before
  // that, a generation was up to twice as slow and the ratios noise), then
  // at least `gens` generations and `ms` of time.
  const plan = {quick: {warm: 20, warmMs: 5000, gens: 150, ms: 4000}, demo: {warm: 10, warmMs: 5000, gens: 60, ms: 4000},
    paper: {warm: 1, warmMs: 0, gens: 3, ms: 10000}};
  const out = {done: false, rows: [], error: null};
  window.nnesimBench = out;
  const $ = (id) => document.getElementById(id);
  const say = (t) => { $('benchstatus').textContent = t; };

  async function bytes(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status + ' (was the site built with ./build.sh?)');
    return new Uint8Array(await r.arrayBuffer());
  }

  // measure runs one configuration and resolves with its row.
  function measure(coord, preset, k) {
    const p = plan[preset] || plan.quick;
    return new Promise((resolve, reject) => {
      let t0 = null, g0 = 0, last = null, started = null;
      coord.onmessage = (e) => {
        const m = e.data;
        if (m.type === W.error) { reject(new Error(m.message)); return; }
        if (m.type === W.run) {
          if (m.fatal) { reject(new Error(m.fatal)); return; }
          // A benchmark of other settings than asked would mislead.
          if (m.errors && m.errors.length) { reject(new Error(m.errors.join('; '))); return; }
          coord.postMessage({type: W.start});
          return;
        }
        if (m.type !== W.snapshot) return;
        const s = m.snapshot;
        const now = performance.now();
        if (s.done) { reject(new Error(`the ${preset} run ended (generation ${s.generation}) before it was timed`)); return; }
        if (t0 === null) {
          if (started === null) started = now;
          if (s.generation >= p.warm && now - started >= p.warmMs) { t0 = now; g0 = s.generation; }
          return;
        }
        last = s;
        const g = s.generation - g0;
        say(`${preset}, ${k} worker(s): ${g} generations in ${((now - t0) / 1000).toFixed(1)} s`);
        if (g >= p.gens && now - t0 >= p.ms) {
          coord.postMessage({type: W.pause});
          const t = last.timing;
          resolve({preset, workers: k, kernel: last.kernel, gensPerSecond: 1000 * g / (now - t0), genMs: t.genMs, computeMs: t.computeMs,
            coordinatorMs: t.coordinatorMs, coordinatorShare: t.coordinatorShare, trace: t.trace, generations: g});
        }
      };
      coord.postMessage({type: W.interval, ms: 100});
      // The query's own settings replace these defaults.
      const q = new URLSearchParams({preset, generations: '100000', 'eval-every': '1000000'});
      for (const key of extra.keys()) q.delete(key);
      for (const [key, v] of extra) q.append(key, v);
      // Fresh: each configuration starts at generation 0 (a run of the
      // same settings would otherwise go on, and reach its end).
      coord.postMessage({type: W.configure, query: q.toString(), workers: k, fresh: true});
    });
  }

  function row(r) {
    const tr = document.createElement('tr');
    for (const v of [r.preset, r.workers, r.kernel, r.gensPerSecond.toFixed(2), r.genMs.toFixed(1), r.computeMs.toFixed(1),
      r.coordinatorMs.toFixed(2), (100 * r.coordinatorShare).toFixed(2) + '%', r.generations]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    $('bench').tBodies[0].appendChild(tr);
  }

  async function main() {
    const [wasm, train, test] = await Promise.all([bytes('worker.wasm'), bytes('data/train.nnd'), bytes('data/test.nnd')]);
    const module = await WebAssembly.compile(wasm);
    const coord = new Worker('coordinator.js');
    coord.onerror = (e) => { out.error = 'coordinator: ' + e.message; };
    await new Promise((resolve, reject) => {
      coord.onmessage = (e) => (e.data.type === W.ready ? resolve() : e.data.type === W.error && reject(new Error(e.data.message)));
      coord.postMessage({type: W.init, module, train: train.buffer, test: test.buffer, portable}, [train.buffer, test.buffer]);
    });
    for (const preset of presets) {
      for (const k of workers) {
        const r = await measure(coord, preset, k);
        out.rows.push(r);
        row(r);
      }
    }
    coord.terminate();
    say('Done.');
  }
  main().catch((err) => { out.error = err.message; say('Failed: ' + err.message); }).finally(() => { out.done = true; });
})();
