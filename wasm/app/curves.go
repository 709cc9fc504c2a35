//go:build js && wasm

package main

import (
	"fmt"
	"image"
	"math"

	"nnesim/render"
)

// curveRef is a drawn series of the accuracy plot: whose it is and what
// its points are, for the tooltip.
type curveRef struct {
	m     *model
	name  string
	color int
	xs    []float64 // on the axis drawn
	ys    []float64
}

// drawCurves draws the accuracy panel: the run's test and train accuracy
// (one run) or every run's test accuracy (a race), against steps or
// training seconds (the switch at the top right), and below it the
// selected run's own signal against its steps: NNE's mean fitness, DNN's
// dopamine, and in a race the other rules' train and test accuracy. A
// point under the pointer shows its rule, step, time and accuracy.
func (g *Game) drawCurves(dst *image.RGBA) {
	st, m := g.style, g.cur()
	race := len(g.runs) > 1
	var title string
	switch {
	case race:
		secs := 0.0
		for i := range g.runs {
			secs = max(secs, g.runs[i].seconds)
		}
		title = fmt.Sprintf("Test accuracy · race of %d · %s", len(g.runs), clock(secs))
	case m.unit == "generation" && m.gen > 0:
		title = fmt.Sprintf("Accuracy · gen %d · %.1f gen/s · %s", m.gen, m.rate, clock(m.seconds))
	case m.gen > 0 || m.unit == "epoch":
		title = fmt.Sprintf("Accuracy · %s · epoch %d · %s", m.title, m.gen, clock(m.seconds))
	default:
		title = "Accuracy (" + m.title + ")"
	}
	// The axis switch, right of the title (which is shortened to keep
	// clear of it), left of the page's ⓘ button (render.InfoWidth).
	off := g.panels[render.PanelCurves].rect.Min
	label := "x: steps | seconds"
	if g.xSeconds {
		label = "x: seconds | steps"
	}
	asc := st.Small.Metrics().Ascent.Ceil()
	bw := render.TextWidth(st.Small, label) + st.Px(12)
	r := st.PanelBeside(dst, title, st.Px(8)+bw+st.Px(8))
	right := r.Max.X - st.Px(render.InfoWidth)
	btn := image.Rect(right-bw, dst.Bounds().Min.Y+st.Px(6), right, dst.Bounds().Min.Y+st.Px(6)+asc+st.Px(10))
	render.Fill(dst, btn, g.style.Pal.Grid)
	render.Text(dst, st.Small, (btn.Min.X+btn.Max.X)/2, btn.Min.Y+st.Px(5)+asc, 0.5, label, g.style.Pal.Ink)
	g.axisBtn = btn.Add(off)

	top := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+r.Dy()*62/100)
	bottom := image.Rect(r.Min.X, top.Max.Y+st.Px(6), r.Max.X, r.Max.Y)
	var refs []curveRef
	var series []render.Series
	xmax, xlabel := 0.0, ""
	if race {
		for i := range g.runs {
			x := &g.runs[i]
			xs, end, _ := x.axis(g.xSeconds, true)
			xmax = max(xmax, end)
			refs = append(refs, curveRef{m: x, name: x.label, color: i, xs: xs, ys: x.testY})
			series = append(series, render.Series{Name: x.label, Color: g.style.Pal.Run(i), X: xs, Y: x.testY})
		}
		xlabel = fmt.Sprintf("%.0f s of training", xmax)
		if !g.xSeconds {
			xmax, xlabel = 1, "each rule's steps, to its own stop"
		}
	} else {
		xs, end, mark := m.axis(g.xSeconds, false)
		xmax = end
		_, _, xlabel, _ = m.curveAxis()
		if g.xSeconds {
			xlabel = fmt.Sprintf("%.0f s of training", xmax)
		}
		refs = []curveRef{{m: m, name: "test", color: -1, xs: xs, ys: m.testY}, {m: m, name: "train", color: -2, xs: xs, ys: m.trainY}}
		series = []render.Series{
			{Name: "test", Color: g.style.Pal.Blue, X: xs, Y: m.testY},
			{Name: "train", Color: g.style.Pal.Orange, X: xs, Y: m.trainY},
		}
		if mark >= 0 {
			series = append(series, render.Series{Name: "SignSGD from here", Color: g.style.Pal.Green, X: []float64{mark}, Mark: true})
		}
	}
	plot := st.Plot(dst, top, series, xmax, 1, "%.2f", xlabel)
	g.drawOwnSignal(dst, bottom, m, race)
	if g.hovering && !plot.Empty() {
		g.drawTip(dst, plot, refs, xmax)
	}
}

