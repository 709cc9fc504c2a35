package network

// Scratch holds the activations of one forward pass; one per goroutine.
type Scratch struct {
	Hidden []float32
	Logits []float32
}

// NewScratch returns activations sized for a.
func (a *Arch) NewScratch() *Scratch {
	return &Scratch{Hidden: make([]float32, a.Hidden), Logits: make([]float32, a.Classes)}
}

// Forward computes the hidden ReLU activations and output logits of input
// (pix, val) under weights w into s. Sums run in a fixed order, so the
// result is bitwise reproducible on every platform.
func (a *Arch) Forward(w []float32, pix []int32, val []float32, s *Scratch) {
	h := s.Hidden[:a.Hidden]
	for k := range h {
		h[k] = 0
	}
	for n, j := range pix {
		v := val[n]
		lo, hi := a.Start[j], a.Start[j+1]
		tgt := a.Target[lo:hi]
		ww := w[lo:hi]
		ww = ww[:len(tgt)]
		for e, k := range tgt {
			h[k] += float32(v * ww[e])
		}
	}
	C := a.Classes
	z := s.Logits[:C]
	for c := range z {
		z[c] = 0
	}
	out := w[a.Edges():a.Links()]
	for k, x := range h {
		if x <= 0 {
			h[k] = 0
			continue
		}
		row := out[k*C : k*C+C]
		row = row[:len(z)]
		for c := range z {
			z[c] += float32(x * row[c])
		}
	}
}

// Float is the element type of logits: float32 in the NNE network,
// float64 in the lifetime rules of package learn. Softmax and the loss
// exist once, here, for both.
type Float interface{ ~float32 | ~float64 }

// Loss returns the cross-entropy −log softmax(z)[class] of logits z,
// computed stably as logsumexp(z) − z[class] with the portable Exp and Log.
func Loss[F Float](z []F, class int32) float64 {
	return lossFrom(z, class, maxOf(z))
}

// LossBelow returns Loss(z, class) if it is below bound, else bound. Since
// the loss is at least max(z) − z[class], a sample far from right is
// settled without any exponential.
func LossBelow[F Float](z []F, class int32, bound float64) float64 {
	m := maxOf(z)
	if float64(m-z[class]) >= bound {
		return bound
	}
	return min(lossFrom(z, class, m), bound)
}

func maxOf[F Float](z []F) F {
	m := z[0]
	for _, v := range z[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

func lossFrom[F Float](z []F, class int32, m F) float64 {
	sum := 0.0
	for _, v := range z {
		sum += Exp(float64(v - m))
	}
	return Log(sum) - float64(z[class]-m)
}

// Softmax writes the class probabilities of logits z into dst, which may
// be z itself when the logits are float64.
func Softmax[F Float](dst []float64, z []F) {
	m := maxOf(z)
	sum := 0.0
	dst = dst[:len(z)]
	for c, v := range z {
		dst[c] = Exp(float64(v - m))
		sum += dst[c]
	}
	for c := range dst {
		dst[c] /= sum
	}
}

// Argmax returns the index of the largest logit (the first on ties).
func Argmax(z []float32) int {
	best := 0
	for c, v := range z {
		if v > z[best] {
			best = c
		}
	}
	return best
}

// Accuracy returns the fraction of inputs in d that weights w classify
// correctly.
func (a *Arch) Accuracy(w []float32, d *Inputs, s *Scratch) float64 {
	if d.Len() == 0 {
		return 0
	}
	right := 0
	for i := range d.Len() {
		pix, val := d.Input(i)
		a.Forward(w, pix, val, s)
		if Argmax(s.Logits) == int(d.Class[i]) {
			right++
		}
	}
	return float64(right) / float64(d.Len())
}
