package nne

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync/atomic"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Scale selects how the values of W are scaled.
type Scale int

const (
	// ScaleRaw keeps W's entries uniform on [−1, 1], as printed in the
	// paper (Section 2).
	ScaleRaw Scale = iota
	// ScaleFanIn multiplies the row of link l by √(6/(βn·F)), F the fan-in
	// of the unit l feeds, so that at p = ½ each weight has variance 1/F
	// (LeCun's initialisation) whatever n and β.
	ScaleFanIn
	// ScaleSign is Theorem 2's W: each entry ±√(1/β) with equal odds
	// where it is nonzero (±√(m/d) with probability d/m, β = d/m).
	ScaleSign
)

// scaleNames are the scales' names, in order.
var scaleNames = []string{"raw", "fanin", "sign"}

// String returns "raw", "fanin" or "sign".
func (s Scale) String() string {
	if s >= 0 && int(s) < len(scaleNames) {
		return scaleNames[s]
	}
	return fmt.Sprintf("Scale(%d)", int(s))
}

// ScaleNames returns the scales' names, in order ("raw", "fanin",
// "sign").
func ScaleNames() []string { return slices.Clone(scaleNames) }

// ParseScale parses "raw", "fanin" or "sign".
func ParseScale(s string) (Scale, error) {
	for i, n := range scaleNames {
		if s == n {
			return Scale(i), nil
		}
	}
	return 0, fmt.Errorf("weight scale %q, want raw, fanin or sign", s)
}

// Config holds the parameters of NNE (Sections 2 and 3.1).
type Config struct {
	Genes int     // n, the number of genes
	Pop   int     // N, genotypes sampled per generation
	Beta  float64 // β, the density of W
	Eps   float64 // ε, the selection strength of eq. 3
	Batch int     // B, minibatch size; 0 or ≥ the number of examples means all
	Scale Scale   // scaling of W's entries
	Seed  uint64
	// Threads is the number of goroutines that evaluate the population;
	// 0 means runtime.GOMAXPROCS(0). It does not change any result.
	Threads int
}

// Limits on Config, so that a typo cannot ask for more memory than a
// browser tab or a laptop has.
const (
	MaxGenes = 1 << 22
	MaxPop   = 1 << 20
)

// Validate checks c and returns an error naming the first bad field and
// its allowed range.
func (c *Config) Validate() error {
	switch {
	case c.Genes < 1 || c.Genes > MaxGenes:
		return fmt.Errorf("genes = %d, want 1 to %d", c.Genes, MaxGenes)
	case c.Pop < 2 || c.Pop > MaxPop:
		return fmt.Errorf("pop = %d, want 2 to %d", c.Pop, MaxPop)
	case !(c.Beta > 0 && c.Beta <= 1):
		return fmt.Errorf("beta = %v, want 0 < beta ≤ 1", c.Beta)
	case !(c.Eps > 0) || math.IsInf(c.Eps, 0):
		return fmt.Errorf("eps = %v, want a finite ε > 0", c.Eps)
	case c.Batch < 0:
		return fmt.Errorf("batch = %d, want ≥ 1 (or 0 for the whole training sample)", c.Batch)
	case c.Threads < 0:
		return fmt.Errorf("threads = %d, want ≥ 1 (or 0 for all cores)", c.Threads)
	}
	return nil
}

// Population is an NNE run: the allele frequencies p, the genome W, the
// task, and the goroutines that evaluate each generation.
type Population struct {
	Config Config
	Task   Task
	Genome *Genome
	// P holds the allele frequencies p(i) = Pr[x(i) = 1].
	P []float32
	// Generation counts the generations applied to P.
	Generation int

	sums  *Sums
	batch []int32
	perm  []int32
	evals []*Evaluator
	part  []*Sums

	// Worker goroutines and the generation they are evaluating.
	start []chan struct{}
	done  chan struct{}
	gen   int
	next  atomic.Int64
}

