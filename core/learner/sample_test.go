package learner_test

import (
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
)

// TestSampleSources checks where a run's images come from: the pool for
// the presets' sizes, the whole training file for larger samples and
// every image, and the held-out validation set, not the test set, when
// val is set.
func TestSampleSources(t *testing.T) {
	pool, train, test, err := mnist.LoadAll("")
	if err != nil {
		t.Fatal(err)
	}
	_, val, err := train.Holdout(0.1)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := mnist.ParseDigits("3,8")
	count := func(s *mnist.Set) int { return s.Filter(d).Len() }
	full := learner.Data{Pool: pool, Train: train, Test: test, MaxBytes: 1 << 32}
	page := learner.Data{Pool: pool, Test: test, MaxBytes: 1 << 32}
	for _, c := range []struct {
		name           string
		perDigit       int
		val            float64
		data           learner.Data
		sample, scored int
		err            string
	}{
		{"pool", 50, 0, full, 100, count(test), ""},
		{"pool in the page", 300, 0, page, 600, count(test), ""},
		{"larger than the pool", 1000, 0, full, 2000, count(test), ""},
		{"every image", 0, 0, full, count(train), count(test), ""},
		{"validation", 50, 0.1, full, 100, count(val), ""},
		{"every image but validation", 0, 0.1, full, count(train) - count(val), count(val), ""},
		{"larger than the pool, in the page", 1000, 0, page, 0, 0, "per-digit=1000 needs the whole training file"},
		{"validation in the page", 50, 0.1, page, 0, 0, "val=0.1 needs the whole training file"},
		{"more than a class holds", 6500, 0, full, 0, 0, "digit 3 has 6131 images"},
	} {
		s, _ := learner.Defaults("nne", "quick")
		s.Digits, s.PerDigit, s.Val, s.Generations, s.Threads = "3,8", c.perDigit, c.val, 1, 1
		r, err := learner.NewPopulation(s, c.data)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: %v, want an error with %q", c.name, err, c.err)
			}
			if r != nil {
				r.Close()
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r.Sample.Len() != c.sample || r.TestSet.Len() != c.scored {
			t.Errorf("%s: %d training and %d scored images, want %d and %d", c.name, r.Sample.Len(), r.TestSet.Len(), c.sample, c.scored)
		}
		r.Close()
	}
}
