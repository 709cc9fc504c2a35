package network

import (
	"math"
	"slices"
	"testing"

	"nnesim/core/rng"
)

func TestExpLog(t *testing.T) {
	for _, x := range []float64{-700, -300, -20, -1, -0.5, -1e-9, 0, 1e-9, 0.3, 0.5, 1, 2.5, 10, 88, 300, 700} {
		want := math.Exp(x)
		if got := Exp(x); math.Abs(got-want) > 4e-16*want {
			t.Errorf("Exp(%v) = %v, want %v", x, got, want)
		}
	}
	if Exp(-800) != 0 || !math.IsInf(Exp(800), 1) || !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp edge cases")
	}
	// Subnormals against ln(10⁻ᵏ) = −k·ln 10 (math.Log's amd64 assembly
	// gets them wrong: it returns −708.72 for 1e-308).
	for _, k := range []float64{308, 310} {
		x, want := math.Pow(10, -k), -k*math.Ln10
		if got := Log(x); math.Abs(got-want) > 1e-12*-want {
			t.Errorf("Log(1e-%v) = %v, want %v", k, got, want)
		}
	}
	for _, x := range []float64{1e-300, 1e-5, 0.1, 0.5, 0.7071, 1, 1.0000001, 1.5, 2, math.E, 10, 1e10, 1e300} {
		want := math.Log(x)
		if got := Log(x); math.Abs(got-want) > 4e-16*math.Max(1, math.Abs(want)) {
			t.Errorf("Log(%v) = %v, want %v", x, got, want)
		}
	}
	if Log(1) != 0 || !math.IsInf(Log(0), -1) || !math.IsNaN(Log(-1)) {
		t.Error("Log edge cases")
	}
}

func TestLoss(t *testing.T) {
	// Logits (0, ln 3): softmax = (1/4, 3/4).
	z := []float32{0, float32(math.Log(3))}
	for _, tc := range []struct {
		class int32
		want  float64
	}{{0, math.Log(4)}, {1, math.Log(4.0 / 3)}} {
		if got := Loss(z, tc.class); math.Abs(got-tc.want) > 1e-7 {
			t.Errorf("Loss(class %d) = %v, want %v", tc.class, got, tc.want)
		}
	}
	p := make([]float64, 2)
	Softmax(p, z)
	if math.Abs(p[0]-0.25) > 1e-7 || math.Abs(p[1]-0.75) > 1e-7 {
		t.Errorf("Softmax = %v, want [0.25 0.75]", p)
	}
	// LossBelow: far-off samples are capped without exponentials.
	far := []float32{50, 0, 0}
	if got := LossBelow(far, 1, 1.1); got != 1.1 {
		t.Errorf("LossBelow(far) = %v, want the bound 1.1", got)
	}
	if got, want := LossBelow(z, 1, 5), Loss(z, 1); got != want {
		t.Errorf("LossBelow(near) = %v, want Loss = %v", got, want)
	}
}

// TestForward checks a hand-computed 2-input, 2-hidden, 2-class network.
func TestForward(t *testing.T) {
	a := &Arch{In: 2, Hidden: 2, Classes: 2,
		Start:  []int32{0, 2, 3}, // input 0 → hidden 0, 1; input 1 → hidden 1
		Target: []int32{0, 1, 1},
		FanIn:  []int32{1, 2},
	}
	// Edge weights 1, −2, 3; output rows h0: (1, 2), h1: (−1, 4).
	w := []float32{1, -2, 3, 1, 2, -1, 4}
	s := a.NewScratch()
	// Input (0.5, 1): h0 = 0.5, h1 = −1 + 3 = 2; z = 0.5·(1,2) + 2·(−1,4).
	a.Forward(w, []int32{0, 1}, []float32{0.5, 1}, s)
	if !slices.Equal(s.Hidden, []float32{0.5, 2}) || !slices.Equal(s.Logits, []float32{-1.5, 9}) {
		t.Errorf("hidden %v logits %v, want [0.5 2] [-1.5 9]", s.Hidden, s.Logits)
	}
	// Input (1, 0): h1 = −2 is cut by the ReLU.
	a.Forward(w, []int32{0}, []float32{1}, s)
	if !slices.Equal(s.Hidden, []float32{1, 0}) || !slices.Equal(s.Logits, []float32{1, 2}) {
		t.Errorf("hidden %v logits %v, want [1 0] [1 2]", s.Hidden, s.Logits)
	}
}

