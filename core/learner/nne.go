package learner

import (
	"fmt"
	"slices"

	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/settings"
)

// NNE is neural net evolution (package nne; Section 3.1) as a Learner: a
// step is a generation. Run gives its NNERun, whose population the
// browser fans out to evaluator workers (Batch, score, Apply) instead of
// calling Step.
type NNE struct {
	run     *NNERun
	scratch *network.Scratch
}

func newNNE(s settings.Settings, sv *Saved, d Data) (Learner, error) {
	return buildNNE(s, sv, d)
}

func buildNNE(s settings.Settings, sv *Saved, d Data) (*NNE, error) {
	var r *NNERun
	var err error
	if sv != nil {
		sv.Settings = s
		r, err = resumeNNERun(sv, d)
	} else {
		r, err = newNNERun(s, d)
	}
	if err != nil {
		return nil, err
	}
	r.LimitTest(d.TestLimit)
	return &NNE{run: r, scratch: r.Arch.NewScratch()}, nil
}

// Run returns the NNE run.
func (n *NNE) Run() *NNERun { return n.run }

// Settings implements Learner.
func (n *NNE) Settings() settings.Settings { return n.run.Settings }

// Step implements Learner: one generation.
func (n *NNE) Step() (bool, error) {
	if err := n.run.Step(); err != nil {
		return false, err
	}
	return n.run.Generation()%n.run.Settings.EvalEvery == 0 || n.run.Done(), nil
}

// Position implements Learner.
func (n *NNE) Position() (int, string, bool) { return n.run.Generation(), Generation, n.run.Done() }

// Evaluate implements Learner: the mean genotype W·p.
func (n *NNE) Evaluate(seconds float64) Point { return n.run.Evaluate(seconds) }

// Curve implements Learner.
func (n *NNE) Curve() []Point { return n.run.Curve }

// Probabilities implements Learner, with the mean genotype's weights as of
// the last Evaluate.
func (n *NNE) Probabilities(x []float32, dst []float64) []float64 {
	return probabilities(n.run.Arch, n.run.Weights, x, dst, n.scratch)
}

// Hash implements Learner: the SHA-256 of p (alleles_sha256).
func (n *NNE) Hash() string { return AllelesHash(n.run.Pop.P) }

// Save implements Learner.
func (n *NNE) Save(seconds float64) *Saved { return n.run.Save(seconds) }

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

// Describe implements Learner.
func (n *NNE) Describe() string { return n.run.Describe() }

// nneConfig returns the population settings of s.
func nneConfig(s *settings.Settings) nne.Config {
	// Validate has parsed Scale (its parameter's Set), so for checked
	// settings the error cannot happen; unchecked ones get the zero
	// Scale, ScaleRaw, and nne.Config.Validate judges the rest.
	sc, _ := nne.ParseScale(s.Scale)
	return nne.Config{Genes: s.Genes, Pop: s.Pop, Beta: s.Beta, Eps: s.Eps, Batch: s.Batch, Scale: sc, Seed: s.Seed, Threads: s.Threads}
}

// checkNNE is NNE's Check: the population's settings, and the memory of
// the genome with the data.
func checkNNE(s *settings.Settings, classes int, maxBytes float64) error {
	nc := nneConfig(s)
	if err := nc.Validate(); err != nil {
		return err
	}
	links := float64(float64(mnist.Pixels)*float64(s.Hidden)*s.Q) + float64(float64(s.Hidden)*float64(classes))
	if b := DataBytes(s, classes) + nne.Bytes(nc, links); b > maxBytes {
		return fmt.Errorf("genes=%d, hidden=%d and beta=%v would need about %s, more than the %s allowed here; lower genes, hidden or beta%s",
			s.Genes, s.Hidden, s.Beta, memSize(b), memSize(maxBytes), dataHint(s, classes))
	}
	return nil
}

// nneWork estimates the multiply-adds of one NNE generation: for each of
// the Pop genotypes, its weights W·x (about half the genes carry allele 1,
// and each gene has links·β entries of W) and its forward pass over the
// Batch examples (an MNIST digit lights about a fifth of the 784 pixels,
// each feeding hidden·q units, then hidden×classes outputs).
func nneWork(s *settings.Settings) float64 {
	classes := float64(ClassCount(s))
	h := float64(s.Hidden)
	links := float64(float64(mnist.Pixels)*h*s.Q) + float64(h*classes)
	weights := float64(float64(float64(s.Genes)/2) * float64(links*s.Beta))
	forward := float64(float64(s.Batch) * (float64(mnist.Pixels/5*h*s.Q) + float64(h*classes)))
	return float64(s.Pop) * (weights + forward)
}

// Evolution implements Evolver.
func (n *NNE) Evolution() *NNE { return n }

// NewPopulation checks s and builds its NNE run alone, for a browser
// evaluator that scores slices of its population: s's rule must fan out
// (Rule.FansOut).
func NewPopulation(s settings.Settings, d Data) (*NNERun, error) {
	r, err := RuleOf(s.Algo)
	if err != nil {
		return nil, err
	}
	if !r.FansOut() {
		return nil, fmt.Errorf("learner: %s does not spread its steps over evaluators", r.Name)
	}
	if err := Validate(&s, d.MaxBytes); err != nil {
		return nil, err
	}
	run, err := newNNERun(s, d)
	if err == nil {
		run.LimitTest(d.TestLimit)
	}
	return run, err
}
