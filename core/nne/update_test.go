package nne

import (
	"fmt"
	"math"
	"testing"

	"nnesim/core/network"
)

// sumsFor builds one-gene Sums whose rewards are exactly f and fbar: two
// genotypes, one carrying the allele (fitness f) and one not (fitness fbar).
func sumsFor(f, fbar float64) *Sums {
	s := NewSums(1)
	s.Add(Quantize(f), []int32{0})
	s.Add(Quantize(fbar), nil)
	return s
}

func TestRewards(t *testing.T) {
	s := NewSums(3)
	// Genotypes (x, δ): (110, 2), (100, 1), (010, 0.5), (000, 0.25).
	s.Add(Quantize(2), []int32{0, 1})
	s.Add(Quantize(1), []int32{0})
	s.Add(Quantize(0.5), []int32{1})
	s.Add(Quantize(0.25), nil)
	for _, tc := range []struct {
		gene    int
		f, fbar float64
	}{
		{0, (2 + 1) / 2.0, (0.5 + 0.25) / 2},
		{1, (2 + 0.5) / 2.0, (1 + 0.25) / 2},
		{2, 3.75 / 4, 3.75 / 4}, // no genotype carries it: both are the mean
	} {
		f, fbar := s.Rewards(tc.gene)
		if f != tc.f || fbar != tc.fbar {
			t.Errorf("gene %d: f, f̄ = %v, %v; want %v, %v", tc.gene, f, fbar, tc.f, tc.fbar)
		}
	}
}

func TestUpdateEq3(t *testing.T) {
	for _, tc := range []struct {
		name    string
		p       float32
		f, fbar float64
		eps     float64
		check   func(before, after float32) bool
	}{
		{"0 is a fixed point", 0, 5, 0, 10, func(b, a float32) bool { return a == 0 }},
		{"1 is a fixed point", 1, 0, 5, 10, func(b, a float32) bool { return a == 1 }},
		{"equal rewards leave p", 0.3, 2, 2, 10, func(b, a float32) bool { return a == b }},
		{"equal zero rewards leave p", 0.7, 0, 0, 10, func(b, a float32) bool { return a == b }},
		{"larger f moves p up", 0.3, 2, 1, 0.1, func(b, a float32) bool { return a > b }},
		{"smaller f moves p down", 0.3, 1, 2, 0.1, func(b, a float32) bool { return a < b }},
		{"huge ε stays below 1", 0.5, 4000, 0, 1e9, func(b, a float32) bool { return a <= 1 && a > 0.99 }},
		{"huge ε stays above 0", 0.5, 0, 4000, 1e9, func(b, a float32) bool { return a >= 0 && a < 0.01 }},
	} {
		p := []float32{tc.p}
		if err := Update(p, sumsFor(tc.f, tc.fbar), tc.eps); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !tc.check(tc.p, p[0]) || p[0] < 0 || p[0] > 1 {
			t.Errorf("%s: p %v → %v", tc.name, tc.p, p[0])
		}
	}
	// Eq. 3 by hand: p = 0.25, f = 2, f̄ = 1, ε = 0.5:
	// 0.25·2 / (1 + 0.5 + 0.5·0.25·1) = 0.5/1.625.
	p := []float32{0.25}
	if err := Update(p, sumsFor(2, 1), 0.5); err != nil {
		t.Fatal(err)
	}
	if want := float32(0.5 / 1.625); p[0] != want {
		t.Errorf("p = %v, want %v", p[0], want)
	}
}

func TestUpdateRefusesNonPositiveFactor(t *testing.T) {
	p := []float32{0.5}
	err := Update(p, sumsFor(-1, 0), 2) // 1 + 2·(−1) < 0
	if err == nil || p[0] != 0.5 {
		t.Errorf("err %v, p %v; want an error and p unchanged", err, p[0])
	}
}

func TestUpdateRandomStaysInUnitInterval(t *testing.T) {
	const n = 1000
	p := make([]float32, n)
	s := NewSums(n)
	for g := 0; g < 50; g++ {
		var ones []int32
		for i := 0; i < n; i++ {
			if (i*7+g*13)%3 == 0 {
				ones = append(ones, int32(i))
			}
		}
		s.Add(Quantize(float64(g%7)*0.9), ones)
	}
	for i := range p {
		p[i] = float32(i) / (n - 1)
	}
	for step := 0; step < 200; step++ {
		if err := Update(p, s, 50); err != nil {
			t.Fatal(err)
		}
	}
	for i, v := range p {
		if v < 0 || v > 1 || math.IsNaN(float64(v)) {
			t.Fatalf("p[%d] = %v after 200 updates", i, v)
		}
	}
}

func TestQuantize(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want int64
	}{
		{0, 0}, {1, FitnessUnit}, {-1, -FitnessUnit}, {0.5 / FitnessUnit, 1}, {-0.5 / FitnessUnit, -1},
		{1e9, MaxFitness * FitnessUnit}, {-1e9, -MaxFitness * FitnessUnit},
	} {
		if got := Quantize(tc.in); got != tc.want {
			t.Errorf("Quantize(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		n, k, lanes int
		want        string
	}{
		{100, 1, 16, "[[0 100]]"},
		{100, 2, 16, "[[0 48] [48 100]]"},
		{100, 2, 8, "[[0 48] [48 100]]"},
		{100, 3, 8, "[[0 32] [32 64] [64 100]]"},
		{1000, 2, 16, "[[0 496] [496 1000]]"},
		{1000, 2, 8, "[[0 504] [504 1000]]"},
		{1000, 3, 16, "[[0 336] [336 672] [672 1000]]"},
		{20, 4, 16, "[[0 0] [0 16] [16 16] [16 20]]"},
		{20, 4, 8, "[[0 8] [8 8] [8 16] [16 20]]"},
		{5, 3, 16, "[[0 0] [0 0] [0 5]]"},
	} {
		got := split(tc.n, tc.k, tc.lanes)
		if fmt.Sprint(got) != tc.want {
			t.Errorf("split(%d, %d, %d) = %v, want %s", tc.n, tc.k, tc.lanes, got, tc.want)
		}
		covered := 0
		for i, s := range got {
			if s[0] != covered || s[1] < s[0] {
				t.Errorf("split(%d, %d, %d): slice %d is %v after %d", tc.n, tc.k, tc.lanes, i, s, covered)
			}
			if i < len(got)-1 && s[0]%tc.lanes != 0 {
				t.Errorf("split(%d, %d, %d): slice %d starts at %d, not a multiple of the lanes", tc.n, tc.k, tc.lanes, i, s[0])
			}
			covered = s[1]
		}
		if covered != tc.n {
			t.Errorf("split(%d, %d, %d) covers %d genotypes", tc.n, tc.k, tc.lanes, covered)
		}
	}
	if got, want := fmt.Sprint(Split(100, 2)), fmt.Sprint(split(100, 2, network.Lanes)); got != want {
		t.Errorf("Split(100, 2) = %s, want split with network.Lanes = %s", got, want)
	}
}
