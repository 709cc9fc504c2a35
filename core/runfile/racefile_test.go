package runfile

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/wasm/budget"
)

// lifetimeSaved is a valid run-file state of a lifetime rule (the file
// layer does not read the state).
func lifetimeSaved(t testing.TB, algo string) *learner.Saved {
	s, err := learner.Defaults(algo, "")
	if err != nil {
		t.Fatal(err)
	}
	s.Digits = "0-9"
	return &learner.Saved{Settings: s, Step: 3, Seconds: 2, State: []byte{1, 2, 3, 4},
		Curve: []learner.Point{{Step: 0, Unit: "epoch", TestAccuracy: 0.1}, {Step: 3, Unit: "epoch", Seconds: 2, TestAccuracy: 0.7, Hash: "abc"}}}
}

func TestRaceFile(t *testing.T) {
	// The old SplitRunFiles(b, 1<<30, 2): a tab's share-out with two
	// workers.
	tab := budget.Shares(1<<30, 2)
	nne := smallSaved(t)
	nne.Settings.Digits = "0-9"
	runs := []*learner.Saved{nne, lifetimeSaved(t, "dnn"), lifetimeSaved(t, "sgd")}
	b := EncodeRace(runs)
	files, back, err := Split(b, 1<<30, tab)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 || !reflect.DeepEqual(back, runs) {
		t.Fatalf("race file read back as %d runs %+v", len(files), back)
	}
	// A race of one is the run's file, and reads as itself.
	if one := EncodeRace(runs[1:2]); string(one) != string(Encode(runs[1])) {
		t.Error("a race of one run is not its run file")
	}
	if _, one, err := Split(Encode(runs[1]), 1<<30, tab); err != nil || len(one) != 1 {
		t.Errorf("a run file splits into %d runs (%v)", len(one), err)
	}
	// nnesim train -resume of a race explains where it runs.
	if _, err := Decode(b, 1<<30); !errors.Is(err, errRace) || !strings.Contains(err.Error(), "3 runs (nne, dnn, sgd)") || !strings.Contains(err.Error(), "nnesim race -resume") {
		t.Errorf("Decode of a race: %v", err)
	}
	corrupt := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), b...)) }
	other := lifetimeSaved(t, "sgd")
	other.Settings.Seed = 9
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"flipped":   {corrupt(func(b []byte) []byte { b[100] ^= 1; return b }), "checksum"},
		"truncated": {b[:len(b)-5], "announces"},
		"count":     {withBody(corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[runHeaderSize:], 1); return b })), "a race of 1 runs"},
		"unfair":    {EncodeRace([]*learner.Saved{runs[1], other}), "run 2 has seed=9 but run 1 seed=1"},
		"nested":    {Join([][]byte{b, Encode(runs[1])}), "run 1 is itself a race"},
		"bad run":   {Join([][]byte{Encode(runs[1]), Encode(runs[2])[:40]}), "run 2 of the race"},
	} {
		if _, _, err := Split(tc.b, 1<<30, tab); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to say %q", name, err, tc.want)
		}
	}
}

// withBody rewrites the checksum of a file whose body was changed.
func withBody(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[24:], crcOf(b[runHeaderSize:]))
	return b
}

func crcOf(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
