package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"nnesim/core/learner"
	"nnesim/core/nne"
	"nnesim/render"
)

// fixationXs are the distances x from 0 or 1 at which Figure 2's y(x) is
// given: fine near 0, where fixation shows, up to ½.
var fixationXs = []float64{0, 0.0001, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5}

// fixationAt is the allele distribution of one run file at its generation.
type fixationAt struct {
	Generation int `json:"generation"`
	// Y is the paper's y(x) at each of Xs: the fraction of genes whose
	// allele frequency lies at distance more than x from 0 and from 1,
	// y = 1 − |{i : min(p_i, 1 − p_i) ≤ x}| / n.
	Y []float64 `json:"y"`
	// Accuracy is the run's last test accuracy (mean genotype W·p) at or
	// before this generation, as its curve holds it.
	Accuracy float64 `json:"test_accuracy"`
}

// fixationResult is what nnesim fixation writes: Figure 2 at every run
// file given, and the fixed fraction along the longest run's curve.
type fixationResult struct {
	Query string       `json:"query"` // the longest run file's settings (learner.FullQuery)
	Genes int          `json:"genes"`
	Xs    []float64    `json:"x"`
	At    []fixationAt `json:"at"`
	// Curve is (generation, fraction of genes within FixedTol of 0 or 1)
	// at each point of the last run file's curve.
	Curve    [][2]float64 `json:"fixed_curve"`
	FixedTol float64      `json:"fixed_tol"`
}

// fixationCmd is nnesim fixation: Figure 2 (the distribution of allele
// frequencies after t generations) from NNE run files of one run saved at
// several generations (nnesim train -save, copied as it goes).
func fixationCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim fixation", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write fixation.json, figure2-y.png and figure2-fixed.png to (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: nnesim fixation -out DIR RUN.nne...\n\nFigure 2 from run files of one NNE run saved at several generations (nnesim train -save).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return errors.New("fixation: want -out DIR and at least one run file")
	}
	res, err := fixationOf(fs.Args())
	if err != nil {
		return fmt.Errorf("fixation: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("fixation: %w", err)
	}
	if err := writeJSON(filepath.Join(*out, "fixation.json"), res); err != nil {
		return fmt.Errorf("fixation: %w", err)
	}
	if err := fixationPlots(*out, res); err != nil {
		return fmt.Errorf("fixation: %w", err)
	}
	for _, a := range res.At {
		fmt.Fprintf(stdout, "generation %7d: %.4f of the genes within %g of 0 or 1, %.4f within 0.0001; test accuracy %.4f\n",
			a.Generation, 1-a.Y[slices.Index(res.Xs, nne.FixedTol)], nne.FixedTol, 1-a.Y[1], a.Accuracy)
	}
	return nil
}

// fixationOf reads the run files, which must be of one NNE run, and
// computes Figure 2 at each in order of generation.
func fixationOf(paths []string) (*fixationResult, error) {
	var res *fixationResult
	var last *learner.Saved
	run := "" // the run's settings but its stop, which moves between copies
	for _, path := range paths {
		sv, err := readRunFile(path, learner.Data{}) // any data: only p and the settings are read
		if err != nil {
			return nil, err
		}
		if len(sv.P) == 0 || sv.State != nil {
			return nil, fmt.Errorf("%s: not an NNE run as evolution left it (no allele frequencies)", path)
		}
		s := sv.Settings
		s.Generations = 0
		if q := learner.FullQuery(&s); res == nil {
			res, run = &fixationResult{Genes: len(sv.P), Xs: fixationXs, FixedTol: nne.FixedTol}, q
		} else if q != run {
			return nil, fmt.Errorf("%s: a different run (%s) from the first file's (%s)", path, q, run)
		}
		at := fixationAt{Generation: sv.Step, Y: make([]float64, len(fixationXs))}
		for k, x := range fixationXs {
			at.Y[k] = 1 - nne.FixedFraction(sv.P, x)
		}
		for _, pt := range sv.Curve {
			if pt.Step <= sv.Step {
				at.Accuracy = pt.TestAccuracy
			}
		}
		res.At = append(res.At, at)
		if last == nil || sv.Step > last.Step {
			last = sv
		}
	}
	res.Query = learner.FullQuery(&last.Settings)
	slices.SortFunc(res.At, func(a, b fixationAt) int { return a.Generation - b.Generation })
	for i := 1; i < len(res.At); i++ {
		if res.At[i].Generation == res.At[i-1].Generation {
			return nil, fmt.Errorf("two run files at generation %d", res.At[i].Generation)
		}
	}
	for _, pt := range last.Curve {
		if v, ok := pt.Signal(learner.SignalFixed); ok {
			res.Curve = append(res.Curve, [2]float64{float64(pt.Step), v})
		}
	}
	return res, nil
}

// fixationPlots draws figure2-y.png (the paper's Figure 2: y against x,
// one line per generation) and figure2-fixed.png (the fraction fixed
// against generations, on a log scale).
func fixationPlots(dir string, res *fixationResult) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Figure 2: allele frequencies after t generations (n = %d)", res.Genes)
	p.X.Label.Text = "x: distance from 0 or 1"
	p.Y.Label.Text = "y: share of genes farther than x from 0 and 1"
	for i, a := range res.At {
		var xy plotter.XYs
		for k, x := range res.Xs {
			xy = append(xy, plotter.XY{X: x, Y: a.Y[k]})
		}
		l, err := newLine(xy, plotutil.Color(i))
		if err != nil {
			return err
		}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("t = %d", a.Generation), l)
	}
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top = true
	if err := p.Save(7*vg.Inch, 4.5*vg.Inch, filepath.Join(dir, "figure2-y.png")); err != nil {
		return err
	}
	if len(res.Curve) < 2 {
		return nil
	}
	p = plot.New()
	p.Title.Text = fmt.Sprintf("Share of genes fixed (p within %g of 0 or 1)", res.FixedTol)
	p.X.Label.Text = "generation (log scale)"
	p.Y.Label.Text = "share fixed"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	var xy plotter.XYs
	for _, c := range res.Curve {
		if c[0] > 0 {
			xy = append(xy, plotter.XY{X: c[0], Y: c[1]})
		}
	}
	l, err := newLine(xy, render.Blue)
	if err != nil {
		return err
	}
	p.Add(l)
	p.Y.Min, p.Y.Max = 0, 1
	return p.Save(7*vg.Inch, 4*vg.Inch, filepath.Join(dir, "figure2-fixed.png"))
}
