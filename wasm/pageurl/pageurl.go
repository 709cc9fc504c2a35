// Package pageurl reads the page's own URL parameters (learner.PageParams,
// those of the page rather than of a run): what each one means, the
// values it takes, and the message for a wrong one, in pure Go so that
// it is tested natively.
//
// The page's scripts only look values up (names.js gives them Groups):
// shell.js folds the page groups that hide= names away before any wasm
// has loaded, and the canvas app checks the whole query with Parse when
// the race is configured, so that every wrong page parameter is named
// beside the run's own errors.
package pageurl

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"nnesim/core/mnist"
	"nnesim/core/settings"
	"nnesim/wasm/lesson"
)

// MaxWorkers is the most workers a page's race may share (workers=).
const MaxWorkers = 16

// SnippetFrame is how the page's Embed snippet and the lesson builder
// frame the simulator on a course page (names.js carries it).
type SnippetFrame struct {
	// Sandbox lets the frame's "Open in nnesim ↗" open a normal tab
	// (allow-popups, allow-popups-to-escape-sandbox) and its Export run
	// download the run (allow-downloads); the page works without
	// allow-same-origin.
	Sandbox string `json:"sandbox"`
	Title   string `json:"title"`
	Width   int    `json:"width"`
	// BarHeight is the embed's play bar in CSS pixels (style.css
	// body.embed #controls), added to the panels' height.
	BarHeight int `json:"barHeight"`
}

// Snippet is the frame of the Embed snippet.
var Snippet = SnippetFrame{
	Sandbox:   "allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads",
	Title:     "nnesim: a neural network learns MNIST by evolution",
	Width:     960,
	BarHeight: 48,
}

// Groups are the parts of the page that hide= can leave out, in the
// order the page shows them.
var Groups = []string{"header", "controls", "settings"}

// GroupClasses maps each of Groups to the class shell.js puts on the
// page's body to leave it out (names.js carries it).
func GroupClasses() map[string]string {
	m := make(map[string]string, len(Groups))
	for _, g := range Groups {
		m[g] = "no" + g
	}
	return m
}

// Page is what the page's own parameters ask for.
type Page struct {
	// Autostart plays the race once it is ready (autostart=1).
	Autostart bool
	// Embed lays the page out for a course page's frame (embed=1).
	Embed bool
	// Workers is how many workers the race shares (workers=); the
	// default given to Parse when the URL names none or a wrong number.
	Workers int
	// Tour is "1" to show the first-visit tour even after it was seen or
	// in an embed, "0" never to show it, and "" for the default.
	Tour string
	// Hide is what hide= leaves out: Groups of the page, and the canvas
	// panels it names (a panel group stands for its panels).
	Hide Hidden
	// Handoff marks a tab that an embed's "Open in nnesim ↗" opened
	// (handoff=1): the embed sends it its run, which it continues.
	Handoff bool
	// Challenge is the course's challenge (challenge= and its
	// parameters, lesson.Parse), nil for none.
	Challenge *lesson.Challenge
	// Locks are the settings and controls lock= fixes (lesson.ParseLocks).
	Locks lesson.Locks
	// Events streams the student's actions to the course page as
	// nnesim:event messages (events=1; off unless the host asks).
	Events bool
	// Data is the folder of another dataset's four IDX files (data=, a
	// URL: http or https, or a path on this site), "" for MNIST.
	Data string
	// Classes are the names of the dataset's labels 0, 1, … (classes=, a
	// comma-separated list), nil for none.
	Classes []string
}

// Limits of data= and classes=.
const (
	MaxDataURL   = 2000 // characters of data=
	MaxClassName = 24   // characters of one name of classes=
)

// Hidden is what hide= leaves out.
type Hidden struct {
	Groups []string `json:"groups"`
	Panels []string `json:"panels"`
}

// Known are the names the page's parameters may take, given by the
// caller: the canvas's panels, which hide= may also name, and their
// groups (render.PanelNames and render.PanelGroups, since this package
// does not draw); the rules a challenge's rule= may name and the
// settings lock= may name (learner.Names, learner.Params, through
// names.js, since the canvas app does not link the rules).
type Known struct {
	Panels   []string
	Groups   map[string][]string
	Rules    []string
	Settings []string
}

