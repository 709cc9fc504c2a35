package mnist

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// idx encodes an IDX file of unsigned bytes with the given dimensions.
var idx = EncodeIDX

func gz(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// fiveClasses writes into a new folder a dataset made from real MNIST
// images: the first n test images of digits 0-4, inverted (a second
// dataset of the same shape), the training pair raw and the test pair
// gzipped.
func fiveClasses(t *testing.T, n int) (dir string, want *Set) {
	t.Helper()
	_, test := realMNIST(t)
	var img, lbl []byte
	for i, l := range test.Labels {
		if l > 4 || len(lbl) >= n {
			continue
		}
		for _, v := range test.Image(i) {
			img = append(img, 255-v)
		}
		lbl = append(lbl, l)
	}
	dir = t.TempDir()
	files := map[string][]byte{
		TrainImagesName:        idx([]int{len(lbl), Height, Width}, img),
		TrainLabelsName:        idx([]int{len(lbl)}, lbl),
		TestImagesName + ".gz": gz(idx([]int{len(lbl), Height, Width}, img)),
		TestLabelsName + ".gz": gz(idx([]int{len(lbl)}, lbl)),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := NewSet([]int{len(lbl), Height, Width}, img, []int{len(lbl)}, lbl)
	if err != nil {
		t.Fatal(err)
	}
	return dir, want
}

// TestLoadFolder reads a dataset folder of five classes, raw and gzipped
// files mixed: the classes are the labels it holds, and the pool takes
// what each has.
func TestLoadFolder(t *testing.T) {
	dir, want := fiveClasses(t, 300)
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(train.Labels, want.Labels) || !slices.Equal(train.Images, want.Images) || !slices.Equal(test.Labels, want.Labels) {
		t.Fatalf("the folder read back differs: %d/%d labels", train.Len(), want.Len())
	}
	if got := train.Classes(); !slices.Equal(got, Digits{0, 1, 2, 3, 4}) {
		t.Errorf("classes %v, want 0-4", got)
	}
	pool, err := train.Pool(PoolPerDigit)
	if err != nil || pool.Len() != train.Len() {
		t.Errorf("pool of %d from %d images (%v)", pool.Len(), train.Len(), err)
	}
	if _, err := pool.Balanced(Digits{0, 1, 2, 3, 4, 5}, 10, 1); err == nil || !strings.Contains(err.Error(), "digit 5 has 0 images") {
		t.Errorf("a digit the data lacks: %v", err)
	}
}

// TestLoadFolderBad checks that each broken folder is refused with the
// file's name and the problem, the headers read before any payload.
func TestLoadFolderBad(t *testing.T) {
	img := idx([]int{3, Height, Width}, make([]byte, 3*Pixels))
	lbl := idx([]int{3}, []byte{0, 1, 2})
	for _, tc := range []struct {
		name  string
		edit  func(files map[string][]byte)
		wants []string
	}{
		{"a file missing", func(f map[string][]byte) { delete(f, TestLabelsName) }, []string{"no " + TestLabelsName + " or " + TestLabelsName + ".gz"}},
		{"wrong magic", func(f map[string][]byte) { f[TrainImagesName] = append([]byte{1, 2}, img[2:]...) }, []string{TrainImagesName, "bad magic"}},
		{"more labels than images", func(f map[string][]byte) { f[TrainLabelsName] = idx([]int{4}, []byte{0, 1, 2, 3}) }, []string{TrainLabelsName, "3 images but 4 labels"}},
		{"29 rows", func(f map[string][]byte) { f[TrainImagesName] = idx([]int{3, 29, 28}, make([]byte, 3*29*28)) }, []string{"dimensions [3 29 28], want [N 28 28]"}},
		{"a label of 12", func(f map[string][]byte) { f[TestLabelsName] = idx([]int{3}, []byte{0, 12, 2}) }, []string{TestLabelsName, "label 1 is 12"}},
		{"truncated images", func(f map[string][]byte) { f[TrainImagesName] = img[:len(img)-100] }, []string{TrainImagesName, "truncated"}},
		{"a header announcing 2 GB", func(f map[string][]byte) {
			f[TrainImagesName] = idx([]int{2_000_000_000, 1, 1}, nil)
		}, []string{TrainImagesName, "dimension 0 is 2000000000"}},
		{"not gzipped", func(f map[string][]byte) {
			f[TestImagesName+".gz"] = img
			delete(f, TestImagesName)
		}, []string{TestImagesName + ".gz", "gzip"}},
	} {
		files := map[string][]byte{TrainImagesName: img, TrainLabelsName: lbl, TestImagesName: img, TestLabelsName: lbl}
		tc.edit(files)
		dir := t.TempDir()
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err := Load(dir)
		for _, w := range tc.wants {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, w)
			}
		}
	}
}

// TestReadDataset reads a dataset folder held in memory, as the page
// does: its packs decode to the pool and test set a native run of the
// same folder reads, and its sample holds the first image of each class.
func TestReadDataset(t *testing.T) {
	dir, _ := fiveClasses(t, 2000)
	files := Files{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	d, err := ReadDataset(files)
	if err != nil {
		t.Fatal(err)
	}
	pool, _, test, err := LoadAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	gotPool, err := DecodePack(d.Pool)
	if err != nil {
		t.Fatal(err)
	}
	gotTest, err := DecodePack(d.Test)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotPool.Labels, pool.Labels) || !slices.Equal(gotPool.Images, pool.Images) {
		t.Errorf("the page's pool (%d images) differs from the native one (%d)", gotPool.Len(), pool.Len())
	}
	if !slices.Equal(gotTest.Labels, test.Labels) || !slices.Equal(gotTest.Images, test.Images) {
		t.Errorf("the page's test set (%d images) differs from the native one (%d)", gotTest.Len(), test.Len())
	}
	if !slices.Equal(d.Classes, Digits{0, 1, 2, 3, 4}) || d.Train != 2000 || d.TestLen != 2000 || d.PoolLen != pool.Len() {
		t.Errorf("classes %v, %d training, %d pool, %d test images", d.Classes, d.Train, d.PoolLen, d.TestLen)
	}
	for k, c := range d.Classes {
		i := slices.Index(pool.Labels, uint8(c))
		for j, v := range pool.Image(i) {
			if d.Sample[k*Pixels+j] != v {
				t.Fatalf("sample %d (class %d) is not the pool's first image of its class", k, c)
			}
		}
	}
}

// TestReadDatasetBad checks the refusals ReadDataset adds to LoadFS's.
func TestReadDatasetBad(t *testing.T) {
	img := idx([]int{3, Height, Width}, make([]byte, 3*Pixels))
	for _, tc := range []struct {
		name       string
		train, tst []byte
		want       string
	}{
		{"one class", []byte{2, 2, 2}, []byte{2, 2, 2}, "holds only class 2"},
		{"a test class the training lacks", []byte{0, 1, 1}, []byte{0, 1, 7}, "label 2 is 7, a class the training file does not hold"},
	} {
		files := Files{TrainImagesName: img, TrainLabelsName: idx([]int{3}, tc.train), TestImagesName: img, TestLabelsName: idx([]int{3}, tc.tst)}
		if _, err := ReadDataset(files); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadDataset(Files{TrainImagesName: img}); err == nil || !strings.Contains(err.Error(), "no "+TrainLabelsName) {
		t.Errorf("a file missing: %v", err)
	}
}
