package learn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/mnist"
	"nnesim/core/network"
)

// tiny is a minibatch of two examples over 2 hidden units and 3 classes,
// with softmax outputs z given directly.
func tiny() (h, z *mat.Dense, class []int32) {
	h = mat.NewDense(2, 2, []float64{
		1, 0, // example 0: unit 0 fired
		2, 3, // example 1: both fired
	})
	z = mat.NewDense(2, 3, []float64{
		0.7, 0.2, 0.1, // right (class 0), L = −ln 0.7 ≈ 0.357
		0.6, 0.3, 0.1, // wrong (class 2), L = −ln 0.1 ≈ 2.303
	})
	return h, z, []int32{0, 2}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func checkW(t *testing.T, name string, w *mat.Dense, want []float64) {
	t.Helper()
	for i, v := range w.RawMatrix().Data {
		if !near(v, want[i]) {
			t.Fatalf("%s: w = %v, want %v", name, w.RawMatrix().Data, want)
		}
	}
}

func TestSignSGD(t *testing.T) {
	h, z, class := tiny()
	// g = hᵀ(z − y)/2: z − y = [−.3 .2 .1; .6 .3 −.9];
	// g row 0 (unit 0) = (1·[−.3 .2 .1] + 2·[.6 .3 −.9])/2 = [.45 .4 −.85];
	// g row 1 (unit 1) = 3·[.6 .3 −.9]/2 = [.9 .45 −1.35].
	w := mat.NewDense(2, 3, nil)
	(&SignSGD{LR: 0.5}).Step(w, h, z, class)
	checkW(t, "signsgd", w, []float64{-0.5, -0.5, 0.5, -0.5, -0.5, 0.5})
}

func TestAdamFirstStep(t *testing.T) {
	h, z, class := tiny()
	// Adam's first step is −lr·g/(|g| + ε′) with bias correction, i.e.
	// −lr·sign(g) up to ε.
	w := mat.NewDense(2, 3, nil)
	(&Adam{LR: 0.01}).Step(w, h, z, class)
	g := []float64{0.45, 0.4, -0.85, 0.9, 0.45, -1.35}
	for i, v := range w.RawMatrix().Data {
		want := -0.01 * g[i] / (math.Abs(g[i]) + 1e-8)
		if math.Abs(v-want) > 1e-12 {
			t.Fatalf("adam: w[%d] = %v, want %v", i, v, want)
		}
	}
}

// TestAdamSecondStep checks the moment estimates and the bias correction
// after the first step: two steps of one Adam with different gradients,
// against values worked out by hand.
func TestAdamSecondStep(t *testing.T) {
	h, z, class := tiny()
	a := &Adam{LR: 0.01}
	w := mat.NewDense(2, 3, nil)
	a.Step(w, h, z, class)
	// The second minibatch's outputs: z − y = [−.8 .5 .3; .1 .1 −.2], so
	// g₂ row 0 = (1·[−.8 .5 .3] + 2·[.1 .1 −.2])/2 = [−.3 .35 −.05] and
	// row 1 = 3·[.1 .1 −.2]/2 = [.15 .15 −.3].
	z2 := mat.NewDense(2, 3, []float64{0.2, 0.5, 0.3, 0.1, 0.1, 0.8})
	a.Step(w, h, z2, class)
	g1 := []float64{0.45, 0.4, -0.85, 0.9, 0.45, -1.35}
	g2 := []float64{-0.3, 0.35, -0.05, 0.15, 0.15, -0.3}
	for i, v := range w.RawMatrix().Data {
		// Step 1 moved by −lr·sign(g₁) (up to ε). After step 2:
		// m = 0.9·0.1·g₁ + 0.1·g₂, v = 0.999·0.001·g₁² + 0.001·g₂²,
		// corrected by 1 − 0.9² = 0.19 and 1 − 0.999² = 0.001999.
		m := 0.09*g1[i] + 0.1*g2[i]
		s := 0.000999*g1[i]*g1[i] + 0.001*g2[i]*g2[i]
		want := -0.01*g1[i]/(math.Abs(g1[i])+1e-8) - 0.01*(m/0.19)/(math.Sqrt(s/0.001999)+1e-8)
		if math.Abs(v-want) > 1e-12 {
			t.Errorf("adam after two steps: w[%d] = %v, want %v", i, v, want)
		}
	}
}

func TestDopamineReadings(t *testing.T) {
	h, z, class := tiny()
	// Per example and output j, e_j² and L:
	// ex 0 (L .357 ≤ ε₀ = .75): e² = [.09 .04 .01], all ≤ ¼;
	// ex 1 (L 2.303 > ε₀):      e² = [.36 .09 .81], only j = 1 below ¼.
	for _, tc := range []struct {
		r    Reading
		gate bool
		want []float64 // Δw = ε₁/B · Σ_b pre_bi · term_bj, ε₁ = 1, B = 2
	}{
		// printed: term 1 iff ¼ − e² > 0 and L > ε₀: only (ex 1, j 1).
		{Printed, false, []float64{0, 0.5, 0, 0, 0.5, 0}},
		{Printed, true, []float64{0, 0.5, 0, 0, 0.5, 0}},
		// prose: term 1 iff e² ≤ ¼ and L ≤ ε₀: ex 0, every j.
		{Prose, false, []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}},
		// with the gate, unit 1 did not fire in ex 0.
		{Prose, true, []float64{0.5, 0.5, 0.5, 0, 0, 0}},
		// signed: term ¼ − e²: ex 0 [.16 .21 .24], ex 1 [−.11 .16 −.56].
		{Signed, false, []float64{(0.16 - 0.11) / 2, (0.21 + 0.16) / 2, (0.24 - 0.56) / 2, (0.16 - 0.11) / 2, (0.21 + 0.16) / 2, (0.24 - 0.56) / 2}},
		{Signed, true, []float64{(0.16 - 0.11) / 2, (0.21 + 0.16) / 2, (0.24 - 0.56) / 2, -0.11 / 2, 0.16 / 2, -0.56 / 2}},
	} {
		w := mat.NewDense(2, 3, nil)
		(&Dopamine{Reading: tc.r, Gate: tc.gate, Eps0: 0.75, Eps1: 1}).Step(w, h, z, class)
		for i, v := range w.RawMatrix().Data {
			if math.Abs(v-tc.want[i]) > 1e-9 {
				t.Errorf("%v gate=%v: Δw = %v, want %v", tc.r, tc.gate, w.RawMatrix().Data, tc.want)
				break
			}
		}
	}
}

