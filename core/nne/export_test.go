package nne

import "nnesim/core/network"

// WeightsNarrow runs the narrow W·x kernel on ones[:network.Narrow], as
// WeightsLanes does for a narrow group of the portable kernel, so that
// tests check it in a vector build too.
func WeightsNarrow(g *Genome, w [][network.Lanes]float32, mask []uint16, ones *[network.Lanes][]int32) {
	markLanes(mask, ones[:network.Narrow])
	clear(w)
	g.weightsNarrow(w, mask)
}
