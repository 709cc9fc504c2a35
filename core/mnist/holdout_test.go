package mnist

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestHoldout(t *testing.T) {
	train, _ := realMNIST(t)
	rest, val, err := train.Holdout(0.1)
	if err != nil {
		t.Fatal(err)
	}
	if rest.Len()+val.Len() != train.Len() {
		t.Fatalf("rest %d + validation %d images, want the file's %d", rest.Len(), val.Len(), train.Len())
	}
	var all, held [10]int
	for _, l := range train.Labels {
		all[l]++
	}
	for _, l := range val.Labels {
		held[l]++
	}
	for c := range 10 {
		if want := int(math.Round(0.1 * float64(all[c]))); held[c] != want {
			t.Errorf("class %d: %d validation images, want %d of %d", c, held[c], want, all[c])
		}
	}
	// The pool is untouched: the rest's first PoolPerDigit images of each
	// class are the file's, so no preset's sample holds a validation image.
	p1, _ := train.Pool(PoolPerDigit)
	p2, _ := rest.Pool(PoolPerDigit)
	if !slices.Equal(p1.Labels, p2.Labels) || !slices.Equal(p1.Images, p2.Images) {
		t.Error("the holdout changed the training pool")
	}
	// Every validation image is one of the file's, none twice, none in the rest.
	key := func(x []byte) string { return string(x) }
	inRest := map[string]bool{}
	for i := range rest.Len() {
		inRest[key(rest.Image(i))] = true
	}
	overlap := 0
	for i := range val.Len() {
		if inRest[key(val.Image(i))] {
			overlap++
		}
	}
	// MNIST holds a few duplicate images; allow them, not a leak.
	if overlap > 5 {
		t.Errorf("%d validation images are also in the rest", overlap)
	}
	// The same share gives the same set, whatever else happened.
	_, again, _ := train.Holdout(0.1)
	if !slices.Equal(val.Images, again.Images) {
		t.Error("two holdouts of the same share differ")
	}
	_, v2, _ := train.Holdout(0.2)
	if v2.Len() <= val.Len() {
		t.Errorf("a share of 0.2 holds %d images, 0.1 %d", v2.Len(), val.Len())
	}
}

func TestHoldoutRefused(t *testing.T) {
	train, _ := realMNIST(t)
	pool, _ := train.Pool(PoolPerDigit)
	for _, c := range []struct {
		set  *Set
		frac float64
		want string
	}{
		{train, 0, "want more than 0"},
		{train, -0.1, "want more than 0"},
		{train, 0.6, "at most 0.5"},
		{train, math.NaN(), "want more than 0"},
		{pool, 0.1, "beyond the first 300"},
	} {
		_, _, err := c.set.Holdout(c.frac)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Holdout(%g) of %d images: %v, want an error with %q", c.frac, c.set.Len(), err, c.want)
		}
	}
}
