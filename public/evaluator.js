// evaluator.js is one of the K Web Workers that score the population: the
// coordinator (coordinator.js) starts it, sends the compiled worker.wasm
// module and the training pool once, and then, each generation, p and the
// minibatch for a slice of genotypes; it answers with that slice's
// per-gene partial sums. All the maths is in Go (wasm/worker, core/nne).
//
// Messages (init, prepare, eval and throw in; prepared, sums and error
// out): Go's table, wasm/protocol (protocol.Worker), which names.js gives
// this script as W.
'use strict';
importScripts((self.nnesimBase || '') + 'wasm_exec.js', (self.nnesimBase || '') + 'names.js'); // see coordinator.js
const W = self.nnesimMessages.worker; // message types (wasm/protocol)

let api = null;
let memory = null; // the Go instance's memory, whose size is reported with each slice

function fail(where, err) {
  postMessage({type: W.error, message: where + ': ' + (err && err.message ? err.message : String(err))});
}

function prepare(m) {
  const err = api.prepare(m.query);
  if (err) { fail('preparing the run', err); return; }
  postMessage({type: W.prepared, run: m.run});
}

onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
    case W.init: {
      const go = new Go();
      const inst = await WebAssembly.instantiate(m.module, go.importObject);
      memory = inst.exports.mem;
      if (!m.portable) self.nnesimMemory = memory; // for Go's SIMD kernel (wasm/kernel), before go.run
      go.run(inst).then(() => fail('evaluator', 'the Go runtime stopped'));
      api = self.nnesimWorker;
      const err = api.load(new Uint8Array(m.train), null);
      if (err) { fail('data', err); return; }
      prepare(m);
      break;
    }
    case W.prepare:
      prepare(m);
      break;
    case W.eval: {
      const t0 = performance.now();
      const r = api.score(m.generation, m.p, m.batch, m.lo, m.hi);
      if (r.fatal) { fail('evaluating', r.fatal); return; }
      const ms = performance.now() - t0;
      postMessage({type: W.sums, run: m.run, generation: m.generation, lo: m.lo, hi: m.hi,
        deltaX: r.deltaX, x: r.x, delta: r.delta, count: r.count, ms, memoryBytes: memory.buffer.byteLength},
      [r.deltaX.buffer, r.x.buffer, r.delta.buffer]);
      break;
    }
    case W.throw:
      // Uncaught, so that the coordinator sees a worker error event.
      setTimeout(() => { throw new Error('test hook: evaluator told to throw'); });
      break;
    }
  } catch (err) {
    fail(m.type, err);
  }
};
