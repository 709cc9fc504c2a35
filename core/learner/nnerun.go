package learner

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/settings"
)

// NNERun is an NNE run: the data its settings select, the network and
// the population, and the curve of evaluations so far. NNE and the first
// phase of NNE + SignSGD step one; the browser's coordinator fans its
// population out to evaluator workers instead (Population).
type NNERun struct {
	Settings settings.Settings
	Digits   mnist.Digits
	Arch     *network.Arch
	Sample   *mnist.Labeled // the training sample
	TestSet  *mnist.Labeled // the images scored: the test set of the digit set, or its validation set (Settings.Val)
	Train    *network.Inputs
	Test     *network.Inputs
	Pop      *nne.Population
	Curve    []Point

	// Weights holds the mean-genotype weights W·p as of the last Evaluate.
	Weights []float32
	// Predicted holds the class predicted for each test image and
	// Confusion the C×C counts (row: true class, column: predicted) as of
	// the last Evaluate.
	Predicted []int32
	Confusion []int32

	scratch *network.Scratch
}

// newNNERun builds an NNE run of s (checked) on d: its sample and the
// images it is scored on are sample's, so a run is the same wherever its
// data is (the pool is mnist's first PoolPerDigit images per digit
// everywhere).
func newNNERun(s settings.Settings, data Data) (*NNERun, error) {
	d, tr, scored, err := sample(s, data)
	if err != nil {
		return nil, err
	}
	r := &NNERun{Settings: s, Digits: d, Sample: tr, TestSet: scored}
	var task *nne.Classifier
	if r.Arch, r.Train, r.Test, task, err = classifierTask(&s, tr, r.TestSet, len(d)); err != nil {
		return nil, err
	}
	if r.Pop, err = nne.New(task, nneConfig(&s)); err != nil {
		return nil, err
	}
	r.scratch = r.Arch.NewScratch()
	r.Weights = make([]float32, r.Arch.Links())
	r.Predicted = make([]int32, r.Test.Len())
	r.Confusion = make([]int32, len(d)*len(d))
	r.Pop.Genome.MeanWeights(r.Weights, r.Pop.P)
	return r, nil
}

// LimitTest keeps only the first n test images (n > 0; smoke runs).
func (r *NNERun) LimitTest(n int) {
	if n <= 0 || r.Test.Len() <= n {
		return
	}
	r.Test.Off = r.Test.Off[:n+1]
	r.Test.Class = r.Test.Class[:n]
	r.Predicted = r.Predicted[:n]
	r.TestSet.Head(n)
}

// Close releases the population's goroutines.
func (r *NNERun) Close() { r.Pop.Close() }

// Generation returns the number of generations run.
func (r *NNERun) Generation() int { return r.Pop.Generation }

// Done reports whether the run has reached its generation limit.
func (r *NNERun) Done() bool { return r.Pop.Generation >= r.Settings.Generations }

// Continues reports whether settings s would continue this run rather
// than start another: they differ from the run's only in the stop
// (Generations, and Threads, which never changes a run), and the new stop
// is past the current generation.
func (r *NNERun) Continues(s settings.Settings) bool {
	t := r.Settings
	t.Generations, t.Threads = s.Generations, s.Threads
	return t == s && s.Generations != r.Settings.Generations && s.Generations > r.Generation()
}

// Extend moves the run's stop to generations, so that a finished run goes
// on. Every random draw of generation g is keyed by (seed, g), so the
// continued run is bit for bit the one that had the later stop from the
// start. The stop must be past the current generation and at most
// settings.MaxGenerations.
func (r *NNERun) Extend(generations int) error {
	if generations <= r.Generation() || generations > settings.MaxGenerations {
		return fmt.Errorf("generations=%d: the run is at generation %d; want a stop from %d to %d to go on", generations, r.Generation(), r.Generation()+1, settings.MaxGenerations)
	}
	r.Settings.Generations = generations
	return nil
}

// Step runs one generation.
func (r *NNERun) Step() error { return r.Pop.Step() }

// Evaluate classifies with the mean genotype (see Classify) and appends a
// point to the curve; seconds is the training time so far, for the record.
func (r *NNERun) Evaluate(seconds float64) Point {
	test, train := r.Classify()
	pt := Point{
		Step:          r.Pop.Generation,
		Unit:          Generation,
		Seconds:       seconds,
		TestAccuracy:  test,
		TrainAccuracy: train,
		Signals: []Signal{
			{SignalFixed, nne.FixedFraction(r.Pop.P, nne.FixedTol)},
			{SignalFitness, r.Pop.Sums().MeanFitness()},
		},
	}
	r.Curve = append(r.Curve, pt)
	return pt
}

// Classify computes the mean-genotype weights into Weights, classifies
// the test set into Predicted and Confusion, and returns the test and
// training accuracy.
func (r *NNERun) Classify() (test, train float64) {
	r.Pop.Genome.MeanWeights(r.Weights, r.Pop.P)
	test = classify(r.Arch, r.Weights, r.Test, r.Predicted, r.Confusion, len(r.Digits), r.scratch)
	return test, r.Arch.Accuracy(r.Weights, r.Train, r.scratch)
}

// LikelyAccuracy returns the test accuracy of the most likely genotype.
func (r *NNERun) LikelyAccuracy() float64 {
	return r.Arch.Accuracy(r.Pop.LikelyWeights(), r.Test, r.scratch)
}

// SampledAccuracies returns the test accuracy of each of the first k
// individuals of the generation to come (nne.Population.SampledWeights).
func (r *NNERun) SampledAccuracies(k int) []float64 {
	acc := make([]float64, k)
	for i := range acc {
		acc[i] = r.Arch.Accuracy(r.Pop.SampledWeights(i), r.Test, r.scratch)
	}
	return acc
}

// Describe returns a one-line summary of the run's data and sizes.
func (r *NNERun) Describe() string {
	s := r.Settings
	return fmt.Sprintf("%s: digits %s, %d training and %d test images; h=%d, %d links, n=%d genes, W has %d nonzeros; N=%d, B=%d, ε=%g, α=%g·ln%d, %s fitness, %s weights; seed %d",
		s.Algo, r.Digits, r.Train.Len(), r.Test.Len(), s.Hidden, r.Arch.Links(), s.Genes, r.Pop.Genome.Nonzeros(), s.Pop, s.Batch, s.Eps, s.Alpha, len(r.Digits), s.Fitness, s.Scale, s.Seed)
}

// AllelesHash returns the hex SHA-256 of p as little-endian float32 bytes:
// the fingerprint by which runs are compared across machines.
func AllelesHash(p []float32) string {
	b := make([]byte, 4*len(p))
	for i, v := range p {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
