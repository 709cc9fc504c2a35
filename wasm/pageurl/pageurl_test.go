package pageurl

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"nnesim/core/learner"
)

var panels = Known{
	Panels: []string{"curve", "pad", "weights"},
	Groups: map[string][]string{"pictures": {"weights"}, "all": {"curve", "pad", "weights"}},
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  Page
		errs  []string // each is in one error, in order
	}{
		{"", Page{Workers: 3}, nil},
		{"preset=quick&seed=4", Page{Workers: 3}, nil},
		{"autostart=1&embed=1&tour=0&workers=16", Page{Autostart: true, Embed: true, Tour: "0", Workers: 16}, nil},
		{"autostart=0&embed=0&tour=1&workers=", Page{Tour: "1", Workers: 3}, nil},
		{"autostart=1&autostart=0", Page{Workers: 3}, nil}, // the last counts
		{"autostart=yes", Page{Workers: 3}, []string{"autostart=yes: want 0 or 1"}},
		{"events=1", Page{Workers: 3, Events: true}, nil},
		{"events=all", Page{Workers: 3}, []string{"events=all: want 0 or 1"}},
		{"embed=2", Page{Workers: 3}, []string{"embed=2: want 0 or 1"}},
		{"tour=maybe", Page{Workers: 3}, []string{"tour=maybe: want 0 (never) or 1 (always)"}},
		{"workers=0", Page{Workers: 3}, []string{"workers=0: want a whole number from 1 to 16; using 3"}},
		{"workers=17", Page{Workers: 3}, []string{"workers=17: want a whole number from 1 to 16"}},
		{"workers=2.5", Page{Workers: 3}, []string{"workers=2.5: want"}},
		{"workers=" + strings.Repeat("9", 100), Page{Workers: 3}, []string{"… (100 characters): want"}},
		{"hide=header, pad,,pictures", Page{Workers: 3, Hide: Hidden{Groups: []string{"header"}, Panels: []string{"pad", "weights"}}}, nil},
		{"hide=constructor,settings", Page{Workers: 3, Hide: Hidden{Groups: []string{"settings"}}},
			[]string{`hide: unknown group "constructor"; want some of header, controls, settings, curve, pad, weights, all, pictures`}},
		{"hide=__proto__&embed=toString", Page{Workers: 3}, []string{"embed=toString: want 0 or 1", `hide: unknown group "__proto__"`}},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, errs := Parse(q, panels, 3)
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

// TestNamesArePageParams checks that Parse reads exactly the parameters
// the run's parser skips as the page's.
func TestNamesArePageParams(t *testing.T) {
	if !reflect.DeepEqual(slices.Sorted(slices.Values(Names)), slices.Sorted(slices.Values(learner.PageParams))) {
		t.Errorf("pageurl.Names %v, learner.PageParams %v", Names, learner.PageParams)
	}
	// Each name is read: a wrong value of it is reported.
	for _, name := range Names {
		_, errs := Parse(url.Values{name: {"wrong"}}, panels, 1)
		if len(errs) != 1 || !strings.HasPrefix(errs[0], name) {
			t.Errorf("%s=wrong: errors %q", name, errs)
		}
	}
}

func TestGroupClasses(t *testing.T) {
	want := map[string]string{"header": "noheader", "controls": "nocontrols", "settings": "nosettings"}
	if got := GroupClasses(); !reflect.DeepEqual(got, want) {
		t.Errorf("GroupClasses() = %v, want %v", got, want)
	}
}
