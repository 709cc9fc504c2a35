package main

import (
	"flag"
	"fmt"
	"image/color"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"nnesim/core/learner"
	"nnesim/core/train"
)

// raceRun is one rule's run in a race, as nnesim race writes it.
type raceRun struct {
	Algo          string         `json:"algo"`
	Config        train.Settings `json:"config"`
	Steps         int            `json:"steps"`
	Unit          string         `json:"unit"`
	TestAccuracy  float64        `json:"test_accuracy"`
	TrainAccuracy float64        `json:"train_accuracy"`
	// Hash is the run's alleles_sha256 (NNE) or weights_sha256 (the
	// others) at its last step, as nnesim train -json writes it.
	Hash    string        `json:"hash"`
	Curve   []train.Point `json:"curve"`
	Seconds float64       `json:"seconds"`
}

// raceResult is what nnesim race writes with -json.
type raceResult struct {
	Runs []raceRun `json:"runs"`
	// Limit is the race's wall-clock limit in seconds (0: every rule ran
	// to its own stop).
	Limit float64 `json:"limit_seconds"`
}

// race is nnesim race: several rules on the same digits, seed and sample,
// each on its own goroutine at the same time, one curve per rule. A flag
// applies to every listed rule it is a setting of; the race stops each
// rule at its own stop, or all at -seconds.
func race(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim race", flag.ContinueOnError)
	fs.SetOutput(stderr)
	algos := fs.String("algo", "", "the rules to race, comma-separated: "+strings.Join(train.Algos, ", "))
	preset := fs.String("preset", "", "the evolving rules' preset: quick (the default), demo or paper")
	given := paramFlags(fs, "algo")
	limit := fs.Float64("seconds", 0, "stop every rule after this many seconds of wall time (0: each at its own stop)")
	jsonOut := fs.String("json", "", "write the race as JSON to this file (one curve per rule)")
	pngOut := fs.String("png", "", "draw test accuracy against seconds, one line per rule, into this PNG file")
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("race: unexpected argument %q", fs.Arg(0))
	}
	settings, err := raceSettings(*algos, *preset, given)
	if err != nil {
		return fmt.Errorf("race: %w", err)
	}
	if !(*limit >= 0) {
		return fmt.Errorf("race: -seconds=%v, want 0 or more", *limit)
	}
	pool, test, err := loadData(*dataDir)
	if err != nil {
		return fmt.Errorf("race: %w", err)
	}
	// The rules share the memory a run may plan to use.
	d := learner.Data{Pool: pool, Test: test, MaxBytes: maxBytes / float64(len(settings))}
	var runs []learner.Learner
	defer func() {
		for _, l := range runs {
			l.Close()
		}
	}()
	for _, s := range settings {
		l, err := learner.New(s, d)
		if err != nil {
			return fmt.Errorf("race: %s: %w", s.Algo, err)
		}
		runs = append(runs, l)
		fmt.Fprintf(stdout, "%s\n", learner.Describe(l))
	}
	res := raceResult{Runs: make([]raceRun, len(runs)), Limit: *limit}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	t0 := time.Now()
	for i, l := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seconds, err := raceOne(l, t0, *limit, func(pt train.Point) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(stdout, "%-12s %-10s %6d  test %.4f  train %.4f  %6.1fs\n", l.Settings().Algo, pt.Unit, pt.Step, pt.TestAccuracy, pt.TrainAccuracy, pt.Seconds)
			})
			errs[i] = err
			c := l.Curve()
			last := c[len(c)-1]
			res.Runs[i] = raceRun{Algo: l.Settings().Algo, Config: l.Settings(), Steps: last.Step, Unit: last.Unit,
				TestAccuracy: last.TestAccuracy, TrainAccuracy: last.TrainAccuracy, Hash: l.Hash(), Curve: c, Seconds: seconds}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("race: %s: %w", res.Runs[i].Algo, err)
		}
	}
	for _, r := range res.Runs {
		fmt.Fprintf(stdout, "done: %s at %s %d: test accuracy %.4f after %.1fs; sha256 %s\n", r.Algo, r.Unit, r.Steps, r.TestAccuracy, r.Seconds, r.Hash)
	}
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, res); err != nil {
			return fmt.Errorf("race: %w", err)
		}
	}
	if *pngOut != "" {
		if err := racePlot(*pngOut, res); err != nil {
			return fmt.Errorf("race: %w", err)
		}
	}
	return nil
}

