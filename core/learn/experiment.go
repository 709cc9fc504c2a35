package learn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	"nnesim/core/mnist"
	"nnesim/core/network"
)

// Algos are the lifetime learning rules of Config.Algo.
var Algos = []string{"sgd", "signsgd", "dnn"}

// Config is one lifetime-learning run.
type Config struct {
	Algo string `json:"algo"` // sgd, signsgd or dnn
	// Net is the network: "dense", a fixed Kaiming-uniform first layer
	// with only the output layer trained (Section 3.2, Table 2); or
	// "sparse", package network's graph (q = Q) as NNE evolves it, where
	// sgd trains both layers (Table 1's SGD) and the other rules the
	// output layer over the first layer of Start, or a Kaiming-uniform one.
	Net    string  `json:"net"`
	Hidden int     `json:"hidden"`
	Q      float64 `json:"q"`
	Epochs int     `json:"epochs"`
	Batch  int     `json:"batch"`
	LR     float64 `json:"lr"` // sgd: Adam's rate; signsgd: ε'; dnn reward: its step
	// dnn: the reading, the firing gate of the literal readings, their
	// ε₀ and ε₁, and the reward reading's exploration (Dopamine).
	Rule    string  `json:"dnn_rule,omitempty"`
	Gate    bool    `json:"fire_gate,omitempty"`
	Eps0    float64 `json:"eps0,omitempty"`
	Eps1    float64 `json:"eps1,omitempty"`
	Explore float64 `json:"explore,omitempty"`
	Seed    uint64  `json:"seed"`
	// EvalEvery is the number of epochs between points of the curve.
	EvalEvery int `json:"eval_every"`
}

// Point is one evaluation of a run.
type Point struct {
	Epoch         int     `json:"epoch"`
	Seconds       float64 `json:"seconds"`
	TestAccuracy  float64 `json:"test_accuracy"`
	TrainAccuracy float64 `json:"train_accuracy"`
	// WeightsSHA256 is the SHA-256 of the trained weights' float64 bits
	// (little-endian): two runs of one Config and seed give the same.
	WeightsSHA256 string `json:"weights_sha256"`
}

