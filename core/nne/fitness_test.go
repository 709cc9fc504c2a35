package nne

import (
	"math"
	"strings"
	"testing"

	"nnesim/core/network"
)

// TestFitnessTerm checks the per-example term of each fitness variant on
// hand-made logits: the paper's max{0, α² − L²}, and outrank's extra
// λα²r/(C−1) for the r classes below the true one, which is what still
// rewards a genotype on an example far above α.
func TestFitnessTerm(t *testing.T) {
	const C = 4
	alpha := 2 * math.Log(C)
	a2 := alpha * alpha
	unit := OutrankShare * a2 / (C - 1)
	paper := func(z []float32, c int32) float64 {
		l := math.Min(network.Loss(z, c), alpha)
		return a2 - l*l
	}
	for _, tc := range []struct {
		name  string
		z     []float32
		class int32
		r     int // classes strictly below the true class
	}{
		{"sure and right", []float32{30, 0, 0, 0}, 0, 3},
		{"unsure", []float32{0.2, 0.1, 0, -0.1}, 1, 2},
		{"far wrong, last", []float32{40, 30, 20, 0}, 3, 0},
		{"far wrong, passed one", []float32{40, 30, 0, 20}, 3, 1},
		{"far wrong, passed two", []float32{40, 10, 0, 20}, 3, 2},
		{"ties count as not below", []float32{5, 5, 5, 5}, 2, 0},
	} {
		got := FitnessPaper.term(tc.z, tc.class, alpha, a2, unit)
		if want := paper(tc.z, tc.class); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: paper term %v, want %v", tc.name, got, want)
		}
		got = FitnessOutrank.term(tc.z, tc.class, alpha, a2, unit)
		if want := paper(tc.z, tc.class) + unit*float64(tc.r); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: outrank term %v, want %v (r = %d)", tc.name, got, want, tc.r)
		}
	}
	// Far above α the paper's term is 0 whatever the genotype does, while
	// outrank's grows each time the true class passes another.
	last, one, two := []float32{40, 30, 20, 0}, []float32{40, 30, 0, 20}, []float32{40, 10, 0, 20}
	if FitnessPaper.term(last, 3, alpha, a2, unit) != 0 || FitnessPaper.term(two, 3, alpha, a2, unit) != 0 {
		t.Error("the paper's term rewards an example whose loss is above α")
	}
	if !(FitnessOutrank.term(last, 3, alpha, a2, unit) < FitnessOutrank.term(one, 3, alpha, a2, unit) &&
		FitnessOutrank.term(one, 3, alpha, a2, unit) < FitnessOutrank.term(two, 3, alpha, a2, unit)) {
		t.Error("outrank does not reward the true class for passing other classes far above α")
	}
}

// TestParseFitness checks every name round-trips and a bad one is refused
// with the names to choose from.
func TestParseFitness(t *testing.T) {
	for _, name := range Fitnesses() {
		f, err := ParseFitness(name)
		if err != nil || f.String() != name {
			t.Errorf("ParseFitness(%q) = %v, %v", name, f, err)
		}
	}
	if len(FitnessTitles()) != len(Fitnesses()) {
		t.Errorf("%d titles for %d fitness variants", len(FitnessTitles()), len(Fitnesses()))
	}
	for _, bad := range []string{"", "Paper", "constructor", "__proto__"} {
		if _, err := ParseFitness(bad); err == nil || !strings.Contains(err.Error(), "paper, outrank") {
			t.Errorf("ParseFitness(%q): error %v, want one naming the choices", bad, err)
		}
	}
	if Fitnesses()[0] != "paper" || FitnessPaper != 0 {
		t.Error("the paper's fitness must be the first and the zero value")
	}
}
