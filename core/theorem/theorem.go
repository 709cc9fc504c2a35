// Package theorem runs Theorem 2 of the paper (Section 2.1) as an
// experiment: whether W·p = a has a solution p ∈ [0, 1]ⁿ for Theorem 2's
// W (Reachable), and how close NNE's evolution comes to it (Run), over
// a sweep of the links m and genes n (Sweep). It is the command line's
// alone, so the page does not link the linear-programming solver.
package theorem

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"nnesim/core/nne"
)

// ReachTol is how close W·p must come to a, in each coordinate, for
// Reachable to count a as reached.
const ReachTol = 1e-6

// Reachable reports whether some allele distribution p ∈ [0, 1]ⁿ has
// W·p = a exactly, the first claim of Theorem 2, and returns one. It
// solves the linear program W·p = a, p + s = 1, p, s ≥ 0 by the simplex
// method (gonum's lp.Simplex). A W of rank below m, or with a row of
// zeros, reaches no target in general, and is reported as not reaching
// a; so is an answer whose residual exceeds ReachTol.
func Reachable(g *nne.Genome, a []float64) (p []float64, ok bool, err error) {
	m, n := g.Links, g.Genes
	if len(a) != m {
		return nil, false, fmt.Errorf("theorem: a target of %d values for %d links", len(a), m)
	}
	if n < m {
		return nil, false, nil // fewer columns than rows: rank below m
	}
	A := mat.NewDense(m+n, 2*n, nil)
	b := make([]float64, m+n)
	for c := range n {
		for k := g.ColStart[c]; k < g.ColStart[c+1]; k++ {
			A.Set(int(g.Row[k]), c, float64(g.Val[k]))
		}
		A.Set(m+c, c, 1)
		A.Set(m+c, n+c, 1)
		b[m+c] = 1
	}
	copy(b, a)
	_, x, err := lp.Simplex(make([]float64, 2*n), A, b, 1e-10, nil)
	switch {
	case errors.Is(err, lp.ErrInfeasible), errors.Is(err, lp.ErrSingular), errors.Is(err, lp.ErrZeroRow):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("theorem: the linear program of W·p = a: %w", err)
	}
	p = x[:n]
	w := make([]float64, m)
	for c := range n {
		for k := g.ColStart[c]; k < g.ColStart[c+1]; k++ {
			w[g.Row[k]] += float64(float64(g.Val[k]) * p[c])
		}
	}
	for i := range w {
		if math.Abs(w[i]-a[i]) > ReachTol {
			return p, false, nil
		}
	}
	for _, v := range p {
		if v < -ReachTol || v > 1+ReachTol {
			return p, false, nil
		}
	}
	return p, true, nil
}

// Config is a sweep of Theorem 2 over the links m and the genes n.
type Config struct {
	Ms     []int     // links m (the input dimension)
	Ratios []float64 // genes per link: n = round(ratio·m)
	D      float64   // nonzeros per gene, on average: β = D/m
	Norm   float64   // ‖a‖ of each target, in (0, 1]
	// Draws is how many (W, a) pairs Reachable tries at each (m, n).
	Draws int
	// Seeds are NNE's runs at each (m, n): each draws its own W, a and
	// Examples inputs uniform in the unit ball, and evolves Generations
	// generations of Pop genotypes scored on minibatches of Batch, with
	// ε = Eps0/n (the loss of a genotype grows with n, and eq. 3 needs
	// 1 + ε·f > 0).
	Seeds                             []uint64
	Examples, Pop, Batch, Generations int
	Eps0                              float64
	// Eps, if positive, is ε for every n instead (a W whose genotypes'
	// loss does not grow with n, such as nne.ScaleFanIn's).
	Eps float64
	// Scale is the W of NNE's runs: nne.ScaleSign, the theorem's (and the
	// linear program's), or another for comparison.
	Scale nne.Scale
}

// Result is one (m, n) of a sweep.
type Result struct {
	M    int     `json:"m"`
	N    int     `json:"n"`
	Beta float64 `json:"beta"`
	// Reached is how many of Draws (W, a) pairs have a p ∈ [0, 1]ⁿ with
	// W·p = a (Theorem 2's first claim).
	Reached int `json:"reached"`
	Draws   int `json:"draws"`
	// Per NNE seed, at the end: cos(W·p, a), ‖W·p − a‖, cos(W·x̂, a) of
	// the most likely genotype x̂ = [p > ½] (the second claim is about a
	// binary x), and the share of genes fixed (nne.FixedTol).
	Eps float64 `json:"eps"`
	// Failed counts the seeds whose run stopped because ε was too large
	// for eq. 3 (nne.StrengthError); they have no numbers below.
	Failed int       `json:"failed,omitempty"`
	Cos    []float64 `json:"cos"`
	Dist   []float64 `json:"dist"`
	CosHat []float64 `json:"cos_likely"`
	Fixed  []float64 `json:"fixed"`
}

