package learn

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/rng"
)

// BenchmarkReadoutStep measures one minibatch step of the readout over a
// fixed layer of h hidden units (Table 2): the logits h·W, their softmax
// and an Adam step on the cross-entropy gradient, for a batch of 50 with
// half the hidden units silent (ReLU), 10 classes.
func BenchmarkReadoutStep(b *testing.B) {
	for _, hidden := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("h=%d", hidden), func(b *testing.B) {
			const batch, classes = 50, 10
			s := rng.New(rng.DomainRule, 1, 99)
			h := mat.NewDense(batch, hidden, nil)
			for i := range batch {
				row := h.RawRowView(i)
				for k := range row {
					if v := s.Float64(); v < 0.5 {
						row[k] = v
					}
				}
			}
			class := make([]int32, batch)
			for i := range class {
				class[i] = int32(i % classes)
			}
			r := NewReadout(hidden, classes, 1)
			z := mat.NewDense(batch, classes, nil)
			rule := &Adam{LR: 1e-3}
			b.ResetTimer()
			for range b.N {
				mul(z, h, r.W)
				softmaxRows(z)
				rule.Step(r.W, h, z, class)
			}
		})
	}
}

// BenchmarkFeatures measures the dense first layer's features (Table 2's
// ReLU(x·W) at h = 100,000) for a block of StreamBlock MNIST test images,
// as an evaluation streams them.
func BenchmarkFeatures(b *testing.B) {
	_, _, test := testData(b, "0-9", StreamBlock)
	in, err := network.ByteInputs(mnist.Pixels, test.Images, mnist.Level, test.Class)
	if err != nil {
		b.Fatal(err)
	}
	first, err := Kaiming(mnist.Pixels, 100000, 1)
	if err != nil {
		b.Fatal(err)
	}
	h := mat.NewDense(StreamBlock, 100000, nil)
	b.ResetTimer()
	for range b.N {
		h.Zero()
		denseFeatures(h, first, in, 0)
	}
}
