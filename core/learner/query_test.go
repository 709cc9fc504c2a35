package learner_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/settings"
)

func TestParseQuery(t *testing.T) {
	const mem = 1 << 30
	quick, _ := learner.Defaults("nne", "quick")
	paper, _ := learner.Defaults("nne", "paper")
	for _, tc := range []struct {
		query string
		check func(s settings.Settings) bool
		errs  []string // substrings, one per expected error, in order
	}{
		{"", func(s settings.Settings) bool { return s == quick }, nil},
		{"preset=paper", func(s settings.Settings) bool { return s == paper }, nil},
		{"preset=paper&genes=300&seed=7&digits=3,8", func(s settings.Settings) bool {
			return s.Hidden == 1000 && s.Genes == 300 && s.Seed == 7 && s.Digits == "3,8"
		}, nil},
		{"genes=1e3", func(s settings.Settings) bool { return s.Genes == 1000 }, nil},
		{"digits=0-3,9", func(s settings.Settings) bool { return s.Digits == "0-3,9" }, nil},
		{"preset=huge", func(s settings.Settings) bool { return s == quick }, []string{"preset=huge: want one of quick, quick10, demo, paper"}},
		{"genes=1000000000&pop=1e9", func(s settings.Settings) bool { return s == quick }, []string{"genes=1000000000: out of range; want 1 to 4194304", "pop=1e9: out of range; want 2 to 1048576"}},
		{"genes=abc&seed=3", func(s settings.Settings) bool { return s.Genes == quick.Genes && s.Seed == 3 }, []string{"genes=abc: not a whole number"}},
		{"eps=-1&beta=0&hidden=0.5", func(s settings.Settings) bool { return s == quick }, []string{"hidden=0.5: not a whole number", "eps=-1: out of range", "beta=0: out of range"}},
		{"seed=-1", func(s settings.Settings) bool { return s.Seed == 1 }, []string{"seed=-1: want a whole number"}},
		{"algo=backprop&digits=5", func(s settings.Settings) bool { return s == quick }, []string{"algo=backprop: unknown rule", "digits=5"}},
		{"gense=10&autostart=1", func(s settings.Settings) bool { return s == quick }, []string{"gense: unknown parameter"}},
		// Each value is in range, but together they need too much memory.
		{"genes=4000000&hidden=10000&beta=0.5&seed=9", func(s settings.Settings) bool { return s == quick }, []string{"GiB"}},
		// A repeated parameter counts once, its last value, and is reported.
		{"seed=1&seed=2", func(s settings.Settings) bool { return s.Seed == 2 }, []string{"seed is given 2 times; the last, seed=2, counts"}},
		{"preset=quick&preset=paper", func(s settings.Settings) bool { return s == paper }, []string{"preset is given 2 times; the last, preset=paper, counts"}},
		// Hostile names and values: reported, clipped, never a crash.
		{"constructor=1&__proto__=2&hidden=50", func(s settings.Settings) bool { return s.Hidden == 50 }, []string{"__proto__: unknown parameter", "constructor: unknown parameter"}},
		{"preset=__proto__", func(s settings.Settings) bool { return s == quick }, []string{"preset=__proto__: want one of"}},
		// The fitness: the paper's in every preset but quick10, ours on request.
		{"preset=quick10", func(s settings.Settings) bool {
			return s.Fitness == "outrank" && s.Digits == "0-9" && s.Genes == 8000 && s.Beta == 0.00125 && s.Pop == 200 && s.PerDigit == 300
		}, nil},
		{"fitness=outrank", func(s settings.Settings) bool {
			return quick.Fitness == "paper" && s.Fitness == "outrank" && s.Genes == quick.Genes
		}, nil},
		{"preset=quick10&fitness=paper", func(s settings.Settings) bool { return s.Fitness == "paper" && s.Genes == 8000 }, nil},
		{"algo=nne-signsgd&preset=quick10", func(s settings.Settings) bool { return s.Fitness == "outrank" && s.LR == 1e-3 && s.Epochs == 8 }, nil},
		{"algo=nne-signsgd&preset=demo", func(s settings.Settings) bool { return s.LR == settings.DefaultSignStep }, nil},
		{"fitness=constructor&seed=4", func(s settings.Settings) bool { return s.Fitness == "paper" && s.Seed == 4 }, []string{"fitness=constructor: want one of paper, outrank"}},
		{"algo=dnn&fitness=outrank", func(s settings.Settings) bool { return s.Algo == "dnn" }, []string{"fitness: not a setting of dnn"}},
		{"seed=" + strings.Repeat("7", 100000), func(s settings.Settings) bool { return s.Seed == 1 }, []string{"seed=777777777777777777777777… (100000 characters): too long"}},
		{"digits=" + strings.Repeat("0,", 50000), func(s settings.Settings) bool { return s == quick }, []string{"(100000 characters): too long"}},
		{strings.Repeat("x", 100000) + "=1", func(s settings.Settings) bool { return s == quick }, []string{"xxxxxxxxxxxxxxxxxxxxxxxx… (100000 characters): unknown parameter"}},
		// Every rule through the one table, with its own defaults.
		{"algo=dnn&epochs=5&seed=3", func(s settings.Settings) bool {
			return s.Algo == "dnn" && s.Epochs == 5 && s.Seed == 3 && s.Hidden == 1000 && s.Digits == "0-9" && s.DNNRule == "reward" && s.Preset == ""
		}, nil},
		{"algo=sgd", func(s settings.Settings) bool { return s.Net == "sparse" && s.LR == 1e-3 && s.Epochs == 100 }, nil},
		{"algo=signsgd&net=sparse&lr=0.01", func(s settings.Settings) bool { return s.Net == "sparse" && s.LR == 0.01 }, nil},
		{"algo=nne-signsgd&epochs=3", func(s settings.Settings) bool {
			return s.Preset == "quick" && s.Genes == quick.Genes && s.Epochs == 3 && s.LR == 3e-2
		}, nil},
		{"algo=dnn&dnn-rule=printed&fire-gate=true", func(s settings.Settings) bool { return s.DNNRule == "printed" && s.FireGate }, nil},
		{"algo=dnn&genes=10&fire-gate=maybe", func(s settings.Settings) bool { return s.Algo == "dnn" && !s.FireGate }, []string{"genes: not a setting of dnn (its settings: algo, digits", "fire-gate=maybe: want true or false"}},
		{"algo=dnn&preset=quick", func(s settings.Settings) bool { return s.Algo == "dnn" }, []string{"preset=quick: presets are NNE settings; dnn has none"}},
		{"epochs=4", func(s settings.Settings) bool { return s == quick }, []string{"epochs: not a setting of nne"}},
		{"algo=sgd&hidden=100000", func(s settings.Settings) bool { return s.Algo == "sgd" && s.Hidden == 100 || s.Hidden == 1000 }, []string{"GiB"}},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		s, errs := learner.ParseQuery(q, mem, "autostart")
		if !tc.check(s) {
			t.Errorf("%.60q: settings %+v", tc.query, s)
		}
		if len(errs) != len(tc.errs) {
			t.Errorf("%.60q: errors %v, want %d", tc.query, errs, len(tc.errs))
			continue
		}
		for i, e := range errs {
			if len(e.Error()) > 400 {
				t.Errorf("%.40q: error %d is %d bytes long; a bad value must be clipped", tc.query, i, len(e.Error()))
			}
			if !strings.Contains(e.Error(), tc.errs[i]) {
				t.Errorf("%.60q: error %d is %.200q, want one containing %q", tc.query, i, e, tc.errs[i])
			}
		}
	}
}

