package learner

import (
	"nnesim/core/mnist"
	"nnesim/core/settings"
)

// Speed is how fast a machine runs the rules' arithmetic: the cost model
// behind nnesim reproduce's cluster plan (Rule.Cost) and, with the
// browser's own speeds, the page's time bound (wasm/budget, from
// Rule.Work).
type Speed struct {
	// PerMAC is the seconds of one multiply-add of an NNE generation
	// (Rule.Work), and PerAllele of drawing one gene of one genotype.
	PerMAC, PerAllele float64
	// LifetimePerMAC is the seconds of one of the lifetime rules' float64
	// multiply-adds.
	LifetimePerMAC float64
}

// Speeds are calibrated by ./build.sh bench-browser's native part on a
// 2-core Intel Xeon with AVX-512 (2026-11-27), by NNE kernel
// (network.Kernel). An NNE generation on one core takes, with the AVX-512
// kernel, about 3.5 ms for the quick preset (9.2·10⁶ multiply-adds by
// nneWork; 4000 genes, N = 100) and 0.45 s for the paper's (3.0·10⁹; 5000
// genes, N = 1000): 0.14 ns per multiply-add plus 5.5 ns per gene and
// genotype fit both. The portable kernel takes 9.5 ms and 2.5 s: 0.83 ns
// and 4.8 ns. The lifetime rules' float64 products run at about 1 ns
// each.
var Speeds = map[string]Speed{
	"avx512": {PerMAC: 0.14e-9, PerAllele: 5.5e-9, LifetimePerMAC: 1e-9},
	"go":     {PerMAC: 0.83e-9, PerAllele: 4.8e-9, LifetimePerMAC: 1e-9},
}

// taskShape is what the cost of a run depends on beyond its rule's own
// settings: its classes, training and test images, and an image's lit
// pixels.
type taskShape struct{ classes, h, n, test, pixels float64 }

func shapeOf(s *settings.Settings) (taskShape, bool) {
	d, err := mnist.ParseDigits(s.Digits)
	if err != nil {
		return taskShape{}, false
	}
	c := float64(len(d))
	return taskShape{classes: c, h: float64(s.Hidden), n: float64(s.TrainImages(len(d))), test: 1000 * c, pixels: 0.2 * mnist.Pixels}, true
}

// nneCost is NNE's Cost: its generations.
func nneCost(s *settings.Settings, sp Speed) float64 {
	return float64(s.Generations) * (float64(nneWork(s)*sp.PerMAC) + float64(float64(s.Genes)*float64(s.Pop)*sp.PerAllele))
}

// readoutCost is the cost of training an output layer over fixed hidden
// features for s.Epochs: the features once, then each epoch's forward
// and backward pass and its evaluations. hiddenShare is the share of the
// pixels each hidden unit reads (1 for a dense layer).
func readoutCost(s *settings.Settings, sp Speed, hiddenShare float64) float64 {
	t, ok := shapeOf(s)
	if !ok {
		return 0
	}
	epochs := float64(s.Epochs)
	features := float64((t.n + t.test) * t.pixels * hiddenShare * t.h)
	perEpoch := float64(t.n * t.h * t.classes * 3)
	eval := float64((t.n + t.test) * t.h * t.classes / float64(max(1, s.EvalEvery)))
	return sp.LifetimePerMAC * (features + float64(epochs*(perEpoch+eval)))
}

// lifetimeCost is the Cost of the rules that train an output layer (DNN,
// SignSGD; SGD on the dense network), counting every pixel of each hidden
// unit (the dense layer's; an upper bound for the sparse one).
func lifetimeCost(s *settings.Settings, sp Speed) float64 { return readoutCost(s, sp, 1) }

// chainCost is NNE + SignSGD's Cost: the evolution, then SignSGD over the
// evolved sparse hidden layer.
func chainCost(s *settings.Settings, sp Speed) float64 {
	return float64(nneCost(s, sp)) + float64(readoutCost(s, sp, s.Q))
}

// adamCost is SGD's Cost: on the sparse network, forward and backward
// through both layers (Table 1); on the dense one, the readout.
func adamCost(s *settings.Settings, sp Speed) float64 {
	t, ok := shapeOf(s)
	if !ok || s.Net != "sparse" {
		return lifetimeCost(s, sp)
	}
	epochs := float64(s.Epochs)
	links := float64(t.pixels*t.h*s.Q) + float64(t.h*t.classes)
	return float64(sp.LifetimePerMAC*epochs*t.n*3*links) + float64(sp.LifetimePerMAC*(t.n+t.test)*links*epochs/float64(max(1, s.EvalEvery)))
}
