package learner

import (
	"slices"
	"strings"
	"testing"

	"nnesim/core/settings"
)

// TestRegistry checks every rule's entry: the fields every reader relies
// on are set, its parameters exist, its own parameters are its alone and
// fit the slots, its phases stop at a parameter it has, and its defaults
// are valid settings of it.
func TestRegistry(t *testing.T) {
	common := map[string]bool{}
	for _, p := range settings.Params() {
		common[p.Name] = true
	}
	owners := map[string]string{}
	for _, r := range Rules {
		if r.Name == "" || r.Short == "" || r.Title == "" || r.About == "" || r.Defaults == nil || r.Check == nil || r.New == nil || r.Cost == nil || len(r.Phases) == 0 {
			t.Errorf("rule %q: an entry needs a name, short name, title, about, defaults, check, constructor, cost and phases", r.Name)
			continue
		}
		if strings.ContainsAny(r.Name, ",:=& ") {
			t.Errorf("rule %q: a name the race grammar cannot hold", r.Name)
		}
		for _, p := range r.Params {
			if !common[p] {
				t.Errorf("rule %s: parameter %q is not in settings.Params", r.Name, p)
			}
		}
		if len(r.Own) > settings.MaxOwn {
			t.Errorf("rule %s: %d own parameters, at most %d", r.Name, len(r.Own), settings.MaxOwn)
		}
		for _, p := range r.Own {
			if common[p.Name] || p.Name == "algo" || p.Name == "preset" || slices.Contains(PageParams, p.Name) {
				t.Errorf("rule %s: own parameter %q is already a parameter", r.Name, p.Name)
			}
			if o, ok := owners[p.Name]; ok {
				t.Errorf("rule %s: own parameter %q is also %s's", r.Name, p.Name, o)
			}
			owners[p.Name] = r.Name
		}
		for i, ph := range r.Phases {
			if !r.Has(ph.Stop) || (ph.Unit != Generation && ph.Unit != Epoch) {
				t.Errorf("rule %s: phase %d stops at %q in %q", r.Name, i, ph.Stop, ph.Unit)
			}
			if ph.Does == nil {
				t.Errorf("rule %s: phase %d does not say what a step does", r.Name, i)
			} else if s, err := Defaults(r.Name, ""); err != nil || len(ph.Does(&s)) < 20 {
				t.Errorf("rule %s: phase %d's step is %q (%v)", r.Name, i, ph.Does(&s), err)
			}
		}
		if r.From != "" {
			if _, err := RuleOf(r.From); err != nil {
				t.Errorf("rule %s: From %q: %v", r.Name, r.From, err)
			}
		}
		if r.Work != nil && len(r.Costly) == 0 {
			t.Errorf("rule %s: a Work estimate names no Costly parameter", r.Name)
		}
		s, err := Defaults(r.Name, "")
		if err != nil {
			t.Errorf("rule %s: defaults: %v", r.Name, err)
			continue
		}
		if err := Validate(&s, 1<<34); err != nil {
			t.Errorf("rule %s: its defaults are refused: %v", r.Name, err)
		}
		if c := r.Cost(&s, Speeds["go"]); !(c > 0) {
			t.Errorf("rule %s: its defaults cost %v s", r.Name, c)
		}
	}
}
