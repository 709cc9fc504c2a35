package main

import (
	"cmp"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"

	"gonum.org/v1/gonum/stat"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"nnesim/render"
)

// plots draws Figure 1 (accuracy against genes) and Figure 2 (allele
// frequency histograms, and the fraction of fixed alleles over time) as
// PNG files in dir, for the cells and data present. Figure 1 shows every
// seed and the median: one seed that loses a class would drag a mean far
// from the others.
func plots(dir string, cells []*cell, fig2 *fixation) error {
	// One median line and one scatter of seeds per digit set (series), in
	// the order the cells come.
	type series struct {
		name          string
		median, seeds plotter.XYs
	}
	var lines []*series
	var ticks []plot.Tick
	seen := map[float64]bool{}
	for _, c := range cells {
		if c.Table != "figure1" || len(c.Acc) == 0 {
			continue
		}
		name := cmp.Or(c.Series, "MNIST 0-4")
		i := slices.IndexFunc(lines, func(l *series) bool { return l.name == name })
		if i < 0 {
			i = len(lines)
			lines = append(lines, &series{name: name})
		}
		acc := slices.Clone(c.Acc)
		slices.Sort(acc)
		lines[i].median = append(lines[i].median, plotter.XY{X: c.X, Y: 100 * stat.Quantile(0.5, stat.Empirical, acc, nil)})
		for _, a := range c.Acc {
			lines[i].seeds = append(lines[i].seeds, plotter.XY{X: c.X, Y: 100 * a})
		}
		if !seen[c.X] {
			seen[c.X] = true
			ticks = append(ticks, plot.Tick{Value: c.X, Label: fmt.Sprint(c.X)})
		}
	}
	if len(lines) > 0 {
		p := plot.New()
		p.Title.Text = "Figure 1: NNE test accuracy against the number of genes"
		p.X.Label.Text = "genes n (log scale)"
		p.Y.Label.Text = "test accuracy (%)"
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		colors := []color.Color{render.Blue, render.Orange, render.Green, render.Red}
		for i, s := range lines {
			l, err := newLine(s.median, colors[i%len(colors)])
			if err != nil {
				return err
			}
			sc, err := plotter.NewScatter(s.seeds)
			if err != nil {
				return err
			}
			sc.Color = colors[i%len(colors)]
			p.Add(l, sc)
			p.Legend.Add(s.name+": median over seeds", l)
			p.Legend.Add(s.name+": each seed", sc)
		}
		// Room below the lowest point for the legend.
		p.Y.Min = max(0, p.Y.Min-float64(6*len(lines)))
		p.Legend.Left, p.Legend.Top = false, false
		p.Legend.YOffs = vg.Inch / 4
		if err := p.Save(7*vg.Inch, 4.5*vg.Inch, filepath.Join(dir, "figure1-genes.png")); err != nil {
			return fmt.Errorf("reproduce: %w", err)
		}
	}
	if fig2 == nil || len(fig2.Histograms) == 0 {
		return nil
	}
	p := plot.New()
	p.Title.Text = "Figure 2: allele frequencies p over generations"
	p.X.Label.Text = "allele frequency p (20 bins)"
	p.Y.Label.Text = "fraction of genes"
	for i, h := range fig2.Histograms {
		var xy plotter.XYs
		for b, v := range h {
			xy = append(xy, plotter.XY{X: float64(b) / 20, Y: v}, plotter.XY{X: float64(b+1) / 20, Y: v})
		}
		l, err := newLine(xy, plotutil.Color(i))
		if err != nil {
			return err
		}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("generation %d", fig2.Generations[i]), l)
	}
	p.Legend.Top = true
	p.Legend.XOffs = -vg.Inch * 1.5
	if err := p.Save(7*vg.Inch, 4.5*vg.Inch, filepath.Join(dir, "figure2-histograms.png")); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	p = plot.New()
	p.Title.Text = "Figure 2: fraction of fixed alleles (p within 0.01 of 0 or 1)"
	p.X.Label.Text = "generation"
	p.Y.Label.Text = "fraction fixed"
	var xy plotter.XYs
	for _, c := range fig2.Curve {
		xy = append(xy, plotter.XY{X: c[0], Y: c[1]})
	}
	l, err := newLine(xy, render.Blue)
	if err != nil {
		return err
	}
	p.Add(l)
	if err := p.Save(7*vg.Inch, 4*vg.Inch, filepath.Join(dir, "figure2-fixation.png")); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	return nil
}

// newLine returns the line through xy in colour c, as every plot of
// nnesim draws its curves (in the page's colours, package render).
func newLine(xy plotter.XYs, c color.Color) (*plotter.Line, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	return l, nil
}
