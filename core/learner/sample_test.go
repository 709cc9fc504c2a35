package learner_test

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/core/settings"
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

// TestDataBytes checks the data's share of a run's memory estimate: a
// byte a pixel of the sets, and 8 bytes a lit pixel of the inputs; the
// whole training file is counted only for a run that needs it.
func TestDataBytes(t *testing.T) {
	const px, lit = float64(mnist.Pixels), 8 * 0.2 * float64(mnist.Pixels)
	for _, c := range []struct {
		name         string
		perDigit     int
		val          float64
		whole        bool
		sets, inputs float64 // images held, and images whose inputs are built
	}{
		{"the pool", 300, 0, false, 3000 + 10000, 3000 + 10000},
		{"a smaller sample", 20, 0, false, 3000 + 10000, 200 + 10000},
		{"every image", 0, 0, true, 3000 + 10000 + 60000, 60000 + 10000},
		{"more than the pool", 1000, 0, true, 3000 + 10000 + 60000, 10000 + 10000},
		{"a validation set", 100, 0.1, true, 3000 + 10000 + 60000, 1000 + 10000},
	} {
		s := settings.Settings{Digits: "0-9", PerDigit: c.perDigit, Val: c.val}
		if got := learner.WholeFile(&s); got != c.whole {
			t.Errorf("%s: WholeFile %v, want %v", c.name, got, c.whole)
		}
		want := c.sets*px + c.inputs*lit
		if got := learner.DataBytes(&s, 10); math.Abs(got-want) > 1 {
			t.Errorf("%s: DataBytes %.0f, want %.0f", c.name, got, want)
		}
	}
}

// TestWholeFileRefusal checks that a run refused for memory because of
// the whole training file says so, and what a pool-sized run needs.
func TestWholeFileRefusal(t *testing.T) {
	s, err := learner.Defaults("nne", "quick10")
	if err != nil {
		t.Fatal(err)
	}
	s.PerDigit = 0
	err = learner.Validate(&s, 120e6)
	if err == nil || !regexp.MustCompile(`or per-digit and val \(\d+ of the data's \d+ MB are the whole training file and its inputs; per-digit 300 or fewer without val needs only the pool\)`).MatchString(err.Error()) {
		t.Errorf("per-digit 0 in 120 MB: %v", err)
	}
	s.PerDigit = 300
	if err := learner.Validate(&s, 120e6); err != nil {
		t.Errorf("per-digit 300 in 120 MB: %v", err)
	}
}
