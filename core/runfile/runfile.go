// Package runfile is what nnesim writes to disk and the page exports: the
// run file (.nne) that continues a run bit for bit, the race file that
// holds several, and the curve as CSV.
package runfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"net/url"
	"slices"

	"nnesim/core/learner"
	"nnesim/core/settings"
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
//	body, version 4: settings as a URL query (uint32 length, bytes), step
//	    uint64, training seconds float64, genes uint32 + NNE's p as float32
//	    each, state length uint32 + the rule's own state
//	    (learn.Trainer.State), curve length uint32 + per point: step uint64,
//	    unit uint8 (0 generation, 1 epoch), seconds, test, train as float64,
//	    signals uint8 + per signal its name (length uint8 + bytes) and value
//	    float64 (learner.Point.Signals), hash length uint8 + hash
//	body, version 3: a race, several run files of version 2 or 4
//	    (racefile.go)
//	body, version 5: a run or race file and attachments beside it, such
//	    as the digits a student drew (attach.go)
//
// Still read: version 2, as version 4 but each point holds three values
// in place of its signals (fixed fraction, mean fitness, dopamine as
// float64), and version 1 (NNE only): settings, generation uint64,
// seconds float64, genes uint32 + p, curve length uint32 + per point:
// generation uint64 and seconds, test, train, fixed fraction, mean
// fitness as float64.
// Extension is a run or race file's, without the dot.
const Extension = "nne"

const (
	runMagic      = "NNESIMRN"
	Version       = 4
	runHeaderSize = 32
	maxQueryBytes = 1 << 16
	pointBytesV1  = 8 + 5*8
	pointBytesV2  = 8 + 1 + 6*8 + 1
	pointBytesV4  = 8 + 1 + 3*8 + 1 + 1
)

// units are the step units of curve points, by their code in a run file.
var units = []string{learner.Generation, learner.Epoch}

// Encode returns the run file of sv (the current version).
func Encode(sv *learner.Saved) []byte {
	var body bytes.Buffer
	le := binary.LittleEndian
	put := func(v any) { binary.Write(&body, le, v) } // bytes.Buffer writes never fail
	q := learner.FullQuery(&sv.Settings)
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
		put([]float64{pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy})
		put(uint8(len(pt.Signals)))
		for _, sg := range pt.Signals {
			put(uint8(len(sg.Name)))
			body.WriteString(sg.Name)
			put(sg.Value)
		}
		put(uint8(len(pt.Hash)))
		body.WriteString(pt.Hash)
	}
	return withHeader(Version, body.Bytes())
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

// sealed returns the body of a file b with a whole header, or what is
// wrong with it: its length against the header's, or its checksum.
func sealed(b []byte) ([]byte, string) {
	le := binary.LittleEndian
	n := le.Uint64(b[16:])
	body := b[runHeaderSize:]
	switch {
	case n > uint64(len(body)):
		return nil, fmt.Sprintf("truncated: the header announces %d bytes of data, the file has %d", n, len(body))
	case n < uint64(len(body)):
		return nil, fmt.Sprintf("%d unexpected bytes after the data", uint64(len(body))-n)
	case crc32.ChecksumIEEE(body) != le.Uint32(b[24:]):
		return nil, "checksum mismatch: the file is corrupted"
	}
	return body, ""
}

// errRunFile prefixes every decoding error.
var errRunFile = errors.New("not a usable nnesim run file")

