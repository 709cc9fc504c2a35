package autosave

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// run is run i of tab's race of count runs, saved at ms, with token tok.
func run(tab string, i, count int, tok string, ms float64) Slot {
	return Slot{Key: Key(tab, i), Tab: tab, Index: i, Count: count, Token: tok, Generation: int(ms), SavedAt: ms, Query: "seed=" + tab}
}

func TestChoose(t *testing.T) {
	lock := func(tabs ...string) []string {
		var h []string
		for _, t := range tabs {
			h = append(h, LockPrefix+t)
		}
		return h
	}
	legacy := Slot{Key: "current", Tab: "", Index: 0, Count: 1, Token: "old", SavedAt: 5, Query: "seed=3"}
	for _, c := range []struct {
		name   string
		slots  []Slot
		me     string
		held   []string
		offer  string // the offered race's tab, "-" for none
		keys   []string
		forget []string
	}{
		{name: "empty storage", me: "a", offer: "-"},
		{name: "a reload is offered its own race, not the newer one of a closed tab",
			slots: []Slot{run("a", 0, 1, "t", 10), run("b", 0, 1, "u", 20)}, me: "a", held: lock("a"),
			offer: "a", keys: []string{Key("a", 0)}},
		{name: "two open tabs: each reloaded tab gets its own run",
			slots: []Slot{run("a", 0, 1, "t", 10), run("b", 0, 1, "u", 20)}, me: "b", held: lock("a", "b"),
			offer: "b", keys: []string{Key("b", 0)}},
		{name: "a new tab is never offered an open tab's run",
			slots: []Slot{run("a", 0, 1, "t", 10)}, me: "c", held: lock("a"), offer: "-"},
		{name: "a new tab is offered the latest closed tab's race",
			slots: []Slot{run("a", 0, 1, "t", 10), run("b", 0, 2, "u", 20), run("b", 1, 2, "u", 21)}, me: "c", held: lock("c"),
			offer: "b", keys: []string{Key("b", 0), Key("b", 1)}},
		{name: "a race with a run missing is forgotten, not offered",
			slots: []Slot{run("a", 0, 3, "t", 10), run("a", 2, 3, "t", 10)}, me: "a",
			offer: "-", forget: []string{Key("a", 0), Key("a", 2)}},
		{name: "a slot of an earlier race of the tab is stale",
			slots: []Slot{run("a", 0, 1, "new", 30), run("a", 1, 2, "old", 10), run("a", 2, 3, "older", 5)}, me: "a",
			offer: "a", keys: []string{Key("a", 0)}, forget: []string{Key("a", 1), Key("a", 2)}},
		{name: "an open tab's half-written race is left alone",
			slots: []Slot{run("a", 1, 2, "t", 10)}, me: "c", held: lock("a"), offer: "-"},
		{name: "a slot from before tabs had names is offered to a new tab",
			slots: []Slot{legacy}, me: "c", offer: "", keys: []string{"current"}},
		{name: "absurd counts are refused",
			slots: []Slot{run("a", 0, 0, "t", 1), run("b", 0, 99, "u", 2)}, me: "c",
			offer: "-", forget: []string{Key("a", 0), Key("b", 0)}},
		{name: "past Keep closed races the oldest are forgotten",
			slots: []Slot{run("a", 0, 1, "t", 1), run("b", 0, 1, "t", 2), run("c", 0, 1, "t", 3), run("d", 0, 1, "t", 4), run("e", 0, 1, "t", 5), run("f", 0, 1, "t", 6)},
			me:    "z", offer: "f", keys: []string{Key("f", 0)}, forget: []string{Key("a", 0), Key("b", 0)}},
		{name: "the tab's own race counts among the kept",
			slots: []Slot{run("a", 0, 1, "t", 1), run("b", 0, 1, "t", 2), run("c", 0, 1, "t", 3), run("d", 0, 1, "t", 4), run("z", 0, 1, "t", 0)},
			me:    "z", offer: "z", keys: []string{Key("z", 0)}, forget: []string{Key("a", 0)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Choose(c.slots, c.me, c.held)
			switch {
			case c.offer == "-" && p.Offer != nil:
				t.Errorf("offered %+v, want nothing", p.Offer)
			case c.offer != "-" && p.Offer == nil:
				t.Errorf("offered nothing, want tab %q's race", c.offer)
			case c.offer != "-" && (p.Offer.Tab != c.offer || !reflect.DeepEqual(p.Offer.Keys, c.keys)):
				t.Errorf("offered %+v, want tab %q with keys %v", p.Offer, c.offer, c.keys)
			}
			if p.Offer != nil && (p.Offer.Tab == c.me) == (len(p.Offer.Adopt) > 0) {
				t.Errorf("offer of tab %q to tab %q adopts %v: want another tab's keys, none of its own", p.Offer.Tab, c.me, p.Offer.Adopt)
			}
			if !reflect.DeepEqual(p.Forget, c.forget) {
				t.Errorf("forget %v, want %v", p.Forget, c.forget)
			}
		})
	}
}

