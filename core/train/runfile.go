package train

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"net/url"

	"nnesim/core/mnist"
)

// A run file (.nne) holds everything needed to continue a run exactly:
// the settings, the generation reached, the allele frequencies p and the
// curve. Nothing else is needed because every random draw of generation g
// is keyed by (seed, g): the generation is the random streams' position.
//
// Layout, little-endian:
//
//	header (32 bytes): magic "NNESIMRN", version uint32, reserved uint32,
//	    body length uint64, CRC-32 (IEEE) of the body uint32, reserved uint32
//	body: settings as a URL query (uint32 length, bytes), generation uint64,
//	    training seconds float64, genes uint32 + p as float32 each,
//	    curve length uint32 + per point: generation uint64 and seconds,
//	    test, train, fixed fraction, mean fitness as float64
const (
	runMagic      = "NNESIMRN"
	RunVersion    = 1
	runHeaderSize = 32
	maxQueryBytes = 1 << 16
	pointBytes    = 8 + 5*8
)

// Saved is a run as a run file holds it.
type Saved struct {
	Settings   Settings
	Generation int
	Seconds    float64
	P          []float32
	Curve      []Point
}

// Save returns the state of r; seconds is its training time so far.
func (r *Run) Save(seconds float64) *Saved {
	return &Saved{Settings: r.Settings, Generation: r.Generation(), Seconds: seconds,
		P: append([]float32(nil), r.Pop.P...), Curve: append([]Point(nil), r.Curve...)}
}

// fullQuery writes every parameter, not only those that differ from the
// preset, so that a file does not change meaning if a preset does.
func fullQuery(s *Settings) string {
	q := url.Values{}
	q.Set("preset", s.Preset)
	for _, p := range Params() {
		q.Set(p.Name, p.Get(s))
	}
	return q.Encode()
}

// EncodeRunFile returns the run file of sv.
func EncodeRunFile(sv *Saved) []byte {
	var body bytes.Buffer
	le := binary.LittleEndian
	put := func(v any) { binary.Write(&body, le, v) } // bytes.Buffer writes never fail
	q := fullQuery(&sv.Settings)
	put(uint32(len(q)))
	body.WriteString(q)
	put(uint64(sv.Generation))
	put(sv.Seconds)
	put(uint32(len(sv.P)))
	put(sv.P)
	put(uint32(len(sv.Curve)))
	for _, pt := range sv.Curve {
		put(uint64(pt.Generation))
		put([]float64{pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy, pt.FixedFraction, pt.MeanFitness})
	}
	out := make([]byte, runHeaderSize, runHeaderSize+body.Len())
	copy(out, runMagic)
	le.PutUint32(out[8:], RunVersion)
	le.PutUint64(out[16:], uint64(body.Len()))
	le.PutUint32(out[24:], crc32.ChecksumIEEE(body.Bytes()))
	return append(out, body.Bytes()...)
}

// errRunFile prefixes every decoding error.
var errRunFile = errors.New("not a usable nnesim run file")

