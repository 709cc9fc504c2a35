package lesson

import (
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var rules = []string{"nne", "sgd", "dnn"}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  *Challenge
		errs  []string // each is in one error, in order
	}{
		{"", nil, nil},
		{"algo=nne&seed=3", nil, nil},
		{"challenge=reach&goal=85&within=2000", &Challenge{Kind: "reach", Goal: 0.85, Within: 2000}, nil},
		{"challenge=reach&goal=85%25&within=2000&rule=sgd", &Challenge{Kind: "reach", Goal: 0.85, Within: 2000, Rule: "sgd"}, nil},
		{"challenge=predict&goal=80", &Challenge{Kind: "predict", Goal: 0.8, By: "seconds"}, nil},
		{"challenge=predict&goal=80&by=steps", &Challenge{Kind: "predict", Goal: 0.8, By: "steps"}, nil},
		{"challenge=draw&goal=80", &Challenge{Kind: "draw", Goal: 0.8, Count: 10}, nil},
		{"challenge=draw&goal=80&count=25&rule=sgd", &Challenge{Kind: "draw", Goal: 0.8, Count: 25, Rule: "sgd"}, nil},
		{"challenge=draw&goal=80&count=0", nil, []string{"count=0: want a whole number of drawings from 1 to 1000", "left out"}},
		{"challenge=reach&goal=80&within=9&count=3", nil, []string{"count= is not a parameter of challenge=reach", "left out"}},
		{"challenge=win", nil, []string{"challenge=win: want reach or predict or draw"}},
		{"challenge=__proto__", nil, []string{"challenge=__proto__: want reach or predict or draw"}},
		{"goal=80", nil, []string{"goal= is a challenge's parameter, but the URL sets no challenge="}},
		{"challenge=reach&within=20", nil, []string{"needs goal=", "left out"}},
		{"challenge=reach&goal=0.85&within=20", nil, []string{"goal=0.85: want a test accuracy in % above 1", "left out"}},
		{"challenge=reach&goal=101&within=20", nil, []string{"goal=101", "left out"}},
		{"challenge=reach&goal=NaN&within=20", nil, []string{"goal=NaN", "left out"}},
		{"challenge=reach&goal=80", nil, []string{"needs within=", "left out"}},
		{"challenge=reach&goal=80&within=0", nil, []string{"within=0: want a whole number of steps from 1 to 10000000", "left out"}},
		{"challenge=reach&goal=80&within=" + strings.Repeat("9", 80), nil, []string{"… (80 characters): want a whole number", "left out"}},
		{"challenge=reach&goal=80&within=9&rule=constructor", nil, []string{"rule=constructor: want one of nne, sgd, dnn", "left out"}},
		{"challenge=reach&goal=80&within=9&by=steps", nil, []string{"by= is not a parameter of challenge=reach; it takes goal, within, rule", "left out"}},
		{"challenge=predict&goal=80&by=minutes", nil, []string{"by=minutes: want seconds or steps", "left out"}},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, errs := Parse(q, rules)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %+v, want %+v", tc.query, got, tc.want)
		}
		if len(errs) != len(tc.errs) {
			t.Errorf("%q: errors %q, want %d", tc.query, errs, len(tc.errs))
			continue
		}
		for i, e := range errs {
			if !strings.Contains(e, tc.errs[i]) {
				t.Errorf("%q: error %q lacks %q", tc.query, e, tc.errs[i])
			}
		}
	}
}