// Parse reads the page's parameters of q. A wrong value is reported, in
// words that name the parameter, quote the value (clipped,
// settings.Clip) and say what it takes, and its default is used;
// defaultWorkers is the tab's. Parameters of the run are left to
// learner.ParseQuery.
func Parse(q url.Values, known Known, defaultWorkers int) (Page, []string) {
	p := Page{Workers: defaultWorkers}
	var errs []string
	get := func(name string) (string, bool) {
		vs, ok := q[name]
		if !ok || len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true // the last counts, as for the run's
	}
	flag := func(name string) bool {
		v, ok := get(name)
		if !ok || v == "0" {
			return false
		}
		if v == "1" {
			return true
		}
		errs = append(errs, name+"="+settings.Clip(v)+": want 0 or 1")
		return false
	}
	p.Autostart = flag("autostart")
	p.Embed = flag("embed")
	p.Handoff = flag("handoff")
	p.Events = flag("events")
	if v, ok := get("tour"); ok {
		if v == "0" || v == "1" {
			p.Tour = v
		} else {
			errs = append(errs, "tour="+settings.Clip(v)+": want 0 (never) or 1 (always)")
		}
	}
	if v, ok := get("workers"); ok && v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 1 || k > MaxWorkers {
			errs = append(errs, fmt.Sprintf("workers=%s: want a whole number from 1 to %d; using %d", settings.Clip(v), MaxWorkers, defaultWorkers))
		} else {
			p.Workers = k
		}
	}
	if v, ok := get("hide"); ok {
		var err string
		p.Hide, err = hidden(v, known)
		if err != "" {
			errs = append(errs, err)
		}
	}
	if v, ok := get("data"); ok && v != "" {
		var err string
		if p.Data, err = dataURL(v); err != "" {
			errs = append(errs, err)
		}
	}
	if v, ok := get("classes"); ok && v != "" {
		var err string
		if p.Classes, err = classNames(v); err != "" {
			errs = append(errs, err)
		}
	}
	var cerrs []string
	p.Challenge, cerrs = lesson.Parse(q, known.Rules)
	errs = append(errs, cerrs...)
	if v, ok := get(lesson.LockParam); ok {
		var err string
		if p.Locks, err = lesson.ParseLocks(v, known.Settings); err != "" {
			errs = append(errs, err)
		}
	}
	return p, errs
}

// dataURL checks data=v: a URL of http or https, or a path (relative to
// the page, or from the site's root), of at most MaxDataURL characters.
func dataURL(v string) (string, string) {
	bad := func(why string) (string, string) {
		return "", "data=" + settings.Clip(v) + ": " + why + "; using MNIST"
	}
	if len(v) > MaxDataURL {
		return bad(fmt.Sprintf("longer than %d characters", MaxDataURL))
	}
	u, err := url.Parse(v)
	if err != nil {
		return bad("not a URL (" + settings.Clip(err.Error()) + ")")
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return bad("want an http or https URL of a folder holding " + strings.Join(DataFiles, ", ") + " (raw or .gz), or a path on this site")
	}
	if u.Scheme != "" && u.Host == "" || u.Scheme == "" && u.Host != "" {
		return bad("want a URL with its scheme and host, or a path on this site")
	}
	if h := u.Hostname(); u.Scheme == "http" && h != "127.0.0.1" && h != "localhost" {
		return bad("a folder on another site must be https (or a path on this site)")
	}
	return v, ""
}

// DataFiles are the standard names of a dataset folder's four IDX files,
// which data= must hold, each raw or .gz.
var DataFiles = []string{mnist.TrainImagesName, mnist.TrainLabelsName, mnist.TestImagesName, mnist.TestLabelsName}

// classNames reads classes=v: at most ten names, each of 1 to
// MaxClassName characters, comma-separated.
func classNames(v string) ([]string, string) {
	names := strings.Split(v, ",")
	if len(names) > 10 {
		return nil, fmt.Sprintf("classes=%s: %d names, want at most 10 (one for each label 0, 1, …)", settings.Clip(v), len(names))
	}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || utf8.RuneCountInString(n) > MaxClassName || strings.ContainsFunc(n, unicode.IsControl) {
			return nil, fmt.Sprintf("classes=%s: name %d is %q, want 1 to %d printable characters", settings.Clip(v), i+1, settings.Clip(n), MaxClassName)
		}
		names[i] = n
	}
	return names, ""
}

// hidden reads hide=v, a comma-separated list; a name it does not know
// is reported (the first one) and left out.
func hidden(v string, panels Known) (Hidden, string) {
	var h Hidden
	var bad string
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case slices.Contains(Groups, name):
			h.Groups = append(h.Groups, name)
		case panels.Groups[name] != nil:
			h.Panels = append(h.Panels, panels.Groups[name]...)
		case slices.Contains(panels.Panels, name):
			h.Panels = append(h.Panels, name)
		case bad == "":
			bad = name
		}
	}
	if bad == "" {
		return h, ""
	}
	want := slices.Concat(Groups, panels.Panels)
	want = append(want, slices.Sorted(maps.Keys(panels.Groups))...)
	return h, `hide: unknown group "` + settings.Clip(bad) + `"; want some of ` + strings.Join(want, ", ")
}

// Names are the parameters Parse reads; they are learner.PageParams (a
// test checks it), which the run's parser skips.
var Names = append([]string{"autostart", "embed", "tour", "workers", "hide", "handoff", "events", lesson.LockParam, "data", "classes"}, lesson.Params...)

// ForData fits a query's run to a dataset that holds the classes have:
// digits= stays when the data holds every digit it names, and is dropped
// otherwise, so that the run learns the classes the data holds
// (learner.DigitsOfData). It reports whether it dropped it.
func ForData(q url.Values, have mnist.Digits) bool {
	v := q.Get("digits")
	if v == "" {
		return false
	}
	if d, err := mnist.ParseDigits(v); err == nil && !slices.ContainsFunc(d, func(x int) bool { return have.Class(x) < 0 }) {
		return false
	}
	q.Del("digits")
	return true
}
