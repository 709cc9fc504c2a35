// Package learner is the one seam every learning rule goes through: the
// registry of rules (Rules, one entry each), building a run from settings
// (ParseQuery, Validate, New) or from a run file's state (Resume), and the
// one driver that steps it (Advance, Run).
//
// A rule is its own file(s) here (nne.go, chain.go, lifetime.go, …) over
// its numerics (package nne, package learn) plus its entry in Rules. The
// command line, the race, the browser's workers and the page read the
// entry; nothing else compares a rule's name.
//
// The data flow is mnist → network → learner (nne, learn) → update →
// render → page.
package learner

import (
	"cmp"
	"fmt"
	"time"

	"nnesim/core/mnist"
	"nnesim/core/settings"
)

// Learner is one rule training one network on one task.
type Learner interface {
	// Settings returns the run's settings.
	Settings() settings.Settings
	// Step does one bounded piece of work, so that a worker can yield
	// between steps: an NNE generation, or a lifetime rule's minibatch.
	// due reports that a point of the curve is due now (every EvalEvery
	// generations or epochs, and at the stop).
	Step() (due bool, err error)
	// Position returns the steps completed in the current unit
	// ("generation" or "epoch") and whether the run is at its stop.
	Position() (step int, unit string, done bool)
	// Evaluate classifies the test and training sets, appends the point
	// to the curve and returns it; seconds is the training time so far.
	Evaluate(seconds float64) Point
	// Curve returns the points so far.
	Curve() []Point
	// Probabilities classifies one input (784 pixels in [0, 1]) into dst.
	Probabilities(x []float32, dst []float64) []float64
	// Hash returns the SHA-256 of the parameters: alleles_sha256 for NNE,
	// weights_sha256 for the lifetime rules, as nnesim train -json writes.
	Hash() string
	// Save returns the complete state: stepping the Learner that Resume
	// builds from it continues the run bit for bit.
	Save(seconds float64) *Saved
	// Pictures returns what the canvas draws of the run, with the input
	// weights of the first units hidden units.
	Pictures(units int) Pictures
	// Describe returns a line saying what the run does: its rule, data
	// and sizes.
	Describe() string
	// Close releases its goroutines.
	Close()
}

// Pictures is what the canvas draws of a run, whatever its rule: the
// hidden units' input weights (tiles), the output weights (heat map), the
// test predictions (test grid, confusion matrix), and NNE's allele
// frequencies (histogram, Fig. 2).
type Pictures struct {
	Units  int       // hidden units in Fields
	Fields []float32 // Units×784: input weights of each unit, as an image
	Linked []bool    // Units×784: whether the edge exists (sparse networks)
	Hidden int
	// Output is the output weights, Hidden×Classes (row-major).
	Output  []float32
	Classes int
	// Predicted is the class predicted for each test image and Confusion
	// the Classes×Classes counts (row: true class), as of the last
	// Evaluate.
	Predicted []int32
	Confusion []int32
	// P is NNE's allele frequencies and Fixed the fraction fixed (nil and
	// 0 for the lifetime rules).
	P     []float32
	Fixed float64
}

// Data is what runs learn from: the training pool (each run draws its
// sample from it, seeded) and the test set.
type Data struct {
	Pool, Test *mnist.Set
	// Train, if not nil, is the whole training file (natively; the page
	// holds only the pool): the source of larger samples (per-digit over
	// mnist.PoolPerDigit, or 0 for every image) and of validation sets.
	Train *mnist.Set
	// MaxBytes is the memory a run may plan to use.
	MaxBytes float64
	// ID names the pool and test set as read (mnist.DataID), and From
	// where they came from ("MNIST", a folder's name): what a run file
	// of a run on another dataset carries (runfile.WithData).
	ID, From string
	// TestLimit, if positive, keeps only the first TestLimit test images
	// of the digit set (smoke runs).
	TestLimit int
}

// New checks s and builds its run at step 0.
func New(s settings.Settings, d Data) (Learner, error) {
	r, err := RuleOf(s.Algo)
	if err != nil {
		return nil, err
	}
	if err := Validate(&s, d.MaxBytes); err != nil {
		return nil, err
	}
	return r.New(s, nil, d)
}

// Resume rebuilds the run sv was saved from, at its position; stepping it
// continues the run bit for bit as if it had never stopped.
func Resume(sv *Saved, d Data) (Learner, error) {
	r, err := RuleOf(sv.Settings.Algo)
	if err != nil {
		return nil, err
	}
	if err := Validate(&sv.Settings, d.MaxBytes); err != nil {
		return nil, err
	}
	return r.New(sv.Settings, sv, d)
}

// Advance steps l until a point of its curve is due, it is at its stop,
// or budget has passed (0: no limit), calling each (if not nil) after
// every step. It is the one stepping loop: Run, nnesim reproduce and the
// browser's coordinator all advance a run through it.
func Advance(l Learner, budget time.Duration, each func()) (due, done bool, err error) {
	t0 := time.Now()
	for {
		if _, _, done = l.Position(); done {
			return due, true, nil
		}
		if due, err = l.Step(); err != nil {
			return false, false, err
		}
		if each != nil {
			each()
		}
		if due || budget > 0 && time.Since(t0) >= budget {
			_, _, done = l.Position()
			return due, done, nil
		}
	}
}