func TestParseLocks(t *testing.T) {
	set := []string{"algo", "genes", "eps", "seed"}
	for _, tc := range []struct {
		v    string
		want Locks
		err  string
	}{
		{"", Locks{}, ""},
		{"reset, open", Locks{Controls: []string{"reset", "open"}}, ""},
		{"genes,eps,genes", Locks{Settings: []string{"genes", "eps"}, Controls: []string{"import"}}, ""},
		{"settings", Locks{Settings: set, Controls: []string{"import"}}, ""},
		{"play,constructor,__proto__,seed", Locks{Settings: []string{"seed"}, Controls: []string{"play", "import"}},
			`lock: unknown "constructor", "__proto__"; want some of settings, play, step, reset, import, open or a setting: algo, genes, eps, seed`},
		{"a,b,c,d,e,play", Locks{Controls: []string{"play"}},
			`lock: unknown "a", "b", "c"; want some of settings, play, step, reset, import, open or a setting: algo, genes, eps, seed`},
	} {
		got, err := ParseLocks(tc.v, set)
		if !reflect.DeepEqual(got, tc.want) || err != tc.err {
			t.Errorf("%q: got %+v %q, want %+v %q", tc.v, got, err, tc.want, tc.err)
		}
		for _, name := range tc.want.Settings {
			if !got.Locked(name) {
				t.Errorf("%q: %s not locked", tc.v, name)
			}
		}
	}
	if (Locks{}).Locked("play") {
		t.Error("no lock locks play")
	}
}

// curve makes marks at steps 100, 200, … with these accuracies, one
// second a step of 100 times perSecond.
func curve(unit string, perSecond float64, acc ...float64) []Mark {
	var m []Mark
	for i, a := range acc {
		m = append(m, Mark{Step: 100 * (i + 1), Unit: unit, Seconds: float64(i+1) / perSecond, Accuracy: a})
	}
	return m
}

func TestReach(t *testing.T) {
	c := &Challenge{Kind: "reach", Goal: 0.8, Within: 300}
	nne := func(done bool, acc ...float64) Run {
		return Run{Label: "nne", Rule: "nne", Unit: "generation", Curve: curve("generation", 1, acc...), Done: done, Hash: "h"}
	}
	for _, tc := range []struct {
		name       string
		c          *Challenge
		runs       []Run
		met, final bool
		score      float64
		text       string
	}{
		{"no point", c, []Run{nne(false)}, false, false, 0, "Not yet: press Play."},
		{"on the way", c, []Run{nne(false, 0.5, 0.6)}, false, false, 0.75, "Not yet: the best so far is 60.0% at generation 200 of 300."},
		{"met at the last step", c, []Run{nne(false, 0.5, 0.6, 0.8)}, true, true, 1, "Met: nne reached 80.0% at generation 300"},
		{"at the last step without", c, []Run{nne(false, 0.5, 0.6, 0.7)}, false, true, 0.875, "Not met: the best by generation 300 was 70.0%"},
		{"met, then lower", c, []Run{nne(false, 0.9, 0.6)}, true, true, 1, "at generation 100"},
		{"too late", c, []Run{nne(false, 0.5, 0.6, 0.7, 0.9)}, false, true, 0.875, "Not met: the best by generation 300 was 70.0% (at 300), short of 80.0%"},
		{"done short", c, []Run{nne(true, 0.5, 0.6)}, false, true, 0.75, "Not met"},
		{"the rule's run", &Challenge{Kind: "reach", Goal: 0.8, Within: 300, Rule: "sgd"},
			[]Run{nne(false, 0.9), {Label: "sgd", Rule: "sgd", Curve: curve("epoch", 1, 0.7)}}, false, false, 0.875, "70.0% at epoch 100"},
		{"no such run", &Challenge{Kind: "reach", Goal: 0.8, Within: 300, Rule: "dnn"}, []Run{nne(false, 0.9)}, false, false, 0, "The race has no dnn run"},
		{"a second phase does not count", c,
			[]Run{{Label: "nne+", Rule: "nne", Unit: "generation", Curve: append(curve("generation", 1, 0.5), Mark{Step: 1, Unit: "epoch", Accuracy: 0.9})}}, false, true, 0.625, "Not met"},
	} {
		got := tc.c.Check(tc.runs, "algo=nne&seed=1", -1)
		if got.Met != tc.met || got.Final != tc.final || got.Score != tc.score || !strings.Contains(got.Text, tc.text) {
			t.Errorf("%s: got met %v final %v score %v %q; want %v %v %v %q", tc.name, got.Met, got.Final, got.Score, got.Text, tc.met, tc.final, tc.score, tc.text)
		}
		if got.Evidence.Query != "algo=nne&seed=1" || len(got.Evidence.Runs) != len(tc.runs) {
			t.Errorf("%s: evidence %+v", tc.name, got.Evidence)
		}
	}
	if task := c.Task([]Run{nne(false)}); task != "Reach 80.0% test accuracy with nne by generation 300. Choose its settings, then press Play." {
		t.Errorf("task %q", task)
	}
}