func TestDopamineReward(t *testing.T) {
	h, z, class := tiny()
	// With certain outputs (one-hot z) and no exploration both examples
	// answer 0: ex 0 rightly (R − z_a = 1 − 1 = 0), ex 1 wrongly (0 − 1 =
	// −1). Only column 0 changes: Δw_i0 = LR/2 · (h_0i·0 + h_1i·(−1)).
	z = mat.NewDense(2, 3, []float64{1, 0, 0, 1, 0, 0})
	w := mat.NewDense(2, 3, nil)
	(&Dopamine{Reading: Reward, LR: 2, Seed: 1}).Step(w, h, z, class)
	checkW(t, "reward", w, []float64{1*0 + 2*(-1), 0, 0, 3 * -1, 0, 0})
	// With fractional z the answers are random but seeded: the same seed
	// gives the same change, and only the answered columns move.
	h, z, class = tiny()
	a, b := mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil)
	(&Dopamine{Reading: Reward, LR: 1, Explore: 0.5, Seed: 7}).Step(a, h, z, class)
	(&Dopamine{Reading: Reward, LR: 1, Explore: 0.5, Seed: 7}).Step(b, h, z, class)
	if !mat.Equal(a, b) || mat.Norm(a, 1) == 0 {
		t.Errorf("reward with seed 7: %v and %v", a.RawMatrix().Data, b.RawMatrix().Data)
	}
}