// Hooks are what a driver of Run hears and decides; each may be left
// out.
type Hooks struct {
	// Seconds is the run's training time before this call (a resumed
	// run's); the points' and Run's times count from it.
	Seconds float64
	// Point hears each point of the curve as it is evaluated.
	Point func(Point)
	// AtStop evaluates the run at its stop only, not at the points due on
	// the way (a cell that needs the last point alone).
	AtStop bool
	// Each is called after every step (progress).
	Each func()
	// Save gets the run's state after each point (SaveEvery 0) or every
	// SaveEvery of wall time before the stop (checkpoints); an error, its
	// own included, stops the run and is Run's.
	Save      func(*Saved) error
	SaveEvery time.Duration
	// Stop is asked every Slice of wall time (50 ms if 0) whether to stop
	// now (a time limit): the run is then evaluated where it stands.
	Stop  func() bool
	Slice time.Duration
}

// Run steps l to its stop, or until h.Stop says so, evaluating when a
// point is due (and first, if its curve is empty); it returns the
// training time at the end. It is the one driver: nnesim train, race and
// reproduce run every rule through it.
func Run(l Learner, h Hooks) (float64, error) {
	t0 := time.Now()
	now := func() float64 { return h.Seconds + time.Since(t0).Seconds() }
	evaluate := func() {
		pt := l.Evaluate(now())
		if h.Point != nil {
			h.Point(pt)
		}
	}
	if len(l.Curve()) == 0 && !h.AtStop {
		evaluate()
	}
	budget := time.Duration(0)
	switch {
	case h.Stop != nil && h.SaveEvery > 0:
		budget = min(h.SaveEvery, cmp.Or(h.Slice, 50*time.Millisecond))
	case h.Stop != nil:
		budget = cmp.Or(h.Slice, 50*time.Millisecond)
	case h.SaveEvery > 0:
		budget = h.SaveEvery
	}
	saved := time.Now()
	for {
		due, done, err := Advance(l, budget, h.Each)
		if err != nil {
			return now(), err
		}
		stop := !done && h.Stop != nil && h.Stop()
		if due && !h.AtStop || done && h.AtStop || stop {
			evaluate()
			if h.Save != nil && h.SaveEvery == 0 {
				if err := h.Save(l.Save(now())); err != nil {
					return now(), err
				}
			}
		}
		if done || stop {
			return now(), nil
		}
		if h.Save != nil && h.SaveEvery > 0 && time.Since(saved) >= h.SaveEvery {
			if err := h.Save(l.Save(now())); err != nil {
				return now(), err
			}
			saved = time.Now()
		}
	}
}

// WholeFile reports whether a run of s learns from the whole training
// file rather than the pool of mnist.PoolPerDigit images per digit: a
// larger sample (per-digit over the pool, or 0 for every image), or a
// validation set held out of the file.
func WholeFile(s *settings.Settings) bool { return bigSample(s) || s.Val > 0 }

// bigSample reports whether the training sample of s is larger than the
// pool holds: per-digit over mnist.PoolPerDigit, or 0 for every image.
func bigSample(s *settings.Settings) bool { return s.PerDigit == 0 || s.PerDigit > mnist.PoolPerDigit }

// WholeFileError is New's and Resume's error for a run that needs the
// whole training file (WholeFile) when Data holds only the pool: the page
// then downloads the file and starts the run again.
type WholeFileError struct{ Settings settings.Settings }

func (e *WholeFileError) Error() string {
	what := fmt.Sprintf("per-digit=%d", e.Settings.PerDigit)
	if e.Settings.Val > 0 {
		what = fmt.Sprintf("val=%g", e.Settings.Val)
	}
	return fmt.Sprintf("%s needs the whole training file, and this run has only the pool of %d images per digit; use per-digit 1 to %d without val, or MNIST (another dataset, dropped or data=, brings its pool alone), or run nnesim train", what, mnist.PoolPerDigit, mnist.PoolPerDigit)
}

// sample returns the digits of s, its training sample and the images it
// is scored on. Samples of up to mnist.PoolPerDigit per digit come from
// the pool, so they are the same in the page; larger ones, and every
// image (per-digit 0), from the whole training file. With s.Val the run is
// scored on the validation set held out of the training file
// (mnist.Set.Holdout), which no sample holds, and never reads the test
// set.
func sample(s settings.Settings, d Data) (mnist.Digits, *mnist.Labeled, *mnist.Labeled, error) {
	digits, err := mnist.ParseDigits(s.Digits)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("digits=%s: %w", s.Digits, err)
	}
	whole := bigSample(&s)
	if WholeFile(&s) && d.Train == nil {
		return nil, nil, nil, &WholeFileError{Settings: s}
	}
	base, scored := d.Train, d.Test
	if s.Val > 0 {
		if base, scored, err = d.Train.Holdout(s.Val); err != nil {
			return nil, nil, nil, fmt.Errorf("val=%g: %w", s.Val, err)
		}
	}
	var tr *mnist.Labeled
	switch {
	case s.PerDigit == 0:
		tr = base.Filter(digits)
		if tr.Len() == 0 {
			return nil, nil, nil, fmt.Errorf("digits=%s: the training file holds none of them", digits)
		}
	case whole:
		tr, err = base.Balanced(digits, s.PerDigit, s.Seed)
	default:
		tr, err = d.Pool.Balanced(digits, s.PerDigit, s.Seed)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	te := scored.Filter(digits)
	if d.TestLimit > 0 {
		te.Head(d.TestLimit)
	}
	return digits, tr, te, nil
}