// drawOwnSignal plots run m's own signal against its steps into r.
func (g *Game) drawOwnSignal(dst *image.RGBA, r image.Rectangle, m *model, race bool) {
	st := g.style
	xs, xmax, xlabel, _ := m.curveAxis()
	name := func(s string) string {
		if race {
			return m.label + ": " + s
		}
		return s
	}
	// In a race the run's own colour says whose signal it is.
	own := g.style.Pal.Green
	if race {
		own = g.style.Pal.Run(m.color)
	}
	switch m.plot {
	case signalDopamine:
		// The rule's own signal: dopamine, reward minus the network's
		// predicted reward (shown from 0 up).
		dmax, ys := 1e-9, make([]float64, len(m.plotY))
		for i, v := range m.plotY {
			ys[i] = max(0, v)
			dmax = max(dmax, ys[i])
		}
		n := min(len(xs), len(ys))
		yfmt := "%.2f"
		if dmax < 0.1 {
			yfmt = "%.3f" // a small signal's ticks stay apart
		}
		st.Plot(dst, r, []render.Series{{Name: name("dopamine R − z_a"), Color: own, X: xs[:n], Y: ys[:n]}}, xmax, dmax, yfmt, xlabel)
	case signalFitness:
		// Every generation's, from a run that fans out (the coordinator's
		// pipeline); else the curve's points'.
		fx, fy := m.fitX, m.fitY
		if len(fy) == 0 {
			n := min(len(xs), len(m.plotY))
			fx, fy = xs[:n], m.plotY[:n]
		}
		fmax := 1e-9
		for _, v := range fy {
			fmax = max(fmax, v)
		}
		st.Plot(dst, r, []render.Series{{Name: name("mean fitness"), Color: own, X: fx, Y: fy}}, xmax, fmax, "%.2f", xlabel)
	default:
		if race {
			st.Plot(dst, r, []render.Series{
				{Name: name("test"), Color: g.style.Pal.Blue, X: xs, Y: m.testY},
				{Name: "train", Color: g.style.Pal.Orange, X: xs, Y: m.trainY},
			}, xmax, 1, "%.2f", xlabel)
		}
	}
}

// axis returns run m's curve positions on the accuracy plot's x-axis and
// the axis's end: training seconds, or steps (curveAxis) — in a race
// (share) as a share of the run's own stop, since rules count different
// steps — and where NNE + SignSGD switched (−1: not yet, or not that
// rule; in seconds it is the time of its first epoch point).
func (m *model) axis(seconds, share bool) (xs []float64, end, mark float64) {
	steps, xmax, _, mark := m.curveAxis()
	if seconds {
		xs = m.secY[:min(len(m.secY), len(steps))]
		end = max(1, m.seconds)
		if len(xs) > 0 {
			end = max(end, xs[len(xs)-1])
		}
		if mark >= 0 {
			mark = -1
			for i, u := range m.curveU {
				if len(m.phases) > 1 && u == m.phases[1].unit && i < len(xs) {
					mark = xs[i]
					break
				}
			}
		}
		return xs, end, mark
	}
	if !share {
		return steps, xmax, mark
	}
	stop := m.stop()
	xs = make([]float64, len(steps))
	for i, x := range steps {
		xs[i] = math.Min(1, x/stop)
	}
	return xs, 1, -1
}

// stop is where run m's steps axis (curveAxis) ends when it is done.
func (m *model) stop() float64 {
	switch len(m.phases) {
	case 0:
		return 1
	case 1:
		return float64(max(1, m.phases[0].stop))
	}
	g, per := m.chainScale()
	return g + float64(m.phases[1].stop)*per
}

// drawTip shows the point of refs nearest the pointer, if near enough.
func (g *Game) drawTip(dst *image.RGBA, plot image.Rectangle, refs []curveRef, xmax float64) {
	st := g.style
	at := g.hover.Sub(g.panels[render.PanelCurves].rect.Min)
	if !at.In(plot.Inset(-st.Px(12))) {
		return
	}
	best, bi, bd := -1, 0, float32(st.Px(28)*st.Px(28))
	var bp [2]float32
	for k, c := range refs {
		for i := range min(len(c.xs), len(c.ys)) {
			p := render.PlotPoint(plot, c.xs[i], c.ys[i], xmax, 1)
			dx, dy := p[0]-float32(at.X), p[1]-float32(at.Y)
			if d := dx*dx + dy*dy; d < bd {
				best, bi, bd, bp = k, i, d, p
			}
		}
	}
	if best < 0 {
		return
	}
	c := refs[best]
	m := c.m
	step, unit := 0, m.unit
	if bi < len(m.curveX) {
		step = int(m.curveX[bi])
	}
	if bi < len(m.curveU) {
		unit = m.curveU[bi]
	}
	secs := 0.0
	if bi < len(m.secY) {
		secs = m.secY[bi]
	}
	col := g.style.Pal.Blue
	switch {
	case c.color >= 0:
		col = g.style.Pal.Run(c.color)
	case c.color == -2:
		col = g.style.Pal.Orange
	}
	where := fmt.Sprintf("%s %d · %.1f s", unit, step, secs)
	if c.name != m.label {
		where = m.label + " · " + where
	}
	lines := []string{fmt.Sprintf("%s %.1f%%", c.name, 100*c.ys[bi]), where}
	st.Tip(dst, dst.Bounds(), int(bp[0]), int(bp[1]), lines, col)
}

// The signals a rule's own panel may plot (learner.Rule.Plot; the names
// are learner.SignalDopamine and learner.SignalFitness, checked by
// TestPictureAndSignalNames).
const (
	signalDopamine = "dopamine"
	signalFitness  = "mean_fitness"
)
