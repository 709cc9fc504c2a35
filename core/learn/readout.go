package learn

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Readout is an output layer: W is hidden×classes, and an example's
// logits are h·W for its hidden activations h (no bias, as in package
// network).
type Readout struct {
	W *mat.Dense
}

// NewReadout returns a readout with Kaiming-uniform weights (fan-in
// hidden), seeded by seed.
func NewReadout(hidden, classes int, seed uint64) *Readout {
	return &Readout{W: uniform(hidden, classes, math.Sqrt(6/float64(hidden)), rng.New(rng.DomainRule, seed, 2))}
}

// Accuracy returns the fraction of examples of f whose largest logit is
// their class.
func (r *Readout) Accuracy(f *Features) float64 {
	acc, _ := r.Predict(f, nil)
	return acc
}

// Predict returns the accuracy on f and each example's predicted class
// (its largest logit) in pred, reallocated if short.
func (r *Readout) Predict(f *Features, pred []int32) (float64, []int32) {
	z := mat.NewDense(f.Len(), f.Classes, nil)
	mul(z, f.H, r.W)
	if cap(pred) < f.Len() {
		pred = make([]int32, f.Len())
	}
	pred = pred[:f.Len()]
	right := 0
	for i := range f.Len() {
		pred[i] = int32(argmax(z.RawRowView(i)))
		if pred[i] == f.Class[i] {
			right++
		}
	}
	return float64(right) / float64(f.Len()), pred
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// softmaxRows replaces every row of z by its softmax.
func softmaxRows(z *mat.Dense) {
	r, _ := z.Dims()
	for i := range r {
		row := z.RawRowView(i)
		network.Softmax(row, row)
	}
}

// A Rule moves a readout's weights w (hidden×classes) after a minibatch:
// h holds its hidden activations (B×hidden), z the softmax outputs under w
// (B×classes) and class the labels.
type Rule interface {
	Step(w, h, z *mat.Dense, class []int32)
}

// reuse makes m an r×c matrix, keeping its memory when it already is one
// (its contents are to be overwritten).
func reuse(m *mat.Dense, r, c int) {
	if !m.IsEmpty() {
		if mr, mc := m.Dims(); mr == r && mc == c {
			return
		}
		m.Reset()
	}
	m.ReuseAs(r, c)
}

// shuffle puts order in epoch's random order under seed (Fisher–Yates).
func shuffle(order []int, seed uint64, epoch int) {
	s := rng.New(rng.DomainRule, seed, 3, uint64(epoch))
	for i := len(order) - 1; i > 0; i-- {
		j := s.Intn(i + 1)
		order[i], order[j] = order[j], order[i]
	}
}

// gradient sets g (sized as w, hidden×classes) to ∂L/∂w = hᵀ(z − y)/B,
// the mean cross-entropy gradient of a minibatch.
func gradient(g, w, h, z *mat.Dense, class []int32) {
	r, c := w.Dims()
	reuse(g, r, c)
	var d mat.Dense
	d.CloneFrom(z)
	for b, c := range class {
		d.Set(b, int(c), d.At(b, int(c))-1)
	}
	mulTransA(g, h, &d)
	g.Scale(1/float64(len(class)), g)
}

// SignSGD is eq. 4: every weight moves by LR against the sign of its
// minibatch gradient (a zero gradient leaves it).
type SignSGD struct {
	LR float64
	g  mat.Dense
}

// Step implements Rule.
func (s *SignSGD) Step(w, h, z *mat.Dense, class []int32) {
	gradient(&s.g, w, h, z, class)
	w.Apply(func(i, j int, v float64) float64 {
		g := s.g.At(i, j)
		switch {
		case g > 0:
			return v - s.LR
		case g < 0:
			return v + s.LR
		}
		return v
	}, w)
}

// Adam is gradient descent on the cross-entropy with Adam's moment
// estimates (Kingma and Ba); zero Beta1, Beta2 and Eps take the usual
// 0.9, 0.999 and 1e-8.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	opt                   adam
	g                     mat.Dense
}

// Step implements Rule.
func (a *Adam) Step(w, h, z *mat.Dense, class []int32) {
	gradient(&a.g, w, h, z, class)
	a.opt.LR, a.opt.Beta1, a.opt.Beta2, a.opt.Eps = a.LR, a.Beta1, a.Beta2, a.Eps
	a.opt.step(w.RawMatrix().Data, a.g.RawMatrix().Data)
}

// adam holds Adam's state for one parameter vector.
type adam struct {
	LR, Beta1, Beta2, Eps float64
	m, v                  []float64
	t                     int
	b1t, b2t              float64 // Beta1ᵗ and Beta2ᵗ, by repeated multiplication (math.Pow is not portable)
}

// step moves w by one Adam step for gradient g.
func (a *adam) step(w, g []float64) {
	b1, b2, eps := a.Beta1, a.Beta2, a.Eps
	if b1 == 0 {
		b1 = 0.9
	}
	if b2 == 0 {
		b2 = 0.999
	}
	if eps == 0 {
		eps = 1e-8
	}
	if len(a.m) != len(w) {
		a.m, a.v, a.t, a.b1t, a.b2t = make([]float64, len(w)), make([]float64, len(w)), 0, 1, 1
	}
	a.t++
	a.b1t = float64(a.b1t * b1)
	a.b2t = float64(a.b2t * b2)
	c1, c2 := 1-a.b1t, 1-a.b2t
	for i, gi := range g {
		a.m[i] = float64(b1*a.m[i]) + float64((1-b1)*gi)
		a.v[i] = float64(b2*a.v[i]) + float64((1-b2)*gi*gi)
		w[i] -= float64(a.LR * (a.m[i] / c1) / (math.Sqrt(a.v[i]/c2) + eps))
	}
}
