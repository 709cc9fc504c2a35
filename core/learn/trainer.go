package learn

import (
	"encoding/binary"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/mnist"
	"nnesim/core/network"
)

// Trainer is one lifetime-learning run advanced a minibatch at a time, so
// that its caller (a command, a browser worker) can pause, step, save and
// resume it. The order of epoch e's minibatches is keyed by (seed, e), so
// what changes as it trains is only its position, its weights and its
// rule's state (Adam's moments and step count, the dopamine rule's count
// of answers); State and SetState carry exactly these, and a restored
// Trainer continues bit for bit.
type Trainer struct {
	Config  Config
	Classes int

	epoch int   // epochs completed
	batch int   // minibatches done in the current epoch
	order []int // the current epoch's order of the training examples

	// The sparse network trained whole by backpropagation (Table 1's SGD).
	net             *Net
	trainIn, testIn *network.Inputs
	arch            *network.Arch
	scratch         *network.Scratch
	w32             []float32

	// A readout over a fixed first layer: dense (first) or the sparse
	// network's (arch with weights w32).
	out           *Readout
	rule          Rule
	first         *mat.Dense
	ftrain, ftest *Features
	hb, zb        *mat.Dense
	cb            []int32
}

// NewTrainer builds the run c on the training and test examples, of the
// given number of classes. start, if not nil, is a sparse network's
// weights (an NNE run's mean genotype): its first layer stays and its
// output layer is trained (NNE + SignSGD).
func NewTrainer(c Config, trainSet, testSet *mnist.Labeled, classes int, start []float32) (*Trainer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if trainSet.Len() == 0 || testSet.Len() == 0 {
		return nil, fmt.Errorf("learn: %d training and %d test examples, want some of each", trainSet.Len(), testSet.Len())
	}
	t := &Trainer{Config: c, Classes: classes, order: make([]int, trainSet.Len())}
	for i := range t.order {
		t.order[i] = i
	}
	var err error
	if c.Net == "sparse" {
		if t.arch, err = network.NewArch(mnist.Pixels, c.Hidden, classes, c.Q, c.Seed); err != nil {
			return nil, err
		}
		if start != nil && len(start) != t.arch.Links() {
			return nil, fmt.Errorf("learn: the start network has %d weights, want %d for %d hidden units", len(start), t.arch.Links(), c.Hidden)
		}
	}
	if t.trainIn, err = network.ByteInputs(mnist.Pixels, trainSet.Images, mnist.Level, trainSet.Class); err != nil {
		return nil, err
	}
	if t.testIn, err = network.ByteInputs(mnist.Pixels, testSet.Images, mnist.Level, testSet.Class); err != nil {
		return nil, err
	}
	if c.Algo == "sgd" && c.Net == "sparse" {
		t.net = NewNet(t.arch, c.Seed)
		if start != nil {
			for i, v := range start {
				t.net.W[i] = float64(v)
			}
		}
		t.net.opt.LR = c.LR
		t.net.g = make([]float64, len(t.net.W))
		t.scratch = t.arch.NewScratch()
		return t, nil
	}
	t.out = NewReadout(c.Hidden, classes, c.Seed)
	t.rule = c.rule()
	if c.Net == "sparse" {
		t.w32 = start
		if t.w32 == nil {
			t.w32 = NewNet(t.arch, c.Seed).Weights32(nil)
		}
		for i, v := range t.arch.Output(t.w32) {
			t.out.W.RawMatrix().Data[i] = float64(v)
		}
		t.scratch = t.arch.NewScratch()
	} else if t.first, err = Kaiming(mnist.Pixels, c.Hidden, c.Seed); err != nil {
		return nil, err
	}
	t.ftrain = t.features(t.trainIn, 0, t.trainIn.Len())
	if !c.StreamTest {
		t.ftest = t.features(t.testIn, 0, t.testIn.Len())
	}
	b := min(c.Batch, trainSet.Len())
	t.hb, t.zb, t.cb = mat.NewDense(b, c.Hidden, nil), mat.NewDense(b, classes, nil), make([]int32, b)
	return t, nil
}

// Epoch returns the number of epochs completed, and Batch the minibatches
// done in the current one.
func (t *Trainer) Epoch() int { return t.epoch }

// Batch returns the minibatches done in the current epoch.
func (t *Trainer) Batch() int { return t.batch }

// BatchesPerEpoch returns the number of minibatches in an epoch.
func (t *Trainer) BatchesPerEpoch() int { return (len(t.order) + t.Config.Batch - 1) / t.Config.Batch }

// Done reports whether the run has trained its Config.Epochs epochs.
func (t *Trainer) Done() bool { return t.epoch >= t.Config.Epochs }

