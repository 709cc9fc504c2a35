package mnist

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestReadIDXValid(t *testing.T) {
	for _, name := range []string{"testdata/tiny-images.idx", "testdata/tiny-images.idx.gz"} {
		dims, data, err := ReadIDXFile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(dims) != 3 || dims[0] != 5 || dims[1] != 28 || dims[2] != 28 || len(data) != 5*784 {
			t.Errorf("%s: dims %v, %d bytes; want [5 28 28], 3920 bytes", name, dims, len(data))
		}
	}
	s, err := ReadSet("testdata/tiny-images.idx.gz", "testdata/tiny-labels.idx.gz")
	if err != nil {
		t.Fatal(err)
	}
	// The first five labels of the MNIST test set are 7 2 1 0 4.
	if got := s.Labels; string(got) != string([]uint8{7, 2, 1, 0, 4}) {
		t.Errorf("labels %v, want [7 2 1 0 4]", got)
	}
	if s.Images[0] != 0 || maxOf(s.Image(0)) != 255 {
		t.Errorf("image 0: corner %v, max %v; want 0 and 255", s.Images[0], maxOf(s.Image(0)))
	}
	if f := Floats(nil, s.Image(0)); f[0] != 0 || maxOf(f) != 1 || len(f) != Pixels {
		t.Errorf("image 0 as levels: corner %v, max %v, %d values; want 0, 1 and %d", f[0], maxOf(f), len(f), Pixels)
	}
	for b := range 256 {
		if Level(byte(b)) != float32(b)/255 {
			t.Fatalf("Level(%d) = %v, want %v", b, Level(byte(b)), float32(b)/255)
		}
	}
}

func maxOf[T byte | float32](v []T) T {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func TestReadIDXCorrupt(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"truncated-images.idx", "truncated"},
		{"truncated-header.idx", "truncated"},
		{"bad-magic.idx", "bad magic"},
		{"bad-type.idx", "element type"},
		{"trailing.idx", "trailing bytes"},
		{"huge-dims.idx", "dimension 0 is 2147483647"},
		{"corrupt-gzip-images.idx.gz", "mnist: read"},
		{"truncated-gzip-images.idx.gz", "mnist: read"},
		{"missing.idx", "no such file"},
	} {
		_, _, err := ReadIDXFile("testdata/" + tc.file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.file, err, tc.want)
		}
	}
	for _, tc := range []struct {
		images, labels, want string
	}{
		{"wrong-size-images.idx", "tiny-labels.idx.gz", "dimensions [5 28 27]"},
		{"tiny-images.idx", "mismatch-labels.idx.gz", "5 images but 4 labels"},
		{"tiny-images.idx", "bad-label.idx.gz", "label 4 is 11"},
	} {
		_, err := ReadSet("testdata/"+tc.images, "testdata/"+tc.labels)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s + %s: error %v, want one containing %q", tc.images, tc.labels, err, tc.want)
		}
	}
}