func TestDraw(t *testing.T) {
	c := &Challenge{Kind: "draw", Goal: 0.8, Count: 10}
	run := func(drawn, right int) []Run {
		return []Run{{Label: "nne", Rule: "nne", Drawn: drawn, DrawnRight: right}, {Label: "sgd", Rule: "sgd", Drawn: drawn, DrawnRight: drawn}}
	}
	for _, tc := range []struct {
		name       string
		c          *Challenge
		runs       []Run
		met, final bool
		score      float64
		text       string
	}{
		{"not scored", c, run(0, 0), false, false, 0, "Not yet: draw your digits with ✎ My digits"},
		{"too few", c, run(5, 5), false, false, 0.5, "Not yet: nne read 5 of your 5 drawings right (100.0%); draw at least 10."},
		{"too many wrong", c, run(10, 6), false, false, 0.75, "Not yet: nne read 6 of your 10 drawings right (60.0%), short of 80.0%."},
		{"met", c, run(12, 10), true, true, 1, "Met: nne read 10 of your 12 drawings right (83.3%)."},
		{"the rule's run", &Challenge{Kind: "draw", Goal: 0.8, Count: 10, Rule: "sgd"}, run(10, 0), true, true, 1, "Met: sgd read 10"},
	} {
		got := tc.c.Check(tc.runs, "", -1)
		if got.Met != tc.met || got.Final != tc.final || got.Score != tc.score || !strings.Contains(got.Text, tc.text) {
			t.Errorf("%s: got met %v final %v score %v %q; want %v %v %v %q", tc.name, got.Met, got.Final, got.Score, got.Text, tc.met, tc.final, tc.score, tc.text)
		}
	}
}

func TestPredict(t *testing.T) {
	secs := &Challenge{Kind: "predict", Goal: 0.8, By: "seconds"}
	steps := &Challenge{Kind: "predict", Goal: 0.8, By: "steps"}
	// a: fast in steps, slow in seconds (a step of 100 takes 2 s);
	// b: one step of 100 a second, passes at step 300, 3 s.
	a := func(done bool, acc ...float64) Run {
		return Run{Label: "a", Rule: "nne", Curve: curve("generation", 0.5, acc...), Done: done}
	}
	b := func(done bool, acc ...float64) Run {
		return Run{Label: "b", Rule: "sgd", Curve: curve("epoch", 1, acc...), Done: done}
	}
	for _, tc := range []struct {
		name       string
		c          *Challenge
		runs       []Run
		predicted  int
		met, final bool
		text       string
	}{
		{"not started", secs, []Run{a(false), b(false)}, -1, false, false, "choose your prediction"},
		// a passed at step 200, 4 s; b is at 3 s without: it may still win.
		{"undecided", secs, []Run{a(false, 0.5, 0.9), b(false, 0.5, 0.6, 0.7)}, 0, false, false, "the race is on, with your prediction, a"},
		{"b later in seconds", secs, []Run{a(false, 0.5, 0.9), b(false, 0.5, 0.6, 0.7, 0.75)}, 0, true, true, "Met: a passed 80.0% first"},
		{"b first in seconds", secs, []Run{a(false, 0.5, 0.6), b(false, 0.5, 0.6, 0.85)}, 0, false, true, "Not met: b passed 80.0% first, not a."},
		{"a first in steps", steps, []Run{a(false, 0.5, 0.9), b(false, 0.5, 0.6, 0.85)}, 0, true, true, "Met: a passed"},
		{"tie in steps", steps, []Run{a(false, 0.9), b(false, 0.85)}, 1, true, true, "Met: a and b passed"},
		{"no prediction", steps, []Run{a(false, 0.9), b(false, 0.5)}, -1, false, true, "no prediction was made"},
		{"the other is done", secs, []Run{a(false, 0.5, 0.5, 0.5, 0.9), b(true, 0.5)}, 1, false, true, "Not met: a passed"},
		{"no winner", secs, []Run{a(true, 0.5), b(true, 0.5)}, 1, false, true, "no run won"},
		{"one run", secs, []Run{a(false, 0.9)}, 0, false, false, "needs a race"},
	} {
		got := tc.c.Check(tc.runs, "", tc.predicted)
		if got.Met != tc.met || got.Final != tc.final || !strings.Contains(got.Text, tc.text) || (got.Score == 1) != tc.met {
			t.Errorf("%s: got met %v final %v score %v %q; want %v %v %q", tc.name, got.Met, got.Final, got.Score, got.Text, tc.met, tc.final, tc.text)
		}
	}
	for _, tc := range []struct {
		i, n    int
		started bool
		want    string
	}{
		{0, 2, false, ""},
		{1, 3, false, ""},
		{0, 1, false, "a race of two runs or more"},
		{2, 2, false, "run 3: want one of the race's 2 runs"},
		{-1, 2, false, "run 0"},
		{0, 2, true, "the race has started"},
	} {
		if got := Predict(tc.i, tc.n, tc.started); !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("Predict(%d, %d, %v) = %q, want %q", tc.i, tc.n, tc.started, got, tc.want)
		}
	}
}

