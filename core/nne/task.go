package nne

import (
	"fmt"

	"nnesim/core/network"
)

// A Task is what a population evolves on: it scores the weights W·x of one
// genotype on a minibatch of its training examples. Classifier (the
// paper's MNIST network, Section 3.1) and Linear (Section 2.1) are tasks.
type Task interface {
	// Links returns m, the number of weights a genotype generates.
	Links() int
	// FanIn returns the fan-in of the unit that link l feeds.
	FanIn(l int) int
	// Examples returns the number of training examples minibatches index.
	Examples() int
	// NewScorer returns a Scorer with its own scratch space, for one
	// goroutine.
	NewScorer() Scorer
}

// A Scorer writes into delta[:lanes] the fitness δ of the weight vectors
// in lanes 0 to lanes−1 of w (w[l][g] is link l of lane g), on the
// training examples listed in batch. It is not safe for concurrent use.
type Scorer func(w [][network.Lanes]float32, lanes int, batch []int32, delta *[network.Lanes]float64)

// Classifier is the MNIST task of Section 3.1: a network.Arch scored by
// cross-entropy L on training examples, with the fitness of Section 3.1
// (FitnessPaper),
//
//	δ_x = (1/B) Σ_{s ∈ batch} max{0, α² − L(NNE_x(s), ℓ(s))²},
//
// or another variant of fitness.go. α = Alpha·ln C, the loss of a uniform
// guess over C classes times a multiplier (the paper's multiplier is 1).
type Classifier struct {
	Arch    *network.Arch
	Train   *network.Inputs
	Alpha   float64
	Fitness Fitness
}

// NewClassifier checks that arch and train agree and returns the task with
// α = alphaScale·ln C and the given fitness variant.
func NewClassifier(arch *network.Arch, train *network.Inputs, alphaScale float64, fitness Fitness) (*Classifier, error) {
	if train.Dim != arch.In {
		return nil, fmt.Errorf("nne: inputs of dimension %d for a network with %d inputs", train.Dim, arch.In)
	}
	if train.Len() == 0 {
		return nil, fmt.Errorf("nne: no training examples")
	}
	for i, c := range train.Class {
		if c < 0 || int(c) >= arch.Classes {
			return nil, fmt.Errorf("nne: training example %d has class %d, want 0 to %d", i, c, arch.Classes-1)
		}
	}
	if !fitness.valid() {
		return nil, fmt.Errorf("nne: unknown fitness %v", fitness)
	}
	alpha := alphaScale * network.Log(float64(arch.Classes))
	if !(alphaScale > 0) || fitness.maxTerm(alpha) > MaxFitness {
		return nil, fmt.Errorf("nne: α multiplier %v, want 0 < multiplier with the largest fitness (%s) ≤ %d", alphaScale, fitness, MaxFitness)
	}
	return &Classifier{Arch: arch, Train: train, Alpha: alpha, Fitness: fitness}, nil
}

// Links returns the number of weights of the network.
func (t *Classifier) Links() int { return t.Arch.Links() }

// FanIn returns the fan-in of the unit link l feeds.
func (t *Classifier) FanIn(l int) int { return t.Arch.FanInOf(l) }

// Examples returns the number of training examples.
func (t *Classifier) Examples() int { return t.Train.Len() }

// NewScorer returns the fitness δ_x of t.Fitness as a Scorer.
func (t *Classifier) NewScorer() Scorer {
	s := t.Arch.NewLaneScratch()
	z := make([]float32, t.Arch.Classes)
	a2 := t.Alpha * t.Alpha
	unit := float64(OutrankShare*a2) / float64(max(1, t.Arch.Classes-1))
	var sum [network.Lanes]float64
	var batch []int32
	lanes := 0
	// score adds the losses of the n-th image of the batch to sum; made
	// once, so that scoring allocates nothing.
	score := func(n int) {
		i := batch[n]
		for g := range sum[:lanes] {
			sum[g] += t.Fitness.term(s.LaneLogits(z, g), t.Train.Class[i], t.Alpha, a2, unit)
		}
	}
	return func(w [][network.Lanes]float32, nl int, b []int32, delta *[network.Lanes]float64) {
		sum, batch, lanes = [network.Lanes]float64{}, b, nl
		t.Arch.ForwardBatchLanes(w, lanes, t.Train, b, s, score)
		for g := range sum[:lanes] {
			delta[g] = sum[g] / float64(len(b))
		}
	}
}
