// evaluator.js is one of the K Web Workers that score the population: the
// coordinator (coordinator.js) starts it, sends the compiled worker.wasm
// module and the training pool once, and then, each generation, p and the
// minibatch for a slice of genotypes; it answers with that slice's
// per-gene partial sums. All the maths is in Go (wasm/worker, core/nne).
//
// Messages in:
//   {type: 'init', module, train, query, run}   start, then as 'prepare'
//   {type: 'prepare', query, run}                build run `run`'s genome
//   {type: 'eval', run, generation, p, batch, lo, hi}
//   {type: 'throw'}                              test hook: crash
// Messages out:
//   {type: 'prepared', run}
//   {type: 'sums', run, generation, lo, hi, deltaX, x, delta, count, ms,
//    memoryBytes}                                 (the wasm memory's size)
//   {type: 'error', message}
'use strict';
importScripts((self.nnesimBase || '') + 'wasm_exec.js'); // see coordinator.js

let api = null;
let memory = null; // the Go instance's memory, whose size is reported with each slice

function fail(where, err) {
  postMessage({type: 'error', message: where + ': ' + (err && err.message ? err.message : String(err))});
}

function prepare(m) {
  const err = api.prepare(m.query);
  if (err) { fail('preparing the run', err); return; }
  postMessage({type: 'prepared', run: m.run});
}

onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
    case 'init': {
      const go = new Go();
      const inst = await WebAssembly.instantiate(m.module, go.importObject);
      go.run(inst).then(() => fail('evaluator', 'the Go runtime stopped'));
      memory = inst.exports.mem;
      api = self.nnesimWorker;
      const err = api.load(new Uint8Array(m.train), null);
      if (err) { fail('data', err); return; }
      prepare(m);
      break;
    }
    case 'prepare':
      prepare(m);
      break;
    case 'eval': {
      const t0 = performance.now();
      const r = api.score(m.generation, m.p, m.batch, m.lo, m.hi);
      if (r.fatal) { fail('evaluating', r.fatal); return; }
      const ms = performance.now() - t0;
      postMessage({type: 'sums', run: m.run, generation: m.generation, lo: m.lo, hi: m.hi,
        deltaX: r.deltaX, x: r.x, delta: r.delta, count: r.count, ms, memoryBytes: memory.buffer.byteLength},
      [r.deltaX.buffer, r.x.buffer, r.delta.buffer]);
      break;
    }
    case 'throw':
      // Uncaught, so that the coordinator sees a worker error event.
      setTimeout(() => { throw new Error('test hook: evaluator told to throw'); });
      break;
    }
  } catch (err) {
    fail(m.type, err);
  }
};
