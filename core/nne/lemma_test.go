package nne

import (
	"math"
	"testing"
)

// exact enumerates all 2ⁿ genotypes of a small task under p and returns
// 𝓛(p) = E_x L(x), the exact rewards f(i) = E[−L | x(i)=1] and
// f̄(i) = E[−L | x(i)=0] of eqs. 1–2, and Var_x L(x).
func exact(g *Genome, loss func(w []float32) float64, p []float64) (L float64, f, fbar []float64, varL float64) {
	n := g.Genes
	f, fbar = make([]float64, n), make([]float64, n)
	p1 := make([]float64, n) // Pr[x(i)=1] accumulated, for the conditionals
	w := make([]float32, g.Links)
	var sq float64
	for mask := 0; mask < 1<<n; mask++ {
		var ones []int32
		pr := 1.0
		for i := 0; i < n; i++ {
			if mask>>i&1 == 1 {
				ones = append(ones, int32(i))
				pr *= p[i]
			} else {
				pr *= 1 - p[i]
			}
		}
		g.Weights(w, ones)
		l := loss(w)
		L += pr * l
		sq += pr * l * l
		for i := 0; i < n; i++ {
			if mask>>i&1 == 1 {
				f[i] -= pr * l
				p1[i] += pr
			} else {
				fbar[i] -= pr * l
			}
		}
	}
	for i := range f {
		f[i] /= p1[i]
		fbar[i] /= 1 - p1[i]
	}
	return L, f, fbar, sq - L*L
}

// TestLemma1 checks Lemma 1 on a task small enough to enumerate: 𝓛(p) =
// −f̄(i) − p(i)(f(i) − f̄(i)) and f(i) − f̄(i) = −∂𝓛/∂p(i), the latter
// against central finite differences; then that the population's estimate
// of f − f̄ from N sampled genotypes agrees within Monte Carlo error.
func TestLemma1(t *testing.T) {
	const n = 10
	task, err := NewLinear(4, 32, 0.8, 3)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGenome(task.Links(), n, 0.4, nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]int32, task.Examples())
	for i := range all {
		all[i] = int32(i)
	}
	loss := func(w []float32) float64 { return task.Loss(w, all) }
	p := []float64{0.1, 0.5, 0.9, 0.3, 0.7, 0.25, 0.6, 0.45, 0.8, 0.15}
	L, f, fbar, varL := exact(g, loss, p)
	const h = 1e-5
	for i := 0; i < n; i++ {
		if got := -fbar[i] - p[i]*(f[i]-fbar[i]); math.Abs(got-L) > 1e-12*math.Max(1, L) {
			t.Errorf("gene %d: −f̄ − p(f − f̄) = %v, 𝓛(p) = %v", i, got, L)
		}
		up := append([]float64(nil), p...)
		dn := append([]float64(nil), p...)
		up[i] += h
		dn[i] -= h
		Lup, _, _, _ := exact(g, loss, up)
		Ldn, _, _, _ := exact(g, loss, dn)
		grad := (Lup - Ldn) / (2 * h)
		if d := f[i] - fbar[i]; math.Abs(d+grad) > 1e-6*math.Max(1, math.Abs(grad)) {
			t.Errorf("gene %d: f − f̄ = %v, −∂𝓛/∂p = %v", i, d, -grad)
		}
	}

	// The same quantity estimated the way NNE does it, from a sampled
	// population and integer fitness sums.
	const N = 40000
	pop, err := New(task, Config{Genes: n, Pop: N, Beta: 0.4, Eps: 0.01, Seed: 5, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	pop.Genome = g
	for i := range pop.evals {
		pop.evals[i].genome = g
	}
	for i := range p {
		pop.P[i] = float32(p[i])
	}
	copy(pop.batch, all)
	pop.evaluate(1)
	for i := 0; i < n; i++ {
		fe, fbe := pop.Sums().Rewards(i)
		// Standard error of a difference of two conditional means.
		se := math.Sqrt(varL/(N*p[i]) + varL/(N*(1-p[i])))
		if d := (fe - fbe) - (f[i] - fbar[i]); math.Abs(d) > 5*se+1e-6 {
			t.Errorf("gene %d: sampled f − f̄ = %v, exact %v (5 s.e. = %v)", i, fe-fbe, f[i]-fbar[i], 5*se)
		}
	}
}
