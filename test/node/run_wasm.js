// run_wasm.js runs a Go js/wasm program or test binary under Node.js, as
// Go's own lib/wasm/wasm_exec_node.js does, and also gives it its memory
// in the global nnesimMemory, as the page's evaluators do, so that it
// runs the WebAssembly SIMD kernel (wasm/kernel). Usage:
//
//	node test/node/run_wasm.js prog.wasm [arguments]
//
// with GOROOT in the environment or go on the PATH.
'use strict';

const path = require('path');
if (process.argv.length < 3) {
  console.error('usage: node run_wasm.js prog.wasm [arguments]');
  process.exit(1);
}
const goroot = process.env.GOROOT ||
  require('child_process').execFileSync('go', ['env', 'GOROOT'], {encoding: 'utf8'}).trim();

globalThis.require = require;
globalThis.fs = require('fs');
globalThis.path = path;
globalThis.TextEncoder = require('util').TextEncoder;
globalThis.TextDecoder = require('util').TextDecoder;
globalThis.performance ??= require('performance');
globalThis.crypto ??= require('crypto');
require(path.join(goroot, 'lib', 'wasm', 'wasm_exec.js'));

const go = new Go();
go.argv = process.argv.slice(2);
go.env = Object.assign({TMPDIR: require('os').tmpdir()}, process.env);
go.exit = process.exit;
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject).then((result) => {
  globalThis.nnesimMemory = result.instance.exports.mem;
  process.on('exit', (code) => { // as wasm_exec_node.js: a deadlock prints Go's stacks
    if (code === 0 && !go.exited) {
      go._pendingEvent = {id: 0};
      go._resume();
    }
  });
  return go.run(result.instance);
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
