// worker.js runs the training engine (worker.wasm, core only) in a Web
// Worker so the page never blocks on evaluation. Messages in:
//   {type: 'init', module, train, test}  WebAssembly.Module and data bytes
//   {type: 'configure', query}            new run from URL-style settings
//   {type: 'start'} {type: 'pause'} {type: 'step'}
// Messages out: 'ready', 'run', 'snapshot', 'error'.
importScripts('wasm_exec.js');

let api = null;
let running = false;
let scheduled = false;
let rate = {gens: 0, ms: 0};
const channel = new MessageChannel();

function post(msg) {
  const transfer = [];
  for (const v of Object.values(msg.snapshot || msg)) {
    if (ArrayBuffer.isView(v)) transfer.push(v.buffer);
  }
  if (msg.snapshot) {
    for (const k of ['gridImages', 'gridTruth']) if (msg[k]) transfer.push(msg[k].buffer);
  }
  postMessage(msg, transfer);
}

function fail(where, err) {
  running = false;
  postMessage({type: 'error', message: where + ': ' + (err && err.message ? err.message : String(err))});
}

// loop runs generations in slices of about 30 ms, posting a snapshot
// after each, and yields through a MessageChannel so 'pause' gets in.
function loop() {
  scheduled = false;
  if (!running || !api) return;
  const t0 = performance.now();
  let snap;
  try {
    snap = api.run(30);
  } catch (err) {
    fail('training', err);
    return;
  }
  if (snap && snap.fatal) {
    fail('training', snap.fatal);
    return;
  }
  const dt = performance.now() - t0;
  rate.gens += snap.gens.length;
  rate.ms += dt;
  snap.rate = rate.ms > 0 ? 1000 * rate.gens / rate.ms : 0;
  if (rate.ms > 3000) { rate.gens /= 2; rate.ms /= 2; }
  if (snap.done) running = false;
  snap.running = running;
  post({type: 'snapshot', snapshot: snap});
  schedule();
}

function schedule() {
  if (running && !scheduled) {
    scheduled = true;
    channel.port2.postMessage(null);
  }
}
channel.port1.onmessage = loop;

onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
    case 'init': {
      const go = new Go();
      const inst = await WebAssembly.instantiate(m.module, go.importObject);
      go.run(inst);
      api = self.nnesimWorker;
      const err = api.load(new Uint8Array(m.train), new Uint8Array(m.test));
      if (err) { fail('data', err); return; }
      postMessage({type: 'ready'});
      break;
    }
    case 'configure': {
      running = false;
      rate = {gens: 0, ms: 0};
      const run = api.configure(m.query);
      if (run.fatal) { postMessage({type: 'run', errors: run.errors, fatal: run.fatal}); return; }
      const msg = {type: 'run', settings: run.settings, query: run.query, errors: run.errors,
        describe: run.describe, labels: run.labels, numTest: run.numTest,
        gridImages: run.gridImages, gridTruth: run.gridTruth, snapshot: run.snapshot};
      msg.snapshot.running = false;
      post(msg);
      break;
    }
    case 'start':
      running = true;
      schedule();
      break;
    case 'pause':
      running = false;
      break;
    case 'step': {
      running = false;
      const snap = api.run(0, -1);
      snap.rate = 0;
      snap.running = false;
      post({type: 'snapshot', snapshot: snap});
      break;
    }
    }
  } catch (err) {
    fail(m.type, err);
  }
};