func TestQueryRoundTrip(t *testing.T) {
	s, _ := learner.Defaults("nne", "paper")
	s.Genes, s.Eps, s.Seed, s.Digits, s.Scale = 1234, 0.3, 1<<63+5, "2,4,6", "fanin"
	q := learner.Query(&s)
	if got := q.Encode(); got != "digits=2%2C4%2C6&eps=0.3&genes=1234&preset=paper&scale=fanin&seed=9223372036854775813" {
		t.Errorf("query %s", got)
	}
	back, errs := learner.ParseQuery(q, 1<<30)
	if len(errs) > 0 || back != s {
		t.Errorf("round trip: %+v, errors %v; want %+v", back, errs, s)
	}
	// Every rule's settings survive the round trip.
	for _, algo := range learner.Names() {
		s, err := learner.Defaults(algo, "")
		if err != nil {
			t.Fatal(err)
		}
		s.Seed, s.Hidden = 77, 64
		rule, _ := learner.RuleOf(algo)
		if rule.Has("epochs") && !rule.Evolving() {
			s.Epochs = 3
		}
		if rule.Has("lr") && !rule.Evolving() {
			s.LR = 0.5
		}
		for _, p := range rule.Own {
			if err := p.Set(&s, "0.125"); err != nil {
				t.Fatal(err)
			}
		}
		if algo == "dnn" {
			s.Explore = 0.25
		}
		q := learner.Query(&s)
		if (q.Get("algo") != "") != (algo != "nne") {
			t.Errorf("%s: query %s", algo, q.Encode())
		}
		back, errs := learner.ParseQuery(q, 1<<30)
		if len(errs) > 0 || back != s {
			t.Errorf("%s: round trip of %s: %+v, errors %v; want %+v", algo, q.Encode(), back, errs, s)
		}
	}
}

