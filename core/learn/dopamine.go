package learn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Reading names one reading of Section 3.2's dopaminergic update of w_ij
// (hidden unit i → output j), where e_j = z_j − ℓ(y)_j is output j's error
// and L the example's cross-entropy:
//
//   - Printed, the displayed formula: w_ij += ε₁ when ¼ − e_j² > 0 and
//     L − ε₀ > 0 (its fraction max{0,a}·max{0,b}/(a·b) is 1 when both are
//     positive and 0 otherwise), so the reward comes when the loss is
//     above ε₀;
//   - Prose, the text: w_ij += ε₁ when the prediction was right (L ≤ ε₀)
//     and output j had a low error (e_j² ≤ ¼);
//   - Signed, the introduction: a link that fired changes by a multiple of
//     ¼ − e_j², rewarded when good and punished when not: w_ij += ε₁(¼ − e_j²);
//   - Reward, ours (not in the paper): a three-factor rule with the
//     paper's ingredients and a reward baseline, see Dopamine.
type Reading int

// The readings of the dopaminergic rule.
const (
	Printed Reading = iota
	Prose
	Signed
	Reward
)

var readingNames = []string{"printed", "prose", "signed", "reward"}

func (r Reading) String() string {
	if r < 0 || int(r) >= len(readingNames) {
		return fmt.Sprintf("Reading(%d)", int(r))
	}
	return readingNames[r]
}

// ParseReading returns the reading named s (printed, prose, signed or
// reward).
func ParseReading(s string) (Reading, error) {
	for i, n := range readingNames {
		if n == s {
			return Reading(i), nil
		}
	}
	return 0, fmt.Errorf("unknown dopamine rule %q; want printed, prose, signed or reward", s)
}

// Dopamine is the output layer's plasticity of Section 3.2. The paper
// leaves open whether the presynaptic unit must have fired; Gate makes
// the literal readings change only links with h_i > 0 ("links that
// fired"). Each example's change is averaged over the minibatch.
//
// Reward, our reading, is a three-factor rule: presynaptic firing, the
// postsynaptic spike, and a global dopamine signal that is a reward
// prediction error. The network answers with one class a, drawn from its
// softmax z (or, with probability Explore, uniformly, so that no class
// falls silent for good); only output neuron a spikes. The reward R is 1
// when a was right, else 0, and the network's own predicted reward is z_a,
// so dopamine is R − z_a, and
//
//	Δw_ij = LR · h_i · [j = a] · (R − z_a)
//
// (averaged over the minibatch). No label reaches a synapse, only the
// scalar reward. In expectation Δw_ij ∝ h_i · q_j · (ℓ_j − z_j), with q the
// answer's distribution: every output moves the right way.
type Dopamine struct {
	Reading    Reading
	Gate       bool    // literal readings: only links whose hidden unit fired change
	Eps0, Eps1 float64 // literal readings: loss threshold ε₀ and step ε₁ (paper: 0.75, 1)
	LR         float64 // Reward: the step
	Explore    float64 // Reward: probability of a uniformly random answer
	Seed       uint64  // Reward: the network's random answers
	steps      uint64
	// The reward reading's dopamine signal R − z_a, summed over the
	// answers since the last TakeSignal, and their count.
	signalSum float64
	signalN   uint64
	d         mat.Dense
}

// Step implements Rule.
func (r *Dopamine) Step(w, h, z *mat.Dense, class []int32) {
	B, C := z.Dims()
	// d (B×classes) is each example's postsynaptic factor; the change is
	// gate(h)ᵀ·d scaled.
	reuse(&r.d, B, C)
	d := &r.d
	scale := r.Eps1 / float64(B)
	if r.Reading == Reward {
		s := rng.New(rng.DomainRule, r.Seed, 4, r.steps)
		r.steps++
		d.Zero()
		for b, y := range class {
			zb := z.RawRowView(b)
			var a int
			if u := s.Float64(); u < r.Explore {
				a = min(C-1, int(u/r.Explore*float64(C)))
			} else {
				a = sample(zb, s.Float64())
			}
			reward := 0.0
			if a == int(y) {
				reward = 1
			}
			d.Set(b, a, reward-zb[a])
			r.signalSum += reward - zb[a]
			r.signalN++
		}
		var dw mat.Dense
		dw.ReuseAs(w.Dims())
		mulTransA(&dw, h, d)
		addScaled(w, r.LR/float64(B), &dw)
		return
	}
	for b, y := range class {
		zb := z.RawRowView(b)
		loss := -network.Log(max(zb[y], 1e-300))
		for j, zj := range zb {
			e := zj
			if j == int(y) {
				e = zj - 1
			}
			low := 0.25 - float64(e*e)
			var v float64
			switch r.Reading {
			case Printed:
				if low > 0 && loss-r.Eps0 > 0 {
					v = 1
				}
			case Prose:
				if low >= 0 && loss <= r.Eps0 {
					v = 1
				}
			case Signed:
				v = low
			}
			d.Set(b, j, v)
		}
	}
	var pre mat.Dense
	pre.CloneFrom(h)
	if r.Gate {
		pre.Apply(func(_, _ int, v float64) float64 {
			if v > 0 {
				return 1
			}
			return 0
		}, &pre)
	} else {
		pre.Apply(func(_, _ int, v float64) float64 { return 1 }, &pre)
	}
	var dw mat.Dense
	dw.ReuseAs(w.Dims())
	mulTransA(&dw, &pre, d)
	addScaled(w, scale, &dw)
}

// TakeSignal returns the mean dopamine signal R − z_a (reward minus the
// network's predicted reward) of the reward reading's answers since the
// last call, and false if there were none (or another reading runs).
func (r *Dopamine) TakeSignal() (float64, bool) {
	if r.signalN == 0 {
		return 0, false
	}
	m := r.signalSum / float64(r.signalN)
	r.signalSum, r.signalN = 0, 0
	return m, true
}

// sample returns the class drawn from probabilities z by the uniform u.
func sample(z []float64, u float64) int {
	for j, p := range z {
		if u < p {
			return j
		}
		u -= p
	}
	return len(z) - 1
}
