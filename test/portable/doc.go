// Package portable checks that nnesim keeps its promise of the same bits
// for the same seed on every platform: amd64 (GOAMD64=v1 and v3, and the
// AVX-512 kernel of a GOEXPERIMENT=simd build), arm64 and js/wasm.
//
// Three tests stand guard. TestNoFusedMultiplyAdd compiles core/ for arm64
// and for amd64 v3 (with and without the vector kernel), the targets where the Go compiler fuses x*y + z into
// one instruction that rounds once, and fails on any fused instruction,
// naming the function and the line (write float64(x*y) + z instead; see
// core/network/mathf.go). TestSameBitsEverywhere builds cmd/nnesim for the
// five targets, runs a short NNE run and a short run of every lifetime
// rule with each (arm64 under qemu-aarch64, wasm under Node.js, both with
// Go's portable kernel and with the browser's WebAssembly SIMD kernel) and
// compares the hashes they print. TestWasmKernel runs wasm/kernel's
// bit-for-bit tests of that SIMD kernel under Node.js.
package portable
