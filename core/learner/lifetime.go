package learner

import (
	"fmt"
	"slices"

	"nnesim/core/learn"
	"nnesim/core/train"
)

// Lifetime is a rule that learns within one network's life (package
// learn: the dopaminergic rule, SignSGD, SGD with Adam) as a Learner: a
// step is a minibatch, the curve counts epochs.
type Lifetime struct {
	settings  train.Settings
	trainer   *learn.Trainer
	curve     []train.Point
	classes   []int32 // of the test images
	predicted []int32 // as of the last Evaluate
}

func newLifetime(s train.Settings, sv *train.Saved, d Data) (Learner, error) {
	return buildLifetime(s, nil, sv, d)
}

// buildLifetime builds s's lifetime rule; start, if not nil, is an evolved
// sparse network whose first layer stays (NNE + SignSGD).
func buildLifetime(s train.Settings, start []float32, sv *train.Saved, d Data) (*Lifetime, error) {
	digits, tr, te, err := sample(s, d)
	if err != nil {
		return nil, err
	}
	c := s.Learn()
	c.StreamTest = s.StreamTest(d.MaxBytes)
	t, err := learn.NewTrainer(c, tr, te, len(digits), start)
	if err != nil {
		return nil, err
	}
	l := &Lifetime{settings: s, trainer: t, classes: te.Class}
	if sv != nil {
		if err := t.SetState(sv.State); err != nil {
			return nil, err
		}
		if t.Epoch() != sv.Step {
			return nil, fmt.Errorf("learner: the run file says epoch %d, its state epoch %d", sv.Step, t.Epoch())
		}
		for _, pt := range sv.Curve {
			if pt.Unit == "epoch" {
				l.curve = append(l.curve, pt)
			}
		}
	}
	return l, nil
}

// Trainer returns the lifetime rule's trainer.
func (l *Lifetime) Trainer() *learn.Trainer { return l.trainer }

// Settings implements Learner.
func (l *Lifetime) Settings() train.Settings { return l.settings }

// Step implements Learner: one minibatch.
func (l *Lifetime) Step() (bool, error) {
	t := l.trainer
	if err := t.Step(); err != nil {
		return false, err
	}
	return t.Batch() == 0 && (t.Epoch()%t.Config.EvalEvery == 0 || t.Done()), nil
}

// Position implements Learner.
func (l *Lifetime) Position() (int, string, bool) {
	return l.trainer.Epoch(), "epoch", l.trainer.Done()
}

// Evaluate implements Learner.
func (l *Lifetime) Evaluate(seconds float64) train.Point {
	test, tr, pred := l.trainer.Evaluate(l.predicted)
	l.predicted = pred
	pt := train.Point{Step: l.trainer.Epoch(), Unit: "epoch", Seconds: seconds, TestAccuracy: test, TrainAccuracy: tr, Hash: l.trainer.Hash()}
	pt.Dopamine, _ = l.trainer.Signal() // 0 for rules without one
	l.curve = append(l.curve, pt)
	return pt
}

// Curve implements Learner.
func (l *Lifetime) Curve() []train.Point { return l.curve }

// Probabilities implements Learner.
func (l *Lifetime) Probabilities(x []float32, dst []float64) []float64 {
	return l.trainer.Probabilities(x, dst)
}

// Hash implements Learner: the SHA-256 of the trained weights
// (weights_sha256).
func (l *Lifetime) Hash() string { return l.trainer.Hash() }

// Save implements Learner.
func (l *Lifetime) Save(seconds float64) *train.Saved {
	return &train.Saved{Settings: l.settings, Step: l.trainer.Epoch(), Seconds: seconds, State: l.trainer.State(),
		Curve: append([]train.Point(nil), l.curve...)}
}

// Close implements Learner.
func (l *Lifetime) Close() {}

// Pictures implements Learner.
func (l *Lifetime) Pictures(units int) Pictures {
	t := l.trainer
	if l.predicted == nil { // restored, not evaluated since
		_, _, l.predicted = t.Evaluate(nil)
	}
	fields, linked := t.Fields(units)
	c := t.Classes
	confusion := make([]int32, c*c)
	for i, p := range l.predicted {
		confusion[int(l.classes[i])*c+int(p)]++
	}
	return Pictures{Units: min(units, t.Config.Hidden), Fields: fields, Linked: linked, Hidden: t.Config.Hidden, Classes: c,
		Output: t.Output(), Predicted: slices.Clone(l.predicted), Confusion: confusion}
}