// New validates cfg, draws W and p¹ ~ U[0,1]ⁿ (Section 3.1) from cfg.Seed
// and returns the population at generation 0. Call Close when done with it.
func New(task Task, cfg Config) (*Population, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("nne: %w", err)
	}
	if cfg.Threads == 0 {
		cfg.Threads = runtime.GOMAXPROCS(0)
	}
	m := task.Links()
	var scale []float32
	if cfg.Scale == ScaleFanIn {
		scale = make([]float32, m)
		for l := range scale {
			scale[l] = float32(math.Sqrt(6 / (cfg.Beta * float64(cfg.Genes) * float64(task.FanIn(l)))))
		}
	}
	var g *Genome
	var err error
	if cfg.Scale == ScaleSign {
		g, err = NewSignGenome(m, cfg.Genes, cfg.Beta, cfg.Seed)
	} else {
		g, err = NewGenome(m, cfg.Genes, cfg.Beta, scale, cfg.Seed)
	}
	if err != nil {
		return nil, err
	}
	pop := &Population{Config: cfg, Task: task, Genome: g, P: make([]float32, cfg.Genes), sums: NewSums(cfg.Genes)}
	r := rng.New(rng.DomainInit, cfg.Seed)
	for i := range pop.P {
		pop.P[i] = r.Float32()
	}
	b := cfg.Batch
	if b == 0 || b > task.Examples() {
		b = task.Examples()
	}
	pop.batch = make([]int32, b)
	pop.perm = make([]int32, task.Examples())
	for range cfg.Threads {
		pop.evals = append(pop.evals, NewEvaluator(task, g))
		pop.part = append(pop.part, NewSums(cfg.Genes))
	}
	pop.startWorkers()
	return pop, nil
}

// Sums returns the statistics of the last generation.
func (pop *Population) Sums() *Sums { return pop.sums }

// DrawBatch writes the minibatch of generation gen into dst: len(dst)
// distinct training examples drawn uniformly, a function of (seed, gen)
// only. perm is scratch of length n, the number of examples.
func DrawBatch(dst, perm []int32, seed uint64, gen int) {
	for i := range perm {
		perm[i] = int32(i)
	}
	if len(dst) == len(perm) {
		copy(dst, perm)
		return
	}
	r := rng.New(rng.DomainBatch, seed, uint64(gen))
	for k := range dst {
		j := k + r.Intn(len(perm)-k)
		perm[k], perm[j] = perm[j], perm[k]
		dst[k] = perm[k]
	}
}

// Batch draws the minibatch of the next generation, Generation+1, and
// returns it. The slice is reused by the next call.
func (pop *Population) Batch() []int32 {
	DrawBatch(pop.batch, pop.perm, pop.Config.Seed, pop.Generation+1)
	return pop.batch
}

// Apply ends generation Generation+1: s holds the sums of all N genotypes
// of that generation, sampled from P and scored on Batch(), and Apply moves
// P by eq. 3. Step is Batch, evaluation and Apply in one process; the
// browser's coordinator calls Batch and Apply around its workers'
// Evaluator.Evaluate, so both run the same update.
func (pop *Population) Apply(s *Sums) error {
	if int(s.Count) != pop.Config.Pop {
		return fmt.Errorf("nne: sums of %d genotypes, want the whole population of %d", s.Count, pop.Config.Pop)
	}
	if err := Update(pop.P, s, pop.Config.Eps); err != nil {
		return err
	}
	if s != pop.sums {
		pop.sums.Reset()
		pop.sums.Merge(s)
	}
	pop.Generation++
	return nil
}

// Restore sets the population to a saved state: allele frequencies p at
// generation gen. Since the randomness of every generation is keyed by
// (seed, generation), stepping on from here repeats the original run.
func (pop *Population) Restore(p []float32, gen int) error {
	if len(p) != len(pop.P) {
		return fmt.Errorf("nne: %d allele frequencies for %d genes", len(p), len(pop.P))
	}
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("nne: allele frequency %d is %v, outside [0, 1]", i, v)
		}
	}
	if gen < 0 {
		return fmt.Errorf("nne: generation %d", gen)
	}
	copy(pop.P, p)
	pop.Generation = gen
	pop.sums.Reset()
	return nil
}

// Step runs one generation: draw a minibatch, sample and score all N
// genotypes in parallel, and update p by eq. 3.
func (pop *Population) Step() error {
	pop.Batch()
	pop.evaluate(pop.Generation + 1)
	return pop.Apply(pop.sums)
}

