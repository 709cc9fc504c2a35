package network

import "fmt"

// Inputs holds a data set of input vectors in sparse form: the nonzero
// values of input i are Val[Off[i]:Off[i+1]] at positions Pix[...]. MNIST
// images are about 80% zeros, so the first layer only visits the rest.
type Inputs struct {
	Dim   int
	Off   []int32
	Pix   []int32
	Val   []float32
	Class []int32
}

// Len returns the number of inputs.
func (d *Inputs) Len() int { return len(d.Class) }

// NewInputs converts dense inputs of dimension dim (len(dense) = dim·n) and
// their classes into sparse form.
func NewInputs(dim int, dense []float32, class []int32) (*Inputs, error) {
	return newInputs(dim, dense, func(v float32) float32 { return v }, class)
}

// ByteInputs converts inputs of dimension dim held as a byte a value
// (len(img) = dim·n; an image's grey levels) and their classes into
// sparse form; byte b is the value level(b), and level(0) must be 0.
// It takes a quarter of the memory NewInputs needs beforehand.
func ByteInputs(dim int, img []byte, level func(byte) float32, class []int32) (*Inputs, error) {
	return newInputs(dim, img, level, class)
}

func newInputs[T byte | float32](dim int, x []T, value func(T) float32, class []int32) (*Inputs, error) {
	if dim < 1 || len(x) != dim*len(class) {
		return nil, fmt.Errorf("network: %d values for %d inputs of dimension %d", len(x), len(class), dim)
	}
	// Counted first, so that the lists are allocated once at their size:
	// appending to them would leave up to twice their size behind, which
	// a browser's wasm memory keeps (72 MB of inputs for MNIST's 60,000
	// training images).
	nz := 0
	for _, v := range x {
		if v != 0 {
			nz++
		}
	}
	d := &Inputs{Dim: dim, Off: make([]int32, 1, len(class)+1), Pix: make([]int32, 0, nz), Val: make([]float32, 0, nz), Class: append([]int32(nil), class...)}
	for i := range class {
		for j, v := range x[i*dim : (i+1)*dim] {
			if v != 0 {
				d.Pix = append(d.Pix, int32(j))
				d.Val = append(d.Val, value(v))
			}
		}
		d.Off = append(d.Off, int32(len(d.Pix)))
	}
	return d, nil
}

// SparseInput lists the nonzero positions of one dense input x and their
// values, as Inputs holds an input.
func SparseInput(x []float32) (pix []int32, val []float32) {
	for j, v := range x {
		if v != 0 {
			pix = append(pix, int32(j))
			val = append(val, v)
		}
	}
	return pix, val
}

// Input returns the nonzero positions and values of input i.
func (d *Inputs) Input(i int) (pix []int32, val []float32) {
	lo, hi := d.Off[i], d.Off[i+1]
	return d.Pix[lo:hi], d.Val[lo:hi]
}
