package mnist

import (
	"fmt"
	"math"
	"slices"

	"nnesim/core/rng"
)

// MaxPerDigit bounds a training sample's images per class: above
// MNIST's largest class (6,742 ones in its 60,000 training images), so
// that every balanced sample of MNIST fits under it.
const MaxPerDigit = 7000

// TrainPerDigit is MNIST's training images per digit, on average: what
// a sample of every image (per-digit 0) is costed at.
const TrainPerDigit = 6000

// MaxVal is the largest share of the training file a validation set may
// hold.
const MaxVal = 0.5

// Holdout splits s, a whole training file, into a validation set and
// the rest. The validation set holds round(frac·n_c) images of each class
// c (n_c its images in s), drawn without replacement from the images of c
// that are not among its first PoolPerDigit in file order: the browser's
// training pool (Pool), from which the presets sample, so no sample of
// the pool ever holds a validation image. The draw is keyed by the class
// alone, not by a run's seed, so every run holds out the same images and
// runs tuned against each other are scored on the same set. Both parts
// keep file order.
func (s *Set) Holdout(frac float64) (rest, val *Set, err error) {
	if !(frac > 0 && frac <= MaxVal) {
		return nil, nil, fmt.Errorf("mnist: a validation share of %g, want more than 0 and at most %g", frac, MaxVal)
	}
	var byClass [10][]int
	for i, l := range s.Labels {
		byClass[l] = append(byClass[l], i)
	}
	held := make([]bool, s.Len())
	for c, idx := range byClass {
		if len(idx) == 0 {
			continue
		}
		k := int(math.Round(frac * float64(len(idx))))
		beyond := slices.Clone(idx[min(len(idx), PoolPerDigit):])
		if k > len(beyond) {
			return nil, nil, fmt.Errorf("mnist: class %d has %d training images; a validation share of %g needs %d beyond the first %d (the training pool), and there are %d",
				c, len(idx), frac, k, PoolPerDigit, len(beyond))
		}
		r := rng.New(rng.DomainHoldout, uint64(c))
		for j := range k {
			m := j + r.Intn(len(beyond)-j)
			beyond[j], beyond[m] = beyond[m], beyond[j]
			held[beyond[j]] = true
		}
	}
	// Allocated once at their sizes: the whole file is 47 MB, and growing
	// by appends would leave as much again behind (a browser's wasm
	// memory keeps it).
	nv := 0
	for _, h := range held {
		if h {
			nv++
		}
	}
	nr := s.Len() - nv
	rest = &Set{Images: make([]byte, 0, nr*Pixels), Labels: make([]uint8, 0, nr)}
	val = &Set{Images: make([]byte, 0, nv*Pixels), Labels: make([]uint8, 0, nv)}
	for i, l := range s.Labels {
		dst := rest
		if held[i] {
			dst = val
		}
		dst.Labels = append(dst.Labels, l)
		dst.Images = append(dst.Images, s.Image(i)...)
	}
	return rest, val, nil
}
