package nne_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"nnesim/core/network"
	"nnesim/core/nne"
)

// TestSameSeedAnyThreads checks that p after several generations, and the
// sums of every generation, are bitwise identical for 1, 2 and 8
// goroutines, and differ for another seed.
func TestSameSeedAnyThreads(t *testing.T) {
	task, _ := classifier(t, "0-4", 20, 1)
	run := func(threads int, seed uint64) ([]float32, []float64) {
		pop, err := nne.New(task, nne.Config{Genes: 300, Pop: 30, Beta: 0.01, Eps: 10, Batch: 50, Seed: seed, Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		defer pop.Close()
		var fitness []float64
		for range 8 {
			if err := pop.Step(); err != nil {
				t.Fatal(err)
			}
			fitness = append(fitness, pop.Sums().MeanFitness())
		}
		return pop.P, fitness
	}
	p1, f1 := run(1, 4)
	for _, threads := range []int{2, 8} {
		p, f := run(threads, 4)
		if !slices.Equal(p, p1) || !slices.Equal(f, f1) {
			t.Errorf("%d goroutines gave a different run than 1", threads)
		}
	}
	if p, _ := run(2, 5); slices.Equal(p, p1) {
		t.Error("seeds 4 and 5 gave the same p")
	}
}

// TestSlicedWorkersMatchStep plays the browser's coordinator: separate
// evaluators (each with its own genome built from the seed, like separate
// Web Workers) score uneven slices of each generation, the coordinator
// merges their sums in slice order and calls Apply. p must equal Step's,
// bit for bit, for every split; and Apply must refuse a partial population.
func TestSlicedWorkersMatchStep(t *testing.T) {
	task, _ := classifier(t, "0-4", 20, 1)
	cfg := nne.Config{Genes: 300, Pop: 30, Beta: 0.01, Eps: 10, Batch: 50, Seed: 7, Threads: 1}
	ref, err := nne.New(task, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	for range 6 {
		if err := ref.Step(); err != nil {
			t.Fatal(err)
		}
	}
	for _, cuts := range [][]int{{0, 30}, {0, 16, 30}, {0, 1, 7, 30}, {0, 5, 10, 15, 20, 25, 30}} {
		coord, err := nne.New(task, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var evals []*nne.Evaluator
		var parts []*nne.Sums
		for range len(cuts) - 1 {
			g, err := nne.NewGenome(task.Links(), cfg.Genes, cfg.Beta, nil, cfg.Seed)
			if err != nil {
				t.Fatal(err)
			}
			evals = append(evals, nne.NewEvaluator(task, g))
			parts = append(parts, nne.NewSums(cfg.Genes))
		}
		for range 6 {
			batch := slices.Clone(coord.Batch())
			p := slices.Clone(coord.P)
			gen := coord.Generation + 1
			for w, e := range evals {
				parts[w].Reset()
				e.Prepare(p)
				e.Evaluate(cfg.Seed, gen, batch, cuts[w], cuts[w+1], parts[w])
			}
			if len(parts) > 1 {
				if err := coord.Apply(parts[0]); err == nil {
					t.Fatalf("split %v: Apply took the sums of %d genotypes", cuts, parts[0].Count)
				}
			}
			all := nne.NewSums(cfg.Genes)
			for _, s := range parts {
				all.Merge(s)
			}
			if err := coord.Apply(all); err != nil {
				t.Fatal(err)
			}
		}
		if coord.Generation != ref.Generation || !slices.Equal(coord.P, ref.P) {
			t.Errorf("split %v: p after %d generations differs from Step's", cuts, coord.Generation)
		}
		if coord.Sums().MeanFitness() != ref.Sums().MeanFitness() {
			t.Errorf("split %v: mean fitness %v, Step's %v", cuts, coord.Sums().MeanFitness(), ref.Sums().MeanFitness())
		}
		coord.Close()
	}
}

// TestStepAllocatesNothing checks the per-generation loop is allocation
// free once the population is built.
func TestStepAllocatesNothing(t *testing.T) {
	task, _ := classifier(t, "0-4", 20, 1)
	pop, err := nne.New(task, nne.Config{Genes: 300, Pop: 30, Beta: 0.01, Eps: 10, Batch: 50, Seed: 1, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	if allocs := testing.AllocsPerRun(5, func() { pop.Step() }); allocs != 0 {
		t.Errorf("Step allocated %v times per generation, want 0", allocs)
	}
}

// TestNNELearnsDigits04 runs a small NNE (h = 50, n = 1000, N = 100,
// B = 100) for 300 generations on digits 0-4. Chance is 20%; in our runs
// it reaches about 80% test accuracy with the mean genotype; we require
// 60% and that the most likely genotype is also far above chance.
func TestNNELearnsDigits04(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	task, test := classifier(t, "0-4", 50, 2)
	pop, err := nne.New(task, nne.Config{Genes: 1000, Pop: 100, Beta: 0.0025, Eps: 10, Batch: 100, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	s := task.Arch.NewScratch()
	before := task.Arch.Accuracy(pop.MeanWeights(), test, s)
	for range 300 {
		if err := pop.Step(); err != nil {
			t.Fatal(err)
		}
	}
	mean := task.Arch.Accuracy(pop.MeanWeights(), test, s)
	likely := task.Arch.Accuracy(pop.LikelyWeights(), test, s)
	t.Logf("test accuracy: %.3f at generation 0, %.3f (mean genotype) and %.3f (most likely) at 300", before, mean, likely)
	if mean < 0.6 || likely < 0.45 {
		t.Errorf("test accuracy %.3f (mean) and %.3f (likely), want ≥ 0.60 and ≥ 0.45 (chance is 0.20)", mean, likely)
	}
}

// TestLinearTarget is the experiment of Section 2.1: NNE with squared loss
// learns a linear target a, cos(W·p, a) → 1.
func TestLinearTarget(t *testing.T) {
	task, err := nne.NewLinear(10, 500, 0.9, 1)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := nne.New(task, nne.Config{Genes: 400, Pop: 200, Beta: 0.05, Eps: 2, Batch: 100, Scale: nne.ScaleFanIn, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	start := task.Cosine(pop.MeanWeights())
	for range 400 {
		if err := pop.Step(); err != nil {
			t.Fatal(err)
		}
	}
	end := task.Cosine(pop.MeanWeights())
	t.Logf("cos(W·p, a): %.3f at generation 0, %.3f at 400; fixed alleles %.2f", start, end, nne.FixedFraction(pop.P, nne.FixedTol))
	if end < 0.9 {
		t.Errorf("cos(W·p, a) = %.3f after 400 generations, want ≥ 0.9", end)
	}
}

func TestGenome(t *testing.T) {
	const m, n, beta = 3000, 400, 0.01
	g, err := nne.NewGenome(m, n, beta, nil, 9)
	if err != nil {
		t.Fatal(err)
	}
	// nnz ~ Binomial(m·n, β): mean 12000, standard deviation ≈ 109.
	if nz := g.Nonzeros(); math.Abs(float64(nz)-m*n*beta) > 5*math.Sqrt(m*n*beta) {
		t.Errorf("%d nonzeros, want 12000 ± 545", nz)
	}
	var sum float64
	for c := 0; c < n; c++ {
		rows := g.Row[g.ColStart[c]:g.ColStart[c+1]]
		seen := map[int32]bool{}
		for _, r := range rows {
			if seen[r] {
				t.Fatalf("column %d repeats row %d", c, r)
			}
			seen[r] = true
		}
	}
	for _, v := range g.Val {
		if v < -1 || v > 1 {
			t.Fatalf("entry %v outside [−1, 1]", v)
		}
		sum += float64(v)
	}
	if mean := sum / float64(len(g.Val)); math.Abs(mean) > 0.03 {
		t.Errorf("mean entry %v, want ≈ 0", mean)
	}
	// W·x, W·p with p = x, and the most likely genotype of p = x agree.
	ones := []int32{1, 5, 77, 200, 399}
	p := make([]float32, n)
	for _, i := range ones {
		p[i] = 1
	}
	a, b, c := make([]float32, m), make([]float32, m), make([]float32, m)
	g.Weights(a, ones)
	g.MeanWeights(b, p)
	g.LikelyWeights(c, p)
	if !slices.Equal(a, b) || !slices.Equal(a, c) {
		t.Error("Weights, MeanWeights and LikelyWeights disagree on a 0/1 p")
	}
	// WeightsLanes puts, bit for bit, Weights' vectors in the lanes, for
	// lanes empty, overlapping and full, twice in a row (its mask scratch
	// must come back clear), and leaves 0 in the lanes past the group's;
	// so does the narrow kernel, which a vector build never picks.
	var lanes [network.Lanes][]int32
	all := make([]int32, n)
	for i := range all {
		all[i] = int32(i)
	}
	wl := make([][network.Lanes]float32, m)
	mask := make([]uint16, n)
	for _, k := range []struct {
		name  string
		width int
		run   func()
	}{
		{"WeightsLanes", network.Lanes, func() { g.WeightsLanes(wl, mask, &lanes, network.Lanes) }},
		{"WeightsLanes, 3 lanes", 3, func() { g.WeightsLanes(wl, mask, &lanes, 3) }},
		{"narrow", network.Narrow, func() { nne.WeightsNarrow(g, wl, mask, &lanes) }},
	} {
		lanes = [network.Lanes][]int32{}
		lanes[0], lanes[2], lanes[3] = ones, []int32{3, 4, 77, 399}, all
		lanes[9] = all[50:60] // seen only in a full group
		for range 2 {
			k.run()
			for lane, list := range lanes {
				if lane >= k.width {
					list = nil
				}
				g.Weights(a, list)
				for l := range m {
					if math.Float32bits(wl[l][lane]) != math.Float32bits(a[l]) {
						t.Fatalf("%s: lane %d: link %d is %v, Weights gives %v", k.name, lane, l, wl[l][lane], a[l])
					}
				}
			}
			if slices.ContainsFunc(mask, func(b uint16) bool { return b != 0 }) {
				t.Fatalf("%s left its mask dirty", k.name)
			}
			lanes[1], lanes[3] = all[:10], nil
		}
	}
	if _, err := nne.NewGenome(1<<20, 1<<20, 0.5, nil, 1); err == nil {
		t.Error("a genome of 2³⁹ nonzeros was not refused")
	}
}

func TestConfigValidate(t *testing.T) {
	ok := nne.Config{Genes: 10, Pop: 2, Beta: 0.1, Eps: 1}
	for _, tc := range []struct {
		edit func(*nne.Config)
		want string
	}{
		{func(c *nne.Config) { c.Genes = 0 }, "genes = 0"},
		{func(c *nne.Config) { c.Genes = 1e9 }, "genes = 1000000000"},
		{func(c *nne.Config) { c.Pop = 1 }, "pop = 1"},
		{func(c *nne.Config) { c.Beta = 0 }, "beta = 0"},
		{func(c *nne.Config) { c.Beta = 1.5 }, "beta = 1.5"},
		{func(c *nne.Config) { c.Eps = 0 }, "eps = 0"},
		{func(c *nne.Config) { c.Eps = math.NaN() }, "eps = NaN"},
		{func(c *nne.Config) { c.Batch = -1 }, "batch = -1"},
	} {
		c := ok
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}
