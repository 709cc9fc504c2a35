package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
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
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("train: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := train.Preset(*preset)
	if err != nil {
		return fmt.Errorf("train: -%w", err)
	}
	for _, p := range train.Params() {
		if v, ok := given[p.Name]; ok {
			if err := p.Set(&cfg, v); err != nil {
				return fmt.Errorf("train: -%w", err)
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
	res, err := runTraining(cfg, pool, test, stdout)
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
	return nil
}

// loadData reads MNIST from dir (or finds it) and returns the training
// pool that the browser also uses, and the test set.
func loadData(dir string) (pool, test *mnist.Set, err error) {
	if dir == "" {
		if dir, err = mnist.Locate(); err != nil {
			return nil, nil, fmt.Errorf("%w; or pass -data DIR", err)
		}
	}
	all, test, err := mnist.Load(dir)
	if err != nil {
		return nil, nil, err
	}
	pool, err = all.Pool(mnist.PoolPerDigit)
	if err != nil {
		return nil, nil, err
	}
	return pool, test, nil
}

func runTraining(cfg train.Settings, pool, test *mnist.Set, out io.Writer) (*trainResult, error) {
	r, err := train.New(cfg, pool, test, maxBytes)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	fmt.Fprintf(out, "%s; %d threads\n", r.Describe(), cfg.Threads)
	res := &trainResult{Algo: cfg.Algo, Config: cfg}
	var trained time.Duration
	for !r.Done() {
		t0 := time.Now()
		for k := 0; k < cfg.EvalEvery && !r.Done(); k++ {
			if err := r.Step(); err != nil {
				return nil, err
			}
		}
		trained += time.Since(t0)
		pt := r.Evaluate(trained.Seconds())
		rate := float64(pt.Generation) / trained.Seconds()
		eta := time.Duration(float64(cfg.Generations-pt.Generation) / rate * float64(time.Second))
		fmt.Fprintf(out, "gen %6d  %7.1f gen/s  test %.4f  train %.4f  fitness %.4f  fixed %.3f  %6.1fs  ETA %v\n",
			pt.Generation, rate, pt.TestAccuracy, pt.TrainAccuracy, pt.MeanFitness, pt.FixedFraction, pt.Seconds, eta.Round(time.Second))
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