func TestOfferSays(t *testing.T) {
	s := []Slot{run("a", 0, 2, "t", 10), run("a", 1, 2, "t", 12)}
	s[0].RaceQuery = "algo=nne,sgd"
	p := Choose(s, "a", nil)
	if p.Offer == nil || p.Offer.Runs != 2 || p.Offer.SavedAt != 12 || p.Offer.Generation != 10 || p.Offer.Query != "algo=nne,sgd" {
		t.Errorf("offer %+v: want 2 runs, saved at the latest slot's time, run 0's generation, the race's query", p.Offer)
	}
}

func TestChooseJSON(t *testing.T) {
	good, _ := json.Marshal(run("a", 0, 1, "t", 10))
	in := `[` + string(good) + `, {"key": "run:b:0", "index": "zero"}, 7, {"tab": "c"}]`
	out, err := ChooseJSON([]byte(in), "a", []string{LockPrefix + "a"})
	if err != nil {
		t.Fatal(err)
	}
	var p Plan
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	if p.Offer == nil || p.Offer.Tab != "a" || !reflect.DeepEqual(p.Forget, []string{"run:b:0"}) {
		t.Errorf("plan %s: want a's run offered and the slot that does not parse forgotten", out)
	}
	for _, bad := range []string{"", "{}", "null x", `{"key": "k"}`} {
		if _, err := ChooseJSON([]byte(bad), "a", nil); err == nil || !strings.Contains(err.Error(), "autosave") {
			t.Errorf("ChooseJSON(%q): err %v, want a clear error", bad, err)
		}
	}
	out, err = ChooseJSON([]byte("[]"), "a", nil)
	if err != nil || string(out) != `{"offer":null,"forget":[]}` {
		t.Errorf("empty storage: %s %v", out, err)
	}
}

func TestValidTab(t *testing.T) {
	for tab, want := range map[string]bool{"k3x.9-a_b": true, "": false, "a:b": false, "__proto__": true,
		strings.Repeat("a", 64): true, strings.Repeat("a", 65): false, "tab ü": false} {
		if ValidTab(tab) != want {
			t.Errorf("ValidTab(%q) = %v", tab, !want)
		}
	}
}

func TestNotice(t *testing.T) {
	for _, tc := range []struct {
		opening       bool
		name, message string
		want          []string
	}{
		{false, "QuotaExceededError", "The quota has been exceeded.", []string{"storage in the browser is full", "Export run keeps the run", "free space"}},
		{true, "SecurityError", "denied", []string{"Autosave is off here", "private window", "Export run"}},
		{true, "", "IndexedDB is not available", []string{"Autosave is off here (no storage)", "Export run"}},
		{false, "AbortError", "The transaction was aborted.", []string{"Autosave failed (AbortError: The transaction was aborted.)", "Export run"}},
		{false, "UnknownError", strings.Repeat("x", 500), []string{"…). Export run"}},
		{false, "", "", []string{"Autosave failed. Export run keeps the run."}},
	} {
		got := Notice(tc.opening, tc.name, tc.message)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("Notice(%v, %q, %.20q) = %q, lacks %q", tc.opening, tc.name, tc.message, got, w)
			}
		}
		if len(got) > 260 {
			t.Errorf("Notice(%v, %q): %d bytes", tc.opening, tc.name, len(got))
		}
	}
}
