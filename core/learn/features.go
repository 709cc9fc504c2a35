package learn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Features are the hidden activations of a fixed first layer for a set of
// examples: row i of H is example i's hidden layer, Class[i] its class.
type Features struct {
	H       *mat.Dense
	Class   []int32
	Classes int
}

// Len returns the number of examples.
func (f *Features) Len() int { return len(f.Class) }

// SparseFeatures returns the ReLU hidden activations of the sparse network
// arch with weights w (only the input→hidden part is used), as
// network.Forward computes them, for every example of d.
func SparseFeatures(arch *network.Arch, w []float32, d *network.Inputs) (*Features, error) {
	if len(w) != arch.Links() {
		return nil, fmt.Errorf("learn: %d weights for a network of %d links", len(w), arch.Links())
	}
	if d.Len() == 0 {
		return nil, fmt.Errorf("learn: no examples")
	}
	f := &Features{H: mat.NewDense(d.Len(), arch.Hidden, nil), Class: append([]int32(nil), d.Class...), Classes: arch.Classes}
	s := arch.NewScratch()
	for i := range d.Len() {
		pix, val := d.Input(i)
		arch.Forward(w, pix, val, s)
		row := f.H.RawRowView(i)
		for k, v := range s.Hidden {
			row[k] = float64(v)
		}
	}
	return f, nil
}

// Kaiming returns a dense in×hidden first layer drawn from He's uniform
// initialisation, U(−b, b) with b = √(6/in), seeded by seed (Section 3.2:
// "initialised by Kaiming Uniform").
func Kaiming(in, hidden int, seed uint64) (*mat.Dense, error) {
	if in < 1 || hidden < 1 || float64(in)*float64(hidden) > network.MaxLinks {
		return nil, fmt.Errorf("learn: a %d×%d dense layer, want 1 to %d weights", in, hidden, network.MaxLinks)
	}
	return uniform(in, hidden, math.Sqrt(6/float64(in)), rng.New(rng.DomainRule, seed, 1)), nil
}

// uniform returns an r×c matrix of U(−b, b) draws from s.
func uniform(r, c int, b float64, s rng.Stream) *mat.Dense {
	data := make([]float64, r*c)
	for i := range data {
		data[i] = b * (float64(2*s.Float64()) - 1)
	}
	return mat.NewDense(r, c, data)
}

// DenseFeatures returns ReLU(X·W) for the dense first layer W (in×hidden)
// and the examples' pixels x (n×in, row-major) with their classes.
func DenseFeatures(w *mat.Dense, x []float32, class []int32, classes int) (*Features, error) {
	in, hidden := w.Dims()
	n := len(class)
	if n == 0 || len(x) != n*in {
		return nil, fmt.Errorf("learn: %d pixel values for %d examples of %d inputs", len(x), n, in)
	}
	// One example at a time, so that the pixels are never all held in
	// float64 (63 MB for the test set): mul sums each row on its own, so
	// the rows are the same as from one product of all of them.
	h := mat.NewDense(n, hidden, nil)
	xd := make([]float64, in)
	for i := range n {
		for j, v := range x[i*in : (i+1)*in] {
			xd[j] = float64(v)
		}
		row := h.RawRowView(i)
		mul(mat.NewDense(1, hidden, row), mat.NewDense(1, in, xd), w)
		for k, v := range row {
			row[k] = max(0, v)
		}
	}
	return &Features{H: h, Class: append([]int32(nil), class...), Classes: classes}, nil
}
