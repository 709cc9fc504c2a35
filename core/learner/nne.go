package learner

import (
	"slices"

	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/train"
)

// NNE is neural net evolution (package nne; Section 3.1) as a Learner: a
// step is a generation. Run gives its train.Run, whose population the
// browser fans out to evaluator workers (Batch, score, Apply) instead of
// calling Step.
type NNE struct {
	run     *train.Run
	scratch *network.Scratch
}

func newNNE(s train.Settings, sv *train.Saved, d Data) (Learner, error) {
	return buildNNE(s, sv, d)
}

func buildNNE(s train.Settings, sv *train.Saved, d Data) (*NNE, error) {
	var r *train.Run
	var err error
	if sv != nil {
		sv.Settings = s
		r, err = train.Resume(sv, d.Pool, d.Test, d.MaxBytes)
	} else {
		r, err = train.New(s, d.Pool, d.Test, d.MaxBytes)
	}
	if err != nil {
		return nil, err
	}
	r.LimitTest(d.TestLimit)
	return &NNE{run: r, scratch: r.Arch.NewScratch()}, nil
}

// Run returns the NNE run.
func (n *NNE) Run() *train.Run { return n.run }

// Settings implements Learner.
func (n *NNE) Settings() train.Settings { return n.run.Settings }

// Step implements Learner: one generation.
func (n *NNE) Step() (bool, error) {
	if err := n.run.Step(); err != nil {
		return false, err
	}
	return n.run.Generation()%n.run.Settings.EvalEvery == 0 || n.run.Done(), nil
}

// Position implements Learner.
func (n *NNE) Position() (int, string, bool) { return n.run.Generation(), "generation", n.run.Done() }

// Evaluate implements Learner: the mean genotype W·p.
func (n *NNE) Evaluate(seconds float64) train.Point { return n.run.Evaluate(seconds) }

// Curve implements Learner.
func (n *NNE) Curve() []train.Point { return n.run.Curve }

// Probabilities implements Learner, with the mean genotype's weights as of
// the last Evaluate.
func (n *NNE) Probabilities(x []float32, dst []float64) []float64 {
	r := n.run
	if cap(dst) < r.Arch.Classes {
		dst = make([]float64, r.Arch.Classes)
	}
	dst = dst[:r.Arch.Classes]
	pix, val := network.SparseInput(x)
	r.Arch.Forward(r.Weights, pix, val, n.scratch)
	network.Softmax(dst, n.scratch.Logits)
	return dst
}

// Hash implements Learner: the SHA-256 of p (alleles_sha256).
func (n *NNE) Hash() string { return train.AllelesHash(n.run.Pop.P) }

// Save implements Learner.
func (n *NNE) Save(seconds float64) *train.Saved { return n.run.Save(seconds) }

// Close implements Learner.
func (n *NNE) Close() { n.run.Close() }

// Pictures implements Learner: the mean genotype's network as of the last
// Evaluate, and p.
func (n *NNE) Pictures(units int) Pictures {
	r := n.run
	fields, linked := r.Arch.Fields(r.Weights, units)
	return Pictures{Units: min(units, r.Arch.Hidden), Fields: fields, Linked: linked, Hidden: r.Arch.Hidden, Classes: r.Arch.Classes,
		Output: slices.Clone(r.Arch.Output(r.Weights)), Predicted: slices.Clone(r.Predicted), Confusion: slices.Clone(r.Confusion),
		P: slices.Clone(r.Pop.P), Fixed: nne.FixedFraction(r.Pop.P, nne.FixedTol)}
}
