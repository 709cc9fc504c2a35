//go:build goexperiment.simd && amd64

package nne

import (
	"simd/archsimd"

	"nnesim/core/network"
)

// vector says whether network's AVX-512 kernel runs here; NewGenome then
// also stores W by row for weightsLanesSIMD.
var vector = network.Kernel() == "avx512"

// weightsLanesSIMD is WeightsLanes walking W by row: link l of all lanes
// is one 16-wide register, to which each nonzero W(l, c) is added in the
// lanes whose bit is set in mask[c], in ascending c, which is the order
// (and so the bits) of the column walk. Rows are written once, in order,
// and the mask (two bytes a gene) stays in the first-level cache, where
// the column walk would scatter adds over all of w. It clears mask and
// reports true, or reports false where the vector kernel does not run.
func weightsLanesSIMD(g *Genome, w [][network.Lanes]float32, mask []uint16) bool {
	t := g.byRow
	if t == nil {
		return false
	}
	col, val := t.Col, t.Val[:len(t.Col)]
	for l := range w {
		var acc archsimd.Float32x16
		for e := t.Start[l]; e < t.Start[l+1]; e++ {
			carry := archsimd.Mask32x16FromBits(mask[col[e]])
			acc = acc.Add(archsimd.BroadcastFloat32x16(val[e]).Masked(carry))
		}
		acc.Store(&w[l])
	}
	clear(mask)
	return true
}
