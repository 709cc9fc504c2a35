package train

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// smallSaved is a valid state of a tiny run, without MNIST.
func smallSaved(t testing.TB) *Saved {
	s, err := Preset("quick")
	if err != nil {
		t.Fatal(err)
	}
	s.Genes, s.Pop, s.Generations = 8, 4, 50
	return &Saved{Settings: s, Step: 20, Seconds: 1.5,
		P:     []float32{0, 0.125, 0.5, 1, 0.25, 0.75, 0.3, 0.9},
		Curve: []Point{{Step: 0, Unit: "generation", TestAccuracy: 0.2, TrainAccuracy: 0.21}, {Step: 20, Unit: "generation", Seconds: 1.5, TestAccuracy: 0.5, TrainAccuracy: 0.6, FixedFraction: 0.25, MeanFitness: 3}}}
}

// advance steps r to generation to, evaluating every EvalEvery
// generations as the command does.
func advance(t *testing.T, r *Run, to int) {
	t.Helper()
	for r.Generation() < to {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		if r.Generation()%r.Settings.EvalEvery == 0 {
			r.Evaluate(0)
		}
	}
}

// TestResumeContinuesBitForBit saves a run at generation 20 through a run
// file, resumes it, and checks that 20 more generations give the p and
// curve of 40 uninterrupted ones.
func TestResumeContinuesBitForBit(t *testing.T) {
	pool, test := loadPool(t)
	s, _ := Preset("quick")
	s.Generations, s.EvalEvery, s.Seed, s.Threads = 40, 10, 11, 2
	step := func(r *Run, to int) { advance(t, r, to) }
	straight, err := New(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	step(straight, 40)

	first, err := New(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	step(first, 20)
	file := EncodeRunFile(first.Save(0))
	first.Close()
	sv, err := DecodeRunFile(file, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	sv.Settings.Threads = 1 // any thread count continues the same run
	resumed, err := Resume(sv, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	if resumed.Generation() != 20 {
		t.Fatalf("resumed at generation %d, want 20", resumed.Generation())
	}
	step(resumed, 40)
	if AllelesHash(resumed.Pop.P) != AllelesHash(straight.Pop.P) {
		t.Error("the resumed run's p differs from the uninterrupted run's")
	}
	if !reflect.DeepEqual(resumed.Curve, straight.Curve) {
		t.Errorf("curves differ:\n%v\n%v", resumed.Curve, straight.Curve)
	}
}

func TestRunFileRoundTrip(t *testing.T) {
	sv := smallSaved(t)
	got, err := DecodeRunFile(EncodeRunFile(sv), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sv) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, sv)
	}
}

// reseal fixes the length and checksum after an edit of the body, so
// that the decoder's checks of the contents are reached.
func reseal(b []byte) []byte {
	binary.LittleEndian.PutUint64(b[16:], uint64(len(b)-runHeaderSize))
	binary.LittleEndian.PutUint32(b[24:], crc32.ChecksumIEEE(b[runHeaderSize:]))
	return b
}

func TestDecodeRunFileRefuses(t *testing.T) {
	good := EncodeRunFile(smallSaved(t))
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	encode := func(f func(sv *Saved)) []byte {
		sv := smallSaved(t)
		f(sv)
		return EncodeRunFile(sv)
	}
	// The offset of p in the body: query length, query, generation, seconds, genes.
	q := fullQuery(&smallSaved(t).Settings)
	pAt := runHeaderSize + 4 + len(q) + 8 + 8 + 4
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "shorter than the 32-byte header"},
		{"png", []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("x", 40)), `does not start with "NNESIMRN"`},
		{"newer", edit(func(b []byte) []byte { b[8] = 4; return b }), "written by a newer nnesim"},
		{"version 0", edit(func(b []byte) []byte { b[8] = 0; return b }), "version 0, want 1 to 3"},
		{"truncated", good[:len(good)-1], "truncated: the header announces"},
		{"padded", append(bytes.Clone(good), 0), "1 unexpected bytes after the data"},
		{"bit flip", edit(func(b []byte) []byte { b[pAt+5] ^= 1; return b }), "checksum mismatch"},
		{"p out of range", encode(func(sv *Saved) { sv.P[3] = 1.5 }), "allele frequency 3 is 1.5"},
		{"p NaN", edit(func(b []byte) []byte { copy(b[pAt:], []byte{0, 0, 0xc0, 0x7f}); return reseal(b) }), "allele frequency 0 is NaN"},
		{"too few p", encode(func(sv *Saved) { sv.P = sv.P[:7] }), "7 allele frequencies for 8 genes"},
		{"past the limit", encode(func(sv *Saved) { sv.Step = 51 }), "generation 51 is past the run's limit of 50"},
		{"bad settings", encode(func(sv *Saved) { sv.Settings.Eps = -1 }), "settings: eps=-1"},
		{"curve from the future", encode(func(sv *Saved) { sv.Curve[1].Step = 21 }), "curve point 1 is out of range"},
		{"huge state", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[pAt+4*8:], 1<<31)
			return reseal(b)
		}), "a state of 2147483648 bytes announced"},
		{"huge curve", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[pAt+4*8+4:], 1<<31)
			return reseal(b)
		}), "2147483648 curve points"},
		{"NNE with a lifetime state", encode(func(sv *Saved) { sv.State = []byte{1, 2, 3} }), "an NNE run with a lifetime rule's state"},
		{"bad unit", edit(func(b []byte) []byte {
			b[pAt+4*8+4+4+8] = 7 // the first curve point's unit
			return reseal(b)
		}), "curve point 0 has unit 7"},
		{"huge settings", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[runHeaderSize:], 1<<30)
			return reseal(b)
		}), "settings of 1073741824 bytes"},
	} {
		sv, err := DecodeRunFile(tc.file, 1<<30)
		if err == nil || sv != nil {
			t.Errorf("%s: decoded (%v)", tc.name, sv)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "not a usable nnesim run file: ") {
			t.Errorf("%s: error %q, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

// FuzzDecodeRunFile feeds arbitrary bytes to the decoder: it must never
// panic, and whatever it accepts must be valid and re-encode to a file
// that decodes to the same state.
func FuzzDecodeRunFile(f *testing.F) {
	good := EncodeRunFile(smallSaved(f))
	f.Add(good)
	f.Add(good[:40])
	f.Add(reseal(append(bytes.Clone(good), 1, 2, 3)))
	f.Add([]byte(runMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		sv, err := DecodeRunFile(b, 1<<30)
		if err != nil {
			return
		}
		if err := sv.Settings.Validate(1 << 30); err != nil {
			t.Fatalf("accepted invalid settings: %v", err)
		}
		again, err := DecodeRunFile(EncodeRunFile(sv), 1<<30)
		if err != nil {
			t.Fatalf("re-encoded file refused: %v", err)
		}
		if !reflect.DeepEqual(again, sv) {
			t.Fatalf("round trip changed the state")
		}
	})
}

// FuzzParseQuery feeds arbitrary URL queries to the settings parser: it
// must never panic, must always return settings that pass Validate, and
// those settings' own query must parse back to them without error.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "preset=paper", "genes=1e9&pop=abc", "digits=3,8&seed=7&eps=0.5", "preset=x&gense=5",
		"genes=4000000&hidden=10000&beta=0.5", "seed=18446744073709551615", "q=0.0000001&alpha=10", "digits=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s, _ := ParseQuery(q, 1<<30, "autostart", "workers")
		if err := s.Validate(1 << 30); err != nil {
			t.Fatalf("%q gave invalid settings: %v", raw, err)
		}
		back, errs := ParseQuery(s.Query(), 1<<30)
		if len(errs) > 0 || back != s {
			t.Fatalf("%q: settings %+v do not survive their own query %q: %v", raw, s, s.Query().Encode(), errs)
		}
		if !slices.Contains(Presets(), s.Preset) {
			t.Fatalf("%q: preset %q", raw, s.Preset)
		}
	})
}