// evaluate scores the whole population of generation gen into pop.sums.
// Goroutines take genotypes in chunks from a shared counter; since each
// genotype's randomness is keyed by its index and the sums are integers,
// the result does not depend on which goroutine scored what.
func (pop *Population) evaluate(gen int) {
	pop.gen = gen
	pop.next.Store(0)
	for _, c := range pop.start {
		c <- struct{}{}
	}
	pop.work(0)
	for range pop.start {
		<-pop.done
	}
	pop.sums.Reset()
	for _, s := range pop.part {
		pop.sums.Merge(s)
	}
}

// work is goroutine t's share of evaluate.
func (pop *Population) work(t int) {
	const chunk = network.Lanes
	e, s := pop.evals[t], pop.part[t]
	s.Reset()
	e.Prepare(pop.P)
	n := int64(pop.Config.Pop)
	for {
		lo := pop.next.Add(chunk) - chunk
		if lo >= n {
			return
		}
		e.Evaluate(pop.Config.Seed, pop.gen, pop.batch, int(lo), int(min(lo+chunk, n)), s)
	}
}

// startWorkers starts the goroutines 1..Threads−1 that help evaluate; the
// caller is goroutine 0. They live until Close, so a generation allocates
// nothing.
func (pop *Population) startWorkers() {
	pop.done = make(chan struct{})
	for t := 1; t < len(pop.evals); t++ {
		c := make(chan struct{})
		pop.start = append(pop.start, c)
		go func() {
			for range c {
				pop.work(t)
				pop.done <- struct{}{}
			}
		}()
	}
}

// Close stops the population's goroutines. The population must not be
// stepped afterwards.
func (pop *Population) Close() {
	for _, c := range pop.start {
		close(c)
	}
	pop.start = nil
}

// Evaluator samples and scores genotypes. It holds the scratch space of
// one goroutine (or one browser worker), so the loop allocates nothing.
type Evaluator struct {
	genome *Genome
	score  Scorer
	thr    []uint64
	ones   [network.Lanes][]int32
	w      [][network.Lanes]float32
	mask   []uint16
	delta  [network.Lanes]float64
}

// NewEvaluator returns an evaluator for task and genome g.
func NewEvaluator(task Task, g *Genome) *Evaluator {
	e := &Evaluator{
		genome: g,
		score:  task.NewScorer(),
		thr:    make([]uint64, g.Genes),
		w:      make([][network.Lanes]float32, g.Links),
		mask:   make([]uint16, g.Genes),
	}
	for i := range e.ones {
		e.ones[i] = make([]int32, 0, g.Genes)
	}
	return e
}

// Prepare converts the allele frequencies p into the integer thresholds
// Sample compares against; call it once per generation before Evaluate.
func (e *Evaluator) Prepare(p []float32) {
	for i, pi := range p {
		// Exact: a float32 times 2³² fits a float64, and the conversion
		// truncates. p = 1 gives 2³², above every 32-bit draw.
		e.thr[i] = uint64(float64(pi) * (1 << 32))
	}
}

// Sample draws genotype k of generation gen: x(i) = 1 with probability
// p(i), independently, from the stream keyed (seed, gen, k). It appends the
// ascending indices of the 1-alleles to ones[:0] and returns the result.
func (e *Evaluator) Sample(ones []int32, seed uint64, gen, k int) []int32 {
	r := rng.New(rng.DomainGenotype, seed, uint64(gen), uint64(k))
	thr := e.thr
	n := len(thr)
	if cap(ones) < n {
		ones = make([]int32, 0, n)
	}
	// Each index is written and kept only if its allele is 1: no branch
	// on a draw that is taken about half the time.
	ones = ones[:n]
	m := 0
	i := 0
	for ; i+1 < n; i += 2 {
		u := r.Uint64()
		ones[m] = int32(i)
		m += b2i(u&0xffffffff < thr[i])
		ones[m] = int32(i + 1)
		m += b2i(u>>32 < thr[i+1])
	}
	if i < n {
		ones[m] = int32(i)
		m += b2i(r.Uint64()&0xffffffff < thr[i])
	}
	return ones[:m]
}

