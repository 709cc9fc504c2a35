// Package race is several runs side by side on one task: the grammar of
// the algo parameter that lists them (algo=nne,dnn,sgd:net=dense), its
// canonical query and the runs' labels.
package race

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"nnesim/core/learner"
	"nnesim/core/settings"
)

// Race is several runs side by side on the same digits, seed and training
// sample, one per entry of the algo parameter: algo=nne,dnn,sgd. An entry
// may carry settings of its own run after colons (sgd:net=sparse, or
// dnn:lr=0.1:explore=0), so a rule can race itself; every other parameter
// applies to each run it is a setting of. A race of one run is a run.
type Race struct {
	Runs []settings.Settings
}

// Shared are the settings a race sets once for every run: what the
// runs learn from, so that they are compared on the same task.
var Shared = []string{"digits", "per-digit", "seed"}

// MaxRuns is the most runs a race may have.
const MaxRuns = 8

// Budgets gives each run of a race the memory one copy of it may plan to
// use, given the rules of the runs (in a browser tab, wasm/budget.Budgets).
type Budgets func(algos []string) []float64

// Even shares maxBytes evenly among the runs: one copy of each, as
// natively.
func Even(maxBytes float64) Budgets {
	return func(algos []string) []float64 {
		out := make([]float64, len(algos))
		for i := range out {
			out[i] = maxBytes / float64(max(1, len(algos)))
		}
		return out
	}
}

// Parse reads a race from URL query parameters, as learner.ParseQuery
// reads one run (Parse of one rule is ParseQuery's). The runs share the
// memory budgets gives them. Errors name the entry they are about; a run
// whose settings do not fit falls back to its rule's defaults with the
// reason, as ParseQuery does.
func Parse(q url.Values, budgets Budgets, ignore ...string) (Race, []error) {
	algo := ""
	if vs := q["algo"]; len(vs) > 0 {
		algo = vs[len(vs)-1]
	}
	if !strings.ContainsAny(algo, ",:") {
		one := algo
		if _, err := learner.RuleOf(one); err != nil {
			one = learner.DefaultRule().Name // ParseQuery reports it and runs the default rule
		}
		s, errs := learner.ParseQuery(q, budgets([]string{one})[0], ignore...)
		return Race{Runs: []settings.Settings{s}}, errs
	}
	var errs []error
	type entry struct {
		name  string
		quals url.Values
	}
	var entries []entry
	for _, e := range strings.Split(algo, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		parts := strings.Split(e, ":")
		name := strings.TrimSpace(parts[0])
		rule, err := learner.RuleOf(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		quals, ok := url.Values{}, true
		for _, kv := range parts[1:] {
			k, v, found := strings.Cut(kv, "=")
			k = strings.TrimSpace(k)
			_, known := learner.ParamNamed(k)
			switch {
			case !found || k == "":
				errs = append(errs, fmt.Errorf("algo entry %s: %q is not name=value", settings.Clip(e), settings.Clip(kv)))
			case slices.Contains(Shared, k):
				errs = append(errs, fmt.Errorf("algo entry %s: %s is shared by every run of a race; set it once (%s=…)", settings.Clip(e), k, k))
			case k == "algo" || !known && k != "preset":
				errs = append(errs, fmt.Errorf("algo entry %s: %s is not a setting", settings.Clip(e), settings.Clip(k)))
			case k == "preset" && !rule.Presets || known && !rule.Has(k):
				errs = append(errs, fmt.Errorf("algo entry %s: %s is not a setting of %s", settings.Clip(e), k, name))
			default:
				quals.Set(k, v)
				continue
			}
			ok = false
		}
		if ok {
			entries = append(entries, entry{name, quals})
		}
	}
	if len(entries) > MaxRuns {
		errs = append(errs, fmt.Errorf("algo lists %d runs; a race has at most %d, so the first %d race", len(entries), MaxRuns, MaxRuns))
		entries = entries[:MaxRuns]
	}
	if len(entries) == 0 {
		errs = append(errs, fmt.Errorf("algo=%s names no rule to run; want some of %s, comma-separated", settings.Clip(algo), strings.Join(learner.Names(), ", ")))
		s, _ := learner.Defaults(learner.DefaultRule().Name, "")
		return Race{Runs: []settings.Settings{s}}, errs
	}
	algos := make([]string, len(entries))
	for i, e := range entries {
		algos[i] = e.name
	}
	shares := budgets(algos)
	// Parameters of the race that no listed rule has.
	known := map[string]bool{"algo": true}
	for _, n := range ignore {
		known[n] = true
	}
	for k := range q {
		if known[k] {
			continue
		}
		_, ok := learner.ParamNamed(k)
		of := func(a string) bool {
			r, _ := learner.RuleOf(a) // the entries' rules are known
			return ok && r.Has(k) || k == "preset" && r.Presets
		}
		if (ok || k == "preset") && !slices.ContainsFunc(algos, of) {
			errs = append(errs, fmt.Errorf("%s: not a setting of any rule in the race (%s)", settings.Clip(k), strings.Join(algos, ", ")))
		}
	}
	var race Race
	seen := map[string]int{}
	perRun := make([][]string, len(entries))
	for i, e := range entries {
		rq := url.Values{}
		rule, _ := learner.RuleOf(e.name) // an entry's rule is known
		for k, vs := range q {
			_, ok := learner.ParamNamed(k)
			switch {
			case k == "algo":
			case k == "preset" && !rule.Presets:
			case ok && !rule.Has(k):
			default:
				rq[k] = vs
			}
		}
		for k, vs := range e.quals {
			rq[k] = vs
		}
		rq.Set("algo", e.name)
		s, rerrs := learner.ParseQuery(rq, shares[i], ignore...)
		for _, err := range rerrs {
			perRun[i] = append(perRun[i], err.Error())
		}
		key := learner.FullQuery(&s)
		if j, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("algo entries %d and %d are the same run (%s); the second is left out", j+1, i+1, e.name))
			perRun[i] = nil
			continue
		}
		seen[key] = i
		race.Runs = append(race.Runs, s)
	}
	// An error every run reports (a shared parameter's) is said once.
	var common []string
	for _, m := range perRun[0] {
		if !slices.ContainsFunc(perRun, func(r []string) bool { return r != nil && !slices.Contains(r, m) }) {
			common = append(common, m)
		}
	}
	for _, m := range common {
		errs = append(errs, errors.New(m))
	}
	for i, ms := range perRun {
		for _, m := range ms {
			if !slices.Contains(common, m) {
				errs = append(errs, fmt.Errorf("%s: %s", entries[i].name, m))
			}
		}
	}
	return race, errs
}

