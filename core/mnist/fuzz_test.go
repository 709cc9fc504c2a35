package mnist

import (
	"bytes"
	"compress/gzip"
	"math"
	"testing"
)

// FuzzReadIDX checks that no input makes ReadIDX panic or allocate
// beyond its bound, and that what it accepts is consistent: the data
// holds exactly the product of the dimensions, each at least 1.
func FuzzReadIDX(f *testing.F) {
	f.Add(idx([]int{2, 28, 28}, make([]byte, 2*784)))
	f.Add(idx([]int{3}, []byte{1, 2, 9}))
	f.Add(idx([]int{1 << 20, 1 << 20}, nil))
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 2, 7})
	f.Add([]byte("\x1f\x8b not idx"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dims, data, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			return
		}
		size := 1
		for _, d := range dims {
			if d < 1 {
				t.Fatalf("accepted dimension %d", d)
			}
			size *= d
		}
		if size != len(data) || size > MaxIDXBytes {
			t.Fatalf("dims %v, %d bytes of data", dims, len(data))
		}
	})
}

// FuzzNewSet checks that a pair of IDX payloads either makes a Set whose
// images are 28×28 and whose labels are digits, or is refused.
func FuzzNewSet(f *testing.F) {
	f.Add(2, 28, 28, 2, make([]byte, 2*784), []byte{3, 9})
	f.Add(1, 28, 28, 1, make([]byte, 784), []byte{10})
	f.Add(1, 27, 28, 1, make([]byte, 27*28), []byte{1})
	f.Add(2, 28, 28, 1, make([]byte, 2*784), []byte{1})
	f.Fuzz(func(t *testing.T, n, h, w, m int, img, lbl []byte) {
		if n < 0 || m < 0 || h < 0 || w < 0 || n > 64 || m > 64 || h > 64 || w > 64 {
			return
		}
		if len(img) != n*h*w {
			img = make([]byte, n*h*w)
		}
		if len(lbl) != m {
			lbl = append(lbl, make([]byte, max(0, m-len(lbl)))...)[:m]
		}
		s, err := NewSet([]int{n, h, w}, img, []int{m}, lbl)
		if err != nil {
			return
		}
		if h != Height || w != Width || n != m || s.Len() != n || len(s.Images) != n*Pixels {
			t.Fatalf("accepted %d images of %d×%d with %d labels", n, h, w, m)
		}
		for _, l := range s.Labels {
			if l > 9 {
				t.Fatalf("accepted label %d", l)
			}
		}
	})
}

// FuzzGzipIDX checks that a gzipped IDX file that expands beyond what
// its header announces is refused (ReadIDX reads one byte past the
// payload to know, so an endless stream costs no more).
func FuzzGzipIDX(f *testing.F) {
	f.Add(3, 100)
	f.Add(784, 0)
	f.Fuzz(func(t *testing.T, n, extra int) {
		if n < 1 || n > 4096 || extra < 0 || extra > 1<<16 {
			return
		}
		var z bytes.Buffer
		gz := gzip.NewWriter(&z)
		gz.Write(idx([]int{n}, make([]byte, n+extra)))
		gz.Close()
		r, err := gzip.NewReader(&z)
		if err != nil {
			t.Fatal(err)
		}
		_, data, err := ReadIDX(r)
		if (err == nil) != (extra == 0) || (err == nil && len(data) != n) {
			t.Fatalf("%d bytes announced, %d more: %v", n, extra, err)
		}
	})
}

// FuzzFromImage checks that any picture either gives an input in [0, 1]
// or is refused, with the input left zero.
func FuzzFromImage(f *testing.F) {
	f.Add(make([]byte, 4*8*8), 8, 8)
	f.Add(bytes.Repeat([]byte{255, 255, 255, 255, 0, 0, 0, 255}, 50), 10, 10)
	f.Add([]byte{1, 2, 3}, 1, 1)
	f.Fuzz(func(t *testing.T, rgba []byte, w, h int) {
		dst := make([]float32, Pixels)
		for i := range dst {
			dst[i] = 7
		}
		_, err := FromImage(dst, rgba, w, h)
		for _, v := range dst {
			if math.IsNaN(float64(v)) || v < 0 || v > 1 || (err != nil && v != 0) {
				t.Fatalf("%d×%d picture of %d bytes: input value %v (error %v)", w, h, len(rgba), v, err)
			}
		}
	})
}