// b2i returns 1 for true and 0 for false; the compiler makes it a SETcc.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Evaluate samples genotypes lo..hi−1 of generation gen, scores each on
// batch, and adds them to s.
//
// Genotypes are scored in groups of network.Lanes, and the last few of a
// slice in narrow groups (network.GroupSize); each genotype's fitness is
// the same whichever lane and group it is in, so any split of the
// population into slices gives the same sums.
func (e *Evaluator) Evaluate(seed uint64, gen int, batch []int32, lo, hi int, s *Sums) {
	for k := lo; k < hi; {
		lanes := network.GroupSize(hi - k)
		for g := range lanes {
			e.ones[g] = e.Sample(e.ones[g], seed, gen, k+g)
		}
		e.genome.WeightsLanes(e.w, e.mask, &e.ones, lanes)
		e.score(e.w, lanes, batch, &e.delta)
		for g := range lanes {
			s.Add(Quantize(e.delta[g]), e.ones[g])
		}
		k += lanes
	}
}

// MeanWeights returns W·p, the weights of the mean genotype.
func (pop *Population) MeanWeights() []float32 {
	w := make([]float32, pop.Genome.Links)
	pop.Genome.MeanWeights(w, pop.P)
	return w
}

// LikelyWeights returns W·x̂ for the most likely genotype x̂ = [p > ½].
func (pop *Population) LikelyWeights() []float32 {
	w := make([]float32, pop.Genome.Links)
	pop.Genome.LikelyWeights(w, pop.P)
	return w
}

// SampledWeights returns W·x for genotype k of the generation to come,
// the individual the next Step would draw as its k-th (Evaluator.Sample):
// a network the population actually carries, unlike W·p.
func (pop *Population) SampledWeights(k int) []float32 {
	e := NewEvaluator(pop.Task, pop.Genome)
	e.Prepare(pop.P)
	w := make([]float32, pop.Genome.Links)
	pop.Genome.Weights(w, e.Sample(nil, pop.Config.Seed, pop.Generation, k))
	return w
}

// FixedTol is the distance from 0 or 1 within which an allele frequency
// counts as fixed.
const FixedTol = 0.01

// FixedFraction returns the fraction of genes with min(p, 1−p) ≤ tol; with
// tol = x it is 1 − y of the paper's Fig. 2.
func FixedFraction(p []float32, tol float64) float64 {
	k := 0
	for _, v := range p {
		if math.Min(float64(v), 1-float64(v)) <= tol {
			k++
		}
	}
	return float64(k) / float64(len(p))
}

// Bytes estimates the memory a population for a task with the given number
// of links needs, so that callers can refuse absurd sizes before anything
// is allocated.
func Bytes(c Config, links float64) float64 {
	threads := float64(max(c.Threads, 1))
	n := float64(c.Genes)
	nnz := links * n * c.Beta
	w := float64(8 * nnz) // W by column
	if vector {
		w *= 2 // and by row
	}
	// Each term is converted so that no product fuses with the sum.
	return w +
		float64(4*links*3) + // row lists while building W
		float64(n*(4+8+4)) + // p and the sums
		float64(threads*(float64(n*(8+4+2+8+4))+float64(4*network.Lanes*links))) // per-goroutine thresholds, ones, mask, sums and lane weights
}

// Split cuts a population of n genotypes into k contiguous slices [lo, hi)
// for k evaluators, each starting at a multiple of network.Lanes so that
// every slice but the last fills its lanes. Any split gives the same sums;
// this one keeps the vector kernel's lanes full. Slices may be empty when
// n has fewer lane groups than k.
func Split(n, k int) [][2]int { return split(n, k, network.Lanes) }

// split is Split for the given number of lanes.
func split(n, k, lanes int) [][2]int {
	cuts := make([]int, k+1)
	for i := 1; i < k; i++ {
		// Rounded to the nearest multiple of lanes, in integers.
		cuts[i] = min(n, lanes*((2*n*i+k*lanes)/(2*k*lanes)))
	}
	cuts[k] = n
	s := make([][2]int, k)
	for i := range s {
		s[i] = [2]int{cuts[i], max(cuts[i], cuts[i+1])}
	}
	return s
}
