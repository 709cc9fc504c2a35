package render

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// RaceMarks are the test accuracies a race's summary reports, as
// fractions.
var RaceMarks = []float64{0.5, 0.8, 0.9, 0.95}

// RaceRun is what RaceSummary reads of one run of a race.
type RaceRun struct {
	Label string
	Unit  string // its first phase's step: "generation" or "epoch"
	Does  string // what one such step does (learner.Phase.Does)
	// Curve is the run's evaluations: step (in each point's unit),
	// training seconds and test accuracy.
	Steps    []int
	Units    []string
	Seconds  []float64
	Accuracy []float64
	Workers  int
	Done     bool
}

// RaceSummary says who won a race and why, for people: for each of
// RaceMarks some run has passed, the runs in the order they passed it in
// training seconds, each with its step (the steps of different rules
// are not alike, so the order is by time); then what a step of each
// rule does, and how the runs share the machine, which is why the
// chart's clock (training time) runs behind the wall clock. It returns
// nil for a single run.
func RaceSummary(runs []RaceRun) []string {
	if len(runs) < 2 {
		return nil
	}
	var lines []string
	for _, mark := range RaceMarks {
		type pass struct {
			label   string
			seconds float64
			step    int
			unit    string
		}
		var passed []pass
		var behind []string
		for _, r := range runs {
			i := slices.IndexFunc(r.Accuracy, func(a float64) bool { return a >= mark })
			if i < 0 {
				if r.Done {
					behind = append(behind, r.Label+" never did")
				} else {
					behind = append(behind, r.Label+" not yet")
				}
				continue
			}
			unit := r.Unit
			if i < len(r.Units) && r.Units[i] != "" {
				unit = r.Units[i]
			}
			passed = append(passed, pass{r.Label, r.Seconds[i], r.Steps[i], unit})
		}
		if len(passed) == 0 {
			continue
		}
		slices.SortStableFunc(passed, func(a, b pass) int {
			switch {
			case a.seconds < b.seconds:
				return -1
			case a.seconds > b.seconds:
				return 1
			}
			return 0
		})
		parts := make([]string, len(passed))
		for i, p := range passed {
			parts[i] = fmt.Sprintf("%s after %s of training (%s %d)", p.label, clock(p.seconds), p.unit, p.step)
		}
		line := fmt.Sprintf("Past %.0f%%: %s first", 100*mark, parts[0])
		if len(parts) > 1 {
			line += ", then " + strings.Join(parts[1:], ", then ")
		}
		if len(behind) > 0 {
			line += "; " + strings.Join(behind, ", ")
		}
		lines = append(lines, line+".")
	}
	if len(lines) == 0 {
		lines = append(lines, fmt.Sprintf("No run has passed %.0f%% test accuracy yet.", 100*RaceMarks[0]))
	}
	for _, r := range runs {
		if r.Does != "" {
			lines = append(lines, fmt.Sprintf("Each %s of %s %s.", r.Unit, r.Label, r.Does))
		}
	}
	var shares []string
	workers := 0
	for _, r := range runs {
		shares = append(shares, fmt.Sprintf("%s %d", r.Label, r.Workers))
		workers += r.Workers
	}
	lines = append(lines, fmt.Sprintf("The runs train side by side and share this tab's %d workers (%s), so the chart's clock, each run's own training time, runs behind the wall clock; the order by time is the order on this machine, and another machine may order close runs differently.",
		workers, strings.Join(shares, ", ")))
	return lines
}

// clock writes seconds as the chart does: 12.3 s under a minute, else
// m:ss.
func clock(s float64) string {
	if s < 60 {
		return fmt.Sprintf("%.1f s", s)
	}
	m := math.Floor(s / 60)
	return fmt.Sprintf("%.0f:%02.0f", m, math.Floor(s-60*m))
}