// Algos returns the rule of each run.
func (r Race) Algos() []string {
	out := make([]string, len(r.Runs))
	for i, s := range r.Runs {
		out[i] = s.Algo
	}
	return out
}

// Query returns the race as URL query parameters: one run's Query, or
// algo listing the runs with the settings that differ between runs of
// the same setting after their entry, and each setting all runs that have
// it agree on once (only if it differs from some run's default). Parse
// reads it back to the same race.
func (r Race) Query() url.Values {
	if len(r.Runs) == 1 {
		return learner.Query(&r.Runs[0])
	}
	q := url.Values{}
	own := make([]url.Values, len(r.Runs))
	quals := make([][]string, len(r.Runs))
	for i := range r.Runs {
		own[i] = learner.Query(&r.Runs[i])
	}
	decide := func(name string, holders []int, value func(i int) string) {
		if len(holders) == 0 {
			return
		}
		v0 := value(holders[0])
		same := !slices.ContainsFunc(holders, func(i int) bool { return value(i) != v0 })
		given := slices.ContainsFunc(holders, func(i int) bool { return own[i].Has(name) })
		switch {
		case same && given:
			q.Set(name, v0)
		case !same:
			for _, i := range holders {
				if own[i].Has(name) {
					quals[i] = append(quals[i], name+"="+value(i))
				}
			}
		}
	}
	var presetted []int
	for i, s := range r.Runs {
		if rule, _ := learner.RuleOf(s.Algo); rule.Presets { // a run's rule is known
			presetted = append(presetted, i)
		}
	}
	decide("preset", presetted, func(i int) string { return own[i].Get("preset") })
	for _, p := range learner.Params() {
		if p.Name == "algo" {
			continue
		}
		var holders []int
		for i, s := range r.Runs {
			if learner.ParamOf(p.Name, s.Algo) {
				holders = append(holders, i)
			}
		}
		decide(p.Name, holders, func(i int) string { return p.Get(&r.Runs[i]) })
	}
	entries := make([]string, len(r.Runs))
	for i, s := range r.Runs {
		entries[i] = strings.Join(append([]string{s.Algo}, quals[i]...), ":")
	}
	q.Set("algo", strings.Join(entries, ","))
	return q
}

