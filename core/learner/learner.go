// Package learner is the one seam every learning rule of the paper goes
// through: NNE, NNE + SignSGD, the dopaminergic rule (DNN), SignSGD and
// SGD (Adam). New builds any rule from train.Settings (one parameter
// table for all of them) and Resume continues one from its run file; Run
// drives a Learner to its stop. The command line (nnesim train, nnesim
// reproduce) and the browser's workers drive rules only through
// Learner, so a new rule touches its own file, its entry in train.Rules
// and its pictures.
//
// The data flow is mnist → network → learner (nne, learn) → update →
// render → page.
package learner

import (
	"fmt"
	"time"

	"nnesim/core/mnist"
	"nnesim/core/train"
)

// Learner is one rule training one network on one task.
type Learner interface {
	// Settings returns the run's settings.
	Settings() train.Settings
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
	Evaluate(seconds float64) train.Point
	// Curve returns the points so far.
	Curve() []train.Point
	// Probabilities classifies one input (784 pixels in [0, 1]) into dst.
	Probabilities(x []float32, dst []float64) []float64
	// Hash returns the SHA-256 of the parameters: alleles_sha256 for NNE,
	// weights_sha256 for the lifetime rules, as nnesim train -json writes.
	Hash() string
	// Save returns the complete state: stepping the Learner that Resume
	// builds from it continues the run bit for bit.
	Save(seconds float64) *train.Saved
	// Pictures returns what the canvas draws of the run, with the input
	// weights of the first units hidden units.
	Pictures(units int) Pictures
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
	// MaxBytes is the memory a run may plan to use.
	MaxBytes float64
	// TestLimit, if positive, keeps only the first TestLimit test images
	// of the digit set (smoke runs).
	TestLimit int
}

// maker builds or resumes a rule's Learner; sv is nil for a new run.
type maker func(s train.Settings, sv *train.Saved, d Data) (Learner, error)

// makers is the registry: one entry per rule of train.Rules.
var makers = map[string]maker{
	"nne":         newNNE,
	"nne-signsgd": newChain,
	"dnn":         newLifetime,
	"signsgd":     newLifetime,
	"sgd":         newLifetime,
}

// New checks s and builds its run at step 0.
func New(s train.Settings, d Data) (Learner, error) {
	m, ok := makers[s.Algo]
	if !ok {
		_, err := train.RuleOf(s.Algo)
		return nil, err
	}
	if err := s.Validate(d.MaxBytes); err != nil {
		return nil, err
	}
	return m(s, nil, d)
}

// Resume rebuilds the run sv was saved from, at its position; stepping it
// continues the run bit for bit as if it had never stopped.
func Resume(sv *train.Saved, d Data) (Learner, error) {
	m, ok := makers[sv.Settings.Algo]
	if !ok {
		_, err := train.RuleOf(sv.Settings.Algo)
		return nil, err
	}
	if err := sv.Settings.Validate(d.MaxBytes); err != nil {
		return nil, err
	}
	return m(sv.Settings, sv, d)
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

// Run steps l to its stop, evaluating when a point is due; report (if not
// nil) hears each point and save (if not nil) gets the state after each.
// seconds is the training time before this call (a resumed run's); Run
// returns the training time at the end.
func Run(l Learner, seconds float64, report func(train.Point), save func(*train.Saved) error) (float64, error) {
	t0 := time.Now()
	now := func() float64 { return seconds + time.Since(t0).Seconds() }
	if len(l.Curve()) == 0 {
		pt := l.Evaluate(now())
		if report != nil {
			report(pt)
		}
	}
	for {
		due, done, err := Advance(l, 0, nil)
		if err != nil {
			return now(), err
		}
		if due {
			pt := l.Evaluate(now())
			if report != nil {
				report(pt)
			}
			if save != nil {
				if err := save(l.Save(now())); err != nil {
					return now(), err
				}
			}
		}
		if done {
			return now(), nil
		}
	}
}

// sample returns the digits of s, its training sample and its test images.
func sample(s train.Settings, d Data) (mnist.Digits, *mnist.Labeled, *mnist.Labeled, error) {
	digits, err := mnist.ParseDigits(s.Digits)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("digits=%s: %w", s.Digits, err)
	}
	tr, err := d.Pool.Balanced(digits, s.PerDigit, s.Seed)
	if err != nil {
		return nil, nil, nil, err
	}
	te := d.Test.Filter(digits)
	if d.TestLimit > 0 && te.Len() > d.TestLimit {
		te.Pixels, te.Class = te.Pixels[:d.TestLimit*mnist.Pixels], te.Class[:d.TestLimit]
	}
	return digits, tr, te, nil
}

// Describe returns a line saying what l runs: its rule, data and sizes.
func Describe(l Learner) string {
	s := l.Settings()
	switch v := l.(type) {
	case *NNE:
		return v.Run().Describe()
	case *Chain:
		return v.NNE().Run().Describe() + fmt.Sprintf("; then SignSGD for %d epochs at ε′ = %g", s.Epochs, s.LR)
	}
	note := ""
	if s.Algo == "dnn" {
		note = fmt.Sprintf(", dopamine rule %s", s.DNNRule)
		if s.DNNRule == "reward" {
			note += fmt.Sprintf(" (explore %g)", s.Explore)
		} else {
			note += fmt.Sprintf(" (ε₀ %g, ε₁ %g, fire gate %v)", s.Eps0, s.Eps1, s.FireGate)
		}
	}
	return fmt.Sprintf("%s on digits %s (%d per digit): %s net, h = %d, %d epochs of batch %d, lr %g%s; seed %d",
		s.Algo, s.Digits, s.PerDigit, s.Net, s.Hidden, s.Epochs, s.Batch, s.LR, note, s.Seed)
}
