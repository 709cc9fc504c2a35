package runfile

import (
	"encoding/binary"
	"os"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/race"
)

// readFixture reads a committed run or race file of the given version,
// written by the nnesim of that version (the commands are in each test).
func readFixture(t *testing.T, name string, version uint32) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != version {
		t.Fatalf("%s is version %d, want %d", name, v, version)
	}
	return b
}

// finish resumes sv with its stop of epochs moved to epochs, runs it to
// the end and returns its hash.
func finish(t *testing.T, sv *learner.Saved, epochs int) string {
	t.Helper()
	pool, test := loadPool(t)
	sv.Settings.Epochs = epochs
	l, err := learner.Resume(sv, learner.Data{Pool: pool, Test: test, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := learner.Run(l, learner.Hooks{Seconds: sv.Seconds}); err != nil {
		t.Fatal(err)
	}
	return l.Hash()
}

// TestVersion2RunFile reads a DNN run file of version 2, whose points
// held every rule's extras as three fixed values: the dopamine signal
// becomes the point's named signal, the others (NNE's) are dropped, and
// the run continues bit for bit.
//
// Fixture: nnesim train -algo dnn -digits 0-4 -per-digit 40 -hidden 40
// -eval-every 1 -seed 7 -epochs 2 -save v2-dnn-reward-epoch2.nne (commit
// 992101d).
func TestVersion2RunFile(t *testing.T) {
	sv, err := Decode(readFixture(t, "v2-dnn-reward-epoch2.nne", 2), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Settings.Algo != "dnn" || sv.Step != 2 || len(sv.Curve) != 3 {
		t.Fatalf("decoded %s at epoch %d with %d points", sv.Settings.Algo, sv.Step, len(sv.Curve))
	}
	for i, pt := range sv.Curve {
		if len(pt.Signals) != 1 || pt.Signals[0].Name != learner.SignalDopamine {
			t.Errorf("point %d: signals %v, want the dopamine signal alone", i, pt.Signals)
		}
	}
	if v, _ := sv.Curve[2].Signal(learner.SignalDopamine); v == 0 {
		t.Error("the dopamine signal of epoch 2 is 0; the file holds the rule's")
	}
	// The 3-epoch run of the same settings (test/portable's dnn-reward).
	const want = "cacab74eef445eb899480748ea71ed70a32075e9f0b6947967f76af509b122ba"
	if got := finish(t, sv, 3); got != want {
		t.Errorf("continued to epoch 3: weights %s, want %s", got, want)
	}
}

// TestVersion3RaceFile reads a race file of version 3 holding two run
// files of version 2, NNE + SignSGD after its switch and DNN: each run
// keeps the signals of its own rule, on the points of the phase that has
// them, and continues.
//
// Fixture: nnesim race -algo nne-signsgd,dnn -digits 0-4 -per-digit 40
// -hidden 40 -seed 7 -generations 5 -epochs 2 -save v3-race.nne (commit
// 992101d).
func TestVersion3RaceFile(t *testing.T) {
	_, runs, err := Split(readFixture(t, "v3-race.nne", 3), 1<<30, race.Even(1<<30))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Settings.Algo != "nne-signsgd" || runs[1].Settings.Algo != "dnn" {
		t.Fatalf("decoded %d runs", len(runs))
	}
	for _, pt := range runs[0].Curve {
		_, fixed := pt.Signal(learner.SignalFixed)
		if fixed != (pt.Unit == learner.Generation) || len(pt.Signals) != map[bool]int{true: 2, false: 0}[fixed] {
			t.Errorf("NNE + SignSGD's %s %d has signals %v; want NNE's on generations alone", pt.Unit, pt.Step, pt.Signals)
		}
	}
	if got := finish(t, runs[1], 3); got != "cacab74eef445eb899480748ea71ed70a32075e9f0b6947967f76af509b122ba" {
		t.Errorf("the race's DNN run continued to epoch 3: weights %s", got)
	}
	// Written again, a race file of version-4 runs that reads the same.
	again, err := Decode(Encode(runs[0]), 1<<30)
	if err != nil || len(again.Curve) != len(runs[0].Curve) {
		t.Fatalf("re-encoded: %v", err)
	}
	for i := range again.Curve {
		if len(again.Curve[i].Signals) != len(runs[0].Curve[i].Signals) {
			t.Errorf("point %d re-encoded with signals %v, was %v", i, again.Curve[i].Signals, runs[0].Curve[i].Signals)
		}
	}
}
