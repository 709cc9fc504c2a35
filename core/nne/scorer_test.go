package nne_test

import (
	"math"
	"testing"

	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/rng"
)

// TestScorerFitness checks that a Classifier's Scorer gives, for every
// fitness variant and every lane, the mean over the minibatch of the
// variant's term computed from a plain one-network forward pass.
func TestScorerFitness(t *testing.T) {
	task, _ := classifier(t, "0-9", 30, 3)
	arch := task.Arch
	r := rng.New(rng.DomainInit, 9)
	w := make([][network.Lanes]float32, arch.Links())
	for l := range w {
		for g := range network.Lanes {
			w[l][g] = 2*r.Float32() - 1
		}
	}
	batch := []int32{0, 7, 99, 250, 1000, 1999}
	C := arch.Classes
	for _, name := range nne.Fitnesses() {
		f, _ := nne.ParseFitness(name)
		tk, err := nne.NewClassifier(arch, task.Train, 2, f)
		if err != nil {
			t.Fatal(err)
		}
		var delta [network.Lanes]float64
		tk.NewScorer()(w, network.Lanes, batch, &delta)
		a := tk.Alpha
		s := arch.NewScratch()
		wg := make([]float32, len(w))
		for g := range network.Lanes {
			for l := range w {
				wg[l] = w[l][g]
			}
			want := 0.0
			for _, i := range batch {
				pix, val := task.Train.Input(int(i))
				arch.Forward(wg, pix, val, s)
				c := task.Train.Class[i]
				l := math.Min(network.Loss(s.Logits, c), a)
				v := a*a - l*l
				if f == nne.FitnessOutrank {
					below := 0
					for _, z := range s.Logits {
						if z < s.Logits[c] {
							below++
						}
					}
					v += nne.OutrankShare * a * a * float64(below) / float64(C-1)
				}
				want += v / float64(len(batch))
			}
			if math.Abs(delta[g]-want) > 1e-9*max(1, want) {
				t.Errorf("%s, lane %d: δ = %v, want %v", name, g, delta[g], want)
			}
		}
	}
	if _, err := nne.NewClassifier(arch, task.Train, 2, nne.Fitness(7)); err == nil {
		t.Error("NewClassifier accepted an unknown fitness")
	}
}
