package learner

import (
	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/settings"
)

// classifierTask builds what the rules that score whole networks by NNE's
// fitness share (NNE, ES): the inputs of the training sample tr and the
// test images te, the sparse network of s for classes classes, and the
// task (nne.Classifier) with s's fitness.
func classifierTask(s *settings.Settings, tr, te *mnist.Labeled, classes int) (arch *network.Arch, train, test *network.Inputs, task *nne.Classifier, err error) {
	if train, err = network.ByteInputs(mnist.Pixels, tr.Images, mnist.Level, tr.Class); err != nil {
		return
	}
	if test, err = network.ByteInputs(mnist.Pixels, te.Images, mnist.Level, te.Class); err != nil {
		return
	}
	if arch, err = network.NewArch(mnist.Pixels, s.Hidden, classes, s.Q, s.Seed); err != nil {
		return
	}
	fit, err := nne.ParseFitness(s.Fitness)
	if err != nil {
		return
	}
	task, err = nne.NewClassifier(arch, train, s.Alpha, fit)
	return
}

// classify classifies every input of test with the weights w of arch,
// writing each answer into predicted and the counts into confusion (row:
// true class, of classes), and returns the share right.
func classify(arch *network.Arch, w []float32, test *network.Inputs, predicted, confusion []int32, classes int, s *network.Scratch) float64 {
	clear(confusion)
	right := 0
	for i := range test.Len() {
		pix, val := test.Input(i)
		arch.Forward(w, pix, val, s)
		p := int32(network.Argmax(s.Logits))
		predicted[i] = p
		y := test.Class[i]
		confusion[int(y)*classes+int(p)]++
		if p == y {
			right++
		}
	}
	return float64(right) / float64(max(1, test.Len()))
}

// probabilities classifies one input x (pixels in [0, 1]) with the
// weights w of arch into dst, which it returns (grown if short).
func probabilities(arch *network.Arch, w, x []float32, dst []float64, s *network.Scratch) []float64 {
	if cap(dst) < arch.Classes {
		dst = make([]float64, arch.Classes)
	}
	dst = dst[:arch.Classes]
	pix, val := network.SparseInput(x)
	arch.Forward(w, pix, val, s)
	network.Softmax(dst, s.Logits)
	return dst
}
