package render

import (
	"math"
	"testing"
)

// TestAnnouncer plays a run and a race through an Announcer, a status
// every 100 ms, and checks what a screen reader hears: milestones only,
// at most one sentence per AnnounceGapMs, each run's latest.
func TestAnnouncer(t *testing.T) {
	nan := math.NaN()
	type tick struct {
		now  float64
		runs []RunState
		want string
	}
	one := func(step int, acc float64, done bool) []RunState {
		return []RunState{{Label: "NNE", Unit: "generation", Step: step, TestAccuracy: acc, Done: done}}
	}
	two := func(a, b float64, aDone bool) []RunState {
		return []RunState{{Label: "NNE", Step: 10, TestAccuracy: a, Done: aDone}, {Label: "SGD", Unit: "epoch", Step: 2, TestAccuracy: b}}
	}
	for _, tc := range []struct {
		name  string
		ticks []tick
	}{
		{"one run", []tick{
			{0, one(0, nan, false), ""},
			{100, one(1, 0.21, false), ""}, // the start is no milestone
			{200, one(5, 0.35, false), "Test accuracy passed 30% at generation 5."},
			{300, one(6, 0.45, false), "Test accuracy passed 30% at generation 5."}, // too soon: held
			{4000, one(9, 0.58, false), "Test accuracy passed 30% at generation 5."},
			{5200, one(10, 0.59, false), "Test accuracy passed 50% at generation 9."}, // the latest of 40% and 50%
			{5300, one(10, 0.59, false), "Test accuracy passed 50% at generation 9."}, // asked again: the same
			{20000, one(40, 0.912, true), "The run finished at 91.2% test accuracy, generation 40."},
			{40000, one(40, 0.912, true), "The run finished at 91.2% test accuracy, generation 40."},
		}},
		{"reset starts over", []tick{
			{0, one(3, 0.5, false), ""},
			{100, one(0, nan, false), ""},
			{200, one(1, 0.2, false), ""},
			{300, one(2, 0.31, false), "Test accuracy passed 30% at generation 2."},
		}},
		{"a race", []tick{
			{0, two(0.1, 0.1, false), ""},
			{100, two(0.22, 0.35, false), "NNE passed 20% at generation 10. SGD passed 30% at epoch 2."},
			{200, two(0.5, 0.35, false), "NNE passed 20% at generation 10. SGD passed 30% at epoch 2."},
			{6000, two(0.5, 0.35, true), "NNE finished at 50.0% test accuracy, generation 10."},
		}},
	} {
		var a Announcer
		for i, k := range tc.ticks {
			if got := a.Update(k.now, k.runs); got != k.want {
				t.Errorf("%s, tick %d (%.0f ms): %q, want %q", tc.name, i, k.now, got, k.want)
			}
		}
	}
}
