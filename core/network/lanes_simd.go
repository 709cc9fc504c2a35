//go:build goexperiment.simd && amd64

package network

import (
	"math/bits"
	"simd/archsimd"
)

// avx512 says whether the processor has the 512-bit vectors the kernel
// uses; it is read once.
var avx512 = archsimd.X86.AVX512()

// vectorKernel says whether ForwardBatchLanes runs the vector kernel.
var vectorKernel = avx512

// Kernel names the ForwardBatchLanes kernel this build runs on this
// processor: "avx512", else the BatchKernel in use, else "go".
func Kernel() string {
	if avx512 {
		return "avx512"
	}
	if batchKernel != nil {
		return batchKernel.Name()
	}
	return "go"
}

// forwardLanesSIMD is ForwardLanes with one AVX-512 instruction for the
// Lanes genotypes of each multiply and each add. It multiplies and adds
// separately (never a fused multiply-add) in Forward's order, so each
// lane's bits are those of the portable kernel. It reports false, doing
// nothing, when the processor lacks AVX-512.
func forwardLanesSIMD(a *Arch, w [][Lanes]float32, pix []int32, val []float32, s *LaneScratch) bool {
	if !avx512 {
		return false
	}
	h := s.Hidden[:a.Hidden]
	clear(h)
	for n, j := range pix {
		v := archsimd.BroadcastFloat32x16(val[n])
		lo, hi := a.Start[j], a.Start[j+1]
		a.edgesSIMD(h, w[lo:hi], a.Target[lo:hi], v)
	}
	a.outputSIMD(w, h, s)
	return true
}

// blockSize is the number of images forwardBatchSIMD steps together: their
// hidden sums (blockSize · Hidden · 64 bytes) stay in the second-level
// cache, and a pixel's edge weights, read from memory for the first image
// that has the pixel, are in the first-level cache for the others.
const blockSize = 8

// forwardBatchSIMD is ForwardBatchLanes with the AVX-512 kernel, a block
// of images at a time. It reports false, doing nothing, without AVX-512.
func forwardBatchSIMD(a *Arch, w [][Lanes]float32, d *Inputs, batch []int32, s *LaneScratch, logits func(n int)) bool {
	if !avx512 {
		return false
	}
	H := a.Hidden
	for b0 := 0; b0 < len(batch); b0 += blockSize {
		nb := min(blockSize, len(batch)-b0)
		hb := s.block[:nb*H]
		clear(hb)
		lo, hi := int32(a.In), int32(0)
		for b := range nb {
			pix, val := d.Input(int(batch[b0+b]))
			for n, j := range pix {
				s.on[j] |= 1 << b
				s.act[int(j)*blockSize+b] = val[n]
			}
			if len(pix) > 0 {
				lo, hi = min(lo, pix[0]), max(hi, pix[len(pix)-1]+1)
			}
		}
		// Pixels in ascending order, as Forward takes them, and for each
		// the images that have it.
		for j := lo; j < hi; j++ {
			m := s.on[j]
			if m == 0 {
				continue
			}
			s.on[j] = 0
			e0, e1 := a.Start[j], a.Start[j+1]
			tgt, ww := a.Target[e0:e1], w[e0:e1]
			for ; m != 0; m &= m - 1 {
				b := bits.TrailingZeros8(m)
				v := archsimd.BroadcastFloat32x16(s.act[int(j)*blockSize+b])
				a.edgesSIMD(hb[b*H:(b+1)*H], ww, tgt, v)
			}
		}
		for b := range nb {
			a.outputSIMD(w, hb[b*H:(b+1)*H], s)
			logits(b0 + b)
		}
	}
	return true
}

// edgesSIMD adds v·w[e] to h[tgt[e]] for each edge e of one input pixel,
// in all lanes at once.
func (a *Arch) edgesSIMD(h [][Lanes]float32, ww [][Lanes]float32, tgt []int32, v archsimd.Float32x16) {
	ww = ww[:len(tgt)]
	for e, k := range tgt {
		hk := &h[k]
		archsimd.LoadFloat32x16(hk).Add(v.Mul(archsimd.LoadFloat32x16(&ww[e]))).Store(hk)
	}
}

// outputSIMD applies relu to the hidden sums h (in place) and writes the
// output layer's logits into s.Logits, in Forward's order.
func (a *Arch) outputSIMD(w [][Lanes]float32, h [][Lanes]float32, s *LaneScratch) {
	C := a.Classes
	z := s.Logits[:C]
	clear(z)
	out := w[a.Edges():a.Links()]
	for k := range h {
		hk := &h[k]
		b := archsimd.LoadFloat32x16(hk).AsInt32x16()
		x := b.AndNot(b.ShiftAllRight(31)).AsFloat32x16() // relu, as relu does it
		x.Store(hk)
		row := out[k*C : (k+1)*C]
		row = row[:len(z)]
		for c := range z {
			zc := &z[c]
			archsimd.LoadFloat32x16(zc).Add(x.Mul(archsimd.LoadFloat32x16(&row[c]))).Store(zc)
		}
	}
}