// Labels names each run for people: its rule, and the settings of its own
// entry in Query (those that tell it apart from runs of the same setting),
// a choice by its word (sgd dense), others as name=value.
func (r Race) Labels() []string {
	q := r.Query()
	entries := strings.Split(q.Get("algo"), ",")
	out := make([]string, len(r.Runs))
	for i, s := range r.Runs {
		out[i] = s.Algo
		if i < len(entries) {
			_, quals, _ := strings.Cut(entries[i], ":")
			if quals != "" {
				var words []string
				for _, kv := range strings.Split(quals, ":") {
					k, v, _ := strings.Cut(kv, "=")
					if p, ok := learner.ParamNamed(k); ok && p.Choices != nil {
						words = append(words, v)
					} else {
						words = append(words, kv)
					}
				}
				out[i] += " " + strings.Join(words, " ")
			}
		}
	}
	return out
}

// Edit returns the query of the race a settings form makes of the race
// of query q (its canonical query, Race.Query): the rules algos, in
// order (a rule may come more than once); each run keeps the settings of
// q's first run of its rule not yet taken, with its entry's own settings
// (sgd:net=dense); a rule added starts from its defaults (with q's preset,
// if it has presets) on q's task (Shared), with each setting q gives the
// whole race that is a setting of it. Then every setting in set goes to
// each run it is a setting of or, if its value is empty, each run takes
// its own default. Values are not checked here: Parse reports what is
// wrong with the query, as with any other.
func Edit(q url.Values, algos []string, set url.Values) (url.Values, []error) {
	r, _ := Parse(q, Even(1<<62), learner.PageParams...) // q's errors are the page's already
	var errs []error
	taken := make([]bool, len(r.Runs))
	var runs []settings.Settings
	task := r.Runs[0]
	for _, a := range algos {
		rule, err := learner.RuleOf(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		i := -1
		for j, s := range r.Runs {
			if s.Algo == a && !taken[j] {
				i = j
				break
			}
		}
		if i >= 0 {
			taken[i] = true
			runs = append(runs, r.Runs[i])
			continue
		}
		preset := ""
		if rule.Presets {
			preset = q.Get("preset")
		}
		s, err := learner.Defaults(a, preset)
		if err != nil {
			s, _ = learner.Defaults(a, "") // every rule has defaults
		}
		for _, name := range Shared {
			p, _ := learner.ParamNamed(name)
			p.Set(&s, p.Get(&task)) // the task's values are valid
		}
		for k, vs := range q {
			if p, ok := learner.ParamNamed(k); ok && k != "algo" && rule.Has(k) && len(vs) > 0 {
				p.Set(&s, vs[len(vs)-1]) // a bad value keeps the default; Parse said so
			}
		}
		runs = append(runs, s)
	}
	if len(runs) == 0 {
		return nil, append(errs, fmt.Errorf("the form names no rule to run; want some of %s", strings.Join(learner.Names(), ", ")))
	}
	out := Race{Runs: runs}.Query()
	entries := strings.Split(out.Get("algo"), ",")
	for k, vs := range set {
		if k == "algo" || len(vs) == 0 {
			continue
		}
		if !slices.ContainsFunc(runs, func(s settings.Settings) bool { return learner.ParamOf(k, s.Algo) || k == "preset" }) {
			continue // a field of a rule no longer in the race
		}
		if v := vs[len(vs)-1]; v == "" {
			out.Del(k)
		} else {
			out.Set(k, v)
		}
		// The value is every run's now: no entry keeps its own.
		for i, e := range entries {
			parts := strings.Split(e, ":")
			kept := slices.DeleteFunc(parts[1:], func(kv string) bool { return strings.HasPrefix(kv, k+"=") })
			entries[i] = strings.Join(append(parts[:1], kept...), ":")
		}
	}
	if a := strings.Join(entries, ","); a != "" {
		out.Set("algo", a)
	}
	return out, errs
}
