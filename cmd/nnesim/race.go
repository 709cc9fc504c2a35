package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"nnesim/core/learner"
	"nnesim/core/race"
	"nnesim/core/runfile"
	"nnesim/core/settings"
	"nnesim/render"
)

// raceRun is one rule's run in a race, as nnesim race writes it.
type raceRun struct {
	Algo string `json:"algo"`
	// Label names the run for people (race.Race.Labels): its rule, and
	// the settings that tell apart runs of the same rule.
	Label         string            `json:"label"`
	Config        settings.Settings `json:"config"`
	Steps         int               `json:"steps"`
	Unit          string            `json:"unit"`
	TestAccuracy  float64           `json:"test_accuracy"`
	TrainAccuracy float64           `json:"train_accuracy"`
	// Hash is the run's alleles_sha256 (NNE) or weights_sha256 (the
	// others) at its last step, as nnesim train -json writes it.
	Hash    string          `json:"hash"`
	Curve   []learner.Point `json:"curve"`
	Seconds float64         `json:"seconds"`
}

// raceResult is what nnesim race writes with -json.
type raceResult struct {
	Runs []raceRun `json:"runs"`
	// Limit is the race's wall-clock limit in seconds (0: every rule ran
	// to its own stop).
	Limit float64 `json:"limit_seconds"`
}

