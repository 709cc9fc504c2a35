package render

import (
	"fmt"
	"image"
	"math"
)

// TheoryCurve is what the Theory view's curve panel shows of a run of
// NNE on a linear target (package theory): cos(W·p, a) and the share of
// genes fixed at each kept generation, and where the run is.
type TheoryCurve struct {
	Gens, Cos, Fixed []float64
	Generation, Stop int
	Dist, CosNow     float64 // ‖W·p − a‖ and cos(W·p, a) now
	Error            string  // why the run stopped early, if it did
}

// TheoryExplanations are the Theory view's panels' ⓘ: the curve, then the
// allele frequencies.
var TheoryExplanations = [2]Explanation{
	{"cos(W·p, a) as it evolves",
		"Section 2.1's task: one output, m inputs y, and a target a; the network's weights are W·p, the mean genotype's, and a genotype's fitness is minus its squared error on a minibatch. " +
			"Theorem 2 says that with enough genes (n a few times m, for its W with entries ±√(1/β)) some p in [0, 1]ⁿ has W·p = a exactly; the curve shows whether weak selection (eq. 3) finds it: cos(W·p, a) = 1 is W·p pointing along a. " +
			"Values below 0 are drawn at 0. The orange line is the share of genes fixed: once most have fixed, p can barely move, and cos stays where it is."},
	{"Allele frequencies",
		"Each gene's allele frequency p(i), the chance that a genotype carries allele 1, as in the simulator's Figure 2 panel. " +
			"They start at ½; eq. 3 moves each by ε·p(i)(1 − p(i)) times how much allele 1 helps the fitness, so they drift to 0 and 1 and fix. " +
			"The theorem's p need not be binary: a solution with many genes left in between is still W·p = a."},
}

// TheoryCurvePanel draws the curve panel into dst.
func (st *Style) TheoryCurvePanel(dst *image.RGBA, c TheoryCurve) {
	title := fmt.Sprintf("cos(W·p, a) %.3f · |W·p − a| %.3f · generation %d of %d", c.CosNow, c.Dist, c.Generation, c.Stop)
	r := st.Panel(dst, title)
	if c.Error != "" {
		lh := LineHeight(st.Small)
		Text(dst, st.Small, r.Min.X, r.Min.Y+lh, 0, FitTitle(st.Small, "Stopped: "+c.Error, r.Dx()), st.Pal.Red)
		r.Min.Y += 2 * lh
	}
	clamp := func(y []float64) []float64 {
		out := make([]float64, len(y))
		for i, v := range y {
			out[i] = math.Max(0, v)
		}
		return out
	}
	series := []Series{
		{Name: "cos(W·p, a)", Color: st.Pal.Blue, X: c.Gens, Y: clamp(c.Cos)},
		{Name: "share fixed", Color: st.Pal.Orange, X: c.Gens, Y: c.Fixed},
	}
	st.Plot(dst, r, series, float64(max(1, c.Stop)), 1, "%.2f", fmt.Sprintf("%d generations", c.Stop))
}

// TheoryAllelesPanel draws the allele-frequency histogram of p into dst.
func (st *Style) TheoryAllelesPanel(dst *image.RGBA, p []float32, fixed float64, generation int) {
	r := st.Panel(dst, fmt.Sprintf("Allele frequencies · generation %d", generation))
	st.Histogram(dst, r, p, 20, fixed)
}
