package main

import (
	"fmt"
	"image/color"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// plots draws Figure 1 (accuracy against genes) and Figure 2 (allele
// frequency histograms, and the fraction of fixed alleles over time) as
// PNG files in dir, for the cells and data present.
func plots(dir string, cells []*cell, fig2 *fixation) error {
	var pts, lo, hi plotter.XYs
	for _, c := range cells {
		if c.Table == "figure1" {
			pts = append(pts, plotter.XY{X: c.X, Y: 100 * c.Mean})
			lo = append(lo, plotter.XY{X: c.X, Y: 100 * (c.Mean - c.Std)})
			hi = append(hi, plotter.XY{X: c.X, Y: 100 * (c.Mean + c.Std)})
		}
	}
	if len(pts) > 0 {
		p := plot.New()
		p.Title.Text = "Figure 1: NNE test accuracy against the number of genes (digits 0-4)"
		p.X.Label.Text = "genes n (log scale)"
		p.Y.Label.Text = "test accuracy (%), mean ± std over seeds"
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		if err := plotutil.AddLinePoints(p, "mean", pts, "mean − std", lo, "mean + std", hi); err != nil {
			return err
		}
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
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
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
	l, err := plotter.NewLine(xy)
	if err != nil {
		return err
	}
	l.Color = color.RGBA{0x25, 0x63, 0xeb, 0xff}
	l.Width = vg.Points(1.5)
	p.Add(l)
	if err := p.Save(7*vg.Inch, 4*vg.Inch, filepath.Join(dir, "figure2-fixation.png")); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	return nil
}
