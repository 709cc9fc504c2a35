package learner_test

import (
	"fmt"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/settings"
)

// BenchmarkPresetGeneration measures one generation (NNERun.Step, no test
// evaluation) of the quick and paper presets on the pool the browser uses,
// with 1 and 2 goroutines: the native figures the browser benchmark
// (./build.sh bench-browser) compares its workers against.
func BenchmarkPresetGeneration(b *testing.B) {
	pool, test := loadPool(b)
	for _, preset := range []string{"quick", "paper"} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", preset, threads), func(b *testing.B) {
				s, err := learner.Defaults("nne", preset)
				if err != nil {
					b.Fatal(err)
				}
				s.Threads = threads
				s.Generations = settings.MaxGenerations
				r, err := newRun(s, pool, test, 1<<32)
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				for b.Loop() {
					if err := r.Step(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
