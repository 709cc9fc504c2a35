package learn

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/rng"
)

// sparseDense returns an r×c matrix of U(0, 1) draws, about half of them
// zero (as ReLU features are), from stream s.
func sparseDense(r, c int, s rng.Stream) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			if v := 2*s.Float64() - 1; v > 0 {
				m.Set(i, j, v)
			}
		}
	}
	return m
}

// TestProductsOrder checks mul and mulTransA, which group four rows of a,
// against their definitions entry by entry: each entry summed in
// increasing order, each product rounded before its sum. The shapes
// cover every remainder of rows modulo 4, one class and Table 2's ten,
// a view into a wider matrix (a minibatch of the trainer's buffer) and
// rows of zeros.
func TestProductsOrder(t *testing.T) {
	for _, tc := range []struct{ r, n, c int }{
		{1, 7, 3}, {2, 5, 1}, {3, 9, 10}, {4, 16, 10}, {5, 33, 10}, {7, 64, 5}, {50, 300, 10}, {13, 40, 17},
	} {
		t.Run(fmt.Sprintf("%dx%dx%d", tc.r, tc.n, tc.c), func(t *testing.T) {
			s := rng.New(rng.DomainRule, uint64(tc.r*1000+tc.n), 7)
			// a is the top-left r×n of a wider, taller buffer, as the
			// trainer's minibatch is.
			a := sparseDense(tc.r+2, tc.n+3, s).Slice(0, tc.r, 0, tc.n).(*mat.Dense)
			if tc.r > 2 {
				zero := make([]float64, tc.n)
				a.SetRow(1, zero) // a silent example
			}
			b := sparseDense(tc.n, tc.c, s)
			b.Apply(func(_, _ int, v float64) float64 { return v - 0.25 }, b) // negative entries too

			got := mat.NewDense(tc.r, tc.c, nil)
			mul(got, a, b)
			for i := range tc.r {
				for j := range tc.c {
					var want float64
					for k := range tc.n {
						want += float64(a.At(i, k) * b.At(k, j))
					}
					if g := got.At(i, j); math.Float64bits(g) != math.Float64bits(want) {
						t.Fatalf("mul (%d, %d) = %v (bits %x), definition %v (bits %x)", i, j, g, math.Float64bits(g), want, math.Float64bits(want))
					}
				}
			}

			d := sparseDense(tc.r, tc.c, s)
			gt := mat.NewDense(tc.n, tc.c, nil)
			gt.Set(0, 0, 42) // overwritten, not added to
			mulTransA(gt, a, d)
			for k := range tc.n {
				for j := range tc.c {
					var want float64
					for i := range tc.r {
						want += float64(a.At(i, k) * d.At(i, j))
					}
					if g := gt.At(k, j); math.Float64bits(g) != math.Float64bits(want) {
						t.Fatalf("mulTransA (%d, %d) = %v, definition %v", k, j, g, want)
					}
				}
			}
		})
	}
}