// TestNetGradient checks backpropagation through the sparse network
// against central finite differences.
func TestNetGradient(t *testing.T) {
	arch, err := network.NewArch(6, 4, 3, 0.6, 2)
	if err != nil {
		t.Fatal(err)
	}
	d, err := network.NewInputs(6, []float32{
		0.5, 0, 1, 0.25, 0, 0.75,
		0, 1, 0.5, 0, 0.9, 0.1,
		1, 1, 0, 0, 0.3, 0,
	}, []int32{0, 2, 1})
	if err != nil {
		t.Fatal(err)
	}
	n := NewNet(arch, 3)
	g := make([]float64, len(n.W))
	idx := []int{0, 1, 2}
	n.Gradient(g, d, idx)
	scratch := make([]float64, len(n.W))
	const h = 1e-6
	for i := range n.W {
		old := n.W[i]
		n.W[i] = old + h
		up := n.Gradient(scratch, d, idx)
		n.W[i] = old - h
		down := n.Gradient(scratch, d, idx)
		n.W[i] = old
		num := (up - down) / (2 * h)
		if math.Abs(num-g[i]) > 1e-6*max(1, math.Abs(num)) {
			t.Errorf("weight %d: backprop %v, finite differences %v", i, g[i], num)
		}
	}
	if arch.Edges() == 0 {
		t.Fatal("no input edges to check")
	}
}

// testData returns the MNIST training pool, the digit set digits and its
// first n test images.
func testData(t testing.TB, digits string, n int) (*mnist.Set, mnist.Digits, *mnist.Labeled) {
	t.Helper()
	pool, test, err := mnist.LoadPool("")
	if err != nil {
		t.Fatal(err)
	}
	d, err := mnist.ParseDigits(digits)
	if err != nil {
		t.Fatal(err)
	}
	testSet := test.Filter(d)
	testSet.Head(n)
	return pool, d, testSet
}

func TestConfigValidate(t *testing.T) {
	good := Config{Algo: "dnn", Net: "dense", Hidden: 10, Q: 0.1, Epochs: 1, Batch: 5, LR: 0.1, Rule: "reward", EvalEvery: 1}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.Algo = "backprop" }, "want sgd, signsgd or dnn"},
		{func(c *Config) { c.Net = "deep" }, "want dense or sparse"},
		{func(c *Config) { c.Hidden = 1e9 }, "want 1 to 100000"},
		{func(c *Config) { c.LR = math.NaN() }, "want a positive rate"},
		{func(c *Config) { c.Rule = "dopey" }, "want printed, prose, signed or reward"},
		{func(c *Config) { c.Explore = 2 }, "explore = 2"},
		{func(c *Config) { c.Batch = 0 }, "batch = 0"},
	} {
		c := good
		tc.change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
		}
	}
}

