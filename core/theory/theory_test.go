package theory

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		query string
		want  func(s Settings) bool
		errs  []string // each a part of one message, in order
	}{
		{"", func(s Settings) bool { return s == Defaults() }, nil},
		{"?dim=20&genes=800&scale=sign&seed=7", func(s Settings) bool { return s.Dim == 20 && s.Genes == 800 && s.Scale == "sign" && s.Seed == 7 }, nil},
		{"genes=0&eps=-1", func(s Settings) bool { return s.Genes == 400 && s.Eps == 2 }, []string{"eps=", "genes=\"0\": want a whole number from 1 to 4000"}},
		{"genes=1e9", func(s Settings) bool { return s.Genes == 400 }, []string{"from 1 to 4000"}},
		{"__proto__=1&constructor=x&dim=3", func(s Settings) bool { return s.Dim == 3 }, []string{"\"__proto__\" is not a setting", "\"constructor\" is not a setting"}},
		{"scale=huge&theme=dark", func(s Settings) bool { return s.Scale == "fanin" }, []string{"want raw, fanin, sign"}},
		{"beta=NaN&norm=2", func(s Settings) bool { return s.Beta == 0.05 && s.Norm == 0.9 }, []string{"beta=", "norm="}},
	} {
		s, errs := Parse(c.query)
		if !c.want(s) {
			t.Errorf("Parse(%q) = %+v", c.query, s)
		}
		if len(errs) != len(c.errs) {
			t.Errorf("Parse(%q): errors %q, want %d", c.query, errs, len(c.errs))
			continue
		}
		for i, e := range c.errs {
			if !strings.Contains(errs[i], e) {
				t.Errorf("Parse(%q): error %q, want it to say %q", c.query, errs[i], e)
			}
		}
	}
}

func TestQueryRoundTrip(t *testing.T) {
	s := Defaults()
	if q := s.Query(); q != "" {
		t.Errorf("the defaults' query is %q, want empty", q)
	}
	s.Genes, s.Scale, s.Eps = 60, "sign", 0.0083
	back, errs := Parse(s.Query())
	if back != s || len(errs) > 0 {
		t.Errorf("%q read back as %+v (%q)", s.Query(), back, errs)
	}
}

// TestRunApproachesTarget: with the defaults, evolution brings W·p to
// point along a (cos past 0.95 in 400 generations, as nnesim linear
// prints) and closer to it, the same for the same seed.
func TestRunApproachesTarget(t *testing.T) {
	s := Defaults()
	s.Generations = 400
	run := func() *Run {
		r, err := New(s)
		if err != nil {
			t.Fatal(err)
		}
		for !r.Done() {
			if err := r.Step(); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	r := run()
	defer r.Close()
	c := r.Curve()
	first, last := c[0], c[len(c)-1]
	if last.Generation != 400 || first.Generation != 0 {
		t.Fatalf("curve from generation %d to %d", first.Generation, last.Generation)
	}
	if !(last.Cos > 0.95 && first.Cos < 0.6 && last.Dist < first.Dist) {
		t.Errorf("cos %.3f → %.3f, distance %.3f → %.3f", first.Cos, last.Cos, first.Dist, last.Dist)
	}
	again := run()
	defer again.Close()
	if again.Now() != r.Now() {
		t.Errorf("the same seed gave %+v and %+v", r.Now(), again.Now())
	}
}

// TestCurveStaysSmall: a long run keeps at most maxPoints points, evenly
// spaced, from generation 0 to the latest kept.
func TestCurveStaysSmall(t *testing.T) {
	s := Defaults()
	s.Dim, s.Genes, s.Pop, s.Batch, s.Examples, s.Eps, s.Generations = 2, 8, 4, 4, 8, 0.5, 5000
	r, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for !r.Done() {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	c := r.Curve()
	if len(c) > maxPoints || len(c) < maxPoints/4 {
		t.Fatalf("%d points", len(c))
	}
	step := c[1].Generation - c[0].Generation
	for i := 1; i < len(c); i++ {
		if c[i].Generation-c[i-1].Generation != step {
			t.Fatalf("points %d and %d are at generations %d and %d, not %d apart", i-1, i, c[i-1].Generation, c[i].Generation, step)
		}
	}
	if c[len(c)-1].Generation != 5000 {
		t.Errorf("the last point is at generation %d", c[len(c)-1].Generation)
	}
}

func TestTooStrongSelectionSaysSo(t *testing.T) {
	s := Defaults()
	s.Eps = 90
	r, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; i < 50 && err == nil; i++ {
		err = r.Step()
	}
	if err == nil || !strings.Contains(err.Error(), "ε") {
		t.Errorf("ε = 90: %v", err)
	}
}

func TestPassed(t *testing.T) {
	if got := Passed(0.4, 0.92); len(got) != 2 || got[0] != 0.5 || got[1] != 0.9 {
		t.Errorf("Passed(0.4, 0.92) = %v", got)
	}
	if got := Passed(0.92, 0.93); len(got) != 0 {
		t.Errorf("Passed(0.92, 0.93) = %v", got)
	}
}

// TestScalesAreNNEs: every scale the form offers is one nne.ParseScale
// reads, and back.
func TestScalesAreNNEs(t *testing.T) {
	for _, name := range Choices()["scale"] {
		s, errs := Parse("scale=" + name)
		if len(errs) > 0 || s.Scale != name {
			t.Errorf("scale=%s: %v", name, errs)
		}
	}
	if len(Choices()["scale"]) != 3 || len(Choices()) != 1 {
		t.Errorf("choices %v", Choices())
	}
}
