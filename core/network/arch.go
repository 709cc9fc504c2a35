// Package network is the paper's classifier (Section 3.1): In inputs, one
// hidden layer of ReLU units fed through a sparse random graph (each
// input→hidden edge present with probability q = 0.1), and a dense softmax
// output layer scored by cross-entropy.
//
// The network owns no weights. A weight vector is a flat []float32 of
// Links() values: first the Edges() input→hidden weights, grouped by input
// pixel (the order of Start/Target), then the Hidden×Classes output weights
// row-major by hidden unit. NNE generates that vector as W·x from a
// genotype; the other learning rules train it directly.
package network

import (
	"fmt"

	"nnesim/core/rng"
)

// Arch is the shape of a network and its fixed sparse input graph.
type Arch struct {
	In, Hidden, Classes int
	// Start and Target list the input→hidden edges grouped by input:
	// the edges of input j are e in [Start[j], Start[j+1]), and edge e
	// leads to hidden unit Target[e].
	Start  []int32
	Target []int32
	// FanIn[k] is the number of edges into hidden unit k.
	FanIn []int32
}

// MaxLinks bounds Links() so that sizes stay addressable with int32 and
// within memory; NewArch refuses larger networks.
const MaxLinks = 1 << 28

// NewArch draws the sparse input graph: each of the In×Hidden possible
// edges is present with probability q, independently, seeded by seed.
func NewArch(in, hidden, classes int, q float64, seed uint64) (*Arch, error) {
	switch {
	case in < 1:
		return nil, fmt.Errorf("network: %d inputs, want at least 1", in)
	case hidden < 1:
		return nil, fmt.Errorf("network: %d hidden units, want at least 1", hidden)
	case classes < 2:
		return nil, fmt.Errorf("network: %d classes, want at least 2", classes)
	case !(q > 0 && q <= 1):
		return nil, fmt.Errorf("network: edge probability q = %v, want 0 < q ≤ 1", q)
	case float64(float64(in)*float64(hidden)*q)+float64(float64(hidden)*float64(classes)) > MaxLinks:
		return nil, fmt.Errorf("network: %d×%d inputs×hidden at q = %v is more than %d links", in, hidden, q, MaxLinks)
	}
	a := &Arch{In: in, Hidden: hidden, Classes: classes, Start: make([]int32, in+1), FanIn: make([]int32, hidden)}
	thr := threshold(q)
	r := rng.New(rng.DomainArch, seed)
	for j := 0; j < in; j++ {
		for k := 0; k < hidden; k++ {
			if uint64(r.Uint32()) < thr {
				a.Target = append(a.Target, int32(k))
				a.FanIn[k]++
			}
		}
		a.Start[j+1] = int32(len(a.Target))
	}
	return a, nil
}

// threshold returns t such that a uniform 32-bit u satisfies u < t with
// probability q (exactly q rounded to a multiple of 2⁻³²).
func threshold(q float64) uint64 {
	return uint64(q * (1 << 32))
}

// Edges returns the number of input→hidden edges.
func (a *Arch) Edges() int { return len(a.Target) }

// Links returns the length of a weight vector: edges plus output weights.
func (a *Arch) Links() int { return a.Edges() + a.Hidden*a.Classes }

// Output returns the output-layer part of a weight vector, Hidden rows of
// Classes weights.
func (a *Arch) Output(w []float32) []float32 { return w[a.Edges():a.Links()] }

// Fields returns the input weights of the first units hidden units as
// images: fields[k·In+i] is the weight from input i to unit k, and
// linked[k·In+i] whether that edge exists.
func (a *Arch) Fields(w []float32, units int) (fields []float32, linked []bool) {
	units = min(units, a.Hidden)
	fields, linked = make([]float32, units*a.In), make([]bool, units*a.In)
	for i := range a.In {
		for e := a.Start[i]; e < a.Start[i+1]; e++ {
			if k := int(a.Target[e]); k < units {
				fields[k*a.In+i] = w[e]
				linked[k*a.In+i] = true
			}
		}
	}
	return fields, linked
}

// FanInOf returns the fan-in of the unit that link l feeds: the number of
// edges into its hidden unit for an input→hidden link, Hidden for an output
// link.
func (a *Arch) FanInOf(l int) int {
	if l < a.Edges() {
		return int(a.FanIn[a.Target[l]])
	}
	return a.Hidden
}
