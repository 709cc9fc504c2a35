//go:build js && wasm

package kernel_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"syscall/js"
	"testing"

	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/wasm/kernel"
)

// These tests run under Node.js with test/node/run_wasm.js, which gives
// the binary its memory (test/portable builds and runs them).

// problem is a random network, its lanes of weights and a batch of sparse
// inputs, like NNE's (pixels in [0, 1], about a fifth nonzero).
type problem struct {
	a     *network.Arch
	w     [][network.Lanes]float32
	d     *network.Inputs
	batch []int32
}

func newProblem(t testing.TB, in, hidden, classes, images int, seed uint64) problem {
	a, err := network.NewArch(in, hidden, classes, 0.3, seed)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 2))
	w := make([][network.Lanes]float32, a.Links())
	for l := range w {
		for g := range w[l] {
			w[l][g] = float32(r.NormFloat64())
		}
	}
	dense := make([]float32, in*images)
	class := make([]int32, images)
	for i := range dense {
		if r.IntN(5) == 0 {
			dense[i] = float32(r.IntN(256)) / 255
		}
	}
	for i := range class {
		class[i] = int32(r.IntN(classes))
	}
	d, err := network.NewInputs(in, dense, class)
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]int32, 2*images)
	for i := range batch {
		batch[i] = int32(r.IntN(images)) // repeats, as a minibatch may have
	}
	return problem{a, w, d, batch}
}

// logits runs ForwardBatchLanes and returns every image's logits, all 16
// lanes.
func (p problem) logits(lanes int) [][network.Lanes]float32 {
	s := p.a.NewLaneScratch()
	var out [][network.Lanes]float32
	p.a.ForwardBatchLanes(p.w, lanes, p.d, p.batch, s, func(int) { out = append(out, s.Logits...) })
	return out
}

// sameBits fails t, naming the first few, where got and want differ in
// any bit of any lane; row names row i.
func sameBits(t *testing.T, what string, got, want [][network.Lanes]float32, row func(i int) string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows of %s, want %d", len(got), what, len(want))
	}
	bad := 0
	for i := range want {
		for g := range want[i] {
			if math.Float32bits(got[i][g]) != math.Float32bits(want[i][g]) {
				if bad++; bad <= 5 {
					t.Errorf("%s, lane %d: %v (%08x), want %v (%08x)", row(i), g, got[i][g], math.Float32bits(got[i][g]), want[i][g], math.Float32bits(want[i][g]))
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d %s differ", bad, len(want)*network.Lanes, what)
	}
}

// uninstall goes back to the portable kernels.
func uninstall() {
	network.UseBatchKernel(nil)
	nne.UseWeightsKernel(nil)
}

func install(t testing.TB) {
	t.Helper()
	if err := kernel.Install(); err != nil {
		t.Fatalf("%v (run this binary with node test/node/run_wasm.js)", err)
	}
	t.Cleanup(uninstall)
}

// TestSameBits checks that the SIMD kernel gives the portable kernel's
// bits in every lane, for full groups and narrow ones (whose other lanes
// are 0), on networks of several shapes.
func TestSameBits(t *testing.T) {
	for _, c := range []struct {
		name                        string
		in, hidden, classes, images int
		lanes                       int
	}{
		{"full", 100, 30, 5, 20, 16},
		{"narrow", 100, 30, 5, 20, 3},
		{"ten classes", 784, 100, 10, 8, 16},
		{"one hidden unit", 50, 1, 2, 5, 16},
		{"narrow, one image", 60, 7, 3, 1, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newProblem(t, c.in, c.hidden, c.classes, c.images, uint64(c.in*c.hidden))
			if network.Kernel() != "go" {
				t.Fatalf("kernel %q before Install, want go", network.Kernel())
			}
			want := p.logits(c.lanes)
			install(t)
			if network.Kernel() != kernel.Name {
				t.Fatalf("kernel %q after Install, want %s", network.Kernel(), kernel.Name)
			}
			got := p.logits(c.lanes)
			uninstall()
			sameBits(t, "logits", got, want, func(i int) string {
				return fmt.Sprintf("image %d, class %d", i/c.classes, i%c.classes)
			})
		})
	}
}

// TestSameWeights checks that the SIMD kernel's W·x gives the portable
// column walk's bits in every lane, for full and narrow groups, and
// leaves the mask cleared.
func TestSameWeights(t *testing.T) {
	for _, c := range []struct {
		name                string
		links, genes, lanes int
		beta                float64
	}{
		{"full", 500, 300, 16, 0.05},
		{"partial group", 500, 300, 11, 0.05},
		{"narrow", 500, 300, 3, 0.05},
		{"dense", 40, 64, 16, 0.9},
		{"one gene", 20, 1, 16, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := nne.NewGenome(c.links, c.genes, c.beta, nil, uint64(c.links+c.genes))
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(uint64(c.genes), 3))
			var ones [network.Lanes][]int32
			for l := range ones[:c.lanes] {
				for i := range c.genes {
					if r.IntN(2) == 0 {
						ones[l] = append(ones[l], int32(i))
					}
				}
			}
			weights := func() [][network.Lanes]float32 {
				w := make([][network.Lanes]float32, g.Links)
				for i := range w {
					w[i] = [network.Lanes]float32{1, 2, 3} // WeightsLanes overwrites w
				}
				mask := make([]uint16, g.Genes)
				g.WeightsLanes(w, mask, &ones, c.lanes)
				for i, m := range mask {
					if m != 0 {
						t.Fatalf("mask[%d] = %#x after WeightsLanes, want 0", i, m)
					}
				}
				return w
			}
			want := weights()
			install(t)
			got := weights()
			uninstall()
			sameBits(t, "weights", got, want, func(l int) string { return fmt.Sprintf("link %d", l) })
		})
	}
}

// TestNoMemory checks that Install says what is missing rather than
// failing later.
func TestNoMemory(t *testing.T) {
	if _, err := kernel.New(js.Undefined()); err == nil {
		t.Fatal("New without a memory gave no error")
	}
}

// BenchmarkForwardBatch scores a group of 16 lanes and a narrow group on
// a minibatch of the quick preset's shape (h = 100, 5 classes, B = 25),
// with the portable kernel and with the SIMD kernel.
func BenchmarkForwardBatch(b *testing.B) {
	p := newProblem(b, 784, 100, 5, 25, 1)
	p.batch = p.batch[:25]
	for _, k := range []string{"go", kernel.Name} {
		for _, lanes := range []int{16, 4} {
			b.Run(k+"/"+map[int]string{16: "full", 4: "narrow"}[lanes], func(b *testing.B) {
				if k != "go" {
					install(b)
				}
				s := p.a.NewLaneScratch()
				for b.Loop() {
					p.a.ForwardBatchLanes(p.w, lanes, p.d, p.batch, s, func(int) {})
				}
				uninstall()
			})
		}
	}
}
