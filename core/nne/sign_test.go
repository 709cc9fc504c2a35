package nne

import "testing"

// TestSignGenome checks Theorem 2's W: every nonzero entry is ±√(1/β),
// both signs occur, and the density is about β.
func TestSignGenome(t *testing.T) {
	const m, n, beta = 50, 400, 0.1
	g, err := NewSignGenome(m, n, beta, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := float32(3.1622777) // √10
	neg := 0
	for _, v := range g.Val {
		if v != want && v != -want {
			t.Fatalf("entry %g, want ±%g", v, want)
		}
		if v < 0 {
			neg++
		}
	}
	if d := float64(len(g.Val)) / (m * n); d < 0.09 || d > 0.11 {
		t.Errorf("density %.3f, want about %g", d, beta)
	}
	if f := float64(neg) / float64(len(g.Val)); f < 0.45 || f > 0.55 {
		t.Errorf("share of negative entries %.3f, want about ½", f)
	}
}