// TestForwardLanesMatchesForward checks that each lane of ForwardLanes
// gives bitwise the logits of Forward.
func TestForwardLanesMatchesForward(t *testing.T) {
	a, err := NewArch(64, 30, 5, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(7)
	ws := make([][]float32, Lanes)
	wl := make([][Lanes]float32, a.Links())
	for g := range ws {
		ws[g] = make([]float32, a.Links())
		for l := range ws[g] {
			ws[g][l] = 2*r.Float32() - 1
			wl[l][g] = ws[g][l]
		}
	}
	var pix []int32
	var val []float32
	for j := 0; j < 64; j += 3 {
		pix, val = append(pix, int32(j)), append(val, r.Float32())
	}
	// Some weights are −0 and some inputs make a unit exactly 0, so relu's
	// sign handling is exercised.
	wl[0][1], ws[1][0] = float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1))
	s := a.NewScratch()
	z := make([]float32, a.Classes)
	for _, k := range []struct {
		name string
		run  func(*LaneScratch)
	}{
		{"ForwardLanes (" + Kernel() + ")", func(sl *LaneScratch) { a.ForwardLanes(wl, pix, val, sl) }},
		{"portable", func(sl *LaneScratch) { a.forwardLanesGo(wl, pix, val, sl) }},
	} {
		sl := a.NewLaneScratch()
		k.run(sl)
		for g := range ws {
			a.Forward(ws[g], pix, val, s)
			got := sl.LaneLogits(z, g)
			for c := range got {
				if math.Float32bits(got[c]) != math.Float32bits(s.Logits[c]) {
					t.Fatalf("%s: lane %d logits %v, Forward %v", k.name, g, got, s.Logits)
				}
			}
			for u := range a.Hidden {
				if x := sl.Hidden[u][g]; math.Float32bits(x) != math.Float32bits(s.Hidden[u]) {
					t.Fatalf("%s: lane %d hidden unit %d is %v (bits %x), Forward %v", k.name, g, u, x, math.Float32bits(x), s.Hidden[u])
				}
			}
		}
	}
}

// TestForwardBatchLanes checks that ForwardBatchLanes gives each image of
// a batch Forward's logits, bit for bit, across blocks of images, for a
// repeated image and for an image with no nonzero pixel, in full groups
// and in groups of fewer lanes; and that the narrow portable kernel
// (which a vector build never picks) does the same for its lanes and
// leaves the others' logits 0.
func TestForwardBatchLanes(t *testing.T) {
	a, err := NewArch(50, 24, 4, 0.3, 2)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(9)
	ws := make([][]float32, Lanes)
	wl := make([][Lanes]float32, a.Links())
	for g := range ws {
		ws[g] = make([]float32, a.Links())
		for l := range ws[g] {
			ws[g][l] = 2*r.Float32() - 1
			wl[l][g] = ws[g][l]
		}
	}
	const images = 21
	dense := make([]float32, 50*images)
	for i := range images - 1 { // the last image stays blank
		for j := range 50 {
			if r.Float32() < 0.4 {
				dense[i*50+j] = r.Float32()
			}
		}
	}
	d, err := NewInputs(50, dense, make([]int32, images))
	if err != nil {
		t.Fatal(err)
	}
	// Many blocks of the vector kernel, with repeats and the blank image.
	batch := []int32{3, 0, 20, 7, 7, 12, 19, 1, 2, 4, 5, 6, 8, 9, 10, 11, 13, 20, 14}
	for len(batch) < 150 {
		batch = append(batch, int32(r.Uint32()%images))
	}
	s := a.NewScratch()
	z := make([]float32, a.Classes)
	for _, k := range []struct {
		name  string
		lanes int // lanes to check
		zero  bool
		run   func(sl *LaneScratch, logits func(int))
	}{
		{Kernel(), Lanes, false, func(sl *LaneScratch, f func(int)) { a.ForwardBatchLanes(wl, Lanes, d, batch, sl, f) }},
		{Kernel() + ", 3 lanes", 3, false, func(sl *LaneScratch, f func(int)) { a.ForwardBatchLanes(wl, 3, d, batch, sl, f) }},
		{Kernel() + ", 9 lanes", 9, false, func(sl *LaneScratch, f func(int)) { a.ForwardBatchLanes(wl, 9, d, batch, sl, f) }},
		{"narrow", Narrow, true, func(sl *LaneScratch, f func(int)) {
			for n, i := range batch {
				pix, val := d.Input(int(i))
				a.forwardNarrowGo(wl, pix, val, sl)
				f(n)
			}
		}},
	} {
		sl := a.NewLaneScratch()
		for c := range sl.Logits { // stale values the narrow kernel must clear
			sl.Logits[c] = [Lanes]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
		}
		seen := 0
		k.run(sl, func(n int) {
			if n != seen {
				t.Fatalf("%s: logits(%d) after %d images", k.name, n, seen)
			}
			seen++
			pix, val := d.Input(int(batch[n]))
			for g := range k.lanes {
				a.Forward(ws[g], pix, val, s)
				got := sl.LaneLogits(z, g)
				for c := range got {
					if math.Float32bits(got[c]) != math.Float32bits(s.Logits[c]) {
						t.Fatalf("%s: image %d (batch %d), lane %d: logits %v, Forward %v", k.name, batch[n], n, g, got, s.Logits)
					}
				}
			}
			for g := k.lanes; k.zero && g < Lanes; g++ {
				if got := sl.LaneLogits(z, g); slices.ContainsFunc(got, func(x float32) bool { return math.Float32bits(x) != 0 }) {
					t.Fatalf("%s: lane %d beyond the narrow ones has logits %v, want +0", k.name, g, got)
				}
			}
		})
		if seen != len(batch) {
			t.Fatalf("%s: logits called for %d of %d images", k.name, seen, len(batch))
		}
	}
}

