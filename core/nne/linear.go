package nne

import (
	"fmt"
	"math"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Linear is the task of Section 2.1: no hidden layer, inputs y drawn
// uniformly from the unit ball in R^m, label ℓ(y) = aᵀy for a fixed target
// a with ‖a‖ ≤ 1, and output NNE_x(y) = (Wx)ᵀy. Its fitness is the negative
// squared loss of eq. 1, δ_x = −(1/B) Σ ((Wx)ᵀy − aᵀy)², so eq. 3 needs
// ε·max L < 1 (Theorem 1 takes ε ≤ 1/(2U)).
type Linear struct {
	M      int
	Target []float64 // a
	Y      []float64 // Examples() inputs of M values each
	Label  []float64 // aᵀy of each input
}

// NewLinear draws a target a uniformly from the sphere of radius norm and
// examples inputs uniform in the unit ball of R^m, seeded by seed.
func NewLinear(m, examples int, norm float64, seed uint64) (*Linear, error) {
	if m < 1 || examples < 1 || m*examples > 1<<26 {
		return nil, fmt.Errorf("nne: linear task of dimension %d with %d examples, want both ≥ 1 and their product ≤ %d", m, examples, 1<<26)
	}
	if !(norm > 0 && norm <= 1) {
		return nil, fmt.Errorf("nne: target norm %v, want 0 < ‖a‖ ≤ 1", norm)
	}
	r := rng.New(rng.DomainTask, seed)
	t := &Linear{M: m, Target: make([]float64, m), Y: make([]float64, m*examples), Label: make([]float64, examples)}
	unitBall(&r, t.Target, false)
	for i := range t.Target {
		t.Target[i] *= norm
	}
	for i := range examples {
		y := t.Y[i*m : (i+1)*m]
		unitBall(&r, y, true)
		t.Label[i] = network.Dot(t.Target, y)
	}
	return t, nil
}

// unitBall writes a uniform point of the unit sphere (inside=false) or
// ball (inside=true) into v: a Gaussian direction by Marsaglia's polar
// method, and radius u^(1/m) for the ball. It uses only the portable
// Exp and Log of package network and the exactly rounded square root, so
// the task is bitwise the same on every platform.
func unitBall(r *rng.Stream, v []float64, inside bool) {
	for {
		for i := range v {
			for {
				a, b := float64(2*r.Float64())-1, float64(2*r.Float64())-1
				s := float64(a*a) + float64(b*b)
				if s > 0 && s < 1 {
					v[i] = a * math.Sqrt(-2*network.Log(s)/s)
					break
				}
			}
		}
		if n := math.Sqrt(network.Dot(v, v)); n > 0 {
			s := 1 / n
			if inside {
				s *= network.Exp(network.Log(1-r.Float64()) / float64(len(v)))
			}
			for i := range v {
				v[i] *= s
			}
			return
		}
	}
}

// Links returns m.
func (t *Linear) Links() int { return t.M }

// FanIn returns m: every link feeds the one output.
func (t *Linear) FanIn(int) int { return t.M }

// Examples returns the number of inputs.
func (t *Linear) Examples() int { return len(t.Label) }

// Loss returns the mean squared loss of weights w over the examples in
// batch.
func (t *Linear) Loss(w []float32, batch []int32) float64 {
	sum := 0.0
	for _, i := range batch {
		y := t.Y[int(i)*t.M : int(i+1)*t.M]
		out := 0.0
		for k, v := range y {
			out += float64(float64(w[k]) * v)
		}
		d := out - t.Label[i]
		sum += float64(d * d)
	}
	return sum / float64(len(batch))
}

// NewScorer returns δ_x = −L as a Scorer.
func (t *Linear) NewScorer() Scorer {
	w := make([]float32, t.M)
	return func(wl [][network.Lanes]float32, lanes int, batch []int32, delta *[network.Lanes]float64) {
		for g := range delta[:lanes] {
			for k := range w {
				w[k] = wl[k][g]
			}
			delta[g] = -t.Loss(w, batch)
		}
	}
}

// Cosine returns cos(w, a), how well weights w point along the target:
// 0 for weights that are all 0 (a genotype with no 1-allele where W has
// entries), which point nowhere.
func (t *Linear) Cosine(w []float32) float64 {
	v := make([]float64, len(w))
	for i, x := range w {
		v[i] = float64(x)
	}
	vv := network.Dot(v, v)
	if vv == 0 {
		return 0
	}
	return network.Dot(v, t.Target) / math.Sqrt(vv*network.Dot(t.Target, t.Target))
}

// Distance returns ‖w − a‖, how far weights w are from the target.
func (t *Linear) Distance(w []float32) float64 {
	sum := 0.0
	for i, v := range w {
		d := float64(v) - t.Target[i]
		sum += float64(d * d)
	}
	return math.Sqrt(sum)
}
