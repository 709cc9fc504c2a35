package nne

import (
	"fmt"
	"math"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Genome is the m×n weight-generation matrix W of Section 2: each entry is
// nonzero with probability β, independently, with a value drawn uniformly
// from [−1, 1] and then multiplied by a per-row scale. A genotype x ∈ {0,1}ⁿ
// gives the m link weights W·x.
//
// W is stored by column, because W·x for a binary x is the sum of the
// columns i with x(i) = 1.
type Genome struct {
	Links, Genes int
	// The nonzeros of column i are Val[ColStart[i]:ColStart[i+1]] in rows
	// Row[...].
	ColStart []int32
	Row      []int32
	Val      []float32

	// byRow holds W again by row, for the vector kernel (genome_simd.go);
	// nil where that kernel does not run.
	byRow *byRow
}

// byRow is W stored by row: the nonzeros of row l are Val[Start[l]:Start[l+1]]
// in columns Col[...], ascending, so that summing a row in order adds the
// genes in the order the column walk of WeightsLanes adds them.
type byRow struct {
	Start []int32
	Col   []int32
	Val   []float32
}

// transpose returns g's nonzeros by row, each row's columns ascending.
func (g *Genome) transpose() *byRow {
	t := &byRow{Start: make([]int32, g.Links+1), Col: make([]int32, len(g.Row)), Val: make([]float32, len(g.Val))}
	for _, r := range g.Row {
		t.Start[r+1]++
	}
	for r := range g.Links {
		t.Start[r+1] += t.Start[r]
	}
	next := append([]int32(nil), t.Start[:g.Links]...)
	for c := range g.Genes {
		for e := g.ColStart[c]; e < g.ColStart[c+1]; e++ {
			r := g.Row[e]
			t.Col[next[r]] = int32(c)
			t.Val[next[r]] = g.Val[e]
			next[r]++
		}
	}
	return t
}

// MaxNonzeros bounds the size of W (8 bytes each); NewGenome refuses more.
const MaxNonzeros = 1 << 28

// NewGenome draws W for m links and n genes at density beta, seeded by
// seed. rowScale, if not nil, multiplies the values of each row.
//
// Each row's number of nonzeros is drawn from Binomial(n, β) by inverting
// its distribution function, and its columns uniformly without repetition,
// which gives exactly i.i.d. Bernoulli(β) entries at O(nnz) cost.
func NewGenome(m, n int, beta float64, rowScale []float32, seed uint64) (*Genome, error) {
	return newGenome(m, n, beta, rowScale, false, seed)
}

// NewSignGenome draws Theorem 2's W: the entries of NewGenome, each
// nonzero one ±√(1/β) with equal odds instead of uniform on [−1, 1].
func NewSignGenome(m, n int, beta float64, seed uint64) (*Genome, error) {
	return newGenome(m, n, beta, nil, true, seed)
}

func newGenome(m, n int, beta float64, rowScale []float32, sign bool, seed uint64) (*Genome, error) {
	switch {
	case m < 1 || n < 1:
		return nil, fmt.Errorf("nne: genome of %d links × %d genes, want both ≥ 1", m, n)
	case !(beta > 0 && beta <= 1):
		return nil, fmt.Errorf("nne: density β = %v, want 0 < β ≤ 1", beta)
	case float64(m)*float64(n)*beta > MaxNonzeros:
		return nil, fmt.Errorf("nne: W with %d links × %d genes at β = %v has about %.3g nonzeros, more than %d", m, n, beta, float64(m)*float64(n)*beta, MaxNonzeros)
	case rowScale != nil && len(rowScale) != m:
		return nil, fmt.Errorf("nne: %d row scales for %d links", len(rowScale), m)
	}
	cdf := binomialCDF(n, beta)
	r := rng.New(rng.DomainGenome, seed)
	rows := make([][]int32, m)
	vals := make([][]float32, m)
	mark := make([]int32, n) // mark[c] == row+1 when column c is taken in row
	count := make([]int32, n)
	total := 0
	for i := 0; i < m; i++ {
		var k int
		if cdf != nil {
			u := r.Float64()
			for k < len(cdf)-1 && u >= cdf[k] {
				k++
			}
		} else {
			for c := 0; c < n; c++ {
				if r.Float64() < beta {
					k++
				}
			}
		}
		s := float32(1)
		if rowScale != nil {
			s = rowScale[i]
		}
		if sign {
			s = float32(math.Sqrt(1 / beta))
		}
		for len(rows[i]) < k {
			c := r.Intn(n)
			if mark[c] == int32(i+1) {
				continue
			}
			mark[c] = int32(i + 1)
			rows[i] = append(rows[i], int32(c))
			var v float32
			switch {
			case !sign:
				v = (float32(2*r.Float32()) - 1) * s
			case r.Float32() < 0.5:
				v = -s
			default:
				v = s
			}
			vals[i] = append(vals[i], v)
			count[c]++
		}
		total += k
	}
	g := &Genome{Links: m, Genes: n, ColStart: make([]int32, n+1), Row: make([]int32, total), Val: make([]float32, total)}
	for c := 0; c < n; c++ {
		g.ColStart[c+1] = g.ColStart[c] + count[c]
	}
	next := append([]int32(nil), g.ColStart[:n]...)
	for i := 0; i < m; i++ {
		for k, c := range rows[i] {
			g.Row[next[c]] = int32(i)
			g.Val[next[c]] = vals[i][k]
			next[c]++
		}
	}
	if vector {
		g.byRow = g.transpose()
	}
	return g, nil
}

// binomialCDF returns the distribution function of Binomial(n, β) up to
// where it reaches 1 − 2⁻⁵³, or nil when (1−β)ⁿ underflows and the caller
// must draw entries one by one. Only multiplications and divisions are
// used, so the table is bitwise identical on every platform.
func binomialCDF(n int, beta float64) []float64 {
	q := 1 - beta
	p0 := 1.0
	for b, e := q, n; e > 0; e >>= 1 { // q**n by repeated squaring
		if e&1 == 1 {
			p0 *= b
		}
		b *= b
	}
	if p0 < 1e-300 {
		return nil
	}
	ratio := beta / q
	cdf := []float64{p0}
	pk := p0
	for k := 0; k < n && cdf[len(cdf)-1] < 1-0x1p-53; k++ {
		pk = float64(pk * (float64(n-k) / float64(k+1) * ratio))
		cdf = append(cdf, cdf[len(cdf)-1]+pk)
		if float64(k) > float64(n)*beta && pk < 0x1p-60 {
			break // past the mode the tail is negligible: rounding may keep the sum just below 1
		}
	}
	return cdf
}

// column returns the rows and values of column c's nonzeros, as slices of
// equal length (so that loops over rows index vals without a check).
func (g *Genome) column(c int) (rows []int32, vals []float32) {
	lo, hi := g.ColStart[c], g.ColStart[c+1]
	rows = g.Row[lo:hi]
	return rows, g.Val[lo:hi][:len(rows)]
}

// Nonzeros returns the number of nonzero entries of W.
func (g *Genome) Nonzeros() int { return len(g.Row) }

// Weights writes W·x into w for the genotype whose 1-alleles are listed in
// ones (ascending gene indices).
func (g *Genome) Weights(w []float32, ones []int32) {
	w = w[:g.Links]
	for i := range w {
		w[i] = 0
	}
	for _, c := range ones {
		rows, vals := g.column(int(c))
		for e, r := range rows {
			w[r] += vals[e]
		}
	}
}

// WeightsLanes writes W·x for network.Lanes genotypes into w side by side
// (w[l][g] is link l of genotype g, whose 1-alleles are ones[g]). mask is
// scratch of one uint16 per gene, zero on entry and left zero.
//
// It walks W's columns once for all lanes: each entry (row, value) is
// loaded once and added to every lane, multiplied by 1 for the lanes that
// carry the gene and 0 for the others (the vector kernel adds 0 to those
// lanes instead). Adding ±0 leaves a sum that is not −0 unchanged, and
// these sums start at +0 and never become −0, so each lane is bitwise what
// Weights gives; and a column no lane carries is skipped. Only ones[:lanes]
// are read; for a narrow group (network.NarrowGroup) only lanes 0 to
// network.Narrow−1 of w are written, the others are 0.
func (g *Genome) WeightsLanes(w [][network.Lanes]float32, mask []uint16, ones *[network.Lanes][]int32, lanes int) {
	w = w[:g.Links]
	mask = mask[:g.Genes]
	markLanes(mask, ones[:lanes])
	if weightsLanesSIMD(g, w, mask) {
		return
	}
	clear(w)
	if weightsKernel != nil {
		weightsKernel.WeightsLanes(g, w, mask, network.NarrowGroup(lanes))
		return
	}
	if network.NarrowGroup(lanes) {
		g.weightsNarrow(w, mask)
		return
	}
	for c, m := range mask {
		if m == 0 {
			continue
		}
		mask[c] = 0
		var f [network.Lanes]float32
		for l := range f {
			f[l] = float32(m >> l & 1)
		}
		rows, vals := g.column(int(c))
		for e, r := range rows {
			v := vals[e]
			wr := &w[r]
			wr[0] += float32(v * f[0])
			wr[1] += float32(v * f[1])
			wr[2] += float32(v * f[2])
			wr[3] += float32(v * f[3])
			wr[4] += float32(v * f[4])
			wr[5] += float32(v * f[5])
			wr[6] += float32(v * f[6])
			wr[7] += float32(v * f[7])
			wr[8] += float32(v * f[8])
			wr[9] += float32(v * f[9])
			wr[10] += float32(v * f[10])
			wr[11] += float32(v * f[11])
			wr[12] += float32(v * f[12])
			wr[13] += float32(v * f[13])
			wr[14] += float32(v * f[14])
			wr[15] += float32(v * f[15])
		}
	}
}

// markLanes sets bit g of mask[c] for each gene c in ones[g].
func markLanes(mask []uint16, ones [][]int32) {
	for lane, list := range ones {
		for _, c := range list {
			mask[c] |= 1 << lane
		}
	}
}

// weightsNarrow is WeightsLanes' column walk for lanes 0 to
// network.Narrow−1, on a cleared w.
func (g *Genome) weightsNarrow(w [][network.Lanes]float32, mask []uint16) {
	for c, m := range mask {
		if m == 0 {
			continue
		}
		mask[c] = 0
		f0, f1, f2, f3 := float32(m&1), float32(m>>1&1), float32(m>>2&1), float32(m>>3&1)
		rows, vals := g.column(int(c))
		for e, r := range rows {
			v := vals[e]
			wr := &w[r]
			wr[0] += float32(v * f0)
			wr[1] += float32(v * f1)
			wr[2] += float32(v * f2)
			wr[3] += float32(v * f3)
		}
	}
}

// MeanWeights writes W·p into w: the weights of the mean genotype, and the
// expected weights of a genotype drawn from p.
func (g *Genome) MeanWeights(w []float32, p []float32) {
	w = w[:g.Links]
	for i := range w {
		w[i] = 0
	}
	for c, pc := range p[:g.Genes] {
		if pc == 0 {
			continue
		}
		rows, vals := g.column(int(c))
		for e, r := range rows {
			w[r] += float32(pc * vals[e])
		}
	}
}

// LikelyWeights writes W·x̂ into w, where x̂(i) = [p(i) > ½] is the most
// likely genotype under p.
func (g *Genome) LikelyWeights(w []float32, p []float32) {
	ones := make([]int32, 0, g.Genes)
	for i, pi := range p[:g.Genes] {
		if pi > 0.5 {
			ones = append(ones, int32(i))
		}
	}
	g.Weights(w, ones)
}
