package rng

import (
	"math"
	"testing"
)

func TestKeyedStreams(t *testing.T) {
	a, b, c := New(1, 2, 3), New(1, 2, 3), New(1, 2, 4)
	for range 10 {
		x, y, z := a.Uint64(), b.Uint64(), c.Uint64()
		if x != y {
			t.Fatal("equal keys gave different streams")
		}
		if x == z {
			t.Fatal("different keys gave the same number")
		}
	}
	// Key order matters: (1, 2) and (2, 1) are different streams.
	p, q := New(1, 2), New(2, 1)
	if p.Uint64() == q.Uint64() {
		t.Error("keys (1,2) and (2,1) collide")
	}
}

// TestUniform checks Intn, Float64 and Float32 against their expected
// histograms with a chi-squared bound (df = 9, p ≈ 1e-4 at 33.7).
func TestUniform(t *testing.T) {
	const n, bins = 100000, 10
	r := New(42)
	draws := map[string]func() int{
		"Intn":    func() int { return r.Intn(bins) },
		"Float64": func() int { return int(r.Float64() * bins) },
		"Float32": func() int { return int(r.Float32() * bins) },
	}
	for name, draw := range draws {
		var h [bins]float64
		for range n {
			k := draw()
			if k < 0 || k >= bins {
				t.Fatalf("%s drew bin %d", name, k)
			}
			h[k]++
		}
		chi := 0.0
		for _, c := range h {
			chi += (c - n/bins) * (c - n/bins) / (n / bins)
		}
		if chi > 33.7 {
			t.Errorf("%s: χ² = %.1f over %d bins, want < 33.7", name, chi, bins)
		}
	}
	// Intn(3) with a bound that does not divide 2⁶⁴ stays unbiased.
	var h [3]int
	for range 30000 {
		h[r.Intn(3)]++
	}
	for _, c := range h {
		if math.Abs(float64(c)-10000) > 400 {
			t.Errorf("Intn(3) histogram %v", h)
		}
	}
}
