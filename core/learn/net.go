package learn

import (
	"math"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Net trains every weight of a sparse network (package network's layout:
// the input→hidden edges, then hidden×classes output weights) by
// backpropagation: Table 1's SGD baseline, with Adam. W is kept in float64
// and Weights32 gives it to network.Forward.
type Net struct {
	Arch *network.Arch
	W    []float64
	opt  adam
	g    []float64
	pre  []float64 // hidden pre-activations of one example
	dh   []float64
	z    []float64
}

// NewNet returns arch with Kaiming-uniform weights: each hidden unit's
// edges U(±√(6/fan-in)), the output layer U(±√(6/hidden)), seeded.
func NewNet(arch *network.Arch, seed uint64) *Net {
	n := &Net{Arch: arch, W: make([]float64, arch.Links())}
	s := rng.New(rng.DomainRule, seed, 5)
	for e, k := range arch.Target {
		b := math.Sqrt(6 / float64(max(1, arch.FanIn[k])))
		n.W[e] = b * (float64(2*s.Float64()) - 1)
	}
	b := math.Sqrt(6 / float64(arch.Hidden))
	for i := arch.Edges(); i < arch.Links(); i++ {
		n.W[i] = b * (float64(2*s.Float64()) - 1)
	}
	return n
}

// Weights32 returns the weights as float32, the layout network.Forward takes.
func (n *Net) Weights32(dst []float32) []float32 {
	dst = dst[:0]
	for _, v := range n.W {
		dst = append(dst, float32(v))
	}
	return dst
}

// Gradient sets g to the gradient of the mean cross-entropy over the
// examples idx of d with respect to W, and returns that mean loss.
func (n *Net) Gradient(g []float64, d *network.Inputs, idx []int) float64 {
	a := n.Arch
	C, H := a.Classes, a.Hidden
	if len(n.pre) != H {
		n.pre, n.dh, n.z = make([]float64, H), make([]float64, H), make([]float64, C)
	}
	clear(g)
	out, gout := n.W[a.Edges():], g[a.Edges():]
	loss := 0.0
	for _, i := range idx {
		pix, val := d.Input(i)
		clear(n.pre)
		for p, j := range pix {
			v := float64(val[p])
			for e := a.Start[j]; e < a.Start[j+1]; e++ {
				n.pre[a.Target[e]] += float64(v * n.W[e])
			}
		}
		clear(n.z)
		for k, x := range n.pre {
			if x > 0 {
				for c := range C {
					n.z[c] += float64(x * out[k*C+c])
				}
			}
		}
		loss += network.Loss(n.z, d.Class[i])
		network.Softmax(n.z, n.z)
		n.z[d.Class[i]]-- // now ∂L/∂logits
		for k, x := range n.pre {
			n.dh[k] = 0
			if x <= 0 {
				continue
			}
			for c, dz := range n.z {
				gout[k*C+c] += float64(x * dz)
				n.dh[k] += float64(out[k*C+c] * dz)
			}
		}
		for p, j := range pix {
			v := float64(val[p])
			for e := a.Start[j]; e < a.Start[j+1]; e++ {
				g[e] += float64(v * n.dh[a.Target[e]])
			}
		}
	}
	inv := 1 / float64(len(idx))
	for i := range g {
		g[i] *= inv
	}
	return loss * inv
}
