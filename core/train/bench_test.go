package train

import (
	"fmt"
	"testing"
)

// BenchmarkPresetGeneration measures one generation (Run.Step, no test
// evaluation) of the quick and paper presets on the pool the browser uses,
// with 1 and 2 goroutines: the native figures the browser benchmark
// (./build.sh bench-browser) compares its workers against.
func BenchmarkPresetGeneration(b *testing.B) {
	pool, test := loadPool(b)
	for _, preset := range []string{"quick", "paper"} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", preset, threads), func(b *testing.B) {
				s, err := Preset(preset)
				if err != nil {
					b.Fatal(err)
				}
				s.Threads = threads
				s.Generations = MaxGenerations
				r, err := New(s, pool, test, 1<<32)
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
