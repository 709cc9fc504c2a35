package network

import "math"

// Lanes is the number of weight vectors ForwardLanes evaluates together.
// NNE scores a population of genotypes on the same minibatch; stepping
// Lanes genotypes through each edge at once loads the graph's indices, the
// input and (in W·x) the genome once instead of Lanes times, and lets one
// 512-bit vector instruction do the arithmetic of all Lanes genotypes (the
// AVX-512 kernel, lanes_simd.go). Wide lanes also make the portable
// kernel, which the browser runs as wasm, faster: 16 lanes ran the paper's
// generation 1.56 times as fast as 8 in Chromium, and 32 no faster than
// 16. Each lane's arithmetic is done in exactly the order Forward uses, so
// its logits are bitwise equal to Forward's whatever the kernel.
const Lanes = 16

// The vector kernel holds the lanes in one register of 16, and the
// portable kernels write out each of the 16 (or of the Narrow): this fails
// to compile if Lanes or Narrow changes without them.
var _ [0]struct{} = [Lanes - 16]struct{}{}
var _ [0]struct{} = [Narrow - 4]struct{}{}

// LaneScratch holds the activations of Lanes forward passes: Hidden[k][g]
// is hidden unit k of lane g.
type LaneScratch struct {
	Hidden [][Lanes]float32
	Logits [][Lanes]float32

	// The vector kernel's scratch for a block of images (lanes_simd.go),
	// allocated by NewLaneScratch where that kernel runs.
	block [][Lanes]float32 // hidden sums, image-major
	act   []float32        // act[j·blockSize+b] is pixel j of image b
	on    []uint8          // bit b of on[j]: pixel j is nonzero in image b

	// A BatchKernel's logits for a batch, image-major (batchkernel.go).
	batch [][Lanes]float32
}

// NewLaneScratch returns lane activations sized for a.
func (a *Arch) NewLaneScratch() *LaneScratch {
	s := &LaneScratch{Hidden: make([][Lanes]float32, a.Hidden), Logits: make([][Lanes]float32, a.Classes)}
	if vectorKernel {
		s.block = make([][Lanes]float32, blockSize*a.Hidden)
		s.act = make([]float32, a.In*blockSize)
		s.on = make([]uint8, a.In)
	}
	return s
}

// ForwardLanes is Forward for Lanes weight vectors side by side in w
// (w[l][g] is link l of lane g). It runs the vector kernel where the
// processor and the build have one (Kernel says which), else the portable
// one; both give the same bits.
func (a *Arch) ForwardLanes(w [][Lanes]float32, pix []int32, val []float32, s *LaneScratch) {
	if !forwardLanesSIMD(a, w, pix, val, s) {
		a.forwardLanesGo(w, pix, val, s)
	}
}

// Narrow is the width of the portable kernel's narrow groups. A slice of
// a population rarely divides into groups of Lanes (the quick preset's 100
// genotypes are six groups of 16 and one of 4), and a group of 4 in the
// full kernel costs as much as one of 16: with two workers, one scored
// four groups and the other three. The narrow kernel computes only the
// first Narrow lanes, for about a third of the cost. The vector kernel
// does all 16 lanes in one instruction, so it has no narrow groups.
const Narrow = 4

// NarrowGroup reports whether a group of the given number of lanes runs
// the narrow kernel: the portable kernel with at most Narrow lanes. Then
// ForwardBatchLanes computes only lanes 0 to Narrow−1, and the others'
// logits are 0.
func NarrowGroup(lanes int) bool { return !vectorKernel && lanes <= Narrow }

// GroupSize returns how many of the next rest genotypes to score as one
// group: Lanes while that many are left, and a remainder of at most
// 2·Narrow as narrow groups, which together cost less than one full group.
// Any grouping gives each genotype the same bits.
func GroupSize(rest int) int {
	if !vectorKernel && rest <= 2*Narrow {
		return min(rest, Narrow)
	}
	return min(rest, Lanes)
}

// ForwardBatchLanes runs ForwardLanes on the inputs d.Input(i) for the i
// in batch, in order, and after the n-th calls logits(n) with s.Logits
// holding its logits, in lanes 0 to lanes−1 (see NarrowGroup for the
// others). The vector kernel steps a block of images through each pixel's
// edges together, so that the edges' weights are read from memory once
// per block rather than once per image; each image's sums keep Forward's
// order.
func (a *Arch) ForwardBatchLanes(w [][Lanes]float32, lanes int, d *Inputs, batch []int32, s *LaneScratch, logits func(n int)) {
	if forwardBatchSIMD(a, w, d, batch, s, logits) || a.forwardBatchKernel(w, lanes, d, batch, s, logits) {
		return
	}
	forward := a.forwardLanesGo
	if NarrowGroup(lanes) {
		forward = a.forwardNarrowGo
	}
	for n, i := range batch {
		pix, val := d.Input(int(i))
		forward(w, pix, val, s)
		logits(n)
	}
}

