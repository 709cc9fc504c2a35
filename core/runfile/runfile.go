package train

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"net/url"
	"slices"

	"nnesim/core/mnist"
)

// A run file (.nne) holds everything needed to continue a run exactly:
// the settings, the position reached, the rule's state and the curve.
// Nothing else is needed because every random draw is keyed by the seed
// and the position (NNE: the generation; the lifetime rules: the epoch and
// minibatch, inside their state).
//
// Layout, little-endian:
//
//	header (32 bytes): magic "NNESIMRN", version uint32, reserved uint32,
//	    body length uint64, CRC-32 (IEEE) of the body uint32, reserved uint32
//	body, version 2: settings as a URL query (uint32 length, bytes), step
//	    uint64, training seconds float64, genes uint32 + NNE's p as float32
//	    each, state length uint32 + a lifetime rule's state
//	    (learn.Trainer.State), curve length uint32 + per point: step uint64,
//	    unit uint8 (0 generation, 1 epoch), seconds, test, train, fixed
//	    fraction, mean fitness, dopamine as float64, hash length uint8 +
//	    hash
//	body, version 1 (NNE only; still read): settings, generation uint64,
//	    seconds float64, genes uint32 + p, curve length uint32 + per point:
//	    generation uint64 and seconds, test, train, fixed fraction, mean
//	    fitness as float64
//	body, version 3: a race, several run files of version 2 (race.go)
const (
	runMagic      = "NNESIMRN"
	RunVersion    = 2
	runHeaderSize = 32
	maxQueryBytes = 1 << 16
	pointBytesV1  = 8 + 5*8
	pointBytesV2  = 8 + 1 + 6*8 + 1
)

// units are the step units of curve points, by their code in a run file.
var units = []string{"generation", "epoch"}

// Saved is a run as a run file holds it.
type Saved struct {
	Settings Settings
	// Step is the position in the rule's unit: generations for NNE,
	// epochs for the lifetime rules, and for NNE + SignSGD generations
	// until State is set (its second phase), then epochs.
	Step    int
	Seconds float64
	P       []float32 // NNE's allele frequencies (nne, nne-signsgd)
	State   []byte    // a lifetime rule's state (learn.Trainer.State)
	Curve   []Point
}

// Save returns the state of r; seconds is its training time so far.
func (r *Run) Save(seconds float64) *Saved {
	return &Saved{Settings: r.Settings, Step: r.Generation(), Seconds: seconds,
		P: append([]float32(nil), r.Pop.P...), Curve: append([]Point(nil), r.Curve...)}
}

// fullQuery writes every parameter, not only those that differ from the
// preset, so that a file does not change meaning if a preset does.
func fullQuery(s *Settings) string {
	q := url.Values{}
	if s.Preset != "" {
		q.Set("preset", s.Preset)
	}
	for _, p := range RuleParams(s.Algo) {
		q.Set(p.Name, p.Get(s))
	}
	return q.Encode()
}

// EncodeRunFile returns the run file of sv (the current version).
func EncodeRunFile(sv *Saved) []byte {
	var body bytes.Buffer
	le := binary.LittleEndian
	put := func(v any) { binary.Write(&body, le, v) } // bytes.Buffer writes never fail
	q := fullQuery(&sv.Settings)
	put(uint32(len(q)))
	body.WriteString(q)
	put(uint64(sv.Step))
	put(sv.Seconds)
	put(uint32(len(sv.P)))
	put(sv.P)
	put(uint32(len(sv.State)))
	body.Write(sv.State)
	put(uint32(len(sv.Curve)))
	for _, pt := range sv.Curve {
		put(uint64(pt.Step))
		put(uint8(max(0, slices.Index(units, pt.Unit))))
		put([]float64{pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy, pt.FixedFraction, pt.MeanFitness, pt.Dopamine})
		put(uint8(len(pt.Hash)))
		body.WriteString(pt.Hash)
	}
	return withHeader(RunVersion, body.Bytes())
}

