//go:build goexperiment.simd && amd64

package network

import "simd/archsimd"

// avx512 says whether the processor has the 512-bit vectors the kernel
// uses; it is read once.
var avx512 = archsimd.X86.AVX512()

// Kernel names the ForwardLanes kernel this build runs on this processor.
func Kernel() string {
	if avx512 {
		return "avx512"
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
		tgt := a.Target[lo:hi]
		ww := w[lo:hi]
		ww = ww[:len(tgt)]
		for e, k := range tgt {
			hk := &h[k]
			archsimd.LoadFloat32x16(hk).Add(v.Mul(archsimd.LoadFloat32x16(&ww[e]))).Store(hk)
		}
	}
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
	return true
}