// weightsHash returns the hex SHA-256 of w's float64 bits, little-endian.
func weightsHash(w []float64) string {
	b := make([]byte, 8*len(w))
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Validate checks c before anything is allocated.
func (c Config) Validate() error {
	switch {
	case c.Algo != "sgd" && c.Algo != "signsgd" && c.Algo != "dnn":
		return fmt.Errorf("learn: algo %q, want sgd, signsgd or dnn", c.Algo)
	case c.Net != "dense" && c.Net != "sparse":
		return fmt.Errorf("learn: net %q, want dense or sparse", c.Net)
	case c.Hidden < 1 || c.Hidden > 100000:
		return fmt.Errorf("learn: hidden = %d, want 1 to 100000", c.Hidden)
	case c.Net == "sparse" && !(c.Q > 0 && c.Q <= 1):
		return fmt.Errorf("learn: q = %v, want 0 < q ≤ 1", c.Q)
	case c.Epochs < 0 || c.Epochs > 100000:
		return fmt.Errorf("learn: epochs = %d, want 0 to 100000", c.Epochs)
	case c.Batch < 1 || c.Batch > 100000:
		return fmt.Errorf("learn: batch = %d, want 1 to 100000", c.Batch)
	case !(c.LR > 0 && c.LR < 1e3):
		return fmt.Errorf("learn: lr = %v, want a positive rate below 1000", c.LR)
	case c.EvalEvery < 1:
		return fmt.Errorf("learn: eval every %d epochs, want at least 1", c.EvalEvery)
	case float64(mnist.Pixels)*float64(c.Hidden) > network.MaxLinks:
		return fmt.Errorf("learn: a %d×%d first layer is too large", mnist.Pixels, c.Hidden)
	}
	if c.Algo == "dnn" {
		if _, err := ParseReading(c.Rule); err != nil {
			return fmt.Errorf("learn: %w", err)
		}
		if !(c.Explore >= 0 && c.Explore <= 1) {
			return fmt.Errorf("learn: explore = %v, want 0 to 1", c.Explore)
		}
	}
	return nil
}

// rule returns the output layer's rule of c.
func (c Config) rule() Rule {
	switch c.Algo {
	case "signsgd":
		return &SignSGD{LR: c.LR}
	case "dnn":
		r, _ := ParseReading(c.Rule) // Validate, which Train calls first, has parsed it
		return &Dopamine{Reading: r, Gate: c.Gate, Eps0: c.Eps0, Eps1: c.Eps1, LR: c.LR, Explore: c.Explore, Seed: c.Seed}
	}
	return &Adam{LR: c.LR}
}

// Train runs c on the training examples and evaluates on the test
// examples every EvalEvery epochs (and at epoch 0), calling report (if not
// nil) with each point; it returns the curve. classes is the number of
// classes of the examples. start, if not nil, is a sparse network's
// weights (an NNE run's mean genotype) to start from: its first layer
// stays and its output layer is trained (NNE + SignSGD).
func Train(c Config, trainSet, testSet *mnist.Labeled, classes int, start []float32, report func(Point)) ([]Point, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	var curve []Point
	var weights []float64 // the trained weights, set below
	eval := func(epoch int, test, train func() float64) {
		pt := Point{Epoch: epoch, TestAccuracy: test(), TrainAccuracy: train(), Seconds: time.Since(t0).Seconds(), WeightsSHA256: weightsHash(weights)}
		curve = append(curve, pt)
		if report != nil {
			report(pt)
		}
	}
	opt := Options{Epochs: c.Epochs, Batch: c.Batch, Seed: c.Seed}
	every := func(f func(int)) func(int) error {
		return func(epoch int) error {
			if epoch%c.EvalEvery == 0 || epoch == c.Epochs {
				f(epoch)
			}
			return nil
		}
	}
	var arch *network.Arch
	if c.Net == "sparse" {
		var err error
		if arch, err = network.NewArch(mnist.Pixels, c.Hidden, classes, c.Q, c.Seed); err != nil {
			return nil, err
		}
		if start != nil && len(start) != arch.Links() {
			return nil, fmt.Errorf("learn: the start network has %d weights, want %d for %d hidden units", len(start), arch.Links(), c.Hidden)
		}
	}
	trainIn, err := network.NewInputs(mnist.Pixels, trainSet.Pixels, trainSet.Class)
	if err != nil {
		return nil, err
	}
	testIn, err := network.NewInputs(mnist.Pixels, testSet.Pixels, testSet.Class)
	if err != nil {
		return nil, err
	}
	if c.Algo == "sgd" && c.Net == "sparse" {
		net := NewNet(arch, c.Seed)
		if start != nil {
			for i, v := range start {
				net.W[i] = float64(v)
			}
		}
		weights = net.W
		s := arch.NewScratch()
		var w []float32
		acc := func(d *network.Inputs) func() float64 {
			return func() float64 { w = net.Weights32(w); return arch.Accuracy(w, d, s) }
		}
		eval(0, acc(testIn), acc(trainIn))
		return curve, net.Fit(trainIn, c.LR, opt, every(func(e int) { eval(e, acc(testIn), acc(trainIn)) }))
	}
	// A fixed first layer and a trained readout.
	var ftrain, ftest *Features
	out := NewReadout(c.Hidden, classes, c.Seed)
	if c.Net == "sparse" {
		w := start
		if w == nil {
			w = NewNet(arch, c.Seed).Weights32(nil)
		}
		for i, v := range arch.Output(w) {
			out.W.RawMatrix().Data[i] = float64(v)
		}
		if ftrain, err = SparseFeatures(arch, w, trainIn); err != nil {
			return nil, err
		}
		if ftest, err = SparseFeatures(arch, w, testIn); err != nil {
			return nil, err
		}
	} else {
		first, err := Kaiming(mnist.Pixels, c.Hidden, c.Seed)
		if err != nil {
			return nil, err
		}
		if ftrain, err = DenseFeatures(first, trainSet.Pixels, trainSet.Class, classes); err != nil {
			return nil, err
		}
		if ftest, err = DenseFeatures(first, testSet.Pixels, testSet.Class, classes); err != nil {
			return nil, err
		}
	}
	weights = out.W.RawMatrix().Data
	acc := func(f *Features) func() float64 { return func() float64 { return out.Accuracy(f) } }
	eval(0, acc(ftest), acc(ftrain))
	return curve, Fit(out, ftrain, c.rule(), opt, every(func(e int) { eval(e, acc(ftest), acc(ftrain)) }))
}
