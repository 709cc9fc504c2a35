package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"nnesim/core/theorem"
)

// theorem2File is what nnesim linear -sweep writes: the sweep's settings,
// its results, and the genes needed per m.
type theorem2File struct {
	Config  theorem.Config   `json:"config"`
	Scale   string           `json:"nne_scale"` // Config.Scale by name
	Results []theorem.Result `json:"results"`
	// Needed is, per m, the fewest n of the sweep at which 95% of the
	// draws reach a (0 if none does).
	Needed map[string]int `json:"needed_95"`
}

// theorem2Sweep runs the sweep of c, printing a line per (m, n), and
// writes theorem2-SCALE.json and theorem2-SCALE.png into out (SCALE the
// W of NNE's runs).
func theorem2Sweep(c theorem.Config, out string, stdout io.Writer) error {
	fmt.Fprintln(stdout, "    m      n       β   reached   NNE: cos(W·p, a)   ‖W·p − a‖   cos(W·x̂, a)   fixed")
	res, err := theorem.Sweep(c, func(r theorem.Result) {
		fmt.Fprintf(stdout, "%5d  %5d  %6.3f  %3d / %-3d  %-17s  %-10s  %-12s  %s\n", r.M, r.N, r.Beta, r.Reached, r.Draws,
			medianOf(r.Cos), medianOf(r.Dist), medianOf(r.CosHat), medianOf(r.Fixed))
	})
	if err != nil {
		return err
	}
	f := theorem2File{Config: c, Scale: c.Scale.String(), Results: res, Needed: map[string]int{}}
	for _, m := range c.Ms {
		n, _ := theorem.Needed(res, m, 0.95)
		f.Needed[strconv.Itoa(m)] = n
		fmt.Fprintf(stdout, "m = %d: W·p = a is reachable in 95%% of draws from n = %d (n/m = %.2g)\n", m, n, float64(n)/float64(m))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	name := "theorem2-" + c.Scale.String()
	if err := writeJSON(filepath.Join(out, name+".json"), f); err != nil {
		return err
	}
	return theorem2Plot(filepath.Join(out, name+".png"), c, res)
}

// median is the median of v (the mean of the middle two for an even
// count); v must not be empty.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + m) / 2
	}
	return m
}

// medianOf is the median of v as text ("—" if v is empty).
func medianOf(v []float64) string {
	if len(v) == 0 {
		return "—"
	}
	return strconv.FormatFloat(median(v), 'f', 3, 64)
}

// theorem2Plot draws, against n/m, the share of draws in which W·p = a
// is reachable (solid) and NNE's median cos(W·p, a) (dashed), one colour
// per m.
func theorem2Plot(path string, c theorem.Config, res []theorem.Result) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Theorem 2: W·p = a reachable (W's entries ±√(m/d), d = %g); NNE with %s W", c.D, c.Scale)
	p.X.Label.Text = "genes per link n/m (log scale)"
	p.Y.Label.Text = "share reachable (solid), NNE's cos(W·p, a) (dashed)"
	p.X.Scale = plot.LogScale{}
	var ticks []plot.Tick
	for _, r := range c.Ratios {
		ticks = append(ticks, plot.Tick{Value: r, Label: strconv.FormatFloat(r, 'g', 3, 64)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	for i, m := range c.Ms {
		var reach, cos plotter.XYs
		for _, r := range res {
			if r.M != m {
				continue
			}
			x := float64(r.N) / float64(r.M)
			if r.Draws > 0 {
				reach = append(reach, plotter.XY{X: x, Y: float64(r.Reached) / float64(r.Draws)})
			}
			if len(r.Cos) > 0 {
				cos = append(cos, plotter.XY{X: x, Y: math.Max(0, median(r.Cos))})
			}
		}
		col := plotutil.Color(i)
		if len(reach) > 0 {
			l, err := newLine(reach, col)
			if err != nil {
				return err
			}
			p.Add(l)
			p.Legend.Add(fmt.Sprintf("m = %d", m), l)
		}
		if len(cos) > 0 {
			l, err := newLine(cos, col)
			if err != nil {
				return err
			}
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(l)
		}
	}
	p.Y.Min, p.Y.Max = 0, 1.02
	p.Legend.Left, p.Legend.Top = false, false
	p.Legend.YOffs = vg.Inch / 3
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}

// floatList parses "1,1.5,2".
func floatList(s string) ([]float64, error) {
	var v []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
			return nil, fmt.Errorf("%q: want positive numbers separated by commas", s)
		}
		v = append(v, x)
	}
	return v, nil
}
