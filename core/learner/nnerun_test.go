package learner_test

import (
	"reflect"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/core/runfile"
	"nnesim/core/settings"
)

// loadPool reads MNIST and returns the browser's training pool and the
// test set.
func loadPool(tb testing.TB) (pool, test *mnist.Set) {
	tb.Helper()
	pool, test, err := mnist.LoadPool("")
	if err != nil {
		tb.Fatal(err)
	}
	return pool, test
}

// newRun checks s (with the memory limit maxBytes) and builds its NNE run
// on the training pool and test set, as the old train.New did.
func newRun(s settings.Settings, pool, test *mnist.Set, maxBytes float64) (*learner.NNERun, error) {
	return learner.NewPopulation(s, learner.Data{Pool: pool, Test: test, MaxBytes: maxBytes})
}

// resumeRun checks sv's settings and rebuilds its NNE run at its
// generation, as the old train.Resume did.
func resumeRun(sv *learner.Saved, pool, test *mnist.Set, maxBytes float64) (*learner.NNERun, error) {
	if err := learner.Validate(&sv.Settings, maxBytes); err != nil {
		return nil, err
	}
	return learner.ResumeNNERun(sv, learner.Data{Pool: pool, Test: test})
}

// advance steps r to generation to, evaluating every EvalEvery
// generations as the command does.
func advance(t *testing.T, r *learner.NNERun, to int) {
	t.Helper()
	for r.Generation() < to {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		if r.Generation()%r.Settings.EvalEvery == 0 {
			r.Evaluate(0)
		}
	}
}

func TestRun(t *testing.T) {
	pool, test := loadPool(t)
	s, _ := learner.Defaults("nne", "quick")
	s.Digits, s.Generations, s.Threads = "3,8", 100, 2
	r, err := newRun(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Train.Len() != 400 || r.Test.Len() != 1984 { // 1010 threes and 974 eights in the test set
		t.Errorf("%d training and %d test images, want 400 and 1984", r.Train.Len(), r.Test.Len())
	}
	for !r.Done() {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	pt := r.Evaluate(1)
	if pt.Step != 100 || pt.TestAccuracy < 0.8 {
		t.Errorf("after %d generations: test accuracy %.3f, want ≥ 0.8 (3 vs 8; chance 0.5)", pt.Step, pt.TestAccuracy)
	}
	var total, diag int32
	for y := range 2 {
		for p := range 2 {
			total += r.Confusion[y*2+p]
			if y == p {
				diag += r.Confusion[y*2+p]
			}
		}
	}
	if int(total) != r.Test.Len() || float64(diag)/float64(total) != pt.TestAccuracy {
		t.Errorf("confusion %v: total %d, diagonal %d; want %d and accuracy %v", r.Confusion, total, diag, r.Test.Len(), pt.TestAccuracy)
	}
	if h := learner.AllelesHash(r.Pop.P); len(h) != 64 || h == learner.AllelesHash(make([]float32, len(r.Pop.P))) {
		t.Errorf("alleles hash %q", h)
	}
}

// TestResumeContinuesBitForBit saves a run at generation 20 through a run
// file, resumes it, and checks that 20 more generations give the p and
// curve of 40 uninterrupted ones.
func TestResumeContinuesBitForBit(t *testing.T) {
	pool, test := loadPool(t)
	s, _ := learner.Defaults("nne", "quick")
	s.Generations, s.EvalEvery, s.Seed, s.Threads = 40, 10, 11, 2
	step := func(r *learner.NNERun, to int) { advance(t, r, to) }
	straight, err := newRun(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	step(straight, 40)

	first, err := newRun(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	step(first, 20)
	file := runfile.Encode(first.Save(0))
	first.Close()
	sv, err := runfile.Decode(file, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	sv.Settings.Threads = 1 // any thread count continues the same run
	resumed, err := resumeRun(sv, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	if resumed.Generation() != 20 {
		t.Fatalf("resumed at generation %d, want 20", resumed.Generation())
	}
	step(resumed, 40)
	if learner.AllelesHash(resumed.Pop.P) != learner.AllelesHash(straight.Pop.P) {
		t.Error("the resumed run's p differs from the uninterrupted run's")
	}
	if !reflect.DeepEqual(resumed.Curve, straight.Curve) {
		t.Errorf("curves differ:\n%v\n%v", resumed.Curve, straight.Curve)
	}
}

// TestExtendContinuesBitForBit stops a run at generation 20, moves its
// stop to 40 and checks that it ends where a run stopped at 40 from the
// start does.
func TestExtendContinuesBitForBit(t *testing.T) {
	pool, test := loadPool(t)
	s, _ := learner.Defaults("nne", "quick")
	s.Generations, s.EvalEvery, s.Seed, s.Threads = 40, 10, 12, 2
	run := func(r *learner.NNERun) { advance(t, r, r.Settings.Generations) }
	straight, err := newRun(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	run(straight)

	short := s
	short.Generations = 20
	r, err := newRun(short, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	run(r)
	if !r.Done() || r.Generation() != 20 {
		t.Fatalf("stopped at generation %d, want 20", r.Generation())
	}
	for _, tc := range []struct {
		change    func(*settings.Settings)
		continues bool
	}{
		{func(x *settings.Settings) { x.Generations = 40 }, true},
		{func(x *settings.Settings) { x.Generations, x.Threads = 40, 7 }, true},
		{func(x *settings.Settings) {}, false},                                 // the same stop: a reset
		{func(x *settings.Settings) { x.Generations = 10 }, false},             // before the current generation
		{func(x *settings.Settings) { x.Generations, x.Seed = 40, 13 }, false}, // another run
		{func(x *settings.Settings) { x.Generations, x.Pop = 40, 101 }, false}, // another run
	} {
		x := r.Settings
		tc.change(&x)
		if got := r.Continues(x); got != tc.continues {
			t.Errorf("Continues(%+v) = %v, want %v", x, got, tc.continues)
		}
	}
	for _, bad := range []int{20, 5, settings.MaxGenerations + 1} {
		if err := r.Extend(bad); err == nil || !strings.Contains(err.Error(), "want a stop from 21") {
			t.Errorf("Extend(%d) = %v, want an error", bad, err)
		}
	}
	if err := r.Extend(40); err != nil {
		t.Fatal(err)
	}
	run(r)
	if learner.AllelesHash(r.Pop.P) != learner.AllelesHash(straight.Pop.P) {
		t.Error("the extended run's p differs from the run stopped at 40")
	}
	if !reflect.DeepEqual(r.Curve, straight.Curve) {
		t.Errorf("curves differ:\n%v\n%v", r.Curve, straight.Curve)
	}
}