// TestGroupSize checks that GroupSize covers any slice exactly, in full
// groups while Lanes are left, and that only a remainder of at most
// 2·Narrow is scored in narrow groups (none under the vector kernel).
func TestGroupSize(t *testing.T) {
	for n := 1; n <= 3*Lanes+2*Narrow; n++ {
		var sizes []int
		for k := 0; k < n; {
			g := GroupSize(n - k)
			if g < 1 || g > n-k {
				t.Fatalf("GroupSize(%d) = %d", n-k, g)
			}
			sizes = append(sizes, g)
			k += g
		}
		for i, g := range sizes {
			rest := 0
			for _, h := range sizes[i:] {
				rest += h
			}
			switch {
			case rest >= Lanes && g != Lanes:
				t.Fatalf("n = %d: groups %v: %d left in a group of %d", n, sizes, rest, g)
			case NarrowGroup(g) && (vectorKernel || rest > 2*Narrow):
				t.Fatalf("n = %d: groups %v: a narrow group with %d left (kernel %s)", n, sizes, rest, Kernel())
			}
		}
	}
}

func TestNewArch(t *testing.T) {
	a, err := NewArch(784, 100, 10, 0.1, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Edges ~ Binomial(78400, 0.1): mean 7840, standard deviation 84.
	if e := a.Edges(); math.Abs(float64(e)-7840) > 5*84 {
		t.Errorf("%d edges, want 7840 ± 420", e)
	}
	if a.Links() != a.Edges()+1000 {
		t.Errorf("Links %d, want edges + 1000", a.Links())
	}
	b, _ := NewArch(784, 100, 10, 0.1, 3)
	if !slices.Equal(a.Target, b.Target) {
		t.Error("same seed gave different graphs")
	}
	for _, bad := range []struct {
		in, h, c int
		q        float64
	}{{0, 1, 2, 0.1}, {1, 0, 2, 0.1}, {1, 1, 1, 0.1}, {1, 1, 2, 0}, {1, 1, 2, 1.5}, {784, 1 << 30, 10, 0.1}} {
		if _, err := NewArch(bad.in, bad.h, bad.c, bad.q, 1); err == nil {
			t.Errorf("NewArch%v accepted", bad)
		}
	}
}

func TestAccuracy(t *testing.T) {
	a := &Arch{In: 1, Hidden: 1, Classes: 2, Start: []int32{0, 1}, Target: []int32{0}, FanIn: []int32{1}}
	w := []float32{1, -1, 1} // class 1 wins for any positive input
	d, err := NewInputs(1, []float32{1, 0.5, 2}, []int32{1, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Accuracy(w, d, a.NewScratch()); math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("accuracy %v, want 2/3", got)
	}
}
