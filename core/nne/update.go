package nne

import "fmt"

// FitnessUnit is the resolution at which fitness values are summed: δ is
// rounded to a multiple of 2⁻²⁴ and summed as an integer. Integer sums do
// not depend on the order of addition, so merging the partial sums of any
// number of goroutines or browser workers gives bitwise identical results.
const FitnessUnit = 1 << 24

// MaxFitness bounds |δ| so that a population's integer fitness sums stay
// exact in a float64 (2⁵³) when sent to a browser as a Float64Array.
const MaxFitness = 1 << 12

// Sums holds the per-allele statistics of one generation (Section 3.1):
// Σ δ_x·x(i), Σ x(i), Σ δ_x and the number of genotypes, over the
// genotypes evaluated so far. Partial sums from disjoint slices of the
// population merge by addition.
type Sums struct {
	DeltaX []int64 // Σ_x δ_x·x(i), in units of 1/FitnessUnit
	X      []int32 // Σ_x x(i)
	Delta  int64   // Σ_x δ_x, in units of 1/FitnessUnit
	Count  int32   // number of genotypes
}

// NewSums returns zero sums for n genes.
func NewSums(n int) *Sums {
	return &Sums{DeltaX: make([]int64, n), X: make([]int32, n)}
}

// Reset sets s to zero.
func (s *Sums) Reset() {
	clear(s.DeltaX)
	clear(s.X)
	s.Delta, s.Count = 0, 0
}

// Quantize converts a fitness value to the integer units of Sums.
func Quantize(delta float64) int64 {
	if delta > MaxFitness {
		delta = MaxFitness
	} else if delta < -MaxFitness {
		delta = -MaxFitness
	}
	q := float64(delta * FitnessUnit)
	if q >= 0 {
		return int64(q + 0.5)
	}
	return -int64(-q + 0.5)
}

// Add records a genotype with fitness q (from Quantize) whose 1-alleles
// are ones.
func (s *Sums) Add(q int64, ones []int32) {
	s.Delta += q
	s.Count++
	for _, i := range ones {
		s.DeltaX[i] += q
		s.X[i]++
	}
}

// Merge adds the partial sums o into s.
func (s *Sums) Merge(o *Sums) {
	for i, v := range o.DeltaX {
		s.DeltaX[i] += v
	}
	for i, v := range o.X {
		s.X[i] += v
	}
	s.Delta += o.Delta
	s.Count += o.Count
}

// MeanFitness returns the population's mean δ.
func (s *Sums) MeanFitness() float64 {
	if s.Count == 0 {
		return 0
	}
	return float64(s.Delta) / FitnessUnit / float64(s.Count)
}

// Rewards returns the allele rewards of gene i (Section 3.1):
//
//	f(i) = Σ δ_x x(i) / Σ x(i),   f̄(i) = Σ δ_x (1−x(i)) / Σ (1−x(i)).
//
// When no genotype (or every genotype) carries allele 1, the population
// says nothing about the gene and both rewards are the mean fitness, which
// leaves p(i) unchanged under eq. 3.
func (s *Sums) Rewards(i int) (f, fbar float64) {
	x, n := s.X[i], s.Count
	if x == 0 || x == n {
		m := s.MeanFitness()
		return m, m
	}
	f = float64(s.DeltaX[i]) / FitnessUnit / float64(x)
	fbar = float64(s.Delta-s.DeltaX[i]) / FitnessUnit / float64(n-x)
	return f, fbar
}

// StrengthError is Update's refusal of a selection strength ε too large
// for the fitness: 1 + ε·f ≤ 0 for a gene.
type StrengthError struct {
	Eps     float64
	Gene    int
	F, Fbar float64
}

func (e *StrengthError) Error() string {
	return fmt.Sprintf("nne: ε = %v makes 1 + εf ≤ 0 for gene %d (f = %v, f̄ = %v); lower ε below 1/max|δ|", e.Eps, e.Gene, e.F, e.Fbar)
}

// Update applies one generation of the weak-selection rule, eq. 3, to the
// allele frequencies p:
//
//	p'(i) = p(i)(1 + ε f(i)) / (p(i)(1 + ε f(i)) + (1 − p(i))(1 + ε f̄(i)))
//
// which is eq. 3's p/(p+q) written so that p = 0 and p = 1 are exact fixed
// points. The arithmetic is float64, rounded to float32 once per gene.
// Fitness must keep 1 + εδ > 0 (Theorem 1 takes ε ≤ 1/(2U)); a
// non-positive factor is an error and p is left unchanged.
func Update(p []float32, s *Sums, eps float64) error {
	if len(p) != len(s.X) {
		return fmt.Errorf("nne: %d allele frequencies, %d genes in the sums", len(p), len(s.X))
	}
	for i := range p {
		f, fbar := s.Rewards(i)
		if 1+float64(eps*f) <= 0 || 1+float64(eps*fbar) <= 0 {
			return &StrengthError{Eps: eps, Gene: i, F: f, Fbar: fbar}
		}
	}
	for i, pi := range p {
		f, fbar := s.Rewards(i)
		a := float64(float64(pi) * (1 + float64(eps*f)))
		b := float64((1 - float64(pi)) * (1 + float64(eps*fbar)))
		p[i] = float32(a / (a + b))
	}
	return nil
}