// forwardLanesGo is the portable ForwardLanes: plain Go, each lane's sums
// in Forward's order. The compiler does not vectorise it; every lane is a
// scalar multiply and a scalar add, written out so that the edge's index
// and input value are loaded once for all lanes.
func (a *Arch) forwardLanesGo(w [][Lanes]float32, pix []int32, val []float32, s *LaneScratch) {
	h := s.Hidden[:a.Hidden]
	clear(h)
	for n, j := range pix {
		v := val[n]
		lo, hi := a.Start[j], a.Start[j+1]
		tgt := a.Target[lo:hi]
		ww := w[lo:hi]
		ww = ww[:len(tgt)]
		for e, k := range tgt {
			we := &ww[e]
			hk := &h[k]
			// Every lane written out: a loop over the lanes ran the
			// paper's generation a third slower as wasm.
			hk[0] += float32(v * we[0])
			hk[1] += float32(v * we[1])
			hk[2] += float32(v * we[2])
			hk[3] += float32(v * we[3])
			hk[4] += float32(v * we[4])
			hk[5] += float32(v * we[5])
			hk[6] += float32(v * we[6])
			hk[7] += float32(v * we[7])
			hk[8] += float32(v * we[8])
			hk[9] += float32(v * we[9])
			hk[10] += float32(v * we[10])
			hk[11] += float32(v * we[11])
			hk[12] += float32(v * we[12])
			hk[13] += float32(v * we[13])
			hk[14] += float32(v * we[14])
			hk[15] += float32(v * we[15])
		}
	}
	C := a.Classes
	z := s.Logits[:C]
	clear(z)
	out := w[a.Edges():a.Links()]
	for k := range h {
		hk := &h[k]
		for g := range hk {
			hk[g] = relu(hk[g])
		}
		row := out[k*C : (k+1)*C]
		row = row[:len(z)]
		for c := range z {
			rc := &row[c]
			zc := &z[c]
			for g := range zc {
				zc[g] += float32(hk[g] * rc[g])
			}
		}
	}
}

// forwardNarrowGo is forwardLanesGo for lanes 0 to Narrow−1 only, in the
// same order; the other lanes' sums and logits are 0.
func (a *Arch) forwardNarrowGo(w [][Lanes]float32, pix []int32, val []float32, s *LaneScratch) {
	h := s.Hidden[:a.Hidden]
	clear(h)
	for n, j := range pix {
		v := val[n]
		lo, hi := a.Start[j], a.Start[j+1]
		tgt := a.Target[lo:hi]
		ww := w[lo:hi]
		ww = ww[:len(tgt)]
		for e, k := range tgt {
			we := &ww[e]
			hk := &h[k]
			hk[0] += float32(v * we[0])
			hk[1] += float32(v * we[1])
			hk[2] += float32(v * we[2])
			hk[3] += float32(v * we[3])
		}
	}
	C := a.Classes
	z := s.Logits[:C]
	clear(z)
	out := w[a.Edges():a.Links()]
	for k := range h {
		hk := &h[k]
		hk[0], hk[1], hk[2], hk[3] = relu(hk[0]), relu(hk[1]), relu(hk[2]), relu(hk[3])
		row := out[k*C : (k+1)*C]
		row = row[:len(z)]
		for c := range z {
			rc := &row[c]
			zc := &z[c]
			zc[0] += float32(hk[0] * rc[0])
			zc[1] += float32(hk[1] * rc[1])
			zc[2] += float32(hk[2] * rc[2])
			zc[3] += float32(hk[3] * rc[3])
		}
	}
}

// LaneLogits copies the logits of lane g out of s into dst.
func (s *LaneScratch) LaneLogits(dst []float32, g int) []float32 {
	dst = dst[:len(s.Logits)]
	for c := range dst {
		dst[c] = s.Logits[c][g]
	}
	return dst
}

// relu returns max(x, 0), with +0 for x ≤ 0, without a branch: activations
// are negative about half the time at random, which defeats prediction.
func relu(x float32) float32 {
	b := math.Float32bits(x)
	return math.Float32frombits(b &^ uint32(int32(b)>>31))
}
