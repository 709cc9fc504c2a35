package nne

import (
	"fmt"
	"strings"

	"nnesim/core/network"
)

// Fitness selects how a Classifier turns one genotype's answers on a
// minibatch into its fitness δ_x. Every variant is one scalar per genotype,
// an average over the minibatch of a per-example term, and moves p only
// through eq. 3 with f and f̄ (Update); they differ in the term.
type Fitness int

const (
	// FitnessPaper is the paper's fitness (Section 3.1), the faithful one:
	//
	//	δ_x = (1/B) Σ_s max{0, α² − L(NNE_x(s), ℓ(s))²}.
	//
	// An example whose loss is above α adds nothing, so once every example
	// of a class is there, no genotype is rewarded for raising that class
	// and it can die for good (docs/TUNING.md, "Seeds that lose a class").
	FitnessPaper Fitness = iota
	// FitnessOutrank is ours: the paper's term plus a share λ
	// (OutrankShare) of α² for the classes the true class outranks,
	//
	//	δ_x = (1/B) Σ_s [ max{0, α² − L²} + λ α² r_x(s)/(C−1) ],
	//
	// where r_x(s) counts the classes whose logit is below the true
	// class's. The rank term does not depend on how far the logits are
	// apart, so an example far above α still rewards a genotype that lifts
	// its class past one other, and no class is left without a signal.
	FitnessOutrank
)

// OutrankShare is λ of FitnessOutrank: an example ranked first earns λα²
// on top of the paper's term, whose largest value is α². Shares of 0.2 and
// 0.5 gave the same accuracy on ten digits (docs/TUNING.md).
const OutrankShare = 0.2

// fitnesses names each variant, in the order of the constants, and says
// what it is for people (the page's menu).
var fitnesses = [...]struct{ name, title string }{
	FitnessPaper:   {"paper", "paper (Section 3.1)"},
	FitnessOutrank: {"outrank", "outrank (ours, keeps every class)"},
}

// Fitnesses returns the names of the fitness variants, the paper's first.
func Fitnesses() []string {
	names := make([]string, len(fitnesses))
	for i, f := range fitnesses {
		names[i] = f.name
	}
	return names
}

// FitnessTitles returns what each of Fitnesses is, for people.
func FitnessTitles() []string {
	titles := make([]string, len(fitnesses))
	for i, f := range fitnesses {
		titles[i] = f.title
	}
	return titles
}

// valid reports whether f is one of the variants.
func (f Fitness) valid() bool { return f >= 0 && int(f) < len(fitnesses) }

// String returns the variant's name.
func (f Fitness) String() string {
	if !f.valid() {
		return fmt.Sprintf("Fitness(%d)", int(f))
	}
	return fitnesses[f].name
}

// ParseFitness parses one of Fitnesses.
func ParseFitness(s string) (Fitness, error) {
	for f, v := range fitnesses {
		if s == v.name {
			return Fitness(f), nil
		}
	}
	return 0, fmt.Errorf("fitness %q, want one of %s", s, strings.Join(Fitnesses(), ", "))
}

// maxTerm returns the largest per-example term of f with floor α.
func (f Fitness) maxTerm(alpha float64) float64 {
	if f == FitnessOutrank {
		return float64(alpha*alpha) * (1 + OutrankShare)
	}
	return alpha * alpha
}

// term returns the fitness term of one example with logits z and true
// class c (the summand of δ_x above), for α = alpha, a2 = α² and
// unit = λα²/(C−1).
func (f Fitness) term(z []float32, c int32, alpha, a2, unit float64) float64 {
	// Losses at or above α add nothing to the paper's term.
	l := network.LossBelow(z, c, alpha)
	v := a2 - float64(l*l)
	if f == FitnessOutrank {
		r := 0
		for _, u := range z {
			r += b2i(u < z[c])
		}
		v += float64(unit * float64(r))
	}
	return v
}
