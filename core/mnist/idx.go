// Package mnist reads the original MNIST IDX files (or another dataset's
// of 28×28 images, from a folder or from memory), checks them, and draws
// the balanced, seeded training samples the paper uses (Section 3.1: 200
// training images per digit) together with the matching test set.
package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Width and Height are the size of an MNIST image in pixels.
const (
	Width  = 28
	Height = 28
	Pixels = Width * Height
)

// MaxIDXBytes bounds the payload an IDX header may announce, and the
// size of a file the page reads, raw or gzipped, so a corrupt header or
// a huge file is refused before anything large is allocated. The MNIST
// training images are 47,040,000 bytes; a gzipped file is read no
// further than its header announces.
const MaxIDXBytes = 1 << 26

// EncodeIDX writes an IDX file of unsigned bytes (type code 0x08) with
// the given dimensions and data, the form ReadIDX reads.
func EncodeIDX(dims []int, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d)) // a bytes.Buffer does not fail
	}
	b.Write(data)
	return b.Bytes()
}

// ReadIDX reads one IDX file of unsigned bytes (type code 0x08) from r and
// returns its dimensions and data. It checks the magic number, that the
// announced size is sane, that the payload is complete and that nothing
// follows it.
func ReadIDX(r io.Reader) (dims []int, data []byte, err error) {
	if dims, err = readIDXHeader(r); err != nil {
		return nil, nil, err
	}
	data, err = readIDXPayload(r, dims)
	return dims, data, err
}

// readIDXHeader reads an IDX header: the magic number, then the
// dimensions, whose product it bounds by MaxIDXBytes. Nothing large is
// allocated.
func readIDXHeader(r io.Reader) (dims []int, err error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("idx header: %w", truncated(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("idx header: bad magic %#x (want 0x0000 followed by type and rank; is this an IDX file?)", magic)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("idx header: element type %#02x, want 0x08 (unsigned byte)", magic[2])
	}
	rank := int(magic[3])
	if rank < 1 || rank > 3 {
		return nil, fmt.Errorf("idx header: rank %d, want 1 to 3", rank)
	}
	dims = make([]int, rank)
	size := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("idx header: dimension %d: %w", i, truncated(err))
		}
		if d == 0 || d > MaxIDXBytes {
			return nil, fmt.Errorf("idx header: dimension %d is %d, want 1 to %d", i, d, MaxIDXBytes)
		}
		dims[i] = int(d)
		size *= int(d)
		if size > MaxIDXBytes {
			return nil, fmt.Errorf("idx header: dimensions %v exceed %d bytes", dims[:i+1], MaxIDXBytes)
		}
	}
	return dims, nil
}

// readIDXPayload reads the payload a header of dims announced, and checks
// that nothing follows it.
func readIDXPayload(r io.Reader, dims []int) ([]byte, error) {
	size := 1
	for _, d := range dims {
		size *= d
	}
	data := make([]byte, size)
	if n, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("idx data: got %d of %d bytes announced by the header %v: %w", n, size, dims, truncated(err))
	}
	var extra [1]byte
	if n, _ := r.Read(extra[:]); n > 0 {
		return nil, fmt.Errorf("idx data: trailing bytes after the %d announced by the header %v", size, dims)
	}
	return data, nil
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("file is truncated: %w", io.ErrUnexpectedEOF)
	}
	return err
}

