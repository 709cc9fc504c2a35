package learn

import "gonum.org/v1/gonum/mat"

// The products of this package are written out rather than left to
// gonum's Dgemm: Dgemm uses assembly on amd64 and Go elsewhere, and sums
// in blocks whose shape depends on the sizes, so its last bits differ
// between amd64, arm64 and wasm. These loops sum every entry in one fixed
// order and convert each product before adding it, which forbids a fused
// multiply-add (see package network's mathf.go), so a seed gives the same
// weights on every platform.

// mul sets dst (r×c) to a (r×n) times b (n×c). Entry (i, j) is summed
// over k in increasing order; zero entries of a (silent hidden units,
// background pixels) are skipped.
func mul(dst, a, b *mat.Dense) {
	r, n := a.Dims()
	if br, _ := b.Dims(); br != n {
		panic("learn: mul: inner dimensions differ")
	}
	for i := range r {
		d := dst.RawRowView(i)
		clear(d)
		for k, v := range a.RawRowView(i) {
			if v == 0 {
				continue
			}
			axpy(d, v, b.RawRowView(k))
		}
	}
}

// mulTransA sets dst (n×c) to aᵀ times b, for a (r×n) and b (r×c).
// Entry (k, j) is summed over i in increasing order; zero entries of a are
// skipped.
func mulTransA(dst, a, b *mat.Dense) {
	r, _ := a.Dims()
	if br, _ := b.Dims(); br != r {
		panic("learn: mulTransA: outer dimensions differ")
	}
	dst.Zero()
	for i := range r {
		row := b.RawRowView(i)
		for k, v := range a.RawRowView(i) {
			if v == 0 {
				continue
			}
			axpy(dst.RawRowView(k), v, row)
		}
	}
}

// addScaled adds s·d to w, entry by entry.
func addScaled(w *mat.Dense, s float64, d *mat.Dense) {
	r, _ := w.Dims()
	for i := range r {
		axpy(w.RawRowView(i), s, d.RawRowView(i))
	}
}

// axpy adds a·x to y, entry by entry; the product is rounded before the
// sum, so it never fuses. y and x have the same length.
func axpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for j, v := range x {
		y[j] += float64(a * v)
	}
}
