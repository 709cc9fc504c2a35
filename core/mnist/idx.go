// Package mnist reads the original MNIST IDX files, checks them, and draws
// the balanced, seeded training samples the paper uses (Section 3.1: 200
// training images per digit) together with the matching test set.
package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Width and Height are the size of an MNIST image in pixels.
const (
	Width  = 28
	Height = 28
	Pixels = Width * Height
)

// maxIDXBytes bounds the payload an IDX header may announce, so a corrupt
// header cannot make ReadIDX allocate gigabytes. The MNIST training images
// are 47,040,000 bytes.
const maxIDXBytes = 1 << 27

// ReadIDX reads one IDX file of unsigned bytes (type code 0x08) from r and
// returns its dimensions and data. It checks the magic number, that the
// announced size is sane, that the payload is complete and that nothing
// follows it.
func ReadIDX(r io.Reader) (dims []int, data []byte, err error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, nil, fmt.Errorf("idx header: %w", truncated(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, nil, fmt.Errorf("idx header: bad magic %#x (want 0x0000 followed by type and rank; is this an IDX file?)", magic)
	}
	if magic[2] != 0x08 {
		return nil, nil, fmt.Errorf("idx header: element type %#02x, want 0x08 (unsigned byte)", magic[2])
	}
	rank := int(magic[3])
	if rank < 1 || rank > 3 {
		return nil, nil, fmt.Errorf("idx header: rank %d, want 1 to 3", rank)
	}
	dims = make([]int, rank)
	size := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, nil, fmt.Errorf("idx header: dimension %d: %w", i, truncated(err))
		}
		if d == 0 || d > maxIDXBytes {
			return nil, nil, fmt.Errorf("idx header: dimension %d is %d, want 1 to %d", i, d, maxIDXBytes)
		}
		dims[i] = int(d)
		size *= int(d)
		if size > maxIDXBytes {
			return nil, nil, fmt.Errorf("idx header: dimensions %v exceed %d bytes", dims[:i+1], maxIDXBytes)
		}
	}
	data = make([]byte, size)
	if n, err := io.ReadFull(r, data); err != nil {
		return nil, nil, fmt.Errorf("idx data: got %d of %d bytes announced by the header %v: %w", n, size, dims, truncated(err))
	}
	var extra [1]byte
	if n, _ := r.Read(extra[:]); n > 0 {
		return nil, nil, fmt.Errorf("idx data: trailing bytes after the %d announced by the header %v", size, dims)
	}
	return dims, data, nil
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("file is truncated: %w", io.ErrUnexpectedEOF)
	}
	return err
}

// ReadIDXFile reads an IDX file, gunzipping it when the name ends in ".gz".
func ReadIDXFile(path string) (dims []int, data []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("mnist: read %s: %w", path, err)
		}
		defer z.Close()
		r = z
	}
	dims, data, err = ReadIDX(r)
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: read %s: %w", path, err)
	}
	return dims, data, nil
}

// Set is a set of labelled MNIST images held in memory.
type Set struct {
	// Pixels holds Len() images of Pixels values each, row-major, scaled
	// from the file's bytes 0..255 to [0, 1].
	Pixels []float32
	// Labels holds the digit 0..9 of each image.
	Labels []uint8
}

// Len returns the number of images in s.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the Pixels values of image i.
func (s *Set) Image(i int) []float32 { return s.Pixels[i*Pixels : (i+1)*Pixels] }

// NewSet checks raw IDX image and label payloads against each other and
// returns them as a Set.
func NewSet(imgDims []int, img []byte, lblDims []int, lbl []byte) (*Set, error) {
	if len(imgDims) != 3 || imgDims[1] != Height || imgDims[2] != Width {
		return nil, fmt.Errorf("images have dimensions %v, want [N %d %d]", imgDims, Height, Width)
	}
	if len(lblDims) != 1 {
		return nil, fmt.Errorf("labels have dimensions %v, want [N]", lblDims)
	}
	if imgDims[0] != lblDims[0] {
		return nil, fmt.Errorf("%d images but %d labels", imgDims[0], lblDims[0])
	}
	for i, l := range lbl {
		if l > 9 {
			return nil, fmt.Errorf("label %d is %d, want 0 to 9", i, l)
		}
	}
	s := &Set{Pixels: make([]float32, len(img)), Labels: append([]uint8(nil), lbl...)}
	for i, b := range img {
		s.Pixels[i] = float32(b) / 255
	}
	return s, nil
}

// File names of the original MNIST distribution.
const (
	TrainImages = "train-images-idx3-ubyte.gz"
	TrainLabels = "train-labels-idx1-ubyte.gz"
	TestImages  = "t10k-images-idx3-ubyte.gz"
	TestLabels  = "t10k-labels-idx1-ubyte.gz"
)

// ReadSet reads an image file and a label file into a Set.
func ReadSet(imagesPath, labelsPath string) (*Set, error) {
	id, img, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	ld, lbl, err := ReadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	s, err := NewSet(id, img, ld, lbl)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s and %s: %w", imagesPath, labelsPath, err)
	}
	return s, nil
}

// Load reads the MNIST training and test sets from dir, which holds the
// four original gzipped IDX files.
func Load(dir string) (train, test *Set, err error) {
	join := func(name string) string { return strings.TrimRight(dir, "/") + "/" + name }
	if train, err = ReadSet(join(TrainImages), join(TrainLabels)); err != nil {
		return nil, nil, err
	}
	if test, err = ReadSet(join(TestImages), join(TestLabels)); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}
