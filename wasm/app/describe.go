//go:build js && wasm

package main

import (
	"fmt"
	"strings"

	"nnesim/render"
)

// describe returns the text alternative of panel kind k: what it shows
// now (accuracy, generation, fixed share, the pad's answers), for screen
// readers and anyone who cannot see the canvas. The caller holds g.mu.
func (g *Game) describe(k int) string {
	m := g.cur()
	switch k {
	case render.PanelPad:
		if !g.hasInput {
			return "Draw pad, empty: draw a digit with the mouse, a finger or a stylus to have every run classify it."
		}
		var answers []string
		for i := range g.runs {
			r := &g.runs[i]
			if r.probs == nil {
				continue
			}
			best := 0
			for c, p := range r.probs {
				if p > r.probs[best] {
					best = c
				}
			}
			answers = append(answers, fmt.Sprintf("%s answers %d (%.0f%%)", r.label, r.digits[best], 100*r.probs[best]))
		}
		if len(answers) == 0 {
			return "Draw pad with a drawing, not yet classified."
		}
		return "Draw pad: " + strings.Join(answers, ", ") + "."
	case render.PanelCurves:
		var runs []string
		for i := range g.runs {
			r := &g.runs[i]
			if len(r.testY) == 0 {
				runs = append(runs, r.label+": not started")
				continue
			}
			runs = append(runs, fmt.Sprintf("%s: test accuracy %.1f%% at %s %d, after %s of training", r.label, 100*r.testY[len(r.testY)-1], r.unit, r.gen, clock(r.seconds)))
		}
		return "Accuracy curves. " + strings.Join(runs, "; ") + "."
	case render.PanelHistogram:
		if m.p == nil {
			return "Allele frequencies: " + m.label + " learns within one life; only NNE evolves alleles."
		}
		low, high := 0, 0
		for _, v := range m.p {
			switch {
			case v < 0.1:
				low++
			case v > 0.9:
				high++
			}
		}
		n := float64(len(m.p))
		return fmt.Sprintf("Allele frequencies of %d genes at %s %d: %.1f%% fixed (within 0.01 of 0 or 1); %.0f%% below 0.1 and %.0f%% above 0.9.",
			len(m.p), m.unit, m.gen, 100*m.fixed, 100*float64(low)/n, 100*float64(high)/n)
	case render.PanelTiles:
		return fmt.Sprintf("Input weights of the first hidden units of %s as 28×28 pictures, at %s %d.", m.label, m.unit, m.gen)
	case render.PanelHeatMap:
		return fmt.Sprintf("Output weights of %s, %d classes by hidden unit, at %s %d.", m.label, len(m.digits), m.unit, m.gen)
	case render.PanelGrid:
		wrong := 0
		for i := range m.gridPred {
			if i < len(m.gridTruth) && m.gridPred[i] != m.gridTruth[i] {
				wrong++
			}
		}
		if m.grid.Filtered() {
			return fmt.Sprintf("Test digits, %s: %d images, page %d shows %d; %d of them are wrong. Press all digits to show every test image.", m.gridFilter(), m.gridTotal, m.grid.Page+1, len(m.gridPred), wrong)
		}
		return fmt.Sprintf("Test digits: %.1f%% of %d right at %s %d; %d of the %d shown (page %d) are wrong. Press a cell of the confusion matrix to see its images.", 100*m.testAccuracy, m.numTest, m.unit, m.gen, wrong, len(m.gridPred), m.grid.Page+1)
	case render.PanelConfusion:
		c := len(m.digits)
		if len(m.confusion) != c*c {
			return "Confusion matrix: no evaluation yet."
		}
		recall := make([]string, c)
		for i := range c {
			row := 0
			for j := range c {
				row += int(m.confusion[i*c+j])
			}
			r := 0.0
			if row > 0 {
				r = float64(m.confusion[i*c+i]) / float64(row)
			}
			recall[i] = fmt.Sprintf("%d %.0f%%", m.digits[i], 100*r)
		}
		return "Confusion matrix; share of each class's test images answered right: " + strings.Join(recall, ", ") + "."
	}
	return ""
}
