package mnist

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"time"
)

// Dataset is a dataset folder read for the page (ReadDataset): the
// training pool and the test set in the pack format, which the page's
// workers load as they load MNIST's, and what the page says of it.
type Dataset struct {
	Pool, Test []byte // packs: the pool (Pool of PoolPerDigit) and the whole test file
	Classes    Digits // the labels the training file holds
	Train      int    // images in the training file
	PoolLen    int    // images in the pool
	TestLen    int    // images in the test file
	// Sample holds one training image of each class, in Classes order,
	// Pixels bytes each (0 white to 255 black).
	Sample []byte
}

// ReadDataset reads a dataset folder (LoadFS) into the packs the page
// trains on: the same pool and test set a native run of -data reads, so
// a seed gives the same bits in both. It fails, naming the file and the
// problem, on anything LoadFS refuses, on a test file with a class the
// training file lacks, and on a dataset of fewer than two classes.
func ReadDataset(fsys fs.FS) (*Dataset, error) {
	train, test, err := LoadFS(fsys)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Train: train.Len(), TestLen: test.Len()}
	if d.TestLen > MaxPackImages {
		return nil, fmt.Errorf("mnist: %s holds %d images, the page reads at most %d", TestImagesName, d.TestLen, MaxPackImages)
	}
	pool, err := train.Pool(PoolPerDigit)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", TrainImagesName, err)
	}
	d.Classes = (&Set{Labels: pool.Labels}).Classes()
	if len(d.Classes) < 2 {
		return nil, fmt.Errorf("mnist: %s holds only class %s; a dataset needs at least two", TrainLabelsName, d.Classes)
	}
	for i, l := range test.Labels {
		if d.Classes.Class(int(l)) < 0 {
			return nil, fmt.Errorf("mnist: %s: label %d is %d, a class the training file does not hold (its classes: %s)", TestLabelsName, i, l, d.Classes)
		}
	}
	d.PoolLen = pool.Len()
	d.Pool, d.Test = pool.Pack(), test.Pack()
	for _, c := range d.Classes {
		i := slices.Index(pool.Labels, byte(c))
		d.Sample = append(d.Sample, pool.Images[i*Pixels:(i+1)*Pixels]...)
	}
	return d, nil
}

// Files is a dataset folder held in memory, by file name: the files a
// student dropped on the page or the page downloaded. It is an fs.FS.
type Files map[string][]byte

// Open opens the file name of f.
func (f Files) Open(name string) (fs.File, error) {
	b, ok := f[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(b), name: name, size: int64(len(b))}, nil
}

// memFile is an open file of Files.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m, nil }
func (m *memFile) Close() error               { return nil }
func (m *memFile) Name() string               { return m.name }
func (m *memFile) Size() int64                { return m.size }
func (m *memFile) Mode() fs.FileMode          { return 0o444 }
func (m *memFile) ModTime() time.Time         { return time.Time{} }
func (m *memFile) IsDir() bool                { return false }
func (m *memFile) Sys() any                   { return nil }
