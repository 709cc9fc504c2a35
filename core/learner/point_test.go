package learner

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestPointJSON checks that a point's signals are written by name beside
// its fields, in order, and read back, and that a result file written
// before named signals (every point with fixed_fraction and mean_fitness)
// still reads.
func TestPointJSON(t *testing.T) {
	pt := Point{Step: 40, Unit: Generation, Seconds: 1.5, TestAccuracy: 0.75, TrainAccuracy: 0.8,
		Signals: []Signal{{SignalFixed, 0.25}, {SignalFitness, -0.5}}}
	b, err := json.Marshal(pt)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"step":40,"unit":"generation","seconds":1.5,"test_accuracy":0.75,"train_accuracy":0.8,"fixed_fraction":0.25,"mean_fitness":-0.5}`
	if string(b) != want {
		t.Errorf("marshalled\n%s\nwant\n%s", b, want)
	}
	var back Point
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, pt) {
		t.Errorf("read back %+v (%v), want %+v", back, err, pt)
	}
	old := `{"step": 3, "unit": "epoch", "seconds": 2, "test_accuracy": 0.5, "train_accuracy": 0.6, "dopamine": 0.1, "mean_fitness": 0, "fixed_fraction": 0, "weights_sha256": "ab"}`
	if err := json.Unmarshal([]byte(old), &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Signals; len(got) != 3 || got[0].Name != SignalFixed || got[1].Name != SignalFitness || got[2] != (Signal{SignalDopamine, 0.1}) || back.Hash != "ab" {
		t.Errorf("an old point read as %+v", back)
	}
	for _, bad := range []Point{{Signals: []Signal{{"step", 1}}}, {Signals: []Signal{{"x", 0}, {"y", math.NaN()}}}} {
		if _, err := json.Marshal(bad); err == nil || !strings.Contains(err.Error(), "signal") {
			t.Errorf("marshalled %+v: %v", bad, err)
		}
	}
}
