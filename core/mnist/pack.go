package mnist

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
)

// The pack format holds a labelled image set for the browser in one file.
// All integers are little-endian uint32.
//
//	offset  size       field
//	0       8          magic "NNEMNIST"
//	8       4          format version, PackVersion
//	12      4          count, the number of images (at most MaxPackImages)
//	16      4          rows, 28
//	20      4          cols, 28
//	24      4          CRC-32 (IEEE) of everything after the header
//	28      4          reserved, 0
//	32      count      labels, one byte each, 0 to 9
//	32+count count·784 pixels, one byte each (0 white to 255 black), row-major
//
// The bytes are the original MNIST bytes, unchanged. The build serves the
// file gzip-compressed.
const (
	packMagic     = "NNEMNIST"
	PackVersion   = 1
	packHeader    = 32
	MaxPackImages = 70000
)

// EncodePack writes s in the pack format.
func EncodePack(w io.Writer, s *Set) error { return encodePack(w, s.Labels, s.Images) }

// Pack returns s in the pack format.
func (s *Set) Pack() []byte {
	var b bytes.Buffer
	encodePack(&b, s.Labels, s.Images) // a bytes.Buffer does not fail
	return b.Bytes()
}

// encodePack writes the labels and image bytes of a set in the pack
// format.
func encodePack(w io.Writer, labels, img []byte) error {
	n := len(labels)
	body := make([]byte, n*(1+Pixels))
	copy(body, labels)
	copy(body[n:], img)
	var h [packHeader]byte
	copy(h[:], packMagic)
	binary.LittleEndian.PutUint32(h[8:], PackVersion)
	binary.LittleEndian.PutUint32(h[12:], uint32(n))
	binary.LittleEndian.PutUint32(h[16:], Height)
	binary.LittleEndian.PutUint32(h[20:], Width)
	binary.LittleEndian.PutUint32(h[24:], crc32.ChecksumIEEE(body))
	if _, err := w.Write(h[:]); err != nil {
		return fmt.Errorf("mnist: write pack: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("mnist: write pack: %w", err)
	}
	return nil
}

// DecodePack reads a set in the pack format from b, checking the magic,
// version, dimensions, length, checksum and labels.
func DecodePack(b []byte) (*Set, error) {
	if len(b) < packHeader {
		return nil, fmt.Errorf("mnist pack: %d bytes, shorter than the %d-byte header (truncated download?)", len(b), packHeader)
	}
	if !bytes.Equal(b[:8], []byte(packMagic)) {
		return nil, fmt.Errorf("mnist pack: bad magic %q, want %q (not an nnesim data file)", b[:8], packMagic)
	}
	u := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	if v := u(8); v != PackVersion {
		return nil, fmt.Errorf("mnist pack: format version %d, this build reads version %d (rebuild the data with ./build.sh)", v, PackVersion)
	}
	n, rows, cols := u(12), u(16), u(20)
	if rows != Height || cols != Width {
		return nil, fmt.Errorf("mnist pack: images are %d×%d, want %d×%d", rows, cols, Height, Width)
	}
	if n == 0 || n > MaxPackImages {
		return nil, fmt.Errorf("mnist pack: %d images, want 1 to %d", n, MaxPackImages)
	}
	want := packHeader + int(n)*(1+Pixels)
	if len(b) != want {
		return nil, fmt.Errorf("mnist pack: %d bytes, the header announces %d (truncated or padded file)", len(b), want)
	}
	body := b[packHeader:]
	if sum := crc32.ChecksumIEEE(body); sum != u(24) {
		return nil, fmt.Errorf("mnist pack: checksum %08x, the header says %08x (corrupt file)", sum, u(24))
	}
	labels := body[:n]
	s, err := NewSet([]int{int(n), Height, Width}, body[n:], []int{int(n)}, labels)
	if err != nil {
		return nil, fmt.Errorf("mnist pack: %w", err)
	}
	return s, nil
}

// PoolPerDigit is the size per digit of the training pool the browser
// downloads. Training samples are drawn from this pool natively too, so a
// seed gives the same run in both.
const PoolPerDigit = 300

// LoadPool reads MNIST from dir (or, if dir is "", from Locate) and
// returns the training pool of PoolPerDigit images per digit, which the
// browser and the native command share, and the test set.
func LoadPool(dir string) (pool, test *Set, err error) {
	pool, _, test, err = LoadAll(dir)
	return pool, test, err
}

// LoadAll is LoadPool that also returns the whole training file, the
// source of larger samples and of validation sets (Holdout).
func LoadAll(dir string) (pool, train, test *Set, err error) {
	if dir == "" {
		if dir, err = Locate(); err != nil {
			return nil, nil, nil, fmt.Errorf("%w; or pass -data DIR", err)
		}
	}
	if train, test, err = Load(dir); err != nil {
		return nil, nil, nil, err
	}
	if pool, err = train.Pool(PoolPerDigit); err != nil {
		return nil, nil, nil, err
	}
	return pool, train, test, nil
}

// Pool returns the first perDigit images of each label of s, in file
// order: all of a label's images if it has fewer (MNIST has over 5,000 of
// each digit), and none of a label s does not hold (a dataset of five
// classes). It fails only if s holds no image.
func (s *Set) Pool(perDigit int) (*Set, error) {
	if s.Len() == 0 {
		return nil, fmt.Errorf("mnist: the training set holds no image")
	}
	p := &Set{}
	for _, i := range poolIndex(s.Labels, perDigit) {
		p.Labels = append(p.Labels, s.Labels[i])
		p.Images = append(p.Images, s.Image(i)...)
	}
	return p, nil
}

// DataID names the data a run learns from: the first 16 hex digits of
// the SHA-256 of its pool's and its test set's packs. A run file of a run
// on another dataset than MNIST carries it (runfile.WithData), so that
// the run is never continued on other data.
func DataID(pool, test *Set) string {
	h := sha256.New()
	h.Write(pool.Pack())
	h.Write(test.Pack())
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// MNISTID is DataID of MNIST's pool and test set (a test reads MNIST and
// checks it): the data of a run file that names none.
const MNISTID = "86afb473410019d5"
