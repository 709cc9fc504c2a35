package mnist

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"testing"
)

func tinySet(t *testing.T) *Set {
	t.Helper()
	s, err := ReadSet("testdata/tiny-images.idx.gz", "testdata/tiny-labels.idx.gz")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPackRoundTrip(t *testing.T) {
	s := tinySet(t)
	var buf bytes.Buffer
	if err := EncodePack(&buf, s); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 32+5*785 {
		t.Fatalf("pack is %d bytes, want %d", buf.Len(), 32+5*785)
	}
	got, err := DecodePack(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Labels, s.Labels) || !slices.Equal(got.Images, s.Images) {
		t.Error("decoded set differs from the encoded one")
	}
	// The set holds the pack's bytes; a label added is not written over
	// the first image, which follows the labels in the pack.
	got.Labels = append(got.Labels, 9)
	if got.Images[0] != s.Images[0] {
		t.Errorf("appending a label changed image 0's first pixel to %d", got.Images[0])
	}
}

func TestPackCorrupt(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodePack(&buf, tinySet(t)); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	edit := func(f func(b []byte) []byte) []byte { return f(slices.Clone(good)) }
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "shorter than the 32-byte header"},
		{"truncated", good[:len(good)-1], "truncated or padded"},
		{"padded", append(slices.Clone(good), 0), "truncated or padded"},
		{"magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), "bad magic"},
		{"version", edit(func(b []byte) []byte { b[8] = 2; return b }), "format version 2"},
		{"dims", edit(func(b []byte) []byte { b[16] = 27; return b }), "27×28"},
		{"count", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[12:], math.MaxUint32); return b }), "want 1 to 70000"},
		{"flipped pixel", edit(func(b []byte) []byte { b[len(b)-400] ^= 1; return b }), "checksum"},
		{"label", edit(func(b []byte) []byte {
			b[32] = 12
			binary.LittleEndian.PutUint32(b[24:], crc(b[32:]))
			return b
		}), "label 0 is 12"},
	} {
		_, err := DecodePack(tc.b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestPool(t *testing.T) {
	s := &Set{Labels: []uint8{3, 1, 3, 3, 1, 0, 2, 4, 5, 6, 7, 8, 9}}
	s.Images = make([]byte, s.Len()*Pixels)
	for i := range s.Len() {
		s.Image(i)[0] = byte(i)
	}
	p, err := s.Pool(1)
	if err != nil {
		t.Fatal(err)
	}
	// First image of each digit, in file order: positions 0 (3), 1 (1), 5 (0), 6...
	want := []uint8{3, 1, 0, 2, 4, 5, 6, 7, 8, 9}
	if !slices.Equal(p.Labels, want) || p.Image(2)[0] != 5 {
		t.Errorf("pool labels %v (image 2 from position %v), want %v from position 5", p.Labels, p.Image(2)[0], want)
	}
	// Up to 2 of each: a label with fewer gives what it has.
	p, err = s.Pool(2)
	if want := []uint8{3, 1, 3, 1, 0, 2, 4, 5, 6, 7, 8, 9}; err != nil || !slices.Equal(p.Labels, want) {
		t.Errorf("pool of 2: %v (%v), want %v", p.Labels, err, want)
	}
	// A dataset of a few classes pools those.
	few := &Set{Labels: []uint8{4, 2, 4}, Images: make([]byte, 3*Pixels)}
	if p, err := few.Pool(5); err != nil || !slices.Equal(p.Labels, []uint8{4, 2, 4}) || !slices.Equal(p.Classes(), Digits{2, 4}) {
		t.Errorf("pool of a two-class set: %v, classes %v (%v)", p.Labels, p.Classes(), err)
	}
	if _, err := (&Set{}).Pool(5); err == nil {
		t.Error("an empty set pooled")
	}
}

// TestNormalizeMNIST checks that an MNIST digit drawn ten times larger,
// off-centre on a pad, comes back close to the original: MNIST digits are
// already normalized, so Normalize must nearly invert the enlargement.
func TestNormalizeMNIST(t *testing.T) {
	s := tinySet(t)
	const size, k, ox, oy = 400, 10, 73, 21
	for i := range s.Len() {
		img := Floats(nil, s.Image(i))
		pad := make([]float32, size*size)
		for y := range Height * k {
			for x := range Width * k {
				pad[(y+oy)*size+x+ox] = img[(y/k)*Width+x/k]
			}
		}
		got := make([]float32, Pixels)
		if !Normalize(got, pad, size, size) {
			t.Fatal("Normalize reported an empty drawing")
		}
		if c := correlation(got, img); c < 0.8 {
			t.Errorf("image %d (digit %d): correlation %.3f with the original, want ≥ 0.8", i, s.Labels[i], c)
		}
	}
}

func correlation(a, b []float32) float64 {
	var sa, sb, saa, sbb, sab float64
	n := float64(len(a))
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		sa, sb, saa, sbb, sab = sa+x, sb+y, saa+x*x, sbb+y*y, sab+x*y
	}
	return (sab - sa*sb/n) / math.Sqrt((saa-sa*sa/n)*(sbb-sb*sb/n))
}

func TestRasterizeNormalize(t *testing.T) {
	const size = 112
	pad := make([]float32, size*size)
	dst := make([]float32, Pixels)
	if Normalize(dst, pad, size, size) {
		t.Error("empty pad: Normalize reported a drawing")
	}
	// A vertical bar drawn in the top-left corner of a 200-unit pad.
	Rasterize(pad, size, [][]Point{{{20, 10}, {20, 60}}}, 200, 8)
	if v := pad[(size*35/200)*size+size*20/200]; v != 1 {
		t.Errorf("pixel on the stroke is %v, want 1", v)
	}
	if v := pad[(size*35/200)*size+size*40/200]; v != 0 {
		t.Errorf("pixel away from the stroke is %v, want 0", v)
	}
	if !Normalize(dst, pad, size, size) {
		t.Fatal("Normalize reported an empty drawing")
	}
	// The bar is 20 pixels tall, centred at (14.5, 14.5), a few pixels wide.
	var rows, cols [Height]float32
	var mass, mx, my float64
	for y := range Height {
		for x := range Width {
			v := dst[y*Width+x]
			rows[y] += v
			cols[x] += v
			mass += float64(v)
			mx += float64(v) * (float64(x) + 0.5)
			my += float64(v) * (float64(y) + 0.5)
		}
	}
	if math.Abs(mx/mass-14.5) > 0.05 || math.Abs(my/mass-14.5) > 0.05 {
		t.Errorf("centre of mass (%.3f, %.3f), want (14.5, 14.5)", mx/mass, my/mass)
	}
	// 20 pixels tall with its centre at 14.5: from 4.5 to 24.5.
	if rows[3] != 0 || rows[5] < 0.5 || rows[23] < 0.5 || rows[25] != 0 {
		t.Errorf("rows 3, 5, 23, 25 hold %v %v %v %v; want the bar from row 4 to 24", rows[3], rows[5], rows[23], rows[25])
	}
	width := 0
	for _, c := range cols {
		if c > 0 {
			width++
		}
	}
	if width < 2 || width > 6 {
		t.Errorf("bar covers %d columns, want 2 to 6", width)
	}
}

func crc(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
