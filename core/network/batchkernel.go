package network

// A BatchKernel is ForwardBatchLanes's forward passes done outside Go: the
// browser's WebAssembly SIMD kernel (core/network/simd128, compiled by
// wasm/kernel), which Go's compiler cannot emit. ForwardBatch writes the
// logits of image batch[n] to logits[n·C : (n+1)·C], where C is
// a.Classes: lanes 0 to Narrow−1 when narrow, the others 0, else all
// Lanes; scratch has a.Hidden rows for the hidden sums. Each lane must
// have exactly the bits of the portable kernel. Name names it for Kernel.
type BatchKernel interface {
	Name() string
	ForwardBatch(a *Arch, w [][Lanes]float32, narrow bool, d *Inputs, batch []int32, scratch, logits [][Lanes]float32)
}

// batchKernel is the BatchKernel UseBatchKernel set, or nil.
var batchKernel BatchKernel

// UseBatchKernel makes ForwardBatchLanes run k, where this build has no
// vector kernel of its own; nil goes back to the portable kernel. The
// browser's evaluators call it once, at start-up, before any run (it is
// the one setting of this package, like the processor's vector unit).
func UseBatchKernel(k BatchKernel) { batchKernel = k }

// forwardBatchKernel is ForwardBatchLanes with batchKernel; it reports
// false, doing nothing, when there is none. (ForwardBatchLanes tries the
// vector kernel first.)
func (a *Arch) forwardBatchKernel(w [][Lanes]float32, lanes int, d *Inputs, batch []int32, s *LaneScratch, logits func(n int)) bool {
	if batchKernel == nil {
		return false
	}
	C := a.Classes
	if need := len(batch) * C; cap(s.batch) < need {
		s.batch = make([][Lanes]float32, need)
	}
	z := s.batch[:len(batch)*C]
	batchKernel.ForwardBatch(a, w, NarrowGroup(lanes), d, batch, s.Hidden[:a.Hidden], z)
	for n := range batch {
		copy(s.Logits[:C], z[n*C:(n+1)*C])
		logits(n)
	}
	return true
}
