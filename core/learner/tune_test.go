package learner_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
)

// validation returns a validation set of perDigit images per digit from
// MNIST's training file, after the training pool's (mnist.PoolPerDigit
// per digit, the images every run samples from): images no run trains
// on and no reported number is measured on.
func validation(t *testing.T, perDigit int) (pool *mnist.Set, val *mnist.Set) {
	t.Helper()
	dir, err := mnist.Locate()
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := mnist.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if pool, err = all.Pool(mnist.PoolPerDigit); err != nil {
		t.Fatal(err)
	}
	var count [10]int
	val = &mnist.Set{}
	for i, l := range all.Labels {
		if count[l]++; count[l] > mnist.PoolPerDigit && count[l] <= mnist.PoolPerDigit+perDigit {
			val.Labels = append(val.Labels, l)
			val.Images = append(val.Images, all.Image(i)...)
		}
	}
	return pool, val
}

// tuneResult is one setting of a search on the validation set.
type tuneResult struct {
	Query       string  `json:"query"`
	Generations int     `json:"generations"`
	Validation  float64 `json:"validation_accuracy"`
	Train       float64 `json:"train_accuracy"`
}

// TestTuneES is the search that chose ES's defaults (esDefaults: its Adam
// step lr and noise σ), on a validation set of 500 images per digit that
// no run trains on, never the test set: for each preset of the
// comparison (quick on 0-4, quick10 on 0-9), every lr and σ of a small
// grid, at a tenth (quick) and a twentieth (quick10) of the preset's
// generations. It runs only with
// NNESIM_TUNE=FILE, and writes its results there as JSON (committed as
// docs/results-es/tuning.json; docs/TUNING.md has the table):
//
//	NNESIM_TUNE=$PWD/docs/results-es/tuning.json go test -run TestTuneES -timeout 2h ./core/learner
func TestTuneES(t *testing.T) {
	out := os.Getenv("NNESIM_TUNE")
	if out == "" {
		t.Skip("the tuning search; NNESIM_TUNE=FILE runs it")
	}
	pool, val := validation(t, 500)
	type job struct {
		query string
		gens  int
	}
	var jobs []job
	for _, preset := range []struct {
		name string
		gens int
	}{{"quick", 600}, {"quick10", 2000}} {
		for _, lr := range []float64{0.003, 0.01, 0.03} {
			for _, sigma := range []float64{0.02, 0.05, 0.1} {
				jobs = append(jobs, job{fmt.Sprintf("algo=es&preset=%s&lr=%g&sigma=%g&seed=1", preset.name, lr, sigma), preset.gens})
			}
		}
	}
	results := make([]tuneResult, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			q := mustQuery(t, j.query)
			q.Set("generations", fmt.Sprint(j.gens))
			q.Set("eval-every", fmt.Sprint(j.gens))
			s, errs := learner.ParseQuery(q, 1<<32)
			if len(errs) > 0 {
				t.Errorf("%s: %v", j.query, errs)
				return
			}
			s.Threads = 1
			l, err := learner.New(s, learner.Data{Pool: pool, Test: val, MaxBytes: 1 << 32})
			if err != nil {
				t.Error(err)
				return
			}
			defer l.Close()
			if _, err := learner.Run(l, learner.Hooks{AtStop: true}); err != nil {
				t.Error(err)
				return
			}
			c := l.Curve()
			results[i] = tuneResult{Query: j.query, Generations: j.gens, Validation: c[len(c)-1].TestAccuracy, Train: c[len(c)-1].TrainAccuracy}
			t.Logf("%s at %d generations: validation %.4f", j.query, j.gens, results[i].Validation)
		}()
	}
	wg.Wait()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the queries' & as it is
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