// DecodeRunFile checks and decodes a run file. Settings must pass Validate
// with maxBytes. Any defect (wrong magic or version, truncation, trailing
// bytes, checksum, a value out of range) is an error saying what is wrong,
// and nothing is returned.
func DecodeRunFile(b []byte, maxBytes float64) (*Saved, error) {
	fail := func(format string, a ...any) (*Saved, error) {
		return nil, fmt.Errorf("%w: %s", errRunFile, fmt.Sprintf(format, a...))
	}
	le := binary.LittleEndian
	switch {
	case len(b) < runHeaderSize:
		return fail("%d bytes, shorter than the %d-byte header", len(b), runHeaderSize)
	case string(b[:8]) != runMagic:
		return fail("it does not start with %q", runMagic)
	}
	if v := le.Uint32(b[8:]); v != RunVersion {
		if v > RunVersion {
			return fail("version %d, written by a newer nnesim (this one reads version %d)", v, RunVersion)
		}
		return fail("version %d, want %d", v, RunVersion)
	}
	n := le.Uint64(b[16:])
	body := b[runHeaderSize:]
	switch {
	case n > uint64(len(body)):
		return fail("truncated: the header announces %d bytes of data, the file has %d", n, len(body))
	case n < uint64(len(body)):
		return fail("%d unexpected bytes after the data", uint64(len(body))-n)
	case crc32.ChecksumIEEE(body) != le.Uint32(b[24:]):
		return fail("checksum mismatch: the file is corrupted")
	}
	r := reader{b: body}
	ql := r.u32()
	if ql > maxQueryBytes {
		return fail("settings of %d bytes, more than %d", ql, maxQueryBytes)
	}
	qs := string(r.bytes(int(ql)))
	gen, secs := r.u64(), r.f64()
	genes := r.u32()
	if r.err != nil {
		return fail("%v", r.err)
	}
	q, err := url.ParseQuery(qs)
	if err != nil {
		return fail("settings: %v", err)
	}
	s, errs := ParseQuery(q, maxBytes)
	if len(errs) > 0 {
		return fail("settings: %v", errors.Join(errs...))
	}
	switch {
	case gen > uint64(s.Generations):
		return fail("generation %d is past the run's limit of %d", gen, s.Generations)
	case math.IsNaN(secs) || secs < 0 || math.IsInf(secs, 0):
		return fail("training time %v s", secs)
	case genes != uint32(s.Genes):
		return fail("%d allele frequencies for %d genes", genes, s.Genes)
	}
	sv := &Saved{Settings: s, Generation: int(gen), Seconds: secs, P: make([]float32, 0, min(int(genes), len(body)/4))}
	for range genes {
		v := r.f32()
		if r.err != nil {
			return fail("%v", r.err)
		}
		if !(v >= 0 && v <= 1) {
			return fail("allele frequency %d is %v, outside [0, 1]", len(sv.P), v)
		}
		sv.P = append(sv.P, v)
	}
	points := r.u32()
	if r.err == nil && uint64(points)*pointBytes > uint64(len(body)) {
		return fail("truncated: %d curve points announced", points)
	}
	for range points {
		pt := Point{Generation: int(r.u64()), Seconds: r.f64(), TestAccuracy: r.f64(), TrainAccuracy: r.f64(),
			FixedFraction: r.f64(), MeanFitness: r.f64()}
		if r.err != nil {
			return fail("%v", r.err)
		}
		if pt.Generation < 0 || pt.Generation > int(gen) || !finite(pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy, pt.FixedFraction, pt.MeanFitness) {
			return fail("curve point %d is out of range", len(sv.Curve))
		}
		sv.Curve = append(sv.Curve, pt)
	}
	if r.err != nil {
		return fail("%v", r.err)
	}
	if r.off != len(body) {
		return fail("%d unexpected bytes after the curve", len(body)-r.off)
	}
	return sv, nil
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// reader reads little-endian values, remembering the first overrun.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.err = fmt.Errorf("truncated at byte %d of the data", r.off)
		return nil
	}
	v := r.b[r.off : r.off+n]
	r.off += n
	return v
}

func (r *reader) u32() uint32 {
	if v := r.bytes(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if v := r.bytes(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (r *reader) f32() float32 { return math.Float32frombits(r.u32()) }
func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }

// Resume rebuilds the run sv was saved from, at its generation: the same
// genome and data (functions of the settings), p, and the curve. Stepping
// it continues the run bit for bit as if it had never stopped.
func Resume(sv *Saved, pool, test *mnist.Set, maxBytes float64) (*Run, error) {
	r, err := New(sv.Settings, pool, test, maxBytes)
	if err != nil {
		return nil, err
	}
	if err := r.Pop.Restore(sv.P, sv.Generation); err != nil {
		r.Close()
		return nil, err
	}
	r.Curve = append([]Point(nil), sv.Curve...)
	r.Classify()
	return r, nil
}
