package runfile

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"reflect"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
)

// smallSaved is a valid state of a tiny run, without MNIST.
func smallSaved(t testing.TB) *learner.Saved {
	s, err := learner.Defaults("nne", "quick")
	if err != nil {
		t.Fatal(err)
	}
	s.Genes, s.Pop, s.Generations = 8, 4, 50
	return &learner.Saved{Settings: s, Step: 20, Seconds: 1.5,
		P:     []float32{0, 0.125, 0.5, 1, 0.25, 0.75, 0.3, 0.9},
		Curve: []learner.Point{{Step: 0, Unit: "generation", TestAccuracy: 0.2, TrainAccuracy: 0.21}, {Step: 20, Unit: "generation", Seconds: 1.5, TestAccuracy: 0.5, TrainAccuracy: 0.6, Signals: []learner.Signal{{Name: learner.SignalFixed, Value: 0.25}, {Name: learner.SignalFitness, Value: 3}}}}}
}

// loadPool reads MNIST and returns the browser's training pool and the
// test set.
func loadPool(tb testing.TB) (pool, test *mnist.Set) {
	tb.Helper()
	pool, test, err := mnist.LoadPool("")
	if err != nil {
		tb.Fatal(err)
	}
	return pool, test
}

// nneRun is the NNE run of l, a Learner of the rule nne.
func nneRun(t *testing.T, l learner.Learner) *learner.NNERun {
	t.Helper()
	n, ok := l.(*learner.NNE)
	if !ok {
		t.Fatalf("a %T, want an NNE run", l)
	}
	return n.Run()
}

// advance steps r to generation to, evaluating every EvalEvery
// generations as the command does.
func advance(t *testing.T, r *learner.NNERun, to int) {
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

func TestRunFileRoundTrip(t *testing.T) {
	sv := smallSaved(t)
	got, err := Decode(Encode(sv), 1<<30)
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
	good := Encode(smallSaved(t))
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	encode := func(f func(sv *learner.Saved)) []byte {
		sv := smallSaved(t)
		f(sv)
		return Encode(sv)
	}
	// The offset of p in the body: query length, query, generation, seconds, genes.
	q := learner.FullQuery(&smallSaved(t).Settings)
	pAt := runHeaderSize + 4 + len(q) + 8 + 8 + 4
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "shorter than the 32-byte header"},
		{"png", []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("x", 40)), `does not start with "NNESIMRN"`},
		{"newer", edit(func(b []byte) []byte { b[8] = attachVersion + 1; return b }), "written by a newer nnesim"},
		{"version 0", edit(func(b []byte) []byte { b[8] = 0; return b }), "version 0, want 1 to 4"},
		{"truncated", good[:len(good)-1], "truncated: the header announces"},
		{"padded", append(bytes.Clone(good), 0), "1 unexpected bytes after the data"},
		{"bit flip", edit(func(b []byte) []byte { b[pAt+5] ^= 1; return b }), "checksum mismatch"},
		{"p out of range", encode(func(sv *learner.Saved) { sv.P[3] = 1.5 }), "allele frequency 3 is 1.5"},
		{"p NaN", edit(func(b []byte) []byte { copy(b[pAt:], []byte{0, 0, 0xc0, 0x7f}); return reseal(b) }), "allele frequency 0 is NaN"},
		{"too few p", encode(func(sv *learner.Saved) { sv.P = sv.P[:7] }), "7 allele frequencies for 8 genes"},
		{"past the limit", encode(func(sv *learner.Saved) { sv.Step = 51 }), "generation 51 is past the run's limit of 50"},
		{"bad settings", encode(func(sv *learner.Saved) { sv.Settings.Eps = -1 }), "settings: eps=-1"},
		{"curve from the future", encode(func(sv *learner.Saved) { sv.Curve[1].Step = 21 }), "curve point 1 is out of range"},
		{"huge state", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[pAt+4*8:], 1<<31)
			return reseal(b)
		}), "a state of 2147483648 bytes announced"},
		{"huge curve", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[pAt+4*8+4:], 1<<31)
			return reseal(b)
		}), "2147483648 curve points"},
		// Was "an NNE run with a lifetime rule's state": the phase check
		// now reads the rule's registry entry (learner.Rule.PhaseOf).
		{"NNE with a lifetime state", encode(func(sv *learner.Saved) { sv.State = []byte{1, 2, 3} }), "a run of NNE with a state its rule does not keep"},
		{"bad unit", edit(func(b []byte) []byte {
			b[pAt+4*8+4+4+8] = 7 // the first curve point's unit
			return reseal(b)
		}), "curve point 0 has unit 7"},
		{"huge settings", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[runHeaderSize:], 1<<30)
			return reseal(b)
		}), "settings of 1073741824 bytes"},
	} {
		sv, err := Decode(tc.file, 1<<30)
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
	good := Encode(smallSaved(f))
	f.Add(good)
	f.Add(good[:40])
	f.Add(reseal(append(bytes.Clone(good), 1, 2, 3)))
	f.Add([]byte(runMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		sv, err := Decode(b, 1<<30)
		if err != nil {
			return
		}
		if err := learner.Validate(&sv.Settings, 1<<30); err != nil {
			t.Fatalf("accepted invalid settings: %v", err)
		}
		again, err := Decode(Encode(sv), 1<<30)
		if err != nil {
			t.Fatalf("re-encoded file refused: %v", err)
		}
		if !reflect.DeepEqual(again, sv) {
			t.Fatalf("round trip changed the state")
		}
	})
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
	sv, err := Decode(b, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	const want = "b701fb6a23c162ee13587bd7963f568fa988d355700df5f499dc6cdc3a486cb3" // nnesim train -generations 20 -seed 5
	if sv.Step != 20 || sv.Settings.Seed != 5 || learner.AllelesHash(sv.P) != want || sv.Curve[len(sv.Curve)-1].Unit != "generation" {
		t.Fatalf("decoded step %d, seed %d, hash %s", sv.Step, sv.Settings.Seed, learner.AllelesHash(sv.P))
	}
	pool, test := loadPool(t)
	d := learner.Data{Pool: pool, Test: test, MaxBytes: 1 << 30}
	sv.Settings.Generations, sv.Settings.Threads = 30, 2
	l, err := learner.Resume(sv, d)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	resumed := nneRun(t, l)
	advance(t, resumed, 30)
	s := sv.Settings
	straight, err := learner.NewPopulation(s, d)
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	advance(t, straight, 30)
	if learner.AllelesHash(resumed.Pop.P) != learner.AllelesHash(straight.Pop.P) {
		t.Error("the version-1 run continued differently from an uninterrupted one")
	}
	// Written again, it is a version-2 file that decodes to the same run.
	again, err := Decode(Encode(resumed.Save(1)), 1<<30)
	if err != nil || learner.AllelesHash(again.P) != learner.AllelesHash(resumed.Pop.P) || binary.LittleEndian.Uint32(Encode(again)[8:]) != Version {
		t.Errorf("re-encoded: %v", err)
	}
}
