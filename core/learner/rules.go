package train

import (
	"fmt"
	"slices"
	"strings"

	"nnesim/core/learn"
	"nnesim/core/mnist"
)

// Rule is a learning rule a run can use, with what its steps count.
type Rule struct {
	Name string
	// Unit names a step: "generation" (NNE) or "epoch" (the lifetime
	// rules); NNE + SignSGD counts generations, then epochs.
	Unit string
	// Lifetime rules learn within one network's life (package learn);
	// the others evolve a population (package nne).
	Lifetime bool
	Title    string
}

// Rules are the learning rules of the paper, in the order a menu lists
// them. Algos names them.
var Rules = []Rule{
	{"nne", "generation", false, "NNE (evolution)"},
	{"nne-signsgd", "generation", false, "NNE + SignSGD (evolution, then eq. 4 on the output layer)"},
	{"dnn", "epoch", true, "DNN (dopaminergic plasticity)"},
	{"signsgd", "epoch", true, "SignSGD (eq. 4)"},
	{"sgd", "epoch", true, "SGD (Adam, by backpropagation)"},
}

// Algos lists the names of Rules.
var Algos = func() []string {
	var names []string
	for _, r := range Rules {
		names = append(names, r.Name)
	}
	return names
}()

// RuleOf returns the rule named algo.
func RuleOf(algo string) (Rule, error) {
	for _, r := range Rules {
		if r.Name == algo {
			return r, nil
		}
	}
	return Rule{}, fmt.Errorf("algo=%s: unknown rule; want one of %s", Clip(algo), strings.Join(Algos, ", "))
}

// Rule sets of the parameters (see Param.Rules).
var (
	evolving = []string{"nne", "nne-signsgd"}
	lifetime = []string{"dnn", "signsgd", "sgd"}
)

// EvolvingRules returns the rules that evolve a population, the rules a
// preset sets.
func EvolvingRules() []string { return slices.Clone(evolving) }

// SignSGDBatch is the minibatch of NNE + SignSGD's second phase (the
// parameter batch is NNE's minibatch B in that rule).
const SignSGDBatch = 50

// Defaults returns the settings a run of algo starts from: for NNE and
// NNE + SignSGD the named preset ("" for DefaultPreset), and for the
// lifetime rules their defaults of Section 3.2 and Table 2 (the preset
// must be "").
func Defaults(algo, preset string) (Settings, error) {
	r, err := RuleOf(algo)
	if err != nil {
		return Settings{}, err
	}
	if r.Lifetime {
		if preset != "" {
			return Settings{}, fmt.Errorf("preset=%s: presets are NNE settings; %s has none", Clip(preset), algo)
		}
		s := Settings{Algo: algo, Digits: "0-9", PerDigit: 200, Net: "dense", Hidden: 1000, Q: 0.1, Epochs: 500, Batch: 50,
			Seed: 1, EvalEvery: 10}
		switch algo {
		case "sgd":
			// Table 1's SGD: Adam on the whole sparse network.
			s.Net, s.Epochs, s.LR = "sparse", 100, 1e-3
		case "signsgd":
			s.LR = 1e-4 // Table 2
		case "dnn":
			// Our reward rule and its step; the literal readings' ε₀ and
			// ε₁ are the paper's.
			s.LR, s.DNNRule, s.Eps0, s.Eps1, s.Explore = 0.2, "reward", 0.75, 1, 0.1
		}
		return s, nil
	}
	if preset == "" {
		preset = DefaultPreset
	}
	s, err := Preset(preset)
	if err != nil {
		return Settings{}, err
	}
	s.Algo = algo
	if algo == "nne-signsgd" {
		s.Net, s.Epochs, s.LR = "sparse", 8, signStep(preset)
	}
	return s, nil
}

// Learn returns the lifetime-rule configuration of s: the rule's own for
// dnn, signsgd and sgd, and the second phase (SignSGD on the evolved
// network's output layer, evaluated every epoch) for nne-signsgd.
func (s *Settings) Learn() learn.Config {
	c := learn.Config{Algo: s.Algo, Net: s.Net, Hidden: s.Hidden, Q: s.Q, Epochs: s.Epochs, Batch: s.Batch, LR: s.LR,
		Rule: s.DNNRule, Gate: s.FireGate, Eps0: s.Eps0, Eps1: s.Eps1, Explore: s.Explore, Seed: s.Seed, EvalEvery: s.EvalEvery}
	if s.Algo == "nne-signsgd" {
		c.Algo, c.Net, c.Batch, c.EvalEvery = "signsgd", "sparse", SignSGDBatch, 1
	}
	return c
}

// DataBytes is about the memory every run holds of the data it learns
// from: the training pool and the test set, decoded to float32 pixels.
const DataBytes = float64((mnist.PoolPerDigit*10 + testImages) * mnist.Pixels * 4)

// testImages is the size of MNIST's test set.
const testImages = 10000

// lifetimeBytes estimates the memory of a lifetime run beyond DataBytes:
// the inputs' nonzero pixels (about a fifth of each image), the hidden
// features of the training sample and, unless streamed
// (learn.Config.StreamTest), of up to the whole test set, the dense first
// layer, and for Adam on the sparse network its weights, gradient and
// moments.
func (s *Settings) lifetimeBytes(classes int, stream bool) float64 {
	h := float64(s.Hidden)
	n := float64(s.PerDigit * classes)
	test := float64(testImages)
	if stream {
		test = learn.StreamBlock
	}
	b := float64(8*h*(n+test+mnist.Pixels)) + float64(8*0.2*mnist.Pixels*(n+testImages))
	if s.Net == "sparse" {
		b += float64(8 * 4 * (float64(float64(mnist.Pixels)*h*s.Q) + float64(h*float64(classes))))
	}
	return b
}

// StreamTest reports whether a lifetime run of s must compute its test
// features a block at a time (learn.Config.StreamTest) to fit in
// maxBytes with its data.
func (s *Settings) StreamTest(maxBytes float64) bool {
	classes := 10
	if d, err := mnist.ParseDigits(s.Digits); err == nil {
		classes = len(d)
	}
	return DataBytes+s.lifetimeBytes(classes, false) > maxBytes
}

// of reports whether p is a setting of algo.
func (p *Param) of(algo string) bool { return p.Rules == nil || slices.Contains(p.Rules, algo) }

// RuleParams returns the parameters of algo, in the order of Params.
func RuleParams(algo string) []Param {
	var out []Param
	for _, p := range Params() {
		if p.of(algo) {
			out = append(out, p)
		}
	}
	return out
}
