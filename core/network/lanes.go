package network

import "math"

// Lanes is the number of weight vectors ForwardLanes evaluates together.
// NNE scores a population of genotypes on the same minibatch; stepping
// Lanes genotypes through each edge at once loads the graph's indices and
// the input once instead of Lanes times, which roughly halves the time per
// genotype. Each lane's arithmetic is done in exactly the order Forward
// uses, so its logits are bitwise equal to Forward's.
const Lanes = 4

// LaneScratch holds the activations of Lanes forward passes, interleaved:
// Hidden[k*Lanes+g] is hidden unit k of lane g.
type LaneScratch struct {
	Hidden []float32
	Logits []float32 // Logits[c*Lanes+g]
}

// NewLaneScratch returns lane activations sized for a.
func (a *Arch) NewLaneScratch() *LaneScratch {
	return &LaneScratch{Hidden: make([]float32, a.Hidden*Lanes), Logits: make([]float32, a.Classes*Lanes)}
}

// ForwardLanes is Forward for Lanes weight vectors interleaved in w
// (w[l*Lanes+g] is link l of lane g).
func (a *Arch) ForwardLanes(w []float32, pix []int32, val []float32, s *LaneScratch) {
	h := s.Hidden[:a.Hidden*Lanes]
	clear(h)
	for n, j := range pix {
		v := val[n]
		lo, hi := a.Start[j], a.Start[j+1]
		tgt := a.Target[lo:hi]
		ww := w[int(lo)*Lanes : int(hi)*Lanes]
		for e, k := range tgt {
			we := (*[Lanes]float32)(ww[e*Lanes:])
			hk := (*[Lanes]float32)(h[int(k)*Lanes:])
			hk[0] += v * we[0]
			hk[1] += v * we[1]
			hk[2] += v * we[2]
			hk[3] += v * we[3]
		}
	}
	C := a.Classes
	z := s.Logits[:C*Lanes]
	clear(z)
	out := w[a.Edges()*Lanes : a.Links()*Lanes]
	for k := 0; k < a.Hidden; k++ {
		hk := (*[Lanes]float32)(h[k*Lanes:])
		for g := range hk {
			hk[g] = relu(hk[g])
		}
		row := out[k*C*Lanes : (k+1)*C*Lanes]
		for c := 0; c < C; c++ {
			rc := (*[Lanes]float32)(row[c*Lanes:])
			zc := (*[Lanes]float32)(z[c*Lanes:])
			zc[0] += hk[0] * rc[0]
			zc[1] += hk[1] * rc[1]
			zc[2] += hk[2] * rc[2]
			zc[3] += hk[3] * rc[3]
		}
	}
}

// LaneLogits copies the logits of lane g out of s into dst.
func (s *LaneScratch) LaneLogits(dst []float32, g int) []float32 {
	dst = dst[:len(s.Logits)/Lanes]
	for c := range dst {
		dst[c] = s.Logits[c*Lanes+g]
	}
	return dst
}

// relu returns max(x, 0), with +0 for x ≤ 0, without a branch: activations
// are negative about half the time at random, which defeats prediction.
func relu(x float32) float32 {
	b := math.Float32bits(x)
	return math.Float32frombits(b &^ uint32(int32(b)>>31))
}
