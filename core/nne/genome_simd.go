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
	term := func(e int32) archsimd.Float32x16 {
		return archsimd.BroadcastFloat32x16(val[e]).Masked(archsimd.Mask32x16FromBits(mask[col[e]]))
	}
	// Four rows at a time, so that four chains of dependent adds overlap;
	// each row still adds its terms in order.
	l := 0
	for ; l+4 <= len(w); l += 4 {
		s := t.Start[l : l+5 : l+5]
		n := min(s[1]-s[0], s[2]-s[1], s[3]-s[2], s[4]-s[3])
		var a0, a1, a2, a3 archsimd.Float32x16
		for q := range n {
			a0 = a0.Add(term(s[0] + q))
			a1 = a1.Add(term(s[1] + q))
			a2 = a2.Add(term(s[2] + q))
			a3 = a3.Add(term(s[3] + q))
		}
		for e := s[0] + n; e < s[1]; e++ {
			a0 = a0.Add(term(e))
		}
		for e := s[1] + n; e < s[2]; e++ {
			a1 = a1.Add(term(e))
		}
		for e := s[2] + n; e < s[3]; e++ {
			a2 = a2.Add(term(e))
		}
		for e := s[3] + n; e < s[4]; e++ {
			a3 = a3.Add(term(e))
		}
		a0.Store(&w[l])
		a1.Store(&w[l+1])
		a2.Store(&w[l+2])
		a3.Store(&w[l+3])
	}
	for ; l < len(w); l++ {
		var a archsimd.Float32x16
		for e := t.Start[l]; e < t.Start[l+1]; e++ {
			a = a.Add(term(e))
		}
		a.Store(&w[l])
	}
	clear(mask)
	return true
}
