package train

import (
	"net/url"
	"strings"
	"testing"

	"nnesim/core/mnist"
)

func TestParseQuery(t *testing.T) {
	const mem = 1 << 30
	quick, _ := Preset("quick")
	paper, _ := Preset("paper")
	for _, tc := range []struct {
		query string
		check func(s Settings) bool
		errs  []string // substrings, one per expected error, in order
	}{
		{"", func(s Settings) bool { return s == quick }, nil},
		{"preset=paper", func(s Settings) bool { return s == paper }, nil},
		{"preset=paper&genes=300&seed=7&digits=3,8", func(s Settings) bool {
			return s.Hidden == 1000 && s.Genes == 300 && s.Seed == 7 && s.Digits == "3,8"
		}, nil},
		{"genes=1e3", func(s Settings) bool { return s.Genes == 1000 }, nil},
		{"digits=0-3,9", func(s Settings) bool { return s.Digits == "0-3,9" }, nil},
		{"preset=huge", func(s Settings) bool { return s == quick }, []string{"preset=huge: want one of quick, quick10, demo, paper"}},
		{"genes=1000000000&pop=1e9", func(s Settings) bool { return s == quick }, []string{"genes=1000000000: out of range; want 1 to 4194304", "pop=1e9: out of range; want 2 to 1048576"}},
		{"genes=abc&seed=3", func(s Settings) bool { return s.Genes == quick.Genes && s.Seed == 3 }, []string{"genes=abc: not a whole number"}},
		{"eps=-1&beta=0&hidden=0.5", func(s Settings) bool { return s == quick }, []string{"hidden=0.5: not a whole number", "eps=-1: out of range", "beta=0: out of range"}},
		{"seed=-1", func(s Settings) bool { return s.Seed == 1 }, []string{"seed=-1: want a whole number"}},
		{"algo=backprop&digits=5", func(s Settings) bool { return s == quick }, []string{"algo=backprop: unknown rule", "digits=5"}},
		{"gense=10&autostart=1", func(s Settings) bool { return s == quick }, []string{"gense: unknown parameter"}},
		// Each value is in range, but together they need too much memory.
		{"genes=4000000&hidden=10000&beta=0.5&seed=9", func(s Settings) bool { return s == quick }, []string{"GiB"}},
		// A repeated parameter counts once, its last value, and is reported.
		{"seed=1&seed=2", func(s Settings) bool { return s.Seed == 2 }, []string{"seed is given 2 times; the last, seed=2, counts"}},
		{"preset=quick&preset=paper", func(s Settings) bool { return s == paper }, []string{"preset is given 2 times; the last, preset=paper, counts"}},
		// Hostile names and values: reported, clipped, never a crash.
		{"constructor=1&__proto__=2&hidden=50", func(s Settings) bool { return s.Hidden == 50 }, []string{"__proto__: unknown parameter", "constructor: unknown parameter"}},
		{"preset=__proto__", func(s Settings) bool { return s == quick }, []string{"preset=__proto__: want one of"}},
		// The fitness: the paper's in every preset but quick10, ours on request.
		{"preset=quick10", func(s Settings) bool {
			return s.Fitness == "outrank" && s.Digits == "0-9" && s.Genes == 8000 && s.Beta == 0.00125 && s.Pop == 200 && s.PerDigit == 300
		}, nil},
		{"fitness=outrank", func(s Settings) bool {
			return quick.Fitness == "paper" && s.Fitness == "outrank" && s.Genes == quick.Genes
		}, nil},
		{"preset=quick10&fitness=paper", func(s Settings) bool { return s.Fitness == "paper" && s.Genes == 8000 }, nil},
		{"algo=nne-signsgd&preset=quick10", func(s Settings) bool { return s.Fitness == "outrank" && s.LR == 1e-3 && s.Epochs == 8 }, nil},
		{"algo=nne-signsgd&preset=demo", func(s Settings) bool { return s.LR == DefaultSignStep }, nil},
		{"fitness=constructor&seed=4", func(s Settings) bool { return s.Fitness == "paper" && s.Seed == 4 }, []string{"fitness=constructor: want one of paper, outrank"}},
		{"algo=dnn&fitness=outrank", func(s Settings) bool { return s.Algo == "dnn" }, []string{"fitness: not a setting of dnn"}},
		{"seed=" + strings.Repeat("7", 100000), func(s Settings) bool { return s.Seed == 1 }, []string{"seed=777777777777777777777777… (100000 characters): too long"}},
		{"digits=" + strings.Repeat("0,", 50000), func(s Settings) bool { return s == quick }, []string{"(100000 characters): too long"}},
		{strings.Repeat("x", 100000) + "=1", func(s Settings) bool { return s == quick }, []string{"xxxxxxxxxxxxxxxxxxxxxxxx… (100000 characters): unknown parameter"}},
		// Every rule through the one table, with its own defaults.
		{"algo=dnn&epochs=5&seed=3", func(s Settings) bool {
			return s.Algo == "dnn" && s.Epochs == 5 && s.Seed == 3 && s.Hidden == 1000 && s.Digits == "0-9" && s.DNNRule == "reward" && s.Preset == ""
		}, nil},
		{"algo=sgd", func(s Settings) bool { return s.Net == "sparse" && s.LR == 1e-3 && s.Epochs == 100 }, nil},
		{"algo=signsgd&net=sparse&lr=0.01", func(s Settings) bool { return s.Net == "sparse" && s.LR == 0.01 }, nil},
		{"algo=nne-signsgd&epochs=3", func(s Settings) bool {
			return s.Preset == "quick" && s.Genes == quick.Genes && s.Epochs == 3 && s.LR == 3e-2
		}, nil},
		{"algo=dnn&dnn-rule=printed&fire-gate=true", func(s Settings) bool { return s.DNNRule == "printed" && s.FireGate }, nil},
		{"algo=dnn&genes=10&fire-gate=maybe", func(s Settings) bool { return s.Algo == "dnn" && !s.FireGate }, []string{"genes: not a setting of dnn (its settings: algo, digits", "fire-gate=maybe: want true or false"}},
		{"algo=dnn&preset=quick", func(s Settings) bool { return s.Algo == "dnn" }, []string{"preset=quick: presets are NNE settings; dnn has none"}},
		{"epochs=4", func(s Settings) bool { return s == quick }, []string{"epochs: not a setting of nne"}},
		{"algo=sgd&hidden=100000", func(s Settings) bool { return s.Algo == "sgd" && s.Hidden == 100 || s.Hidden == 1000 }, []string{"GiB"}},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		s, errs := ParseQuery(q, mem, "autostart")
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
	s, _ := Preset("paper")
	s.Genes, s.Eps, s.Seed, s.Digits, s.Scale = 1234, 0.3, 1<<63+5, "2,4,6", "fanin"
	q := s.Query()
	if got := q.Encode(); got != "digits=2%2C4%2C6&eps=0.3&genes=1234&preset=paper&scale=fanin&seed=9223372036854775813" {
		t.Errorf("query %s", got)
	}
	back, errs := ParseQuery(q, 1<<30)
	if len(errs) > 0 || back != s {
		t.Errorf("round trip: %+v, errors %v; want %+v", back, errs, s)
	}
	// Every rule's settings survive the round trip.
	for _, algo := range Algos {
		s, err := Defaults(algo, "")
		if err != nil {
			t.Fatal(err)
		}
		s.Seed, s.Hidden = 77, 64
		if rule, _ := RuleOf(algo); rule.Lifetime {
			s.Epochs, s.LR = 3, 0.5
		}
		if algo == "dnn" {
			s.Explore = 0.25
		}
		q := s.Query()
		if (q.Get("algo") != "") != (algo != "nne") {
			t.Errorf("%s: query %s", algo, q.Encode())
		}
		back, errs := ParseQuery(q, 1<<30)
		if len(errs) > 0 || back != s {
			t.Errorf("%s: round trip of %s: %+v, errors %v; want %+v", algo, q.Encode(), back, errs, s)
		}
	}
}

// TestParamsOnePerFlag checks the one parameter table: every name once,
// each rule's parameters those its run reads.
func TestParamsOnePerFlag(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Params() {
		if seen[p.Name] {
			t.Errorf("parameter %s is listed twice", p.Name)
		}
		if p.Titles != nil && len(p.Titles) != len(p.Choices) {
			t.Errorf("parameter %s: %d titles for %d choices", p.Name, len(p.Titles), len(p.Choices))
		}
		seen[p.Name] = true
		for _, r := range p.Rules {
			if _, err := RuleOf(r); err != nil {
				t.Errorf("parameter %s names %v", p.Name, err)
			}
		}
	}
	names := func(algo string) string {
		var n []string
		for _, p := range RuleParams(algo) {
			n = append(n, p.Name)
		}
		return strings.Join(n, ",")
	}
	for algo, want := range map[string]string{
		"nne":         "algo,digits,per-digit,hidden,q,genes,pop,batch,eps,beta,alpha,fitness,scale,generations,seed,eval-every",
		"nne-signsgd": "algo,digits,per-digit,hidden,q,genes,pop,batch,eps,beta,alpha,fitness,scale,generations,epochs,lr,seed,eval-every",
		"dnn":         "algo,digits,per-digit,hidden,q,batch,net,epochs,lr,dnn-rule,fire-gate,eps0,eps1,explore,seed,eval-every",
		"sgd":         "algo,digits,per-digit,hidden,q,batch,net,epochs,lr,seed,eval-every",
	} {
		if got := names(algo); got != want {
			t.Errorf("%s: parameters %s, want %s", algo, got, want)
		}
	}
}

// loadPool reads MNIST and returns the browser's training pool and the
// test set.
func loadPool(tb testing.TB) (pool, test *mnist.Set) {
	tb.Helper()
	pool, test, err := mnist.LoadPool("")
	if err != nil {
		tb.Fatal(err)
	}
	return pool, test
}

func TestRun(t *testing.T) {
	pool, test := loadPool(t)
	s, _ := Preset("quick")
	s.Digits, s.Generations, s.Threads = "3,8", 100, 2
	r, err := New(s, pool, test, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Train.Len() != 400 || r.Test.Len() != 1984 { // 1010 threes and 974 eights in the test set
		t.Errorf("%d training and %d test images, want 400 and 1984", r.Train.Len(), r.Test.Len())
	}
	for !r.Done() {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	pt := r.Evaluate(1)
	if pt.Step != 100 || pt.TestAccuracy < 0.8 {
		t.Errorf("after %d generations: test accuracy %.3f, want ≥ 0.8 (3 vs 8; chance 0.5)", pt.Step, pt.TestAccuracy)
	}
	var total, diag int32
	for y := range 2 {
		for p := range 2 {
			total += r.Confusion[y*2+p]
			if y == p {
				diag += r.Confusion[y*2+p]
			}
		}
	}
	if int(total) != r.Test.Len() || float64(diag)/float64(total) != pt.TestAccuracy {
		t.Errorf("confusion %v: total %d, diagonal %d; want %d and accuracy %v", r.Confusion, total, diag, r.Test.Len(), pt.TestAccuracy)
	}
	if h := AllelesHash(r.Pop.P); len(h) != 64 || h == AllelesHash(make([]float32, len(r.Pop.P))) {
		t.Errorf("alleles hash %q", h)
	}
}

// TestPresets checks every preset, the default among them, against
// Validate: ParseQuery and Query fall back on DefaultPreset without
// looking at the error.
func TestPresets(t *testing.T) {
	if _, err := Preset(DefaultPreset); err != nil {
		t.Fatalf("the default preset: %v", err)
	}
	for _, name := range Presets() {
		s, err := Preset(name)
		if err != nil {
			t.Fatalf("preset %s: %v", name, err)
		}
		if err := s.Validate(1 << 40); err != nil {
			t.Errorf("preset %s does not validate: %v", name, err)
		}
	}
	if _, err := Preset("constructor"); err == nil {
		t.Error("Preset(constructor) gave no error")
	}
}

// TestCheckBrowserTime checks the work bound of the page: the presets
// pass with one worker, a population of a million does not, the SIMD
// kernel's estimate lets through what the portable one's refuses, and
// the message gives the estimate and what to lower.
func TestCheckBrowserTime(t *testing.T) {
	for _, tc := range []struct {
		preset  string
		change  func(*Settings)
		workers int
		simd    bool
		want    string // "" for accepted
	}{
		{"quick", func(*Settings) {}, 1, false, ""},
		{"demo", func(*Settings) {}, 1, false, ""},
		{"paper", func(*Settings) {}, 1, false, ""},
		{"paper", func(*Settings) {}, 1, true, ""},
		{"quick", func(s *Settings) { s.Pop = 1048576 }, 1, false, "would take about 4 min per generation here with 1 worker"},
		{"quick", func(s *Settings) { s.Pop = 1048576 }, 1, true, "would take about 78 s per generation here with 1 worker"},
		{"quick", func(s *Settings) { s.Pop = 500000 }, 1, false, "would take about 107 s per generation"},
		{"quick", func(s *Settings) { s.Pop = 500000 }, 1, true, ""},
		{"quick", func(s *Settings) { s.Pop = 1048576 }, 16, false, ""},
		{"paper", func(s *Settings) { s.Pop = 100000 }, 2, true, "lower pop, batch, hidden or genes"},
	} {
		s, _ := Preset(tc.preset)
		tc.change(&s)
		err := s.CheckBrowserTime(tc.workers, tc.simd)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s pop=%d, %d workers, simd %v: refused: %v", tc.preset, s.Pop, tc.workers, tc.simd, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s pop=%d, %d workers, simd %v: error %v, want one containing %q", tc.preset, s.Pop, tc.workers, tc.simd, err, tc.want)
		}
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"0-4", "0-4"},
		{strings.Repeat("a", 48), strings.Repeat("a", 48)},
		{strings.Repeat("a", 49), strings.Repeat("a", 24) + "… (49 characters)"},
		{strings.Repeat("é", 60), strings.Repeat("é", 24) + "… (60 characters)"},
	} {
		if got := Clip(tc.in); got != tc.want {
			t.Errorf("Clip(%d characters) = %q, want %q", len(tc.in), got, tc.want)
		}
	}
}
