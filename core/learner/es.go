package learner

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"

	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/rng"
	"nnesim/core/settings"
)

// ES is OpenAI-style evolution strategies (Salimans, Ho, Chen, Sidor and
// Sutskever 2017, "Evolution Strategies as a Scalable Alternative to
// Reinforcement Learning") as a Learner: the gradient-free peer of NNE.
// One network's weights θ (package network's sparse graph, as NNE's) are
// perturbed by Gaussian noise in antithetic pairs θ ± σε_i, i = 1…N/2;
// every perturbed network is scored by NNE's fitness on NNE's minibatch of
// the generation (nne.Classifier, nne.DrawBatch), so that a generation
// costs the N·B network evaluations an NNE generation of population N
// does; the fitnesses are replaced by their centred ranks in [−½, ½]; and
// Adam climbs the estimated gradient
//
//	g = 1/(Nσ) Σ_i (r(θ + σε_i) − r(θ − σε_i)) ε_i.
//
// A step is a generation. Every draw is keyed by (seed, generation, pair)
// and every product is rounded before its sum, so a run gives the same
// bits on every target and thread count.
type ES struct {
	settings settings.Settings
	arch     *network.Arch
	digits   mnist.Digits
	train    *network.Inputs
	test     *network.Inputs
	score    nne.Scorer
	scratch  *network.Scratch

	theta     []float32 // the weights θ
	m, v      []float64 // Adam's moments
	b1t, b2t  float64   // β₁ᵗ and β₂ᵗ
	gen       int
	meanFit   float64 // the last generation's mean fitness
	batch     []int32
	perm      []int32
	noise     [][]float32 // ε_i of the generation, one row per pair
	lanes     [][network.Lanes]float32
	fit       []float64 // the 2·pairs fitnesses of the generation
	order     []int     // the lanes by fitness (scratch of Step)
	rank      []float64 // each lane's centred rank (scratch of Step)
	grad      []float64
	curve     []Point
	predicted []int32
	confusion []int32
	testAcc   float64
	trainAcc  float64
	evaluated bool
}

// Adam's constants (Kingma and Ba), as SGD's (package learn).
const (
	esBeta1 = 0.9
	esBeta2 = 0.999
	esEps   = 1e-8
)

// esSigma is ES's own parameter: the noise scale σ.
var esSigma = settings.OwnFloat("sigma", "Noise σ", "es: the standard deviation σ of the weights' Gaussian perturbations", 0, 10, false, 0)

// esDefaults is ES's Defaults: the preset's task and budget (population N,
// minibatch B, generations: NNE's network evaluations), with ES's own
// step and noise, chosen on a validation split (docs/TUNING.md).
func esDefaults(preset string) (settings.Settings, error) {
	s, err := presetDefaults("es")(preset)
	if err != nil {
		return s, err
	}
	s.LR, s.Own[0] = 0.003, 0.1
	return s, nil
}

// esShape is what ES's memory and work grow with: the network's links,
// its pairs and its minibatch.
func esShape(s *settings.Settings, classes int) (links, pairs float64) {
	links = float64(float64(mnist.Pixels)*float64(s.Hidden)*s.Q) + float64(float64(s.Hidden)*float64(classes))
	return links, float64(s.Pop / 2)
}

// checkES is ES's Check: an even population of pairs, and the memory of
// θ, Adam's moments, the generation's noise and lanes with the data.
func checkES(s *settings.Settings, classes int, maxBytes float64) error {
	if s.Pop%2 != 0 {
		return fmt.Errorf("pop=%d: ES perturbs in antithetic pairs; want an even population", s.Pop)
	}
	if !(s.Own[0] > 0) {
		return fmt.Errorf("sigma=%v: want a positive noise scale", s.Own[0])
	}
	links, pairs := esShape(s, classes)
	if links > network.MaxLinks {
		return fmt.Errorf("hidden=%d: a network of %.3g links is too large", s.Hidden, links)
	}
	if b := DataBytes(s, classes) + float64(links*(4+16+8+4*network.Lanes)) + float64(pairs*links*4); b > maxBytes {
		return fmt.Errorf("pop=%d and hidden=%d would need about %s, more than the %s allowed here; lower pop or hidden%s",
			s.Pop, s.Hidden, memSize(b), memSize(maxBytes), dataHint(s, classes))
	}
	return nil
}

// esWork is ES's Work: a generation's N·B forward passes (as nneWork's)
// and its noise, one draw per link and pair.
func esWork(s *settings.Settings) float64 {
	classes := ClassCount(s)
	h := float64(s.Hidden)
	links, pairs := esShape(s, classes)
	forward := float64(float64(s.Batch) * (float64(mnist.Pixels/5*h*s.Q) + float64(h*float64(classes))))
	return float64(float64(s.Pop)*forward) + float64(4*pairs*links)
}

// esCost is ES's Cost: its generations at the NNE kernel's speed.
func esCost(s *settings.Settings, sp Speed) float64 {
	return float64(s.Generations) * esWork(s) * sp.PerMAC
}