// Step trains on the next minibatch: epoch e's examples go in their
// seeded order (shuffled from the previous epoch's), B at a time.
func (t *Trainer) Step() error {
	if t.Done() {
		return fmt.Errorf("learn: the run has trained its %d epochs", t.Config.Epochs)
	}
	if t.batch == 0 {
		shuffle(t.order, t.Config.Seed, t.epoch+1)
	}
	n, B := len(t.order), t.Config.Batch
	lo := t.batch * B
	hi := min(n, lo+B)
	idx := t.order[lo:hi]
	if t.net != nil {
		t.net.Gradient(t.net.g, t.trainIn, idx)
		t.net.opt.step(t.net.W, t.net.g)
	} else {
		hidden, classes := t.Config.Hidden, t.Classes
		h := t.hb.Slice(0, hi-lo, 0, hidden).(*mat.Dense)
		z := t.zb.Slice(0, hi-lo, 0, classes).(*mat.Dense)
		for b, i := range idx {
			h.SetRow(b, t.ftrain.H.RawRowView(i))
			t.cb[b] = t.ftrain.Class[i]
		}
		mul(z, h, t.out.W)
		softmaxRows(z)
		t.rule.Step(t.out.W, h, z, t.cb[:hi-lo])
	}
	t.batch++
	if hi == n {
		t.epoch++
		t.batch = 0
	}
	return nil
}

// Weights returns the trained weights: the whole sparse network's for
// Table 1's SGD, else the readout's (hidden×classes, row-major).
func (t *Trainer) Weights() []float64 {
	if t.net != nil {
		return t.net.W
	}
	return t.out.W.RawMatrix().Data
}

// Hash returns the hex SHA-256 of Weights as little-endian float64, the
// weights_sha256 of nnesim train -json.
func (t *Trainer) Hash() string { return weightsHash(t.Weights()) }

// Accuracy returns the fraction of test and of training examples
// classified right.
func (t *Trainer) Accuracy() (test, train float64) {
	test, train, _ = t.Evaluate(nil)
	return test, train
}

// Evaluate returns the test and training accuracy and the class predicted
// for each test example, in pred (reallocated if short).
func (t *Trainer) Evaluate(pred []int32) (test, train float64, _ []int32) {
	if t.net != nil {
		t.w32 = t.net.Weights32(t.w32)
		n := t.testIn.Len()
		if cap(pred) < n {
			pred = make([]int32, n)
		}
		pred = pred[:n]
		right := 0
		for i := range n {
			pix, val := t.testIn.Input(i)
			t.arch.Forward(t.w32, pix, val, t.scratch)
			pred[i] = int32(network.Argmax(t.scratch.Logits))
			if pred[i] == t.testIn.Class[i] {
				right++
			}
		}
		return float64(right) / float64(max(1, n)), t.arch.Accuracy(t.w32, t.trainIn, t.scratch), pred
	}
	if t.ftest != nil {
		test, pred = t.out.Predict(t.ftest, pred)
		return test, t.out.Accuracy(t.ftrain), pred
	}
	// The test set's features a block at a time (Config.StreamTest).
	n := t.testIn.Len()
	if cap(pred) < n {
		pred = make([]int32, n)
	}
	pred = pred[:n]
	right := 0
	for lo := 0; lo < n; lo += StreamBlock {
		hi := min(n, lo+StreamBlock)
		f := t.features(t.testIn, lo, hi)
		t.out.Predict(f, pred[lo:hi])
		for i, c := range f.Class {
			if pred[lo+i] == c {
				right++
			}
		}
	}
	return float64(right) / float64(n), t.out.Accuracy(t.ftrain), pred
}

// StreamBlock is the number of test examples whose features
// Config.StreamTest holds at a time.
const StreamBlock = 256

// features returns the hidden features of examples lo..hi−1 of in under
// the fixed first layer: the sparse network's (network.Forward's hidden
// layer), or ReLU(x·W) of the dense one, each sum over the example's
// nonzero pixels in increasing order. The training sample's and the test
// set's are computed here, kept or a block at a time
// (Config.StreamTest), so both give the same rows.
func (t *Trainer) features(in *network.Inputs, lo, hi int) *Features {
	f := &Features{H: mat.NewDense(hi-lo, t.Config.Hidden, nil), Class: in.Class[lo:hi], Classes: t.Classes}
	if t.first != nil {
		denseFeatures(f.H, t.first, in, lo)
		return f
	}
	for i := lo; i < hi; i++ {
		pix, val := in.Input(i)
		row := f.H.RawRowView(i - lo)
		t.arch.Forward(t.w32, pix, val, t.scratch)
		for k, v := range t.scratch.Hidden {
			row[k] = float64(v)
		}
	}
	return f
}

