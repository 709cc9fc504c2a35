package learner

import (
	"fmt"
	"slices"

	"nnesim/core/learn"
	"nnesim/core/mnist"
	"nnesim/core/settings"
)

// Lifetime is a rule that learns within one network's life (package
// learn: the dopaminergic rule, SignSGD, SGD with Adam) as a Learner: a
// step is a minibatch, the curve counts epochs.
type Lifetime struct {
	settings  settings.Settings
	trainer   *learn.Trainer
	curve     []Point
	classes   []int32 // of the test images
	predicted []int32 // as of the last Evaluate
	note      string  // Describe's words on the rule's own settings
}

func newLifetime(s settings.Settings, sv *Saved, d Data) (Learner, error) {
	return buildLifetime(s, learnConfig, nil, sv, d)
}

// buildLifetime builds the lifetime rule of config(s); start, if not nil,
// is an evolved sparse network whose first layer stays (NNE + SignSGD).
func buildLifetime(s settings.Settings, config func(*settings.Settings) learn.Config, start []float32, sv *Saved, d Data) (*Lifetime, error) {
	digits, tr, te, err := sample(s, d)
	if err != nil {
		return nil, err
	}
	c := config(&s)
	c.StreamTest = streamTest(&s, d.MaxBytes)
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
			if pt.Unit == Epoch {
				l.curve = append(l.curve, pt)
			}
		}
	}
	return l, nil
}

// Trainer returns the lifetime rule's trainer.
func (l *Lifetime) Trainer() *learn.Trainer { return l.trainer }

// Settings implements Learner.
func (l *Lifetime) Settings() settings.Settings { return l.settings }

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
	return l.trainer.Epoch(), Epoch, l.trainer.Done()
}

// Evaluate implements Learner.
func (l *Lifetime) Evaluate(seconds float64) Point {
	test, tr, pred := l.trainer.Evaluate(l.predicted)
	l.predicted = pred
	pt := Point{Step: l.trainer.Epoch(), Unit: Epoch, Seconds: seconds, TestAccuracy: test, TrainAccuracy: tr, Hash: l.trainer.Hash()}
	if v, ok := l.trainer.Signal(); ok { // the dopamine rule's reward reading
		pt.Signals = []Signal{{SignalDopamine, v}}
	}
	l.curve = append(l.curve, pt)
	return pt
}

// Curve implements Learner.
func (l *Lifetime) Curve() []Point { return l.curve }

// Probabilities implements Learner.
func (l *Lifetime) Probabilities(x []float32, dst []float64) []float64 {
	return l.trainer.Probabilities(x, dst)
}

// Hash implements Learner: the SHA-256 of the trained weights
// (weights_sha256).
func (l *Lifetime) Hash() string { return l.trainer.Hash() }

