// Package budget is the browser tab's share-out, in pure Go so that it is
// tested natively: how a race's runs split the tab's workers and memory,
// how much of the time each trains, and the time model that refuses
// settings whose step would stall the page.
package budget

import (
	"fmt"
	"strings"

	"nnesim/core/learner"
	"nnesim/core/race"
	"nnesim/core/settings"
)

// NsPerWork is the browser's time per unit of a rule's Work (learner.Rule.Work) on one
// worker with Go's portable kernel, from ./build.sh bench-browser on a
// 2-core machine: the quick preset's generation (9.2 M) takes 20–28 ms and
// the paper's (3.0 G) 5.2 s in one wasm worker, 2.2–3.0 and 1.7 ns; the
// estimate takes about the slower.
const NsPerWork = 2.3

// NsPerWorkSIMD is NsPerWork with the WebAssembly SIMD
// kernel (wasm/kernel), which browsers with WebAssembly SIMD run: the
// quick preset's generation takes 6.2–7.7 ms and the paper's 0.9–1.06 s,
// 0.67–0.84 and 0.30–0.35 ns; again about the slower.
const NsPerWorkSIMD = 0.8

// MaxStep is the longest step (an NNE generation), in seconds by
// Seconds, that the page accepts: past it a tab would sit on
// "generation 0" with nothing to show.
const MaxStep = 60

// Seconds estimates the seconds of one step of the first phase in a browser
// with the given number of evaluator workers, running the WebAssembly
// SIMD kernel if simd, else the portable one (the rule's Work at
// NsPerWork or NsPerWorkSIMD).
// It is 0 for a rule without a Work estimate.
func Seconds(s *settings.Settings, workers int, simd bool) float64 {
	r, err := learner.RuleOf(s.Algo)
	if err != nil || r.Work == nil {
		return 0
	}
	ns := NsPerWork
	if simd {
		ns = NsPerWorkSIMD
	}
	return r.Work(s) * ns * 1e-9 / float64(max(1, workers))
}

// CheckTime refuses settings whose step would take longer than
// MaxStep seconds with the given workers and kernel
// (see Seconds), with the estimate and what to lower.
func CheckTime(s *settings.Settings, workers int, simd bool) error {
	t := Seconds(s, workers, simd)
	if t <= MaxStep {
		return nil
	}
	r, _ := learner.RuleOf(s.Algo) // Seconds found it
	var values, names []string
	for _, name := range r.Costly {
		p, _ := learner.ParamNamed(name)
		values = append(values, name+"="+p.Get(s))
		names = append(names, name)
	}
	return fmt.Errorf("%s would take about %s per %s here with %d worker%s (%.2g multiply-adds); the page allows %d s: lower %s, or run it with nnesim train",
		and(values), humanSeconds(t), r.Phases[0].Unit, workers, map[bool]string{true: "", false: "s"}[workers == 1], r.Work(s), MaxStep, or(names))
}

// and and or join words as a sentence does: "a, b and c".
func and(words []string) string { return join(words, "and") }
func or(words []string) string  { return join(words, "or") }

func join(words []string, last string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + last + " " + words[len(words)-1]
}

// humanSeconds formats t as seconds, minutes or hours.
func humanSeconds(t float64) string {
	switch {
	case t < 120:
		return fmt.Sprintf("%.0f s", t)
	case t < 7200:
		return fmt.Sprintf("%.0f min", t/60)
	}
	return fmt.Sprintf("%.1f h", t/3600)
}

// Workers splits a browser tab's workers among the runs of a race:
// every rule the coordinator steps itself takes one, and the runs whose
// rule fans out (learner.Rule.FansOut) share what is left for their
// evaluators, at least one each. With workers ≤ 0 every run counts one.
func Workers(algos []string, workers int) []int {
	out := make([]int, len(algos))
	var evolvers []int
	left := workers
	for i, a := range algos {
		out[i] = 1
		if fansOut(a) {
			evolvers = append(evolvers, i)
		} else {
			left--
		}
	}
	if workers <= 0 || len(evolvers) == 0 {
		return out
	}
	for k, i := range evolvers {
		share := left / len(evolvers)
		if k < left%len(evolvers) {
			share++
		}
		out[i] = max(1, share)
	}
	return out
}

// Duty returns the share of the time each run of a race trains when
// its runs need more workers (Workers, at least one each) than the tab
// has: then each trains workers/needed of the time and rests the rest,
// so that the race as a whole keeps to the tab's workers and the page
// stays smooth. With enough workers (or workers ≤ 0) it is 1.
func Duty(algos []string, workers int) float64 {
	need := 0
	for _, w := range Workers(algos, workers) {
		need += w
	}
	if workers <= 0 || need <= workers {
		return 1
	}
	return float64(workers) / float64(need)
}

// Budgets returns the memory one copy of each run of a race may plan
// to use when the runs share maxBytes in a tab with the given workers:
// a fanning-out run's coordinator and each of its evaluators hold a copy
// of the run, the other rules' coordinator alone (with workers ≤ 0, one copy each).
func Budgets(algos []string, workers int, maxBytes float64) []float64 {
	w := Workers(algos, workers)
	total := 0
	for i, a := range algos {
		total++
		if fansOut(a) && workers > 0 {
			total += w[i]
		}
	}
	out := make([]float64, len(algos))
	for i := range out {
		out[i] = maxBytes / float64(total)
	}
	return out
}

// fansOut reports whether the rule algo spreads its steps over evaluator
// workers.
func fansOut(algo string) bool {
	r, err := learner.RuleOf(algo)
	return err == nil && r.FansOut()
}

// Shares returns the race.Budgets of a tab with the given workers and
// memory (Budgets); with workers ≤ 0, one copy of each run, as natively.
func Shares(maxBytes float64, workers int) race.Budgets {
	return func(algos []string) []float64 { return Budgets(algos, workers, maxBytes) }
}
