package budget

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/race"
	"nnesim/core/settings"
)

// TestCheckBrowserTime checks the work bound of the page: the presets
// pass with one worker, a population of a million does not, the SIMD
// kernel's estimate lets through what the portable one's refuses, and
// the message gives the estimate and what to lower.
func TestCheckBrowserTime(t *testing.T) {
	for _, tc := range []struct {
		preset  string
		change  func(*settings.Settings)
		workers int
		simd    bool
		want    string // "" for accepted
	}{
		{"quick", func(*settings.Settings) {}, 1, false, ""},
		{"demo", func(*settings.Settings) {}, 1, false, ""},
		{"paper", func(*settings.Settings) {}, 1, false, ""},
		{"paper", func(*settings.Settings) {}, 1, true, ""},
		{"quick", func(s *settings.Settings) { s.Pop = 1048576 }, 1, false, "would take about 4 min per generation here with 1 worker"},
		{"quick", func(s *settings.Settings) { s.Pop = 1048576 }, 1, true, "would take about 78 s per generation here with 1 worker"},
		{"quick", func(s *settings.Settings) { s.Pop = 500000 }, 1, false, "would take about 107 s per generation"},
		{"quick", func(s *settings.Settings) { s.Pop = 500000 }, 1, true, ""},
		{"quick", func(s *settings.Settings) { s.Pop = 1048576 }, 16, false, ""},
		{"paper", func(s *settings.Settings) { s.Pop = 100000 }, 2, true, "lower pop, batch, hidden or genes"},
	} {
		// A preset names no rule any more; the page's NNE run of it.
		s, _ := learner.Defaults("nne", tc.preset)
		tc.change(&s)
		err := CheckTime(&s, tc.workers, tc.simd)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s pop=%d, %d workers, simd %v: refused: %v", tc.preset, s.Pop, tc.workers, tc.simd, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s pop=%d, %d workers, simd %v: error %v, want one containing %q", tc.preset, s.Pop, tc.workers, tc.simd, err, tc.want)
		}
	}
}

func TestRaceWorkers(t *testing.T) {
	for _, tc := range []struct {
		algos   string
		workers int
		want    []int
		duty    float64
	}{
		{"nne,dnn,sgd", 1, []int{1, 1, 1}, 1.0 / 3},
		{"nne,dnn,sgd", 2, []int{1, 1, 1}, 2.0 / 3},
		{"nne,dnn,sgd", 4, []int{2, 1, 1}, 1},
		{"nne,nne,dnn", 6, []int{3, 2, 1}, 1},
		{"nne,nne-signsgd", 3, []int{2, 1}, 1},
		{"dnn,sgd", 8, []int{1, 1}, 1},
		{"nne", 3, []int{3}, 1},
		{"nne,dnn", 0, []int{1, 1}, 1},
	} {
		algos := strings.Split(tc.algos, ",")
		if got := Workers(algos, tc.workers); !slices.Equal(got, tc.want) {
			t.Errorf("Workers(%s, %d) = %v, want %v", tc.algos, tc.workers, got, tc.want)
		}
		if d := Duty(algos, tc.workers); tc.duty != 0 && d != tc.duty {
			t.Errorf("Duty(%s, %d) = %v, want %v", tc.algos, tc.workers, d, tc.duty)
		}
		// Every copy of every run (NNE's coordinator and evaluators) has its
		// budget, and together they use the whole.
		b := Budgets(algos, tc.workers, 1000)
		sum := 0.0
		for i, v := range b {
			copies := 1
			if algos[i] == "nne" && tc.workers > 0 {
				copies += tc.want[i]
			}
			sum += float64(copies) * v
		}
		if sum < 999.999 || sum > 1000.001 {
			t.Errorf("Budgets(%s, %d) = %v: the copies use %v of 1000", tc.algos, tc.workers, b, sum)
		}
		// Shares is Budgets as a race's share-out.
		if s := Shares(1000, tc.workers)(algos); !slices.Equal(s, b) {
			t.Errorf("Shares(1000, %d)(%s) = %v, want %v", tc.workers, tc.algos, s, b)
		}
	}
}

// TestRaceMemory: a race that does not fit names the run; one run's
// budget is shared with its evaluators too.
func TestRaceMemoryOneRun(t *testing.T) {
	// The smallest genome two workers' copies cannot hold (its size
	// depends on the build: the vector kernel keeps W twice) …
	genes := 0
	for g := 10000; g <= 1000000 && genes == 0; g += 10000 {
		q, _ := url.ParseQuery(fmt.Sprintf("preset=paper&genes=%d", g))
		if r, errs := race.Parse(q, Shares(1<<30, 2)); len(errs) == 1 && r.Runs[0].Genes != g {
			genes = g
		}
	}
	if genes == 0 {
		t.Fatal("two workers took every genome up to a million genes")
	}
	// … fits one worker's.
	q, _ := url.ParseQuery(fmt.Sprintf("preset=paper&genes=%d", genes))
	if r, errs := race.Parse(q, Shares(1<<30, 1)); len(errs) != 0 || r.Runs[0].Genes != genes {
		t.Fatalf("one worker refused genes=%d, which two could not hold: %v", genes, errs)
	}
}

// TestRaceMemory: a race that does not fit names the run.
func TestRaceMemory(t *testing.T) {
	q, _ := url.ParseQuery("algo=nne,sgd&hidden=20000")
	// The old ParseRace(q, 1<<30, 0): workers ≤ 0, one copy of each run.
	r, errs := race.Parse(q, Shares(1<<30, 0))
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "sgd: ") || !strings.Contains(errs[0].Error(), "allowed here") {
		t.Fatalf("errors %v, want one naming sgd and the memory", errs)
	}
	if r.Runs[1].Hidden == 20000 {
		t.Error("the run that does not fit kept its settings")
	}
}