// ReadIDXFile reads an IDX file, gunzipping it when the name ends in ".gz".
func ReadIDXFile(path string) (dims []int, data []byte, err error) {
	f, err := openIDX(osOpen, path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if dims, err = readIDXHeader(f); err == nil {
		data, err = readIDXPayload(f, dims)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: read %s: %w", path, err)
	}
	return dims, data, nil
}

// opener opens a file by name: a path (osOpen) or a name in a folder
// (fsOpen).
type opener func(name string) (io.ReadCloser, error)

func osOpen(name string) (io.ReadCloser, error) { return os.Open(name) }

func fsOpen(fsys fs.FS) opener {
	return func(name string) (io.ReadCloser, error) { return fsys.Open(name) }
}

// idxFile is an open IDX file, gunzipped when its name ends in ".gz".
type idxFile struct {
	io.Reader
	close func() error
}

func (f *idxFile) Close() error { return f.close() }

func openIDX(open opener, name string) (*idxFile, error) {
	f, err := open(name)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(name, ".gz") {
		z, err := gzip.NewReader(r)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("mnist: read %s: %w (is it gzipped?)", name, err)
		}
		return &idxFile{z, func() error { z.Close(); return f.Close() }}, nil
	}
	return &idxFile{r, f.Close}, nil
}

// Set is a set of labelled MNIST images held in memory as their IDX
// files hold them: a byte a pixel, a quarter of the memory of floats
// (47 MB for MNIST's 60,000 training images). A network reads pixel byte
// b as the value Level(b) = b/255 in [0, 1].
type Set struct {
	// Images holds Len() images of Pixels bytes each, row-major, 0 white
	// to 255 black.
	Images []byte
	// Labels holds the class 0..9 of each image.
	Labels []uint8
}

// Len returns the number of images in s.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the Pixels bytes of image i.
func (s *Set) Image(i int) []byte { return s.Images[i*Pixels : (i+1)*Pixels] }

// Level returns the value in [0, 1] of pixel byte b: b/255, as every
// network of nnesim reads an image.
func Level(b byte) float32 { return levels[b] }

// levels holds Level of every byte, computed once as float32(b)/255.
var levels = func() (t [256]float32) {
	for b := range t {
		t[b] = float32(b) / 255
	}
	return t
}()

// Floats appends the Level of every byte of img to dst and returns it.
func Floats(dst []float32, img []byte) []float32 {
	for _, b := range img {
		dst = append(dst, levels[b])
	}
	return dst
}

// NewSet checks raw IDX image and label payloads against each other and
// returns them as a Set, which holds img and lbl (not copies).
func NewSet(imgDims []int, img []byte, lblDims []int, lbl []byte) (*Set, error) {
	if err := checkDims(imgDims, lblDims); err != nil {
		return nil, err
	}
	for i, l := range lbl {
		if l > 9 {
			return nil, fmt.Errorf("label %d is %d, want 0 to 9 (nnesim reads at most ten classes)", i, l)
		}
	}
	// Capped, so that appending to one never writes over the other when
	// both are parts of one buffer (a pack's).
	return &Set{Images: img[:len(img):len(img)], Labels: lbl[:len(lbl):len(lbl)]}, nil
}

// poolIndex returns the indices of the first perDigit images of each
// label, in file order.
func poolIndex(labels []byte, perDigit int) []int {
	var count [10]int
	var idx []int
	for i, l := range labels {
		if count[l] < perDigit {
			count[l]++
			idx = append(idx, i)
		}
	}
	return idx
}

// checkDims checks an image file's and a label file's dimensions against
// each other: N images of Height×Width, N labels.
func checkDims(imgDims, lblDims []int) error {
	if len(imgDims) != 3 || imgDims[1] != Height || imgDims[2] != Width {
		return fmt.Errorf("images have dimensions %v, want [N %d %d]", imgDims, Height, Width)
	}
	if len(lblDims) != 1 {
		return fmt.Errorf("labels have dimensions %v, want [N]", lblDims)
	}
	if imgDims[0] != lblDims[0] {
		return fmt.Errorf("%d images but %d labels", imgDims[0], lblDims[0])
	}
	return nil
}

// The standard names of a dataset's four IDX files (MNIST's, and
// Fashion-MNIST's and KMNIST's), each raw or gzipped (name + ".gz").
const (
	TrainImagesName = "train-images-idx3-ubyte"
	TrainLabelsName = "train-labels-idx1-ubyte"
	TestImagesName  = "t10k-images-idx3-ubyte"
	TestLabelsName  = "t10k-labels-idx1-ubyte"
)