// withHeader returns a file of the given version: the header (magic,
// version, body length, the body's CRC-32) and body.
func withHeader(version uint32, body []byte) []byte {
	le := binary.LittleEndian
	out := make([]byte, runHeaderSize, runHeaderSize+len(body))
	copy(out, runMagic)
	le.PutUint32(out[8:], version)
	le.PutUint64(out[16:], uint64(len(body)))
	le.PutUint32(out[24:], crc32.ChecksumIEEE(body))
	return append(out, body...)
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
	version := le.Uint32(b[8:])
	switch {
	case version == raceVersion:
		return nil, raceError(b)
	case version > raceVersion:
		return fail("version %d, written by a newer nnesim (this one reads versions 1 to %d)", version, raceVersion)
	case version < 1:
		return fail("version %d, want 1 to %d", version, raceVersion)
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
	step, secs := r.u64(), r.f64()
	genes := r.u32()
	if r.err != nil {
		return fail("%v", r.err)
	}
	q, err := url.ParseQuery(qs)
	if err != nil {
		return fail("settings: %v", err)
	}
	if version == 1 && q.Get("algo") != "nne" {
		return fail("a version-1 file of rule %q; version 1 held NNE runs only", Clip(q.Get("algo")))
	}
	s, errs := ParseQuery(q, maxBytes)
	if len(errs) > 0 {
		return fail("settings: %v", errors.Join(errs...))
	}
	rule, _ := RuleOf(s.Algo) // ParseQuery returned a known rule
	wantGenes := uint32(s.Genes)
	if rule.Lifetime {
		wantGenes = 0
	}
	switch {
	case math.IsNaN(secs) || secs < 0 || math.IsInf(secs, 0):
		return fail("training time %v s", secs)
	case genes != wantGenes:
		return fail("%d allele frequencies for %d genes", genes, wantGenes)
	}
	sv := &Saved{Settings: s, Step: int(min(step, 1<<53)), Seconds: secs}
	if genes > 0 {
		sv.P = make([]float32, 0, min(int(genes), len(body)/4))
	}
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
	if version >= 2 {
		n := r.u32()
		if r.err == nil && uint64(n) > uint64(len(body)) {
			return fail("truncated: a state of %d bytes announced", n)
		}
		if n > 0 {
			sv.State = append([]byte(nil), r.bytes(int(n))...)
		}
	}
	if r.err != nil {
		return fail("%v", r.err)
	}
	// The position within the run's limit, in the unit it counts.
	unit, limit := "generation", s.Generations
	if rule.Lifetime || s.Algo == "nne-signsgd" && sv.State != nil {
		unit, limit = "epoch", s.Epochs
	}
	switch {
	case rule.Lifetime && sv.State == nil:
		return fail("a %s run without its state", s.Algo)
	case !rule.Lifetime && s.Algo != "nne-signsgd" && sv.State != nil:
		return fail("an NNE run with a lifetime rule's state")
	case step > uint64(limit):
		return fail("%s %d is past the run's limit of %d", unit, step, limit)
	}
	points := r.u32()
	pointBytes := pointBytesV1
	if version >= 2 {
		pointBytes = pointBytesV2
	}
	if r.err == nil && uint64(points)*uint64(pointBytes) > uint64(len(body)) {
		return fail("truncated: %d curve points announced", points)
	}
	for range points {
		pt := Point{Step: int(min(r.u64(), 1<<53)), Unit: "generation"}
		if version >= 2 {
			if u := int(r.u8()); u < len(units) {
				pt.Unit = units[u]
			} else {
				return fail("curve point %d has unit %d", len(sv.Curve), u)
			}
		}
		pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy, pt.FixedFraction, pt.MeanFitness = r.f64(), r.f64(), r.f64(), r.f64(), r.f64()
		if version >= 2 {
			pt.Dopamine = r.f64()
			pt.Hash = string(r.bytes(int(r.u8())))
		}
		if r.err != nil {
			return fail("%v", r.err)
		}
		ahead := pt.Unit == unit && pt.Step > int(step) || pt.Unit == "generation" && pt.Step > s.Generations || pt.Unit == "epoch" && pt.Step > s.Epochs
		if ahead || !finite(pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy, pt.FixedFraction, pt.MeanFitness, pt.Dopamine) {
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

func (r *reader) u8() uint8 {
	if v := r.bytes(1); v != nil {
		return v[0]
	}
	return 0
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
	if sv.State != nil {
		r.Close()
		return nil, fmt.Errorf("train: the run file is past NNE (a lifetime rule's state); resume it with its rule")
	}
	if err := r.Pop.Restore(sv.P, sv.Step); err != nil {
		r.Close()
		return nil, err
	}
	r.Curve = append([]Point(nil), sv.Curve...)
	r.Classify()
	return r, nil
}