// featureChunk is the number of hidden units denseFeatures sums at a
// time: each pixel's row of the first layer is 2 KB of it, which the
// examples of a block then read from the cache (at Table 2's h =
// 100,000 a whole row is 800 KB, and the layer 627 MB).
const featureChunk = 256

// denseFeatures sets row i of h (zeroed) to ReLU(x·first) for example
// lo+i of in: each hidden unit summed over the example's nonzero pixels
// in increasing order, a chunk of hidden units for all the examples at a
// time.
func denseFeatures(h, first *mat.Dense, in *network.Inputs, lo int) {
	n, hidden := h.Dims()
	for c0 := 0; c0 < hidden; c0 += featureChunk {
		c1 := min(hidden, c0+featureChunk)
		for i := range n {
			pix, val := in.Input(lo + i)
			row := h.RawRowView(i)[c0:c1]
			for k, j := range pix {
				axpy(row, float64(val[k]), first.RawRowView(int(j))[c0:c1])
			}
			for k, v := range row {
				row[k] = max(0, v)
			}
		}
	}
}

// Fields returns the input weights of the first units hidden units as
// 28×28 images (fields[k·784+i]), with linked false where a sparse
// network has no edge.
func (t *Trainer) Fields(units int) (fields []float32, linked []bool) {
	switch {
	case t.net != nil:
		t.w32 = t.net.Weights32(t.w32)
		return t.arch.Fields(t.w32, units)
	case t.first == nil:
		return t.arch.Fields(t.w32, units)
	}
	units = min(units, t.Config.Hidden)
	fields, linked = make([]float32, units*mnist.Pixels), make([]bool, units*mnist.Pixels)
	for i := range mnist.Pixels {
		row := t.first.RawRowView(i)
		for k := range units {
			fields[k*mnist.Pixels+i] = float32(row[k])
			linked[k*mnist.Pixels+i] = true
		}
	}
	return fields, linked
}

// Output returns the output weights, hidden×classes, as float32.
func (t *Trainer) Output() []float32 {
	var w []float64
	if t.net != nil {
		w = t.net.W[t.arch.Edges():]
	} else {
		w = t.out.W.RawMatrix().Data
	}
	out := make([]float32, len(w))
	for i, v := range w {
		out[i] = float32(v)
	}
	return out
}

// stateful is a rule with state besides the weights; setState is given
// the number of weights the state belongs with.
type stateful interface {
	state() []float64
	setState(s []float64, weights int) error
}

func (a *adam) state() []float64 {
	return append(append([]float64{float64(a.t), a.b1t, a.b2t}, a.m...), a.v...)
}

func (a *adam) setState(s []float64, weights int) error {
	n := (len(s) - 3) / 2
	if len(s) < 3 || len(s) != 3+2*n || n != 0 && n != weights || s[0] != math.Trunc(s[0]) || s[0] < 0 || s[0] > 1<<53 {
		return fmt.Errorf("learn: an Adam state of %d numbers for %d weights", len(s), weights)
	}
	a.t, a.b1t, a.b2t = int(s[0]), s[1], s[2]
	a.m, a.v = append([]float64(nil), s[3:3+n]...), append([]float64(nil), s[3+n:]...)
	return nil
}

func (a *Adam) state() []float64                  { return a.opt.state() }
func (a *Adam) setState(s []float64, w int) error { return a.opt.setState(s, w) }
func (r *Dopamine) state() []float64 {
	return []float64{float64(r.steps), r.signalSum, float64(r.signalN)}
}
func (r *SignSGD) state() []float64                  { return nil }
func (r *SignSGD) setState(s []float64, _ int) error { return wantLen(s, 0, "SignSGD") }

func (r *Dopamine) setState(s []float64, _ int) error {
	if err := wantLen(s, 3, "dopamine"); err != nil {
		return err
	}
	for _, v := range []float64{s[0], s[2]} {
		if v < 0 || v != math.Trunc(v) || v > 1<<53 {
			return fmt.Errorf("learn: dopamine count %v", v)
		}
	}
	if math.IsNaN(s[1]) || math.IsInf(s[1], 0) {
		return fmt.Errorf("learn: dopamine signal sum %v", s[1])
	}
	r.steps, r.signalSum, r.signalN = uint64(s[0]), s[1], uint64(s[2])
	return nil
}

// Signal returns the mean dopamine signal since the last call (the reward
// reading of the dopamine rule), and false for the other rules.
func (t *Trainer) Signal() (float64, bool) {
	if d, ok := t.rule.(*Dopamine); ok {
		return d.TakeSignal()
	}
	return 0, false
}

func wantLen(s []float64, n int, what string) error {
	if len(s) != n {
		return fmt.Errorf("learn: %s state of %d numbers, want %d", what, len(s), n)
	}
	return nil
}

