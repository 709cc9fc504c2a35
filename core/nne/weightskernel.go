package nne

import "nnesim/core/network"

// A WeightsKernel is WeightsLanes's W·x done outside Go: the browser's
// WebAssembly SIMD kernel (core/network/simd128, compiled by wasm/kernel).
// WeightsLanes adds, to the cleared w, each nonzero of column c of g in
// the lanes whose bit is set in mask[c] (only lanes 0 to
// network.Narrow−1 when narrow), in column order, and clears mask; each
// lane must have exactly the bits of the portable column walk.
type WeightsKernel interface {
	WeightsLanes(g *Genome, w [][network.Lanes]float32, mask []uint16, narrow bool)
}

// weightsKernel is the WeightsKernel UseWeightsKernel set, or nil.
var weightsKernel WeightsKernel

// UseWeightsKernel makes WeightsLanes run k, where this build has no
// vector kernel of its own; nil goes back to the portable column walk.
// The browser's evaluators call it once, at start-up, with
// network.UseBatchKernel.
func UseWeightsKernel(k WeightsKernel) { weightsKernel = k }
