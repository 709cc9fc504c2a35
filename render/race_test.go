package render

import (
	"strings"
	"testing"
)

func TestRaceSummary(t *testing.T) {
	nne := RaceRun{Label: "nne", Unit: "generation", Does: "scores 100 genotypes", Steps: []int{100, 200, 300}, Seconds: []float64{10, 20, 75}, Accuracy: []float64{0.4, 0.6, 0.85}, Workers: 2}
	sgd := RaceRun{Label: "sgd", Unit: "epoch", Does: "passes every training image once", Steps: []int{1, 2}, Seconds: []float64{30, 60}, Accuracy: []float64{0.55, 0.93}, Workers: 1, Done: true}
	got := RaceSummary([]RaceRun{nne, sgd})
	want := []string{
		"Past 50%: nne after 20.0 s of training (generation 200) first, then sgd after 30.0 s of training (epoch 1).",
		"Past 80%: sgd after 1:00 of training (epoch 2) first, then nne after 1:15 of training (generation 300).",
		"Past 90%: sgd after 1:00 of training (epoch 2) first; nne not yet.",
		"Each generation of nne scores 100 genotypes.",
		"Each epoch of sgd passes every training image once.",
	}
	if len(got) != len(want)+1 {
		t.Fatalf("got %d lines:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("line %d:\n got %s\nwant %s", i, got[i], w)
		}
	}
	if !strings.Contains(got[len(got)-1], "share this tab's 3 workers (nne 2, sgd 1)") {
		t.Errorf("the clock's line: %s", got[len(got)-1])
	}
	sgd.Accuracy = []float64{0.3, 0.4}
	got = RaceSummary([]RaceRun{nne, sgd})
	if got[1] != "Past 80%: nne after 1:15 of training (generation 300) first; sgd never did." {
		t.Errorf("a finished run that never passed: %s", got[1])
	}
	if RaceSummary([]RaceRun{nne}) != nil {
		t.Error("a single run has a race summary")
	}
	none := RaceSummary([]RaceRun{{Label: "a", Accuracy: []float64{0.1}, Seconds: []float64{1}, Steps: []int{1}}, {Label: "b"}})
	if none[0] != "No run has passed 50% test accuracy yet." {
		t.Errorf("before any mark: %v", none)
	}
}