// State returns everything Step changes, to continue the run later with
// SetState on a Trainer built from the same Config and data: the epoch,
// the minibatch within it, the weights and the rule's state, encoded
// little-endian (uint64 epoch, uint64 batch, uint64 count + float64
// weights, uint64 count + float64 rule state).
func (t *Trainer) State() []byte {
	var opt []float64
	if t.net != nil {
		opt = t.net.opt.state()
	} else if s, ok := t.rule.(stateful); ok {
		opt = s.state()
	}
	w := t.Weights()
	b := make([]byte, 0, 32+8*(len(w)+len(opt)))
	le := binary.LittleEndian
	b = le.AppendUint64(b, uint64(t.epoch))
	b = le.AppendUint64(b, uint64(t.batch))
	for _, list := range [][]float64{w, opt} {
		b = le.AppendUint64(b, uint64(len(list)))
		for _, v := range list {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

// SetState continues the run from a State of a Trainer of the same Config
// and data; a state that does not fit (another configuration, a damaged
// file) is refused with the reason and t is unchanged.
func (t *Trainer) SetState(b []byte) error {
	le := binary.LittleEndian
	next := func() (uint64, error) {
		if len(b) < 8 {
			return 0, fmt.Errorf("learn: the saved state is truncated")
		}
		v := le.Uint64(b)
		b = b[8:]
		return v, nil
	}
	epoch, err := next()
	if err != nil {
		return err
	}
	batch, err := next()
	if err != nil {
		return err
	}
	if epoch > uint64(t.Config.Epochs) || batch >= uint64(t.BatchesPerEpoch()) || epoch == uint64(t.Config.Epochs) && batch != 0 {
		return fmt.Errorf("learn: saved at epoch %d, minibatch %d; this run has %d epochs of %d minibatches", epoch, batch, t.Config.Epochs, t.BatchesPerEpoch())
	}
	var lists [2][]float64
	for i := range lists {
		n, err := next()
		if err != nil {
			return err
		}
		if n > uint64(len(b)/8) {
			return fmt.Errorf("learn: the saved state claims %d numbers in %d bytes", n, len(b))
		}
		lists[i] = make([]float64, n)
		for k := range lists[i] {
			v, _ := next() // in range: checked above
			lists[i][k] = math.Float64frombits(v)
		}
	}
	if len(b) != 0 {
		return fmt.Errorf("learn: %d bytes after the saved state", len(b))
	}
	w := t.Weights()
	if len(lists[0]) != len(w) {
		return fmt.Errorf("learn: the saved state has %d weights, this run %d", len(lists[0]), len(w))
	}
	if t.net != nil {
		if err := t.net.opt.setState(lists[1], len(w)); err != nil {
			return err
		}
	} else if s, ok := t.rule.(stateful); ok {
		if err := s.setState(lists[1], len(w)); err != nil {
			return err
		}
	}
	copy(w, lists[0])
	t.epoch, t.batch = int(epoch), int(batch)
	// Replay the orders: epoch e's is shuffled from epoch e−1's.
	for i := range t.order {
		t.order[i] = i
	}
	for e := 1; e <= t.epoch; e++ {
		shuffle(t.order, t.Config.Seed, e)
	}
	if t.batch > 0 {
		shuffle(t.order, t.Config.Seed, t.epoch+1)
	}
	return nil
}

// Probabilities returns the class probabilities of one input (pixels in
// [0, 1]) under the current weights, into dst (reallocated if short).
func (t *Trainer) Probabilities(x []float32, dst []float64) []float64 {
	if cap(dst) < t.Classes {
		dst = make([]float64, t.Classes)
	}
	dst = dst[:t.Classes]
	pix, val := network.SparseInput(x)
	if t.net != nil {
		t.w32 = t.net.Weights32(t.w32)
		t.arch.Forward(t.w32, pix, val, t.scratch)
		network.Softmax(dst, t.scratch.Logits)
		return dst
	}
	// The hidden layer as the features of a one-example set, then the
	// readout's logits: the products of Features and Readout.Predict.
	h := mat.NewDense(1, t.Config.Hidden, nil)
	if t.first != nil {
		xd := make([]float64, len(x))
		for i, v := range x {
			xd[i] = float64(v)
		}
		mul(h, mat.NewDense(1, len(x), xd), t.first)
		h.Apply(func(_, _ int, v float64) float64 { return max(0, v) }, h)
	} else {
		t.arch.Forward(t.w32, pix, val, t.scratch)
		for k, v := range t.scratch.Hidden {
			h.Set(0, k, float64(v))
		}
	}
	mul(mat.NewDense(1, t.Classes, dst), h, t.out.W)
	network.Softmax(dst, dst)
	return dst
}
