package render

import (
	"fmt"
	"math"
	"strings"
)

// AnnounceGapMs is the least time between two sentences of an Announcer:
// a screen reader reads one, and the page goes on.
const AnnounceGapMs = 5000

// RunState is what an Announcer reads of one run of a race.
type RunState struct {
	Label string
	// Unit is the run's step ("generation" or "epoch"), Step how many it
	// has made.
	Unit string
	Step int
	// TestAccuracy is in [0, 1], or NaN before the first evaluation.
	TestAccuracy float64
	Done         bool
}

// Announcer picks the sentences a screen reader hears while runs train:
// milestones, not every generation. A run's test accuracy passing a new
// tenth (50%, 60%, …) and a run finishing are milestones; at most one
// sentence is said every AnnounceGapMs, holding every run's latest
// milestone since the last one. The zero Announcer is ready to use.
//
// Update is idempotent between milestones, so the page may ask on every
// status: it returns the sentence said last (the live region's text),
// which changes only when a new one is due.
type Announcer struct {
	labels  string         // the race announced about; another resets
	passed  map[string]int // each run's highest tenth passed
	done    map[string]bool
	steps   map[string]int
	pending map[string]string // each run's latest unsaid milestone
	order   []string          // the runs' labels, in race order
	said    string
	at      float64 // when said was said, ms
}

// Update reads the runs at time now (milliseconds) and returns the
// sentence to announce: the last one said, or a new one.
func (a *Announcer) Update(now float64, runs []RunState) string {
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = r.Label
	}
	key := strings.Join(labels, "\x00")
	if a.passed == nil || key != a.labels {
		*a = Announcer{labels: key, passed: map[string]int{}, done: map[string]bool{}, steps: map[string]int{},
			pending: map[string]string{}, order: labels, said: a.said, at: a.at}
	}
	for _, r := range runs {
		if r.Step < a.steps[r.Label] {
			// Reset, or another run under the same label: start over.
			delete(a.passed, r.Label)
			delete(a.done, r.Label)
			delete(a.pending, r.Label)
		}
		a.steps[r.Label] = r.Step
		name := r.Label
		if len(runs) == 1 {
			name = "Test accuracy"
		}
		if r.Done && !a.done[r.Label] {
			a.done[r.Label] = true
			acc := ""
			if !math.IsNaN(r.TestAccuracy) {
				acc = fmt.Sprintf(" at %.1f%% test accuracy", 100*r.TestAccuracy)
			}
			if len(runs) == 1 {
				a.pending[r.Label] = fmt.Sprintf("The run finished%s, %s %d.", acc, unit(r.Unit), r.Step)
			} else {
				a.pending[r.Label] = fmt.Sprintf("%s finished%s, %s %d.", r.Label, acc, unit(r.Unit), r.Step)
			}
			continue
		}
		if r.Done || math.IsNaN(r.TestAccuracy) {
			continue
		}
		tenth := int(math.Floor(10*r.TestAccuracy + 1e-9))
		if old, ok := a.passed[r.Label]; !ok {
			a.passed[r.Label] = tenth // where a run starts (or resumes) is no milestone
		} else if tenth > old {
			a.passed[r.Label] = tenth
			a.pending[r.Label] = fmt.Sprintf("%s passed %d%% at %s %d.", name, 10*tenth, unit(r.Unit), r.Step)
		}
	}
	if len(a.pending) == 0 || (a.said != "" && now-a.at < AnnounceGapMs) {
		return a.said
	}
	var parts []string
	for _, l := range a.order {
		if s, ok := a.pending[l]; ok {
			parts = append(parts, s)
		}
	}
	a.pending = map[string]string{}
	a.said, a.at = strings.Join(parts, " "), now
	return a.said
}

// unit is a step's unit as a word.
func unit(u string) string {
	if u == "" {
		return "generation"
	}
	return u
}
