package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	"nnesim/core/mnist"
	"nnesim/core/train"
)

// maxBytes bounds the memory a run may plan to use.
const maxBytes = 4 << 30

type trainResult struct {
	Algo               string         `json:"algo"`
	Config             train.Settings `json:"config"`
	Generations        int            `json:"generations"`
	TestAccuracy       float64        `json:"test_accuracy"`
	TestAccuracyLikely float64        `json:"test_accuracy_likely"`
	TrainAccuracy      float64        `json:"train_accuracy"`
	AllelesSHA256      string         `json:"alleles_sha256"`
	Curve              []train.Point  `json:"curve"`
	Seconds            float64        `json:"seconds"`
}

func trainCmd(args []string, stdout, stderr io.Writer) error {
	if algo := algoOf(args); algo != "" && algo != "nne" {
		return learnCmd(algo, args, stdout, stderr)
	}
	fs := flag.NewFlagSet("nnesim train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	preset := fs.String("preset", train.DefaultPreset, "starting settings: quick, demo or paper (flags given explicitly override them)")
	// Every setting is a flag of the same name as its URL parameter; the
	// values are applied over the preset after parsing, in table order.
	given := map[string]string{}
	for _, p := range train.Params() {
		fs.Func(p.Name, p.Usage, func(v string) error { given[p.Name] = v; return nil })
	}
	threads := fs.Int("threads", runtime.NumCPU(), "goroutines evaluating the population (results do not depend on it)")
	jsonOut := fs.String("json", "", "write the result as JSON to this file")
	csvOut := fs.String("csv", "", "write the accuracy curve as CSV to this file (the page's Curves CSV has the same columns)")
	save := fs.String("save", "", "write the run to this run file (.nne) after every evaluation, to resume later")
	resume := fs.String("resume", "", "continue the run saved in this run file; only -generations (to run longer) may change its settings")
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("train: unexpected argument %q", fs.Arg(0))
	}
	var saved *train.Saved
	var cfg train.Settings
	if *resume != "" {
		var err error
		if saved, err = readRunFile(*resume); err != nil {
			return fmt.Errorf("train: -resume: %w", err)
		}
		cfg = saved.Settings
		for name, v := range given {
			if name != "generations" {
				return fmt.Errorf("train: -%s: a resumed run keeps the settings of its file; only -generations may change", name)
			}
			p := train.Params()[slices.IndexFunc(train.Params(), func(p train.Param) bool { return p.Name == name })]
			if err := p.Set(&cfg, v); err != nil {
				return fmt.Errorf("train: -%w", err)
			}
			if cfg.Generations < saved.Generation {
				return fmt.Errorf("train: -generations=%d, but the run file is already at generation %d", cfg.Generations, saved.Generation)
			}
		}
		saved.Settings = cfg
	} else {
		var err error
		if cfg, err = train.Preset(*preset); err != nil {
			return fmt.Errorf("train: -%w", err)
		}
		for _, p := range train.Params() {
			if v, ok := given[p.Name]; ok {
				if err := p.Set(&cfg, v); err != nil {
					return fmt.Errorf("train: -%w", err)
				}
			}
		}
	}
	cfg.Threads = *threads
	if err := cfg.Validate(maxBytes); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	pool, test, err := loadData(*dataDir)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	var r *train.Run
	seconds := 0.0
	if saved != nil {
		saved.Settings.Threads = *threads
		r, err = train.Resume(saved, pool, test, maxBytes)
		seconds = saved.Seconds
	} else {
		r, err = train.New(cfg, pool, test, maxBytes)
	}
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	defer r.Close()
	res, err := runTraining(r, seconds, *save, stdout)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	if *csvOut != "" {
		var buf bytes.Buffer
		if err := train.WriteCurveCSV(&buf, r.Curve); err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if err := os.WriteFile(*csvOut, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	return nil
}

// loadData reads MNIST from dir (or finds it) and returns the training
// pool that the browser also uses, and the test set.
func loadData(dir string) (pool, test *mnist.Set, err error) { return mnist.LoadPool(dir) }

// readRunFile reads and checks a run file.
func readRunFile(path string) (*train.Saved, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sv, err := train.DecodeRunFile(b, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sv, nil
}

// writeRunFile writes r's run file to path through a temporary file, so
// that an interruption never leaves a half-written file.
func writeRunFile(path string, r *train.Run, seconds float64) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, train.EncodeRunFile(r.Save(seconds)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// runTraining steps r to its generation limit, evaluating every
// EvalEvery generations and, if save is set, writing the run file after
// each evaluation; seconds is the training time the run already had.
func runTraining(r *train.Run, seconds float64, save string, out io.Writer) (*trainResult, error) {
	cfg := r.Settings
	if r.Generation() > 0 {
		fmt.Fprintf(out, "resuming at generation %d\n", r.Generation())
	}
	fmt.Fprintf(out, "%s; %d threads\n", r.Describe(), cfg.Threads)
	res := &trainResult{Algo: cfg.Algo, Config: cfg}
	trained := time.Duration(seconds * float64(time.Second))
	start := r.Generation()
	if save != "" && r.Done() {
		if err := writeRunFile(save, r, trained.Seconds()); err != nil {
			return nil, err
		}
	}
	for !r.Done() {
		t0 := time.Now()
		for k := 0; k < cfg.EvalEvery && !r.Done(); k++ {
			if err := r.Step(); err != nil {
				return nil, err
			}
		}
		trained += time.Since(t0)
		pt := r.Evaluate(trained.Seconds())
		if save != "" {
			if err := writeRunFile(save, r, trained.Seconds()); err != nil {
				return nil, err
			}
		}
		rate := float64(pt.Generation-start) / (trained.Seconds() - seconds)
		eta := time.Duration(float64(cfg.Generations-pt.Generation) / rate * float64(time.Second))
		fmt.Fprintf(out, "gen %6d  %7.1f gen/s  test %.4f  train %.4f  fitness %.4f  fixed %.3f  %6.1fs  ETA %v\n",
			pt.Generation, rate, pt.TestAccuracy, pt.TrainAccuracy, pt.MeanFitness, pt.FixedFraction, pt.Seconds, eta.Round(time.Second))
	}
	if len(r.Curve) == 0 || r.Curve[len(r.Curve)-1].Generation != r.Generation() {
		r.Evaluate(trained.Seconds())
	}
	last := r.Curve[len(r.Curve)-1]
	res.Generations = r.Generation()
	res.TestAccuracy = last.TestAccuracy
	res.TrainAccuracy = last.TrainAccuracy
	res.TestAccuracyLikely = r.LikelyAccuracy()
	res.AllelesSHA256 = train.AllelesHash(r.Pop.P)
	res.Curve = r.Curve
	res.Seconds = trained.Seconds()
	fmt.Fprintf(out, "done: %d generations in %.1fs; test accuracy %.4f (mean genotype W·p), %.4f (most likely genotype); alleles sha256 %s\n",
		res.Generations, res.Seconds, res.TestAccuracy, res.TestAccuracyLikely, res.AllelesSHA256)
	return res, nil
}