// File names of the original MNIST distribution.
const (
	TrainImages = TrainImagesName + ".gz"
	TrainLabels = TrainLabelsName + ".gz"
	TestImages  = TestImagesName + ".gz"
	TestLabels  = TestLabelsName + ".gz"
)

// ReadSet reads an image file and a label file into a Set. Both headers
// are read and checked against each other before either payload is.
func ReadSet(imagesPath, labelsPath string) (*Set, error) {
	return readSet(osOpen, imagesPath, labelsPath)
}

// readSet reads an image file and a label file, opened by open; both
// headers are read and checked against each other before either payload
// is.
func readSet(open opener, images, labels string) (*Set, error) {
	fi, err := openIDX(open, images)
	if err != nil {
		return nil, err
	}
	defer fi.Close()
	fl, err := openIDX(open, labels)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	id, err := readIDXHeader(fi)
	if err != nil {
		return nil, fmt.Errorf("mnist: read %s: %w", images, err)
	}
	ld, err := readIDXHeader(fl)
	if err != nil {
		return nil, fmt.Errorf("mnist: read %s: %w", labels, err)
	}
	if err := checkDims(id, ld); err != nil {
		return nil, fmt.Errorf("mnist: %s and %s: %w", images, labels, err)
	}
	lbl, err := readIDXPayload(fl, ld)
	if err != nil {
		return nil, fmt.Errorf("mnist: read %s: %w", labels, err)
	}
	img, err := readIDXPayload(fi, id)
	if err != nil {
		return nil, fmt.Errorf("mnist: read %s: %w", images, err)
	}
	r, err := NewSet(id, img, ld, lbl)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s and %s: %w", images, labels, err)
	}
	return r, nil
}

// Find returns the name in fsys of the IDX file of the given standard
// name, raw or gzipped (the raw one first).
func Find(fsys fs.FS, name string) (string, error) {
	for _, n := range []string{name, name + ".gz"} {
		if st, err := fs.Stat(fsys, n); err == nil && !st.IsDir() {
			return n, nil
		}
	}
	return "", fmt.Errorf("mnist: no %s or %s.gz (a dataset folder holds %s, %s, %s and %s, each raw or .gz)",
		name, name, TrainImagesName, TrainLabelsName, TestImagesName, TestLabelsName)
}

// ReadPair reads fsys's images and labels of the given standard names
// (Find).
func ReadPair(fsys fs.FS, images, labels string) (*Set, error) {
	ip, err := Find(fsys, images)
	if err != nil {
		return nil, err
	}
	lp, err := Find(fsys, labels)
	if err != nil {
		return nil, err
	}
	return readSet(fsOpen(fsys), ip, lp)
}

// LoadFS reads the training and test sets of a dataset folder, which
// holds the four IDX files under their standard names, raw or gzipped:
// MNIST, or another dataset of 28×28 images with labels 0 to 9.
func LoadFS(fsys fs.FS) (train, test *Set, err error) {
	if train, err = ReadPair(fsys, TrainImagesName, TrainLabelsName); err != nil {
		return nil, nil, err
	}
	if test, err = ReadPair(fsys, TestImagesName, TestLabelsName); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// Load is LoadFS of the folder dir.
func Load(dir string) (train, test *Set, err error) {
	if train, test, err = LoadFS(os.DirFS(dir)); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	return train, test, nil
}

// LoadTest is Load's test set alone.
func LoadTest(dir string) (*Set, error) {
	te, err := ReadPair(os.DirFS(dir), TestImagesName, TestLabelsName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return te, nil
}

// Classes returns the labels s holds, in order.
func (s *Set) Classes() Digits {
	var seen [10]bool
	for _, l := range s.Labels {
		seen[l] = true
	}
	var d Digits
	for v, ok := range seen {
		if ok {
			d = append(d, v)
		}
	}
	return d
}