// race is nnesim race: several rules on the same digits, seed and sample,
// each on its own goroutine at the same time, one curve per rule. The
// race is read as the page reads its URL (race.Parse): a flag applies
// to every listed rule it is a setting of, and an entry of -algo may
// carry its run's own settings (sgd:net=dense). The race stops each rule
// at its own stop, or all at -seconds; -save writes every run into one
// race file, which -resume continues (as the page's Export run does).
func raceCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim race", flag.ContinueOnError)
	fs.SetOutput(stderr)
	algos := fs.String("algo", "", "the rules to race, comma-separated ("+strings.Join(learner.Names(), ", ")+"); an entry may add settings of its own run after colons, e.g. sgd:net=dense")
	preset := fs.String("preset", "", "the evolving rules' preset: "+strings.Join(settings.Presets(), ", ")+" (default "+settings.DefaultPreset+")")
	given := paramFlags(fs, "algo")
	limit := fs.Float64("seconds", 0, "stop every rule after this many seconds of wall time (0: each at its own stop)")
	jsonOut := fs.String("json", "", "write the race as JSON to this file (one curve per rule)")
	pngOut := fs.String("png", "", "draw test accuracy against seconds, one line per rule, into this PNG file")
	save := fs.String("save", "", "write every run of the race into this race file when it stops, to continue with -resume or in the page (Import run)")
	resume := fs.String("resume", "", "continue the race in this race file (from -save or the page's Export run); only the stops (-generations, -epochs) may move later")
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("race: unexpected argument %q", fs.Arg(0))
	}
	if !(*limit >= 0) {
		return fmt.Errorf("race: -seconds=%v, want 0 or more", *limit)
	}
	var saved []*learner.Saved
	var settings []settings.Settings
	d, err := loadData(*dataDir)
	if err != nil {
		return fmt.Errorf("race: %w", err)
	}
	if *resume != "" {
		if *algos != "" || *preset != "" {
			return fmt.Errorf("race: -resume: the race file holds its rules and settings; give only the stops (-generations, -epochs)")
		}
		if saved, err = resumeRace(*resume, given, d); err != nil {
			return fmt.Errorf("race: -resume: %w", err)
		}
	} else if settings, err = raceSettings(*algos, *preset, given); err != nil {
		return fmt.Errorf("race: %w", err)
	}
	// The rules share the memory a run may plan to use.
	n := max(len(settings), len(saved))
	d.MaxBytes = maxBytes / float64(n)
	// Without -digits, each run learns the classes the data holds when
	// its rule's are not all there, as in the page (learner.DigitsOfData).
	_, explicit := given["digits"]
	for i := range settings {
		if note, err := learner.DigitsOfData(&settings[i], explicit, d.Pool.Classes(), d.MaxBytes); err != nil {
			return fmt.Errorf("race: run %d: %w", i+1, err)
		} else if note != "" && i == 0 {
			fmt.Fprintln(stdout, note)
		}
	}
	runs := make([]learner.Learner, 0, n)
	start := make([]float64, n) // each run's training seconds before this race
	defer func() {
		for _, l := range runs {
			l.Close()
		}
	}()
	for i := range n {
		var l learner.Learner
		if saved != nil {
			l, err = learner.Resume(saved[i], d)
			start[i] = saved[i].Seconds
		} else {
			l, err = learner.New(settings[i], d)
		}
		if err != nil {
			return fmt.Errorf("race: run %d: %w", i+1, err)
		}
		runs = append(runs, l)
		fmt.Fprintf(stdout, "%s\n", l.Describe())
	}
	res := raceResult{Runs: make([]raceRun, len(runs)), Limit: *limit}
	var all race.Race
	for _, l := range runs {
		all.Runs = append(all.Runs, l.Settings())
	}
	labels := all.Labels()
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	t0 := time.Now()
	for i, l := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seconds, err := raceOne(l, t0, start[i], *limit, func(pt learner.Point) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(stdout, "%-12s %-10s %6d  test %.4f  train %.4f  %6.1fs\n", l.Settings().Algo, pt.Unit, pt.Step, pt.TestAccuracy, pt.TrainAccuracy, pt.Seconds)
			})
			errs[i] = err
			c := l.Curve()
			last := c[len(c)-1]
			res.Runs[i] = raceRun{Algo: l.Settings().Algo, Label: labels[i], Config: l.Settings(), Steps: last.Step, Unit: last.Unit,
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
	if *save != "" {
		all := make([]*learner.Saved, len(runs))
		for i, l := range runs {
			all[i] = l.Save(res.Runs[i].Seconds)
		}
		b, err := runfile.WithData(runfile.EncodeRace(all), d.ID, d.From)
		if err == nil {
			err = writeFile(*save, b)
		}
		if err != nil {
			return fmt.Errorf("race: -save: %w", err)
		}
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

// raceSettings returns each listed rule's settings, read as the page reads
// its URL (race.Parse); any error refuses the race.
func raceSettings(algos, preset string, given map[string]string) ([]settings.Settings, error) {
	if strings.Trim(algos, ", ") == "" {
		return nil, fmt.Errorf("-algo: name the rules to race, comma-separated: %s", strings.Join(learner.Names(), ", "))
	}
	q := url.Values{"algo": {algos}}
	if preset != "" {
		q.Set("preset", preset)
	}
	for k, v := range given {
		q.Set(k, v)
	}
	r, errs := race.Parse(q, race.Even(maxBytes))
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i := range r.Runs {
		r.Runs[i].Threads = 1
	}
	return r.Runs, nil
}

// resumeRace reads a race file (or one run's file) to continue, moving
// each run's stop to the given one if it is a setting of its rule.
func resumeRace(path string, given map[string]string, d learner.Data) ([]*learner.Saved, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, runs, err := runfile.Split(b, maxBytes, race.Even(maxBytes))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := runfile.CheckData(b, d.ID, d.From); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name := range given {
		if name != "generations" && name != "epochs" {
			return nil, fmt.Errorf("-%s: a resumed race keeps the settings of its file; only the stops (-generations, -epochs) may change", name)
		}
	}
	for i, sv := range runs {
		if runs[i], err = moveStop(sv, given, false); err != nil {
			return nil, fmt.Errorf("run %d (%s): %w", i+1, sv.Settings.Algo, err)
		}
		runs[i].Settings.Threads = 1
	}
	return runs, nil
}

// raceOne runs l to its stop (learner.Run), or until limit seconds (if
// > 0) of wall time have passed since t0, evaluating when a point is due
// and where it stops; report hears each point. Its clock starts at start
// seconds (the training time of a resumed run). It returns l's training
// time.
func raceOne(l learner.Learner, t0 time.Time, start, limit float64, report func(learner.Point)) (float64, error) {
	over := func() bool { return limit > 0 && time.Since(t0).Seconds() >= limit }
	return learner.Run(l, learner.Hooks{Seconds: start, Point: report, Stop: over})
}

// racePlot draws test accuracy against seconds, one line per rule.
func racePlot(path string, res raceResult) error {
	p := plot.New()
	p.Title.Text = "Test accuracy against training time, every rule on the same digits and sample"
	p.X.Label.Text = "seconds"
	p.Y.Label.Text = "test accuracy (%)"
	p.Y.Min, p.Y.Max = 0, 100
	for i, r := range res.Runs {
		xy := make(plotter.XYs, len(r.Curve))
		for i, pt := range r.Curve {
			xy[i] = plotter.XY{X: pt.Seconds, Y: 100 * pt.TestAccuracy}
		}
		l, err := newLine(xy, render.RunColor(i))
		if err != nil {
			return err
		}
		p.Add(l)
		p.Legend.Add(r.Label, l)
	}
	p.Legend.Left, p.Legend.Top = false, false
	p.Legend.YOffs = vg.Inch / 2
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}
