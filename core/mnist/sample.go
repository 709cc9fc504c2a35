package mnist

import (
	"fmt"
	"slices"

	"nnesim/core/rng"
)

// Labeled is a classification data set over a digit set: images and their
// class indices (Class[i] is the index into Digits of image i's digit).
type Labeled struct {
	Digits Digits
	// Images holds Len() images of Pixels bytes (Set.Images); it may
	// share its array with the Set it was taken from, so it is read,
	// never written.
	Images []byte
	Class  []int32
	Index  []int // position of each image in the set it was taken from
}

// Len returns the number of images.
func (l *Labeled) Len() int { return len(l.Class) }

// Image returns the pixel bytes of image i.
func (l *Labeled) Image(i int) []byte { return l.Images[i*Pixels : (i+1)*Pixels] }

// Head keeps only l's first n images (all if it holds fewer).
func (l *Labeled) Head(n int) {
	if n < l.Len() {
		l.Images, l.Class, l.Index = l.Images[:n*Pixels], l.Class[:n], l.Index[:n]
	}
}

func (s *Set) take(d Digits, idx []int) *Labeled {
	if len(idx) == s.Len() && (len(idx) == 0 || idx[len(idx)-1] == len(idx)-1) {
		// Every image, in order (digits 0-9): share the pixels, which
		// nothing writes, rather than copy them (47 MB for MNIST's
		// training file).
		l := &Labeled{Digits: d, Images: s.Images[:len(s.Images):len(s.Images)], Class: make([]int32, len(idx)), Index: idx}
		for k, i := range idx {
			l.Class[k] = int32(d.Class(int(s.Labels[i])))
		}
		return l
	}
	l := &Labeled{Digits: d, Images: make([]byte, 0, len(idx)*Pixels), Class: make([]int32, len(idx)), Index: idx}
	for k, i := range idx {
		l.Images = append(l.Images, s.Image(i)...)
		l.Class[k] = int32(d.Class(int(s.Labels[i])))
	}
	return l
}

// Filter returns every image of s whose digit is in d, in file order.
func (s *Set) Filter(d Digits) *Labeled {
	var idx []int
	for i, l := range s.Labels {
		if d.Class(int(l)) >= 0 {
			idx = append(idx, i)
		}
	}
	return s.take(d, idx)
}

// Balanced draws perDigit images of each digit in d uniformly without
// replacement, seeded by seed. Images are ordered digit by digit, each in
// file order, so the sample depends only on (s, d, perDigit, seed).
func (s *Set) Balanced(d Digits, perDigit int, seed uint64) (*Labeled, error) {
	if perDigit < 1 {
		return nil, fmt.Errorf("mnist: %d images per digit, want at least 1", perDigit)
	}
	var idx []int
	for _, v := range d {
		var pool []int
		for i, l := range s.Labels {
			if int(l) == v {
				pool = append(pool, i)
			}
		}
		if len(pool) < perDigit {
			return nil, fmt.Errorf("mnist: digit %d has %d images, fewer than the %d per digit asked for", v, len(pool), perDigit)
		}
		// Partial Fisher–Yates: the first perDigit entries become the sample.
		r := rng.New(rng.DomainData, seed, uint64(v))
		for k := 0; k < perDigit; k++ {
			j := k + r.Intn(len(pool)-k)
			pool[k], pool[j] = pool[j], pool[k]
		}
		chosen := pool[:perDigit]
		slices.Sort(chosen)
		idx = append(idx, chosen...)
	}
	return s.take(d, idx), nil
}