func TestTruncatedIsUnexpectedEOF(t *testing.T) {
	_, _, err := ReadIDX(strings.NewReader("\x00\x00\x08\x01\x00\x00\x00\x05ab"))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestParseDigits(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // formatted, or "error: substring"
	}{
		{"0-4", "0-4"},
		{"0-9", "0-9"},
		{"3,8", "3,8"},
		{"0-2,7", "0-2,7"},
		{" 1 , 5 ", "1,5"},
		{"9,0", "9,0"},
		{"5", "error: need at least 2"},
		{"3,3", "error: appears twice"},
		{"0-4,2", "error: appears twice"},
		{"4-0", "error: runs backwards"},
		{"a", "error: not a digit"},
		{"10", "error: not a digit"},
		{"", "error: not a digit"},
		{"1,,2", "error: not a digit"},
	} {
		d, err := ParseDigits(tc.in)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
			if strings.HasPrefix(tc.want, "error: ") && strings.Contains(got, strings.TrimPrefix(tc.want, "error: ")) {
				continue
			}
		} else {
			got = d.String()
		}
		if got != tc.want {
			t.Errorf("ParseDigits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	d, _ := ParseDigits("3,8")
	if d.Class(8) != 1 || d.Class(3) != 0 || d.Class(5) != -1 {
		t.Errorf("Class: 8→%d 3→%d 5→%d, want 1 0 -1", d.Class(8), d.Class(3), d.Class(5))
	}
}

func realMNIST(t *testing.T) (train, test *Set) {
	t.Helper()
	dir, err := Locate()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return train, test
}

func TestRealMNISTAndBalancedSample(t *testing.T) {
	train, test := realMNIST(t)
	if train.Len() != 60000 || test.Len() != 10000 {
		t.Fatalf("%d training and %d test images, want 60000 and 10000", train.Len(), test.Len())
	}
	d, _ := ParseDigits("0-4")
	// The MNIST test set holds 980 zeros, 1135 ones, 1032 twos, 1010
	// threes and 982 fours.
	if got := test.Filter(d).Len(); got != 5139 {
		t.Errorf("test images of 0-4: %d, want 5139", got)
	}
	s, err := train.Balanced(d, 200, 7)
	if err != nil {
		t.Fatal(err)
	}
	var per [5]int
	seen := map[int]bool{}
	for k, c := range s.Class {
		per[c]++
		i := s.Index[k]
		if seen[i] {
			t.Fatalf("image %d drawn twice", i)
		}
		seen[i] = true
		if int(train.Labels[i]) != d[c] {
			t.Fatalf("sample %d: class %d but image %d is a %d", k, c, i, train.Labels[i])
		}
	}
	if per != [5]int{200, 200, 200, 200, 200} {
		t.Errorf("per-digit counts %v, want 200 each", per)
	}
	again, _ := train.Balanced(d, 200, 7)
	other, _ := train.Balanced(d, 200, 8)
	if !slices.Equal(s.Index, again.Index) {
		t.Error("same seed gave a different sample")
	}
	if slices.Equal(s.Index, other.Index) {
		t.Error("seeds 7 and 8 gave the same sample")
	}
	if _, err := train.Balanced(d, 6000, 1); err == nil || !strings.Contains(err.Error(), "fewer than") {
		t.Errorf("6000 per digit: error %v, want 'fewer than'", err)
	}
}

// TestFilterShares: the whole set in order shares its pixels with the
// Set; a subset copies its images; both give the images and classes.
func TestFilterShares(t *testing.T) {
	s := &Set{Images: make([]byte, 3*Pixels), Labels: []uint8{2, 0, 1}}
	for i := range s.Images {
		s.Images[i] = byte(i % 7)
	}
	all, _ := ParseDigits("0-2")
	l := s.Filter(all)
	if &l.Images[0] != &s.Images[0] || len(l.Images) != len(s.Images) || fmt.Sprint(l.Class) != "[2 0 1]" {
		t.Errorf("all digits: shared %v, classes %v", &l.Images[0] == &s.Images[0], l.Class)
	}
	some, _ := ParseDigits("1,2")
	l = s.Filter(some)
	if &l.Images[0] == &s.Images[0] || fmt.Sprint(l.Class) != "[1 0]" || l.Images[Pixels+5] != s.Images[2*Pixels+5] {
		t.Errorf("digits 1,2: classes %v", l.Class)
	}
}

// TestMNISTID checks MNISTID against MNIST's own pool and test set, and
// that another pool has another ID.
func TestMNISTID(t *testing.T) {
	train, test := realMNIST(t)
	pool, err := train.Pool(PoolPerDigit)
	if err != nil {
		t.Fatal(err)
	}
	if got := DataID(pool, test); got != MNISTID {
		t.Errorf("MNIST's DataID is %s, MNISTID says %s", got, MNISTID)
	}
	other, _ := train.Pool(PoolPerDigit - 1)
	if DataID(other, test) == MNISTID {
		t.Error("a smaller pool has MNIST's ID")
	}
}