// Check reports the first setting of c out of range.
func (c *Config) Check() error {
	switch {
	case len(c.Ms) == 0 || len(c.Ratios) == 0:
		return errors.New("theorem: no m or no n/m to sweep")
	case !(c.D > 0):
		return fmt.Errorf("theorem: d = %g nonzeros per gene, want d > 0", c.D)
	case c.Draws < 0 || c.Draws > 10000:
		return fmt.Errorf("theorem: %d draws, want 0 to 10000", c.Draws)
	case !(c.Eps0 > 0) && !(c.Eps > 0):
		return fmt.Errorf("theorem: ε₀ = %g and ε = %g, want one of them > 0", c.Eps0, c.Eps)
	}
	for _, m := range c.Ms {
		if m < 1 || m > 200 || float64(m) < c.D {
			return fmt.Errorf("theorem: m = %d, want d = %g ≤ m ≤ 200", m, c.D)
		}
		for _, r := range c.Ratios {
			if n := int(math.Round(r * float64(m))); n < 1 || n > 4000 {
				return fmt.Errorf("theorem: n = %g·%d = %d genes, want 1 to 4000", r, m, n)
			}
		}
	}
	return nil
}

// Sweep runs c, calling each (if not nil) with every result as it is
// done, in order of m, then n.
func Sweep(c Config, each func(Result)) ([]Result, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var out []Result
	for _, m := range c.Ms {
		for _, ratio := range c.Ratios {
			n := int(math.Round(ratio * float64(m)))
			r := Result{M: m, N: n, Beta: c.D / float64(m), Draws: c.Draws, Eps: c.Eps0 / float64(n)}
			if c.Eps > 0 {
				r.Eps = c.Eps
			}
			for k := range c.Draws {
				seed := uint64(1_000_000 + k)
				task, err := nne.NewLinear(m, 1, c.Norm, seed)
				if err != nil {
					return out, err
				}
				g, err := nne.NewSignGenome(m, n, r.Beta, seed)
				if err != nil {
					return out, err
				}
				_, ok, err := Reachable(g, task.Target)
				if err != nil {
					return out, fmt.Errorf("m = %d, n = %d, draw %d: %w", m, n, k, err)
				}
				if ok {
					r.Reached++
				}
			}
			for _, seed := range c.Seeds {
				cos, dist, hat, fixed, err := evolve(c, m, n, r.Beta, r.Eps, seed)
				if se := (*nne.StrengthError)(nil); errors.As(err, &se) {
					r.Failed++
					continue
				}
				if err != nil {
					return out, fmt.Errorf("m = %d, n = %d, seed %d: %w", m, n, seed, err)
				}
				r.Cos, r.Dist, r.CosHat, r.Fixed = append(r.Cos, cos), append(r.Dist, dist), append(r.CosHat, hat), append(r.Fixed, fixed)
			}
			out = append(out, r)
			if each != nil {
				each(r)
			}
		}
	}
	return out, nil
}

// evolve runs NNE on one linear target with W of c.Scale.
func evolve(c Config, m, n int, beta, eps float64, seed uint64) (cos, dist, cosHat, fixed float64, err error) {
	task, err := nne.NewLinear(m, c.Examples, c.Norm, seed)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	pop, err := nne.New(task, nne.Config{Genes: n, Pop: c.Pop, Beta: beta, Eps: eps, Batch: c.Batch, Scale: c.Scale, Seed: seed, Threads: 1})
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer pop.Close()
	for pop.Generation < c.Generations {
		if err := pop.Step(); err != nil {
			return 0, 0, 0, 0, err
		}
	}
	w := pop.MeanWeights()
	return task.Cosine(w), task.Distance(w), task.Cosine(pop.LikelyWeights()), nne.FixedFraction(pop.P, nne.FixedTol), nil
}

// Needed returns, for links m, the fewest genes n of the results at
// which at least share of the draws are reachable, and whether any is.
func Needed(results []Result, m int, share float64) (n int, ok bool) {
	for _, r := range results {
		if r.M == m && r.Draws > 0 && float64(r.Reached) >= share*float64(r.Draws) && (!ok || r.N < n) {
			n, ok = r.N, true
		}
	}
	return n, ok
}