// TestExtendContinuesBitForBit stops a run at generation 20, moves its
// stop to 40 and checks that it ends where a run stopped at 40 from the
// start does.
func TestExtendContinuesBitForBit(t *testing.T) {
	pool, test := loadPool(t)
	s, _ := Preset("quick")
	s.Generations, s.EvalEvery, s.Seed, s.Threads = 40, 10, 12, 2
	run := func(r *Run) { advance(t, r, r.Settings.Generations) }
	straight, err := New(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	run(straight)

	short := s
	short.Generations = 20
	r, err := New(short, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	run(r)
	if !r.Done() || r.Generation() != 20 {
		t.Fatalf("stopped at generation %d, want 20", r.Generation())
	}
	for _, tc := range []struct {
		change    func(*Settings)
		continues bool
	}{
		{func(x *Settings) { x.Generations = 40 }, true},
		{func(x *Settings) { x.Generations, x.Threads = 40, 7 }, true},
		{func(x *Settings) {}, false},                                 // the same stop: a reset
		{func(x *Settings) { x.Generations = 10 }, false},             // before the current generation
		{func(x *Settings) { x.Generations, x.Seed = 40, 13 }, false}, // another run
		{func(x *Settings) { x.Generations, x.Pop = 40, 101 }, false}, // another run
	} {
		x := r.Settings
		tc.change(&x)
		if got := r.Continues(x); got != tc.continues {
			t.Errorf("Continues(%+v) = %v, want %v", x, got, tc.continues)
		}
	}
	for _, bad := range []int{20, 5, MaxGenerations + 1} {
		if err := r.Extend(bad); err == nil || !strings.Contains(err.Error(), "want a stop from 21") {
			t.Errorf("Extend(%d) = %v, want an error", bad, err)
		}
	}
	if err := r.Extend(40); err != nil {
		t.Fatal(err)
	}
	run(r)
	if AllelesHash(r.Pop.P) != AllelesHash(straight.Pop.P) {
		t.Error("the extended run's p differs from the run stopped at 40")
	}
	if !reflect.DeepEqual(r.Curve, straight.Curve) {
		t.Errorf("curves differ:\n%v\n%v", r.Curve, straight.Curve)
	}
}

// TestVersion1RunFile resumes a run file written by the version-1 writer
// (nnesim before run files held other rules: quick preset, seed 5, 20
// generations) and checks its hash and that it continues like a run that
// never stopped.
func TestVersion1RunFile(t *testing.T) {
	b, err := os.ReadFile("testdata/v1-quick-seed5-gen20.nne")
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != 1 {
		t.Fatalf("the fixture is version %d", v)
	}
	sv, err := DecodeRunFile(b, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	const want = "b701fb6a23c162ee13587bd7963f568fa988d355700df5f499dc6cdc3a486cb3" // nnesim train -generations 20 -seed 5
	if sv.Step != 20 || sv.Settings.Seed != 5 || AllelesHash(sv.P) != want || sv.Curve[len(sv.Curve)-1].Unit != "generation" {
		t.Fatalf("decoded step %d, seed %d, hash %s", sv.Step, sv.Settings.Seed, AllelesHash(sv.P))
	}
	pool, test := loadPool(t)
	sv.Settings.Generations, sv.Settings.Threads = 30, 2
	resumed, err := Resume(sv, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	advance(t, resumed, 30)
	s := sv.Settings
	straight, err := New(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	advance(t, straight, 30)
	if AllelesHash(resumed.Pop.P) != AllelesHash(straight.Pop.P) {
		t.Error("the version-1 run continued differently from an uninterrupted one")
	}
	// Written again, it is a version-2 file that decodes to the same run.
	again, err := DecodeRunFile(EncodeRunFile(resumed.Save(1)), 1<<30)
	if err != nil || AllelesHash(again.P) != AllelesHash(resumed.Pop.P) || binary.LittleEndian.Uint32(EncodeRunFile(again)[8:]) != RunVersion {
		t.Errorf("re-encoded: %v", err)
	}
}
