package pageurl

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
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
		{"data=https://example.org/fashion/&classes=T-shirt, Trouser ,Pullover", Page{Workers: 3, Data: "https://example.org/fashion/", Classes: []string{"T-shirt", "Trouser", "Pullover"}}, nil},
		{"data=kmnist", Page{Workers: 3, Data: "kmnist"}, nil},
		{"data=/data/kmnist/", Page{Workers: 3, Data: "/data/kmnist/"}, nil},
		{"data=javascript:alert(1)", Page{Workers: 3}, []string{"data=javascript:alert(1): want an http or https URL of a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz), or a path on this site; using MNIST"}},
		{"data=http://example.org/fashion/", Page{Workers: 3}, []string{"a folder on another site must be https"}},
		{"data=http://127.0.0.1:8000/kmnist/", Page{Workers: 3, Data: "http://127.0.0.1:8000/kmnist/"}, nil},
		{"data=https:nohost", Page{Workers: 3}, []string{"data=https:nohost: want a URL with its scheme and host"}},
		{"data=//example.org/x", Page{Workers: 3}, []string{"want a URL with its scheme and host"}},
		{"data=" + strings.Repeat("a", 2001), Page{Workers: 3}, []string{"longer than 2000 characters"}},
		{"classes=a,b,c,d,e,f,g,h,i,j,k", Page{Workers: 3}, []string{"classes=a,b,c,d,e,f,g,h,i,j,k: 11 names, want at most 10"}},
		{"classes=a,,c", Page{Workers: 3}, []string{`name 2 is "", want 1 to 24 printable characters`}},
		{"classes=" + strings.Repeat("x", 25), Page{Workers: 3}, []string{"name 1 is"}},
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
		_, errs := Parse(url.Values{name: {"\x00wrong"}}, panels, 1)
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

func TestForData(t *testing.T) {
	for _, tc := range []struct {
		query string
		have  mnist.Digits
		want  string
	}{
		{"digits=0-4&seed=2", mnist.Digits{0, 1, 2, 3, 4}, "digits=0-4&seed=2"},
		{"digits=0-9&seed=2", mnist.Digits{0, 1, 2, 3, 4}, "seed=2"},
		{"digits=3,8", mnist.Digits{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "digits=3%2C8"},
		{"digits=junk", mnist.Digits{0, 1}, ""},
		{"seed=2", mnist.Digits{0, 1}, "seed=2"},
	} {
		q, _ := url.ParseQuery(tc.query)
		ForData(q, tc.have)
		if got := q.Encode(); got != tc.want {
			t.Errorf("%q on %v: %q, want %q", tc.query, tc.have, got, tc.want)
		}
	}
}