// Save implements Learner.
func (l *Lifetime) Save(seconds float64) *Saved {
	return &Saved{Settings: l.settings, Step: l.trainer.Epoch(), Seconds: seconds, State: l.trainer.State(),
		Curve: append([]Point(nil), l.curve...)}
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

// lifetimeDefaults returns the Defaults of a lifetime rule: the lifetime
// rules' common settings (Section 3.2), with the rule's own set by own.
func lifetimeDefaults(algo string, own func(*settings.Settings)) func(string) (settings.Settings, error) {
	return func(preset string) (settings.Settings, error) {
		if err := noPreset(algo, preset); err != nil {
			return settings.Settings{}, err
		}
		s := settings.Settings{Algo: algo, Digits: "0-9", PerDigit: 200, Net: "dense", Hidden: 1000, Q: 0.1, Epochs: 500, Batch: 50,
			Seed: 1, EvalEvery: 10}
		own(&s)
		return s, nil
	}
}

// checkLifetime is the lifetime rules' Check: the rule's configuration,
// and the memory of the run with its test features streamed if keeping
// them does not fit.
func checkLifetime(s *settings.Settings, classes int, maxBytes float64) error {
	if err := learnConfig(s).Validate(); err != nil {
		return err
	}
	if b := DataBytes(s, classes) + lifetimeBytes(s, classes, true); b > maxBytes {
		return fmt.Errorf("hidden=%d would need about %s, more than the %s allowed here; lower hidden%s", s.Hidden, memSize(b), memSize(maxBytes), dataHint(s, classes))
	}
	return nil
}

// learnConfig returns the lifetime-rule configuration of s.
func learnConfig(s *settings.Settings) learn.Config {
	return learn.Config{Algo: s.Algo, Net: s.Net, Hidden: s.Hidden, Q: s.Q, Epochs: s.Epochs, Batch: s.Batch, LR: s.LR,
		Rule: s.DNNRule, Gate: s.FireGate, Eps0: s.Eps0, Eps1: s.Eps1, Explore: s.Explore, Seed: s.Seed, EvalEvery: s.EvalEvery}
}

// DataBytes is about the memory a run of s on classes classes holds of
// the data it learns from: the image sets, a byte a pixel (the pool and
// the test set, and the whole training file if WholeFile), and the
// sparse inputs of its sample and test set (network.Inputs: 8 bytes for
// each lit pixel, about a fifth of them).
func DataBytes(s *settings.Settings, classes int) float64 {
	images := float64(mnist.PoolPerDigit*10 + testImages)
	if WholeFile(s) {
		images += float64(mnist.TrainPerDigit * 10)
	}
	inputs := float64(s.TrainImages(classes) + testImages)
	return float64(images*mnist.Pixels) + float64(inputs*8*0.2*mnist.Pixels)
}

// memSize writes b bytes for a refusal: in GiB, or in MB below 1 GiB,
// so that two sizes under a GiB do not read alike.
func memSize(b float64) string {
	if b < 1<<30 {
		return fmt.Sprintf("%.0f MB", b/1e6)
	}
	return fmt.Sprintf("%.1f GiB", b/(1<<30))
}

// dataHint is what a refusal for memory adds when the run learns from
// the whole training file: how much of the estimate that is, and that a
// sample of the pool needs less ("" otherwise).
func dataHint(s *settings.Settings, classes int) string {
	if !WholeFile(s) {
		return ""
	}
	pool := *s
	pool.PerDigit, pool.Val = mnist.PoolPerDigit, 0
	total, poolOnly := DataBytes(s, classes), DataBytes(&pool, classes)
	return fmt.Sprintf(", or per-digit and val (%.0f of the data's %.0f MB are the whole training file and its inputs; per-digit %d or fewer without val needs only the pool)",
		(total-poolOnly)/1e6, total/1e6, mnist.PoolPerDigit)
}

// ClassCount is the number of classes a run of s learns: its digits', or
// ten when they do not parse (Validate reports that).
func ClassCount(s *settings.Settings) int {
	if d, err := mnist.ParseDigits(s.Digits); err == nil {
		return len(d)
	}
	return 10
}

// testImages is the size of MNIST's test set.
const testImages = 10000

// lifetimeBytes estimates the memory of a lifetime run beyond DataBytes:
// the hidden features of the training sample and, unless streamed
// (learn.Config.StreamTest), of up to the whole test set, the dense first
// layer, and for Adam on the sparse network its weights, gradient and
// moments.
func lifetimeBytes(s *settings.Settings, classes int, stream bool) float64 {
	h := float64(s.Hidden)
	n := float64(s.TrainImages(classes))
	test := float64(testImages)
	if stream {
		test = learn.StreamBlock
	}
	b := float64(8 * h * (n + test + mnist.Pixels))
	if s.Net == "sparse" {
		b += float64(8 * 4 * (float64(float64(mnist.Pixels)*h*s.Q) + float64(h*float64(classes))))
	}
	return b
}

// streamTest reports whether a lifetime run of s must compute its test
// features a block at a time (learn.Config.StreamTest) to fit in
// maxBytes with its data.
func streamTest(s *settings.Settings, maxBytes float64) bool {
	classes := ClassCount(s)
	return DataBytes(s, classes)+lifetimeBytes(s, classes, false) > maxBytes
}

// Describe implements Learner.
func (l *Lifetime) Describe() string {
	s := l.settings
	return fmt.Sprintf("%s on digits %s (%d per digit): %s net, h = %d, %d epochs of batch %d, lr %g%s; seed %d",
		s.Algo, s.Digits, s.PerDigit, s.Net, s.Hidden, s.Epochs, s.Batch, s.LR, l.note, s.Seed)
}

// newDopamine is newLifetime for the dopaminergic rule, whose Describe
// names its reading.
func newDopamine(s settings.Settings, sv *Saved, d Data) (Learner, error) {
	l, err := buildLifetime(s, learnConfig, nil, sv, d)
	if err != nil {
		return nil, err
	}
	l.note = dopamineNote(&s)
	return l, nil
}

// dopamineNote is the DNN entry's note for Describe: which reading of the
// dopamine rule runs, with its parameters.
func dopamineNote(s *settings.Settings) string {
	note := fmt.Sprintf(", dopamine rule %s", s.DNNRule)
	if s.DNNRule == "reward" {
		return note + fmt.Sprintf(" (explore %g)", s.Explore)
	}
	return note + fmt.Sprintf(" (ε₀ %g, ε₁ %g, fire gate %v)", s.Eps0, s.Eps1, s.FireGate)
}