// newES builds ES's run of s (sv nil) or resumes the one sv was saved
// from.
func newES(s settings.Settings, sv *Saved, d Data) (Learner, error) {
	digits, tr, te, err := sample(s, d)
	if err != nil {
		return nil, err
	}
	e := &ES{settings: s, digits: digits}
	var task *nne.Classifier
	if e.arch, e.train, e.test, task, err = classifierTask(&s, tr, te, len(digits)); err != nil {
		return nil, err
	}
	m := e.arch.Links()
	pairs := s.Pop / 2
	e.score, e.scratch = task.NewScorer(), e.arch.NewScratch()
	e.theta, e.m, e.v, e.grad = make([]float32, m), make([]float64, m), make([]float64, m), make([]float64, m)
	e.b1t, e.b2t = 1, 1
	n := e.train.Len()
	if s.Batch > 0 {
		n = min(n, s.Batch)
	}
	e.batch, e.perm = make([]int32, n), make([]int32, e.train.Len())
	e.noise = make([][]float32, pairs)
	for i := range e.noise {
		e.noise[i] = make([]float32, m)
	}
	e.lanes, e.fit = make([][network.Lanes]float32, m), make([]float64, 2*pairs)
	e.order, e.rank = make([]int, 2*pairs), make([]float64, 2*pairs)
	e.predicted, e.confusion = make([]int32, e.test.Len()), make([]int32, len(digits)*len(digits))
	if sv == nil {
		e.init(task)
		return e, nil
	}
	if err := e.setState(sv.State); err != nil {
		return nil, err
	}
	e.gen = sv.Step
	for _, pt := range sv.Curve {
		if pt.Unit == Generation {
			e.curve = append(e.curve, pt)
		}
	}
	return e, nil
}

// init draws θ₀: each weight uniform on ±√(6 / fan-in) (He et al.'s
// initialisation for ReLU units), keyed by the seed.
func (e *ES) init(task *nne.Classifier) {
	r := rng.New(rng.DomainInit, e.settings.Seed, 1)
	for l := range e.theta {
		b := math.Sqrt(6 / float64(max(1, task.FanIn(l))))
		u := float64(2*r.Float64()) - 1
		e.theta[l] = float32(u * b)
	}
}

// normals fills dst with standard normal draws from r (Marsaglia's polar
// method: a logarithm and a square root, both the same on every target).
func normals(dst []float32, r *rng.Stream) {
	for k := 0; k < len(dst); {
		u := float64(2*r.Float64()) - 1
		v := float64(2*r.Float64()) - 1
		s := float64(u*u) + float64(v*v)
		if s == 0 || s >= 1 {
			continue
		}
		f := math.Sqrt(-2 * network.Log(s) / s)
		dst[k] = float32(u * f)
		if k++; k < len(dst) {
			dst[k] = float32(v * f)
			k++
		}
	}
}

// Step implements Learner: one generation.
func (e *ES) Step() (bool, error) {
	s := &e.settings
	if e.gen >= s.Generations {
		return false, nil
	}
	g := e.gen + 1
	nne.DrawBatch(e.batch, e.perm, s.Seed, g)
	sigma := float32(s.Own[0])
	for i, eps := range e.noise {
		r := rng.New(rng.DomainRule, s.Seed, uint64(g), uint64(i))
		normals(eps, &r)
	}
	// Score the perturbed networks a lane group at a time: lane 2i holds
	// θ + σε_i, lane 2i+1 θ − σε_i.
	var delta [network.Lanes]float64
	total := len(e.fit)
	for lo := 0; lo < total; lo += network.Lanes {
		n := min(network.Lanes, total-lo)
		for l, th := range e.theta {
			row := &e.lanes[l]
			for k := range n {
				d := float32(sigma * e.noise[(lo+k)/2][l])
				if (lo+k)%2 == 0 {
					row[k] = th + d
				} else {
					row[k] = th - d
				}
			}
		}
		e.score(e.lanes, n, e.batch, &delta)
		copy(e.fit[lo:lo+n], delta[:n])
	}
	sum := 0.0
	for _, f := range e.fit {
		sum += f
	}
	e.meanFit = sum / float64(total)
	// Centred ranks: the lowest fitness −½, the highest ½ (ties by lane).
	order, rank := e.order, e.rank
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case e.fit[a] < e.fit[b]:
			return -1
		case e.fit[a] > e.fit[b]:
			return 1
		}
		return 0
	})
	for k, i := range order {
		rank[i] = float64(k)/float64(max(1, total-1)) - 0.5
	}
	clear(e.grad)
	for i, eps := range e.noise {
		c := rank[2*i] - rank[2*i+1]
		for l, x := range eps {
			e.grad[l] += float64(c * float64(x))
		}
	}
	// Adam's ascent on g = grad / (Nσ).
	scale := 1 / (float64(total) * float64(sigma))
	e.b1t, e.b2t = float64(e.b1t*esBeta1), float64(e.b2t*esBeta2)
	lr := s.LR
	for l := range e.theta {
		gl := float64(e.grad[l] * scale)
		e.m[l] = float64(esBeta1*e.m[l]) + float64((1-esBeta1)*gl)
		e.v[l] = float64(esBeta2*e.v[l]) + float64((1-esBeta2)*float64(gl*gl))
		mh := e.m[l] / (1 - e.b1t)
		vh := e.v[l] / (1 - e.b2t)
		e.theta[l] += float32(lr * mh / (math.Sqrt(vh) + esEps))
	}
	e.gen = g
	e.evaluated = false
	return e.gen%s.EvalEvery == 0 || e.gen >= s.Generations, nil
}