// TestTrainerResumesBitForBit stops each rule mid-epoch, carries its State
// to a new Trainer and checks that both end with the weights of a run
// that never stopped; a state of another configuration is refused.
func TestTrainerResumesBitForBit(t *testing.T) {
	pool, d, testSet := testData(t, "0-4", 200)
	train, err := pool.Balanced(d, 20, 4)
	if err != nil {
		t.Fatal(err)
	}
	base := Config{Hidden: 30, Q: 0.1, Epochs: 3, Batch: 7, EvalEvery: 1, Eps0: 0.75, Eps1: 1, Explore: 0.1, Seed: 4}
	for _, tc := range []struct{ algo, net, rule string }{
		{"sgd", "sparse", ""},
		{"sgd", "dense", ""},
		{"signsgd", "sparse", ""},
		{"dnn", "dense", "reward"},
		{"dnn", "dense", "printed"},
	} {
		c := base
		c.Algo, c.Net, c.Rule, c.LR = tc.algo, tc.net, tc.rule, 1e-2
		name := tc.algo + " " + tc.net + " " + tc.rule
		whole, err := NewTrainer(c, train, testSet, 5, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for !whole.Done() {
			if err := whole.Step(); err != nil {
				t.Fatal(err)
			}
		}
		// 100 examples in minibatches of 7: 15 per epoch; stop in epoch 2.
		first, _ := NewTrainer(c, train, testSet, 5, nil)
		for range 20 {
			if err := first.Step(); err != nil {
				t.Fatal(err)
			}
		}
		state := first.State()
		second, _ := NewTrainer(c, train, testSet, 5, nil)
		if err := second.SetState(state); err != nil {
			t.Fatalf("%s: SetState: %v", name, err)
		}
		if second.Epoch() != 1 || second.Batch() != 5 {
			t.Errorf("%s: restored at epoch %d, minibatch %d; want 1, 5", name, second.Epoch(), second.Batch())
		}
		for _, r := range []*Trainer{first, second} {
			for !r.Done() {
				if err := r.Step(); err != nil {
					t.Fatal(err)
				}
			}
			if r.Hash() != whole.Hash() {
				t.Errorf("%s: a stopped and continued run ends at %s, the whole run at %s", name, r.Hash()[:12], whole.Hash()[:12])
			}
		}
		if whole.Epoch() != 3 || whole.Step() == nil {
			t.Errorf("%s: a finished run stepped on", name)
		}
		// A damaged or foreign state is refused, and the trainer unchanged.
		other := c
		other.Hidden = 31
		foreign, _ := NewTrainer(other, train, testSet, 5, nil)
		before := foreign.Hash()
		for _, bad := range [][]byte{state[:len(state)-3], state[:10], append(append([]byte(nil), state...), 0)} {
			if err := second.SetState(bad); err == nil {
				t.Errorf("%s: a damaged state of %d bytes was taken", name, len(bad))
			}
		}
		if err := foreign.SetState(state); err == nil || foreign.Hash() != before {
			t.Errorf("%s: a state of h = 30 was taken by h = 31 (%v)", name, err)
		}
	}
}

// TestStreamTest: computing the test set's features a block at a time
// gives the accuracies and predictions of keeping them, bit for bit, for
// the dense first layer and the sparse network's, at every point of a run.
func TestStreamTest(t *testing.T) {
	pool, d, testSet := testData(t, "0-4", 2*StreamBlock+37)
	train, err := pool.Balanced(d, 20, 4)
	if err != nil {
		t.Fatal(err)
	}
	if testSet.Len() <= StreamBlock {
		t.Fatalf("%d test examples: the test needs more than one block of %d", testSet.Len(), StreamBlock)
	}
	base := Config{Hidden: 30, Q: 0.1, Epochs: 2, Batch: 7, EvalEvery: 1, Explore: 0.1, Seed: 5, LR: 1e-2}
	for _, tc := range []struct{ algo, net string }{{"dnn", "dense"}, {"signsgd", "sparse"}, {"sgd", "dense"}} {
		c := base
		c.Algo, c.Net = tc.algo, tc.net
		if tc.algo == "dnn" {
			c.Rule = "reward"
		}
		kept, err := NewTrainer(c, train, testSet, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.StreamTest = true
		streamed, err := NewTrainer(c, train, testSet, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		if streamed.ftest != nil {
			t.Fatalf("%s %s: StreamTest kept the test features", tc.algo, tc.net)
		}
		for step := 0; ; step++ {
			a, at, ap := kept.Evaluate(nil)
			b, bt, bp := streamed.Evaluate(nil)
			if a != b || at != bt || !slices.Equal(ap, bp) {
				t.Fatalf("%s %s, step %d: test %v vs streamed %v (train %v, %v)", tc.algo, tc.net, step, a, b, at, bt)
			}
			if kept.Done() {
				break
			}
			if err := kept.Step(); err != nil {
				t.Fatal(err)
			}
			if err := streamed.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
}