func TestState(t *testing.T) {
	res := &Result{Kind: "reach", Met: true, Score: 1, Evidence: Evidence{Query: "q", Runs: []RunEvidence{{Label: "nne", Step: 3}}}}
	s := State{Query: "algo=nne&seed=2", Prediction: "sgd", Run: []byte{0, 1, 2, 255}, Result: res}
	// The page's round trip, with encoding/json standing in for the
	// browser's JSON.stringify of Map and JSON.parse (the app reads only
	// StateKeys of what JSON.parse gives).
	b, err := json.Marshal(s.Map())
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckStateSize(len(b)); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	got, err := StateFrom(v)
	if err != nil {
		t.Fatal(err)
	}
	if got.Query != s.Query || got.Prediction != s.Prediction || string(got.Run) != string(s.Run) {
		t.Errorf("round trip: %+v, want %+v", got, s)
	}
	// The result's map has the JSON names of Result.
	want, _ := json.Marshal(res)
	have, _ := json.Marshal(res.Map())
	var w, h map[string]any
	json.Unmarshal(want, &w)
	json.Unmarshal(have, &h)
	if !reflect.DeepEqual(w, h) {
		t.Errorf("Result.Map %s, want %s", have, want)
	}
	for _, empty := range []string{"{}", "null"} {
		var v any
		json.Unmarshal([]byte(empty), &v)
		if got, err := StateFrom(v); err != nil || got.Run != nil {
			t.Errorf("%q: %+v %v", empty, got, err)
		}
	}
	for _, tc := range []struct{ str, err string }{
		{"[1]", "not an object"},
		{"3", "not an object"},
		{`{"query": "x"}`, "no nnesim_state"},
		{`{"nnesim_state": 2}`, "version 2, newer"},
		{`{"nnesim_state": 1, "run": "not base64!"}`, "not base64"},
		{`{"nnesim_state": 1, "query": 5}`, "query is not a string"},
		{`{"nnesim_state": 1, "__proto__": {"x": 1}, "constructor": 3}`, ""},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.str), &v); err != nil {
			t.Fatal(err)
		}
		_, err := StateFrom(v)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%.40q: error %v, want %q", tc.str, err, tc.err)
		}
	}
	if err := CheckStateSize(MaxStateBytes + 1); err == nil || !strings.Contains(err.Error(), "over the 64 MB") {
		t.Errorf("a long state: %v", err)
	}
}

// TestControlsInPage checks that the page marks a button or link for
// every control a lesson may lock (data-lock), and no other.
func TestControlsInPage(t *testing.T) {
	b, err := os.ReadFile("../../public/index.html")
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]bool{}
	for _, m := range regexp.MustCompile(`data-lock="([^"]*)"`).FindAllStringSubmatch(string(b), -1) {
		marked[m[1]] = true
	}
	for _, c := range Controls {
		if !marked[c.Name] {
			t.Errorf("no element of index.html has data-lock=%q", c.Name)
		}
		delete(marked, c.Name)
	}
	for name := range marked {
		t.Errorf("index.html has data-lock=%q, which is no lesson.Controls name", name)
	}
}
