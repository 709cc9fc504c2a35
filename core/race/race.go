package train

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/url"
	"slices"
	"strings"
)

// Race is several runs side by side on the same digits, seed and training
// sample, one per entry of the algo parameter: algo=nne,dnn,sgd. An entry
// may carry settings of its own run after colons (sgd:net=sparse, or
// dnn:lr=0.1:explore=0), so a rule can race itself; every other parameter
// applies to each run it is a setting of. A race of one run is a run.
type Race struct {
	Runs []Settings
}

// RaceShared are the settings a race sets once for every run: what the
// runs learn from, so that they are compared on the same task.
var RaceShared = []string{"digits", "per-digit", "seed"}

// MaxRaceRuns is the most runs a race may have.
const MaxRaceRuns = 8

// ParseRace reads a race from URL query parameters, as ParseQuery reads
// one run (ParseRace of one rule is ParseQuery's). The runs share
// maxBytes (RaceBudgets: in a browser tab NNE's evaluators hold copies
// too; workers ≤ 0 counts one copy per run, as natively). Errors name the entry they are
// about; a run whose settings do not fit falls back to its rule's
// defaults with the reason, as ParseQuery does.
func ParseRace(q url.Values, maxBytes float64, workers int, ignore ...string) (Race, []error) {
	algo := ""
	if vs := q["algo"]; len(vs) > 0 {
		algo = vs[len(vs)-1]
	}
	if !strings.ContainsAny(algo, ",:") {
		one := algo
		if _, err := RuleOf(one); err != nil {
			one = "nne" // ParseQuery reports it and runs NNE
		}
		s, errs := ParseQuery(q, RaceBudgets([]string{one}, workers, maxBytes)[0], ignore...)
		return Race{Runs: []Settings{s}}, errs
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
		if _, err := RuleOf(name); err != nil {
			errs = append(errs, err)
			continue
		}
		quals, ok := url.Values{}, true
		for _, kv := range parts[1:] {
			k, v, found := strings.Cut(kv, "=")
			k = strings.TrimSpace(k)
			p, known := paramNamed(k)
			switch {
			case !found || k == "":
				errs = append(errs, fmt.Errorf("algo entry %s: %q is not name=value", Clip(e), Clip(kv)))
			case slices.Contains(RaceShared, k):
				errs = append(errs, fmt.Errorf("algo entry %s: %s is shared by every run of a race; set it once (%s=…)", Clip(e), k, k))
			case k == "algo" || !known && k != "preset":
				errs = append(errs, fmt.Errorf("algo entry %s: %s is not a setting", Clip(e), Clip(k)))
			case k == "preset" && !slices.Contains(evolving, name) || known && !p.of(name):
				errs = append(errs, fmt.Errorf("algo entry %s: %s is not a setting of %s", Clip(e), k, name))
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
	if len(entries) > MaxRaceRuns {
		errs = append(errs, fmt.Errorf("algo lists %d runs; a race has at most %d, so the first %d race", len(entries), MaxRaceRuns, MaxRaceRuns))
		entries = entries[:MaxRaceRuns]
	}
	if len(entries) == 0 {
		errs = append(errs, fmt.Errorf("algo=%s names no rule to run; want some of %s, comma-separated", Clip(algo), strings.Join(Algos, ", ")))
		s, _ := Defaults("nne", "")
		return Race{Runs: []Settings{s}}, errs
	}
	algos := make([]string, len(entries))
	for i, e := range entries {
		algos[i] = e.name
	}
	budgets := RaceBudgets(algos, workers, maxBytes)
	// Parameters of the race that no listed rule has.
	known := map[string]bool{"algo": true}
	for _, n := range ignore {
		known[n] = true
	}
	for k := range q {
		if known[k] {
			continue
		}
		p, ok := paramNamed(k)
		of := func(a string) bool { return ok && p.of(a) || k == "preset" && slices.Contains(evolving, a) }
		if (ok || k == "preset") && !slices.ContainsFunc(algos, of) {
			errs = append(errs, fmt.Errorf("%s: not a setting of any rule in the race (%s)", Clip(k), strings.Join(algos, ", ")))
		}
	}
	var race Race
	seen := map[string]int{}
	perRun := make([][]string, len(entries))
	for i, e := range entries {
		rq := url.Values{}
		for k, vs := range q {
			p, ok := paramNamed(k)
			switch {
			case k == "algo":
			case k == "preset" && !slices.Contains(evolving, e.name):
			case ok && !p.of(e.name):
			default:
				rq[k] = vs
			}
		}
		for k, vs := range e.quals {
			rq[k] = vs
		}
		rq.Set("algo", e.name)
		s, rerrs := ParseQuery(rq, budgets[i], ignore...)
		for _, err := range rerrs {
			perRun[i] = append(perRun[i], err.Error())
		}
		key := fullQuery(&s)
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

// paramNamed returns the parameter called name.
func paramNamed(name string) (Param, bool) {
	for _, p := range Params() {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
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
// it agree on once (only if it differs from some run's default). ParseRace
// reads it back to the same race.
func (r Race) Query() url.Values {
	if len(r.Runs) == 1 {
		return r.Runs[0].Query()
	}
	q := url.Values{}
	own := make([]url.Values, len(r.Runs))
	quals := make([][]string, len(r.Runs))
	for i := range r.Runs {
		own[i] = r.Runs[i].Query()
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
	var evolvers []int
	for i, s := range r.Runs {
		if slices.Contains(evolving, s.Algo) {
			evolvers = append(evolvers, i)
		}
	}
	decide("preset", evolvers, func(i int) string { return own[i].Get("preset") })
	for _, p := range Params() {
		if p.Name == "algo" {
			continue
		}
		var holders []int
		for i, s := range r.Runs {
			if p.of(s.Algo) {
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
					if p, ok := paramNamed(k); ok && p.Choices != nil {
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

// RaceWorkers splits a browser tab's workers among the runs of a race:
// every rule the coordinator steps itself (all but NNE) takes one, and
// the NNE runs share what is left for their evaluators, at least one
// each. With workers ≤ 0 every run counts one.
func RaceWorkers(algos []string, workers int) []int {
	out := make([]int, len(algos))
	var evolvers []int
	left := workers
	for i, a := range algos {
		out[i] = 1
		if a == "nne" {
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

// RaceDuty returns the share of the time each run of a race trains when
// its runs need more workers (RaceWorkers, at least one each) than the tab
// has: then each trains workers/needed of the time and rests the rest,
// so that the race as a whole keeps to the tab's workers and the page
// stays smooth. With enough workers (or workers ≤ 0) it is 1.
func RaceDuty(algos []string, workers int) float64 {
	need := 0
	for _, w := range RaceWorkers(algos, workers) {
		need += w
	}
	if workers <= 0 || need <= workers {
		return 1
	}
	return float64(workers) / float64(need)
}

// RaceBudgets returns the memory one copy of each run of a race may plan
// to use when the runs share maxBytes in a tab with the given workers:
// NNE's coordinator and each of its evaluators hold a copy of the run,
// the other rules' coordinator alone (with workers ≤ 0, one copy each).
func RaceBudgets(algos []string, workers int, maxBytes float64) []float64 {
	w := RaceWorkers(algos, workers)
	total := 0
	for i, a := range algos {
		total++
		if a == "nne" && workers > 0 {
			total += w[i]
		}
	}
	out := make([]float64, len(algos))
	for i := range out {
		out[i] = maxBytes / float64(total)
	}
	return out
}

// A race file holds every run of a race: a run file (version 3) whose
// body is the number of runs, uint32, then per run its length, uint64,
// and a whole run file of version 2 (with its own header and checksum).
// A race of one run is written as that run's file.
const raceVersion = 3

// EncodeRaceFile returns the race file of runs.
func EncodeRaceFile(runs []*Saved) []byte {
	files := make([][]byte, len(runs))
	for i, sv := range runs {
		files[i] = EncodeRunFile(sv)
	}
	return JoinRunFiles(files)
}

// JoinRunFiles returns the race file holding the given run files (one
// file is returned as it is).
func JoinRunFiles(files [][]byte) []byte {
	if len(files) == 1 {
		return files[0]
	}
	var body bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&body, le, uint32(len(files))) // bytes.Buffer writes never fail
	for _, f := range files {
		binary.Write(&body, le, uint64(len(f)))
		body.Write(f)
	}
	return withHeader(raceVersion, body.Bytes())
}

// SplitRunFiles returns the run files in a race file, checking each
// (DecodeRunFile with the share of maxBytes its run gets in a tab with
// the given workers, RaceBudgets) and that they race fairly (the same
// digits, sample and seed); a run file is returned alone. Any defect is
// an error and nothing is returned.
func SplitRunFiles(b []byte, maxBytes float64, workers int) ([][]byte, []*Saved, error) {
	fail := func(format string, a ...any) ([][]byte, []*Saved, error) {
		return nil, nil, fmt.Errorf("%w: %s", errRunFile, fmt.Sprintf(format, a...))
	}
	le := binary.LittleEndian
	if len(b) < runHeaderSize || string(b[:8]) != runMagic || le.Uint32(b[8:]) != raceVersion {
		sv, err := DecodeRunFile(b, maxBytes)
		if err != nil {
			return nil, nil, err
		}
		return [][]byte{b}, []*Saved{sv}, nil
	}
	body := b[runHeaderSize:]
	n := le.Uint64(b[16:])
	switch {
	case n != uint64(len(body)):
		return fail("the header announces %d bytes of data, the file has %d", n, len(body))
	case crc32.ChecksumIEEE(body) != le.Uint32(b[24:]):
		return fail("checksum mismatch: the file is corrupted")
	}
	r := reader{b: body}
	count := r.u32()
	if r.err != nil || count < 2 || count > MaxRaceRuns {
		return fail("a race of %d runs, want 2 to %d", count, MaxRaceRuns)
	}
	var files [][]byte
	for range count {
		l := r.u64()
		if r.err == nil && l > uint64(len(body)) {
			return fail("truncated: a run of %d bytes announced", l)
		}
		f := r.bytes(int(l))
		if r.err != nil {
			return fail("%v", r.err)
		}
		if len(f) >= runHeaderSize && le.Uint32(f[8:]) == raceVersion {
			return fail("run %d is itself a race", len(files)+1)
		}
		files = append(files, f)
	}
	if r.off != len(body) {
		return fail("%d unexpected bytes after the runs", len(body)-r.off)
	}
	// Each run's algo comes first from its own file's settings.
	algos := make([]string, len(files))
	for i, f := range files {
		algos[i] = "nne"
		if sv, err := DecodeRunFile(f, maxBytes); err == nil {
			algos[i] = sv.Settings.Algo
		}
	}
	budgets := RaceBudgets(algos, workers, maxBytes)
	runs := make([]*Saved, len(files))
	for i, f := range files {
		sv, err := DecodeRunFile(f, budgets[i])
		if err != nil {
			return nil, nil, fmt.Errorf("run %d of the race: %w", i+1, err)
		}
		runs[i] = sv
		for _, name := range RaceShared {
			p, _ := paramNamed(name)
			if a, b := p.Get(&runs[0].Settings), p.Get(&sv.Settings); a != b {
				return fail("run %d has %s=%s but run 1 %s=%s; a race shares them", i+1, name, b, name, a)
			}
		}
	}
	return files, runs, nil
}

// errRace is returned by DecodeRunFile for a race file.
var errRace = errors.New("this file holds a race")

// raceError explains that b is a race file, naming its runs.
func raceError(b []byte) error {
	files, runs, err := SplitRunFiles(b, 1<<62, 0)
	if err != nil {
		return fmt.Errorf("%w: %v", errRace, err)
	}
	algos := make([]string, len(runs))
	for i, sv := range runs {
		algos[i] = sv.Settings.Algo
	}
	return fmt.Errorf("%w of %d runs (%s); continue it with nnesim race -resume, or in the browser with Import run", errRace, len(files), strings.Join(algos, ", "))
}