// TestParamsOnePerFlag checks the one parameter table: every name once,
// each rule's parameters those its run reads.
func TestParamsOnePerFlag(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range learner.Params() {
		if seen[p.Name] {
			t.Errorf("parameter %s is listed twice", p.Name)
		}
		if p.Titles != nil && len(p.Titles) != len(p.Choices) {
			t.Errorf("parameter %s: %d titles for %d choices", p.Name, len(p.Titles), len(p.Choices))
		}
		seen[p.Name] = true
	}
	// A parameter no longer names its rules (the old Param.Rules); each
	// rule's entry names its parameters, which must be in the table
	// ("algo" and "preset" are not among them).
	for _, r := range learner.Rules {
		for _, name := range r.Params {
			if name == "algo" || name == "preset" || !seen[name] {
				t.Errorf("rule %s names parameter %s", r.Name, name)
			}
		}
	}
	names := func(algo string) string {
		var n []string
		for _, p := range learner.RuleParams(algo) {
			n = append(n, p.Name)
		}
		return strings.Join(n, ",")
	}
	for algo, want := range map[string]string{
		"nne":         "algo,digits,per-digit,val,hidden,q,genes,pop,batch,eps,beta,alpha,fitness,scale,generations,seed,eval-every",
		"nne-signsgd": "algo,digits,per-digit,val,hidden,q,genes,pop,batch,eps,beta,alpha,fitness,scale,generations,epochs,lr,seed,eval-every",
		"dnn":         "algo,digits,per-digit,val,hidden,q,batch,net,epochs,lr,dnn-rule,fire-gate,eps0,eps1,explore,seed,eval-every",
		"sgd":         "algo,digits,per-digit,val,hidden,q,batch,net,epochs,lr,seed,eval-every",
	} {
		if got := names(algo); got != want {
			t.Errorf("%s: parameters %s, want %s", algo, got, want)
		}
	}
}

// TestPresets checks every preset, the default among them, against
// Validate for every rule that starts from a preset, and every rule's
// own defaults: ParseQuery and Query fall back on them without looking
// at the error.
func TestPresets(t *testing.T) {
	if _, err := settings.Preset(settings.DefaultPreset); err != nil {
		t.Fatalf("the default preset: %v", err)
	}
	for _, name := range settings.Presets() {
		if _, err := settings.Preset(name); err != nil {
			t.Fatalf("preset %s: %v", name, err)
		}
		// A preset names no rule any more: it is validated as each rule
		// that starts from one.
		for _, algo := range learner.PresetRules() {
			s, err := learner.Defaults(algo, name)
			if err != nil {
				t.Fatalf("%s, preset %s: %v", algo, name, err)
			}
			if err := learner.Validate(&s, 1<<40); err != nil {
				t.Errorf("preset %s does not validate for %s: %v", name, algo, err)
			}
		}
	}
	for _, algo := range learner.Names() {
		s, err := learner.Defaults(algo, "")
		if err != nil {
			t.Fatalf("%s has no defaults: %v", algo, err)
		}
		if err := learner.Validate(&s, 1<<40); err != nil {
			t.Errorf("the defaults of %s do not validate: %v", algo, err)
		}
	}
	if _, err := settings.Preset("constructor"); err == nil {
		t.Error("Preset(constructor) gave no error")
	}
}

// FuzzParseQuery feeds arbitrary URL queries to the settings parser: it
// must never panic, must always return settings that pass Validate, and
// those settings' own query must parse back to them without error.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "preset=paper", "genes=1e9&pop=abc", "digits=3,8&seed=7&eps=0.5", "preset=x&gense=5",
		"genes=4000000&hidden=10000&beta=0.5", "seed=18446744073709551615", "q=0.0000001&alpha=10", "digits=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s, _ := learner.ParseQuery(q, 1<<30, "autostart", "workers")
		if err := learner.Validate(&s, 1<<30); err != nil {
			t.Fatalf("%q gave invalid settings: %v", raw, err)
		}
		back, errs := learner.ParseQuery(learner.Query(&s), 1<<30)
		if len(errs) > 0 || back != s {
			t.Fatalf("%q: settings %+v do not survive their own query %q: %v", raw, s, learner.Query(&s).Encode(), errs)
		}
		if !slices.Contains(settings.Presets(), s.Preset) {
			t.Fatalf("%q: preset %q", raw, s.Preset)
		}
	})
}
