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
// over k in increasing order.
//
// Four rows of a go together, so that each row of b is read once for
// four rows of sums (a readout at Table 2's h = 100,000 is 8 MB, read
// 50 times a minibatch otherwise). A zero a(i, k) adds ±0 to its sums,
// which leaves them unchanged (they start at +0 and so are never −0), so
// skipping zeros or not gives the same bits; a group skips a k only when
// all four are zero (a data-dependent branch per entry costs more than
// the products it saves). b's entries are taken to be finite.
func mul(dst, a, b *mat.Dense) {
	r, n := a.Dims()
	br, c := b.Dims()
	if br != n {
		panic("learn: mul: inner dimensions differ")
	}
	bm := b.RawMatrix()
	i := 0
	for ; i+4 <= r; i += 4 {
		a0, a1, a2, a3 := a.RawRowView(i), a.RawRowView(i+1), a.RawRowView(i+2), a.RawRowView(i+3)
		a1, a2, a3 = a1[:len(a0)], a2[:len(a0)], a3[:len(a0)]
		d0, d1, d2, d3 := dst.RawRowView(i), dst.RawRowView(i+1), dst.RawRowView(i+2), dst.RawRowView(i+3)
		d0, d1, d2, d3 = d0[:c], d1[:c], d2[:c], d3[:c]
		clear(d0)
		clear(d1)
		clear(d2)
		clear(d3)
		for k, v0 := range a0 {
			v1, v2, v3 := a1[k], a2[k], a3[k]
			if v0 == 0 && v1 == 0 && v2 == 0 && v3 == 0 {
				continue
			}
			bk := bm.Data[k*bm.Stride : k*bm.Stride+c]
			for j, x := range bk {
				d0[j] += float64(v0 * x)
				d1[j] += float64(v1 * x)
				d2[j] += float64(v2 * x)
				d3[j] += float64(v3 * x)
			}
		}
	}
	for ; i < r; i++ {
		d := dst.RawRowView(i)[:c]
		clear(d)
		for k, v := range a.RawRowView(i) {
			if v != 0 {
				axpy(d, v, bm.Data[k*bm.Stride:k*bm.Stride+c])
			}
		}
	}
}

// mulTransA sets dst (n×c) to aᵀ times b, for a (r×n) and b (r×c).
// Entry (k, j) is summed over i in increasing order.
//
// Four rows of a go together, in order, so that each row of dst is read
// and written once for four terms of its sums rather than once for each;
// zeros of a are handled as in mul.
func mulTransA(dst, a, b *mat.Dense) {
	r, _ := a.Dims()
	if br, _ := b.Dims(); br != r {
		panic("learn: mulTransA: outer dimensions differ")
	}
	dst.Zero()
	dm := dst.RawMatrix()
	c := dm.Cols
	i := 0
	for ; i+4 <= r; i += 4 {
		a0, a1, a2, a3 := a.RawRowView(i), a.RawRowView(i+1), a.RawRowView(i+2), a.RawRowView(i+3)
		a1, a2, a3 = a1[:len(a0)], a2[:len(a0)], a3[:len(a0)]
		b0, b1, b2, b3 := b.RawRowView(i), b.RawRowView(i+1), b.RawRowView(i+2), b.RawRowView(i+3)
		b0, b1, b2, b3 = b0[:c], b1[:c], b2[:c], b3[:c]
		for k, v0 := range a0 {
			v1, v2, v3 := a1[k], a2[k], a3[k]
			if v0 == 0 && v1 == 0 && v2 == 0 && v3 == 0 {
				continue
			}
			gk := dm.Data[k*dm.Stride : k*dm.Stride+c]
			for j, s := range gk {
				s += float64(v0 * b0[j])
				s += float64(v1 * b1[j])
				s += float64(v2 * b2[j])
				s += float64(v3 * b3[j])
				gk[j] = s
			}
		}
	}
	for ; i < r; i++ {
		row := b.RawRowView(i)[:c]
		for k, v := range a.RawRowView(i) {
			if v != 0 {
				axpy(dm.Data[k*dm.Stride:k*dm.Stride+c], v, row)
			}
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
