//go:build js && wasm

package main

import "nnesim/wasm/kernel"

// As js/wasm under Node.js with test/node/run_wasm.js, which gives the
// program its memory as the page's evaluators do, nnesim runs the
// browser's SIMD kernel; under Go's own runner, which does not, the
// portable one (with the same bits). train says which kernel ran.
func init() { _ = kernel.Install() }
