package race

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"nnesim/core/learner"
)

func TestParseRace(t *testing.T) {
	const mem = 1 << 30
	dnn, _ := learner.Defaults("dnn", "")
	sgd, _ := learner.Defaults("sgd", "")
	quick, _ := learner.Defaults("nne", "")
	for _, tc := range []struct {
		query  string
		algos  []string
		check  func(r Race) bool
		labels []string
		errs   []string // substrings, one per error, in order
	}{
		{"algo=nne,dnn,sgd&digits=0-4&seed=3", []string{"nne", "dnn", "sgd"}, func(r Race) bool {
			for _, s := range r.Runs {
				if s.Digits != "0-4" || s.Seed != 3 {
					return false
				}
			}
			return r.Runs[1].LR == dnn.LR && r.Runs[2].LR == sgd.LR && r.Runs[0].Genes == quick.Genes
		}, []string{"nne", "dnn", "sgd"}, nil},
		// A setting applies to every run it is a setting of.
		{"algo=nne,nne-signsgd,dnn&lr=0.05&genes=500", []string{"nne", "nne-signsgd", "dnn"}, func(r Race) bool {
			return r.Runs[0].Genes == 500 && r.Runs[1].Genes == 500 && r.Runs[1].LR == 0.05 && r.Runs[2].LR == 0.05
		}, nil, nil},
		// An entry's own settings apply to its run alone; a rule races itself.
		{"algo=dnn:lr=0.1:explore=0,sgd,sgd:net=dense", []string{"dnn", "sgd", "sgd"}, func(r Race) bool {
			return r.Runs[0].LR == 0.1 && r.Runs[0].Explore == 0 && r.Runs[1].Net == "sparse" && r.Runs[2].Net == "dense"
		}, []string{"dnn lr=0.1", "sgd", "sgd dense"}, nil},
		{"algo=nne:preset=demo,nne-signsgd", []string{"nne", "nne-signsgd"}, func(r Race) bool {
			return r.Runs[0].Preset == "demo" && r.Runs[1].Preset == "quick"
		}, nil, nil},
		// One rule is ParseQuery's run.
		{"algo=dnn&lr=0.3", []string{"dnn"}, func(r Race) bool { return r.Runs[0].LR == 0.3 }, []string{"dnn"}, nil},
		{"algo=dnn,sgd&genes=100", []string{"dnn", "sgd"}, nil, nil, []string{"genes: not a setting of any rule in the race (dnn, sgd)"}},
		{"algo=dnn,sgd&preset=demo", []string{"dnn", "sgd"}, nil, nil, []string{"preset: not a setting of any rule in the race"}},
		{"algo=nne,dnn:digits=0-4", []string{"nne"}, nil, nil, []string{"digits is shared by every run of a race; set it once"}},
		{"algo=nne,dnn:genes=5,sgd:bogus=1,sgd:lr", []string{"nne"}, nil, nil, []string{"genes is not a setting of dnn", "bogus is not a setting", `"lr" is not name=value`}},
		{"algo=nne,backprop", []string{"nne"}, nil, nil, []string{"algo=backprop: unknown rule"}},
		{"algo=nne,nne", []string{"nne"}, nil, nil, []string{"algo entries 1 and 2 are the same run (nne)"}},
		{"algo=,,", []string{"nne"}, nil, nil, []string{"names no rule to run"}},
		// A shared parameter's error is said once; a run's own, with its name.
		{"algo=nne,dnn&seed=abc", []string{"nne", "dnn"}, nil, nil, []string{"seed=abc: want a whole number"}},
		{"algo=nne,dnn:lr=-1", []string{"nne", "dnn"}, func(r Race) bool { return r.Runs[1].LR == dnn.LR }, nil, []string{"dnn: lr=-1: out of range"}},
		{"algo=nne,dnn&__proto__=1", []string{"nne", "dnn"}, nil, nil, []string{"__proto__: unknown parameter"}},
		{"algo=" + strings.Repeat("dnn:lr=0.1,", 3) + "nne,sgd,signsgd,nne-signsgd,dnn,sgd:net=dense,signsgd:net=sparse,nne:genes=99", nil, nil, nil, []string{"a race has at most 8", "same run", "same run"}},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		// The old ParseRace(q, mem, 0, …): one copy of each run.
		r, errs := Parse(q, Even(mem), "autostart")
		if tc.algos != nil && !slices.Equal(r.Algos(), tc.algos) {
			t.Errorf("%s: runs %v, want %v", tc.query, r.Algos(), tc.algos)
		}
		if tc.check != nil && !tc.check(r) {
			t.Errorf("%s: wrong settings %+v", tc.query, r.Runs)
		}
		if tc.labels != nil && !slices.Equal(r.Labels(), tc.labels) {
			t.Errorf("%s: labels %q, want %q", tc.query, r.Labels(), tc.labels)
		}
		if len(errs) != len(tc.errs) {
			t.Errorf("%s: errors %v, want %d", tc.query, errs, len(tc.errs))
			continue
		}
		for i, e := range errs {
			if !strings.Contains(e.Error(), tc.errs[i]) {
				t.Errorf("%s: error %d %q, want it to contain %q", tc.query, i, e, tc.errs[i])
			}
		}
		// The canonical query reads back to the same race.
		if len(errs) == 0 {
			back, errs := Parse(r.Query(), Even(mem))
			if len(errs) > 0 || !reflect.DeepEqual(back, r) {
				t.Errorf("%s: Query %s reads back as %+v (%v)", tc.query, r.Query().Encode(), back.Runs, errs)
			}
		}
	}
}

func TestRaceQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"algo=nne,dnn,sgd&digits=0-4&seed=3", "algo=nne,dnn,sgd&digits=0-4&preset=quick&seed=3"},
		{"algo=dnn:lr=0.1,sgd", "algo=dnn:lr=0.1,sgd&digits=&epochs="},
		{"algo=sgd:net=dense,sgd", "algo=sgd:net=dense,sgd"},
		{"algo=nne,nne-signsgd,dnn&lr=0.05", "algo=nne,nne-signsgd,dnn&lr=0.05&preset=quick"},
	} {
		q, _ := url.ParseQuery(tc.in)
		r, errs := Parse(q, Even(1<<30))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tc.in, errs)
		}
		got := r.Query()
		// Compare as values: only the listed parameters, whatever order.
		want, _ := url.ParseQuery(tc.want)
		for k := range want {
			if got.Get(k) != want.Get(k) {
				t.Errorf("%s: Query %s, want %s=%s", tc.in, got.Encode(), k, want.Get(k))
			}
		}
	}
}

// TestEdit checks the race a settings form makes: the runs kept keep
// their own settings, entry's own ones included; a rule added starts from
// its defaults on the race's task with the race's common settings, but no
// entry's own setting leaks into it; a value typed is every run's that
// has it, an empty one is each run's default; a rule dropped takes its
// settings with it.
func TestEdit(t *testing.T) {
	const mem = 1 << 30
	parse := func(q url.Values) Race {
		t.Helper()
		r, errs := Parse(q, Even(mem))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", q.Encode(), errs)
		}
		return r
	}
	cur := parse(url.Values{"algo": {"nne,sgd:lr=0.01,sgd:net=dense"}, "hidden": {"60"}, "digits": {"0-9"}, "seed": {"4"}}).Query()
	for _, tc := range []struct {
		name  string
		algos []string
		set   url.Values
		check func(r Race) string
	}{
		{"add a rule", []string{"nne", "sgd", "sgd", "signsgd"}, nil, func(r Race) string {
			sign, _ := learner.Defaults("signsgd", "")
			switch {
			case len(r.Runs) != 4 || r.Runs[2].Net != "dense" || r.Runs[1].Net != "sparse" || r.Runs[1].LR != 0.01 || r.Runs[2].LR != 0.001:
				return "the kept runs changed"
			case r.Runs[3].LR != sign.LR || r.Runs[3].Net != sign.Net:
				return "an sgd entry's own lr or net leaked into signsgd"
			case r.Runs[3].Digits != "0-9" || r.Runs[3].Seed != 4 || r.Runs[3].Hidden != 60:
				return "signsgd is not on the race's task with its common settings"
			}
			return ""
		}},
		{"type a value", []string{"nne", "sgd", "sgd"}, url.Values{"lr": {"0.02"}, "seed": {"9"}}, func(r Race) string {
			if r.Runs[1].LR != 0.02 || r.Runs[2].LR != 0.02 || r.Runs[2].Net != "dense" || r.Runs[0].Seed != 9 || r.Runs[2].Seed != 9 {
				return "a typed value is not every run's"
			}
			return ""
		}},
		{"clear a value", []string{"sgd"}, url.Values{"lr": {""}}, func(r Race) string {
			def, _ := learner.Defaults("sgd", "")
			if len(r.Runs) != 1 || r.Runs[0].LR != def.LR {
				return "an empty value is not the default"
			}
			return ""
		}},
		{"drop a rule", []string{"nne"}, url.Values{"lr": {"0.5"}}, func(r Race) string {
			if len(r.Runs) != 1 || r.Runs[0].Algo != "nne" || r.Runs[0].Hidden != 60 {
				return "the dropped rules run, or NNE lost the race's hidden"
			}
			return ""
		}},
	} {
		q, errs := Edit(cur, tc.algos, tc.set)
		if len(errs) > 0 {
			t.Errorf("%s: %v", tc.name, errs)
			continue
		}
		if msg := tc.check(parse(q)); msg != "" {
			t.Errorf("%s: %s (%s)", tc.name, msg, q.Encode())
		}
	}
	if _, errs := Edit(cur, []string{"bogus"}, nil); len(errs) != 2 {
		t.Errorf("an unknown rule alone: %v", errs)
	}
}