// raceSettings returns each listed rule's settings: its defaults (the
// preset for the evolving rules) and every given flag that is one of its
// settings; a flag that is a setting of none of them is an error.
func raceSettings(algos, preset string, given map[string]string) ([]train.Settings, error) {
	var names []string
	for _, a := range strings.Split(algos, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if slices.Contains(names, a) {
			return nil, fmt.Errorf("-algo lists %s twice", a)
		}
		names = append(names, a)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("-algo: name the rules to race, comma-separated: %s", strings.Join(train.Algos, ", "))
	}
	used := map[string]bool{}
	var out []train.Settings
	for _, algo := range names {
		rule, err := train.RuleOf(algo)
		if err != nil {
			return nil, fmt.Errorf("-%w", err)
		}
		p := ""
		if !rule.Lifetime {
			p = preset
		}
		s, err := train.Defaults(algo, p)
		if err != nil {
			return nil, fmt.Errorf("-%w", err)
		}
		for _, param := range train.RuleParams(algo) {
			if v, ok := given[param.Name]; ok {
				if err := param.Set(&s, v); err != nil {
					return nil, fmt.Errorf("%s: -%w", algo, err)
				}
				used[param.Name] = true
			}
		}
		s.Threads = 1
		out = append(out, s)
	}
	for name := range given {
		if !used[name] {
			return nil, fmt.Errorf("-%s is not a setting of any rule in the race (%s)", name, strings.Join(names, ", "))
		}
	}
	return out, nil
}

// raceOne runs l from t0 to its stop, or until limit seconds (if > 0) of
// wall time have passed, evaluating when a point is due and at the end;
// report hears each point. It returns l's training time.
func raceOne(l learner.Learner, t0 time.Time, limit float64, report func(train.Point)) (float64, error) {
	now := func() float64 { return time.Since(t0).Seconds() }
	report(l.Evaluate(now()))
	for {
		budget := 50 * time.Millisecond
		due, done, err := learner.Advance(l, budget, nil)
		if err != nil {
			return now(), err
		}
		over := limit > 0 && now() >= limit
		if due || over && !done {
			report(l.Evaluate(now()))
		}
		if done || over {
			c := l.Curve()
			if step, unit, _ := l.Position(); c[len(c)-1].Step != step || c[len(c)-1].Unit != unit {
				report(l.Evaluate(now()))
			}
			return now(), nil
		}
	}
}

// raceColors are the rules' line colours, in train.Rules order (the
// page's palette).
var raceColors = []color.RGBA{{0x25, 0x63, 0xeb, 0xff}, {0x7c, 0x3a, 0xed, 0xff}, {0x16, 0xa3, 0x4a, 0xff}, {0xea, 0x58, 0x0c, 0xff}, {0xdc, 0x26, 0x26, 0xff}}

// racePlot draws test accuracy against seconds, one line per rule.
func racePlot(path string, res raceResult) error {
	p := plot.New()
	p.Title.Text = "Test accuracy against training time, every rule on the same digits and sample"
	p.X.Label.Text = "seconds"
	p.Y.Label.Text = "test accuracy (%)"
	p.Y.Min, p.Y.Max = 0, 100
	for _, r := range res.Runs {
		xy := make(plotter.XYs, len(r.Curve))
		for i, pt := range r.Curve {
			xy[i] = plotter.XY{X: pt.Seconds, Y: 100 * pt.TestAccuracy}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Color = raceColors[max(0, slices.Index(train.Algos, r.Algo))%len(raceColors)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(r.Algo, l)
	}
	p.Legend.Left, p.Legend.Top = false, false
	p.Legend.YOffs = vg.Inch / 2
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}