// Decode checks and decodes a run file. Settings must pass learner.Validate
// with maxBytes. Any defect (wrong magic or version, truncation, trailing
// bytes, checksum, a value out of range) is an error saying what is wrong,
// and nothing is returned.
func Decode(b []byte, maxBytes float64) (*learner.Saved, error) {
	fail := func(format string, a ...any) (*learner.Saved, error) {
		return nil, fmt.Errorf("%w: %s", errRunFile, fmt.Sprintf(format, a...))
	}
	b, _, err := Detach(b) // a file with attachments: its run
	if err != nil {
		return nil, err
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
	case version > Version:
		return fail("version %d, written by a newer nnesim (this one reads versions 1 to %d)", version, Version)
	case version < 1:
		return fail("version %d, want 1 to %d", version, Version)
	}
	body, bad := sealed(b)
	if bad != "" {
		return fail("%s", bad)
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
	s, errs := learner.ParseQuery(q, maxBytes)
	if len(errs) > 0 {
		return fail("settings: %v", errors.Join(errs...))
	}
	rule, _ := learner.RuleOf(s.Algo) // ParseQuery returned a known rule
	if version == 1 && !(rule.Evolving() && len(rule.Phases) == 1) {
		return fail("a version-1 file of rule %q; version 1 held NNE runs only", settings.Clip(q.Get("algo")))
	}
	wantGenes := uint32(0)
	if rule.Evolving() {
		wantGenes = uint32(s.Genes)
	}
	switch {
	case math.IsNaN(secs) || secs < 0 || math.IsInf(secs, 0):
		return fail("training time %v s", secs)
	case genes != wantGenes:
		return fail("%d allele frequencies for %d genes", genes, wantGenes)
	}
	sv := &learner.Saved{Settings: s, Step: int(min(step, 1<<53)), Seconds: secs}
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
	// The phase the file is in, and the position within its limit, in
	// the unit it counts.
	phase := rule.PhaseOf(genes > 0, sv.State != nil)
	if phase < 0 {
		if sv.State == nil {
			return fail("a %s run without its state", s.Algo)
		}
		return fail("a run of %s with a state its rule does not keep", rule.Short)
	}
	unit, limit := rule.Phases[phase].Unit, rule.Stop(&s, phase)
	if step > uint64(limit) {
		return fail("%s %d is past the run's limit of %d", unit, step, limit)
	}
	points := r.u32()
	pointBytes := map[uint32]int{1: pointBytesV1, 2: pointBytesV2, 4: pointBytesV4}[version]
	if r.err == nil && uint64(points)*uint64(pointBytes) > uint64(len(body)) {
		return fail("truncated: %d curve points announced", points)
	}
	for range points {
		pt := learner.Point{Step: int(min(r.u64(), 1<<53)), Unit: units[0]}
		if version >= 2 {
			if u := int(r.u8()); u < len(units) {
				pt.Unit = units[u]
			} else {
				return fail("curve point %d has unit %d", len(sv.Curve), u)
			}
		}
		pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy = r.f64(), r.f64(), r.f64()
		if version < 4 {
			legacy := []float64{r.f64(), r.f64(), 0}
			if version == 2 {
				legacy[2] = r.f64()
			}
			pt.Signals = legacySignals(rule, pt.Unit, legacy)
		} else {
			n := int(r.u8())
			for range n {
				name := string(r.bytes(int(r.u8())))
				v := r.f64()
				if r.err == nil && !slices.Contains(rule.Signals, name) {
					return fail("curve point %d has a signal %q, which %s does not report", len(sv.Curve), settings.Clip(name), s.Algo)
				}
				pt.Signals = append(pt.Signals, learner.Signal{Name: name, Value: v})
			}
		}
		if version >= 2 {
			pt.Hash = string(r.bytes(int(r.u8())))
		}
		if r.err != nil {
			return fail("%v", r.err)
		}
		values := []float64{pt.Seconds, pt.TestAccuracy, pt.TrainAccuracy}
		for _, sg := range pt.Signals {
			values = append(values, sg.Value)
		}
		ahead := pt.Unit == unit && pt.Step > int(step) || pt.Step > stopOf(rule, &s, pt.Unit)
		if ahead || !finite(values...) {
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

// stopOf returns the length of the rule's phase that counts unit in s (0
// if none does, so that no point of that unit is in range).
func stopOf(r *learner.Rule, s *settings.Settings, unit string) int {
	for i, p := range r.Phases {
		if p.Unit == unit {
			return r.Stop(s, i)
		}
	}
	return 0
}

// legacySignals are the signals of a point of a version-1 or 2 file,
// which held the fixed fraction, mean fitness and dopamine of every point
// (0 where a rule had none): those the rule reports, the first two on
// generation points only (they were NNE's).
func legacySignals(r *learner.Rule, unit string, v []float64) []learner.Signal {
	var out []learner.Signal
	for i, name := range []string{learner.SignalFixed, learner.SignalFitness, learner.SignalDopamine} {
		if slices.Contains(r.Signals, name) && (i == 2 || unit == learner.Generation) {
			out = append(out, learner.Signal{Name: name, Value: v[i]})
		}
	}
	return out
}
