//go:build !(goexperiment.simd && amd64)

package network

// Kernel names the ForwardBatchLanes kernel this build runs: "go", the
// portable one, or the BatchKernel in use (the browser's). A native amd64
// build with GOEXPERIMENT=simd (as build.sh makes) runs "avx512" where the
// processor has it.
func Kernel() string {
	if batchKernel != nil {
		return batchKernel.Name()
	}
	return "go"
}

// vectorKernel is false: this build has no vector kernel.
const vectorKernel = false

// forwardLanesSIMD reports false: this build has no vector kernel.
func forwardLanesSIMD(*Arch, [][Lanes]float32, []int32, []float32, *LaneScratch) bool {
	return false
}

// forwardBatchSIMD reports false: this build has no vector kernel.
func forwardBatchSIMD(*Arch, [][Lanes]float32, *Inputs, []int32, *LaneScratch, func(int)) bool {
	return false
}

// blockSize is the vector kernel's block of images; unused here.
const blockSize = 1
