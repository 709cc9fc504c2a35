package nne_test

import (
	"fmt"
	"sync"
	"testing"

	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/nne"
)

var (
	loadOnce       sync.Once
	trainSet, tSet *mnist.Set
	loadErr        error
)

// loadMNIST reads the real MNIST files once per test binary.
func loadMNIST(tb testing.TB) (train, test *mnist.Set) {
	tb.Helper()
	loadOnce.Do(func() {
		dir, err := mnist.Locate()
		if err != nil {
			loadErr = err
			return
		}
		trainSet, tSet, loadErr = mnist.Load(dir)
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return trainSet, tSet
}

// classifier builds the Section 3.1 task on digits with h hidden units.
func classifier(tb testing.TB, digits string, h int, seed uint64) (*nne.Classifier, *network.Inputs) {
	tb.Helper()
	train, test := loadMNIST(tb)
	d, err := mnist.ParseDigits(digits)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := train.Balanced(d, 200, seed)
	if err != nil {
		tb.Fatal(err)
	}
	in, err := network.ByteInputs(mnist.Pixels, s.Images, mnist.Level, s.Class)
	if err != nil {
		tb.Fatal(err)
	}
	te := test.Filter(d)
	testIn, err := network.ByteInputs(mnist.Pixels, te.Images, mnist.Level, te.Class)
	if err != nil {
		tb.Fatal(err)
	}
	arch, err := network.NewArch(mnist.Pixels, h, len(d), 0.1, seed)
	if err != nil {
		tb.Fatal(err)
	}
	task, err := nne.NewClassifier(arch, in, 1, nne.FitnessPaper)
	if err != nil {
		tb.Fatal(err)
	}
	return task, testIn
}

// BenchmarkGeneration measures one NNE generation (sample N genotypes,
// generate W·x, score each on B images, update p) at the quick and demo
// presets' settings and the paper's (Section 3.1), on all cores, with the
// kernel this build runs (network.Kernel).
func BenchmarkGeneration(b *testing.B) {
	for _, bc := range []struct {
		name               string
		digits             string
		h, pop, genes, bat int
	}{
		{"quick/h=100,N=100,n=4000,B=25", "0-4", 100, 100, 4000, 25},
		{"demo/h=100,N=200,n=2000,B=100", "0-4", 100, 200, 2000, 100},
		{"paper/h=1000,N=1000,n=5000,B=100", "0-9", 1000, 1000, 5000, 100},
	} {
		b.Run(bc.name+"/"+network.Kernel(), func(b *testing.B) {
			task, _ := classifier(b, bc.digits, bc.h, 1)
			pop, err := nne.New(task, nne.Config{Genes: bc.genes, Pop: bc.pop, Beta: 0.0025, Eps: 10, Batch: bc.bat, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			defer pop.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := pop.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(usefulFlops(task, pop, bc.bat)/b.Elapsed().Seconds()*float64(b.N)/1e9, "GFLOP/s")
		})
	}
}

// usefulFlops counts the arithmetic one generation needs, per genotype:
// the additions of W·x (the nonzeros of the columns with x(i) = 1, about
// nnz·mean(p)), and per minibatch image 2 flops for each input→hidden edge
// whose input pixel is nonzero and for each of the h·C output weights.
func usefulFlops(task *nne.Classifier, pop *nne.Population, batch int) float64 {
	a, d := task.Arch, task.Train
	edges := 0
	for i := range d.Len() {
		pix, _ := d.Input(i)
		for _, j := range pix {
			edges += int(a.Start[j+1] - a.Start[j])
		}
	}
	meanP := 0.0
	for _, p := range pop.P {
		meanP += float64(p)
	}
	meanP /= float64(len(pop.P))
	perImage := 2 * (float64(edges)/float64(d.Len()) + float64(a.Hidden*a.Classes))
	return float64(pop.Config.Pop) * (float64(pop.Genome.Nonzeros())*meanP + float64(batch)*perImage)
}

// BenchmarkWeightsLanes measures W·x for network.Lanes genotypes at the
// paper's size (88,400 links, 5000 genes, β = 0.0025), half the alleles 1.
func BenchmarkWeightsLanes(b *testing.B) {
	g, err := nne.NewGenome(88400, 5000, 0.0025, nil, 1)
	if err != nil {
		b.Fatal(err)
	}
	var ones [network.Lanes][]int32
	for l := range ones {
		for i := range g.Genes {
			if (i*7+l*13)%5 < 2 || (i+l)%3 == 0 {
				ones[l] = append(ones[l], int32(i))
			}
		}
	}
	w := make([][network.Lanes]float32, g.Links)
	mask := make([]uint16, g.Genes)
	for b.Loop() {
		g.WeightsLanes(w, mask, &ones, network.Lanes)
	}
	b.ReportMetric(float64(g.Nonzeros())*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gnonzeros/s")
}

// BenchmarkGroup measures sampling, W·x and scoring of one group of
// genotypes at the quick preset's size, full (network.Lanes) and of 4,
// the quick preset's remainder (a narrow group where the portable kernel
// runs), so that the cost of a population's last, partial group shows.
func BenchmarkGroup(b *testing.B) {
	task, _ := classifier(b, "0-4", 100, 1)
	pop, err := nne.New(task, nne.Config{Genes: 4000, Pop: 100, Beta: 0.0025, Eps: 30, Batch: 25, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer pop.Close()
	e := nne.NewEvaluator(task, pop.Genome)
	e.Prepare(pop.P)
	s := nne.NewSums(pop.Genome.Genes)
	for _, lanes := range []int{network.Lanes, 4} {
		b.Run(fmt.Sprintf("lanes=%d/%s", lanes, network.Kernel()), func(b *testing.B) {
			for b.Loop() {
				e.Evaluate(1, 0, pop.Batch(), 0, lanes, s)
			}
		})
	}
}