// Position implements Learner.
func (e *ES) Position() (int, string, bool) {
	return e.gen, Generation, e.gen >= e.settings.Generations
}

// classify classifies the test set with θ into predicted and confusion,
// and returns the test and training accuracy.
func (e *ES) classify() (test, train float64) {
	test = classify(e.arch, e.theta, e.test, e.predicted, e.confusion, len(e.digits), e.scratch)
	e.evaluated = true
	return test, e.arch.Accuracy(e.theta, e.train, e.scratch)
}

// Evaluate implements Learner: the network θ.
func (e *ES) Evaluate(seconds float64) Point {
	test, train := e.classify()
	pt := Point{Step: e.gen, Unit: Generation, Seconds: seconds, TestAccuracy: test, TrainAccuracy: train,
		Signals: []Signal{{SignalFitness, e.meanFit}}, Hash: e.Hash()}
	e.curve = append(e.curve, pt)
	return pt
}

// Curve implements Learner.
func (e *ES) Curve() []Point { return e.curve }

// Settings implements Learner.
func (e *ES) Settings() settings.Settings { return e.settings }

// Probabilities implements Learner, with θ.
func (e *ES) Probabilities(x []float32, dst []float64) []float64 {
	return probabilities(e.arch, e.theta, x, dst, e.scratch)
}

// Hash implements Learner: the SHA-256 of θ as little-endian float32
// bytes (weights_sha256).
func (e *ES) Hash() string {
	b := make([]byte, 4*len(e.theta))
	for i, w := range e.theta {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(w))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// state is θ (float32 each), Adam's moments m and v and β₁ᵗ, β₂ᵗ, the
// last mean fitness (float64 each), little-endian.
func (e *ES) state() []byte {
	b := make([]byte, 0, 4*len(e.theta)+16*len(e.theta)+24)
	for _, w := range e.theta {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(w))
	}
	for _, x := range append(append(slices.Clone(e.m), e.v...), e.b1t, e.b2t, e.meanFit) {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// setState restores what state wrote, refusing a state of another size
// or with values no run reaches.
func (e *ES) setState(b []byte) error {
	m := len(e.theta)
	if len(b) != 4*m+16*m+24 {
		return fmt.Errorf("learner: an ES state of %d bytes, want %d for %d weights", len(b), 4*m+16*m+24, m)
	}
	for l := range e.theta {
		e.theta[l] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*l:]))
		if w := float64(e.theta[l]); math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("learner: ES weight %d is %v", l, w)
		}
	}
	f := func(k int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[4*m+8*k:])) }
	for l := range m {
		e.m[l], e.v[l] = f(l), f(m+l)
		if !finite(e.m[l]) || !(e.v[l] >= 0) || math.IsInf(e.v[l], 0) {
			return fmt.Errorf("learner: ES moment %d is %v, %v", l, e.m[l], e.v[l])
		}
	}
	e.b1t, e.b2t, e.meanFit = f(2*m), f(2*m+1), f(2*m+2)
	if !(e.b1t > 0 && e.b1t <= 1 && e.b2t > 0 && e.b2t <= 1) || !finite(e.meanFit) {
		return fmt.Errorf("learner: ES state with β powers %v, %v", e.b1t, e.b2t)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Save implements Learner.
func (e *ES) Save(seconds float64) *Saved {
	return &Saved{Settings: e.settings, Step: e.gen, Seconds: seconds, State: e.state(), Curve: slices.Clone(e.curve)}
}

// Pictures implements Learner: θ's network, as of the last Evaluate.
func (e *ES) Pictures(units int) Pictures {
	if !e.evaluated { // restored, not evaluated since
		e.classify()
	}
	fields, linked := e.arch.Fields(e.theta, units)
	return Pictures{Units: min(units, e.arch.Hidden), Fields: fields, Linked: linked, Hidden: e.arch.Hidden, Classes: e.arch.Classes,
		Output: slices.Clone(e.arch.Output(e.theta)), Predicted: slices.Clone(e.predicted), Confusion: slices.Clone(e.confusion)}
}

// Describe implements Learner.
func (e *ES) Describe() string {
	s := e.settings
	return fmt.Sprintf("es: digits %s, %d training and %d test images; h=%d, %d links; N=%d (%d antithetic pairs), B=%d, σ=%g, Adam lr %g, α=%g·ln%d, %s fitness; seed %d",
		e.digits, e.train.Len(), e.test.Len(), s.Hidden, e.arch.Links(), s.Pop, s.Pop/2, len(e.batch), s.Own[0], s.LR, s.Alpha, len(e.digits), s.Fitness, s.Seed)
}

// Close implements Learner.
func (e *ES) Close() {}
