package lesson

import (
	"slices"
	"strings"

	"nnesim/core/settings"
)

// A Control is one control of the page a lesson may lock: its name in
// lock= and what it covers.
type Control struct {
	Name   string `json:"name"`
	Covers string `json:"covers"`
}

// Controls are the page's controls a lesson may lock.
var Controls = []Control{
	{"play", "▶ Play and ❚❚ Pause, the space key and a course page's start and pause commands"},
	{"step", "Step, the S key and the step command"},
	{"reset", "Reset, the R key and the reset command"},
	{"import", "Import run and a continued autosaved run (locked too whenever a setting is, since a run file brings its own settings)"},
	{"open", "Open in nnesim ↗, the full page (which keeps the locks when it is allowed)"},
}

// AllSettings is the lock= name that locks every setting.
const AllSettings = "settings"

// Locks are what lock= fixes: settings (the form's fields, by their
// parameters' names) and controls (Controls' names).
type Locks struct {
	Settings []string `json:"settings"`
	Controls []string `json:"controls"`
}

// Locked reports whether the setting or control called name is locked.
func (l Locks) Locked(name string) bool {
	return slices.Contains(l.Settings, name) || slices.Contains(l.Controls, name)
}

// Why is the title a locked field or button shows.
func Why(name string) string {
	return "The lesson set this (lock=" + name + " in the course page's link), so it cannot be changed here."
}

// ParseLocks reads lock=v, a comma-separated list of settings (the
// names in settingNames, or AllSettings for every one of them) and
// Controls. A name it does not know is reported, with what it takes, and
// left out; the others hold.
func ParseLocks(v string, settingNames []string) (Locks, string) {
	var l Locks
	var bad []string
	add := func(list *[]string, name string) {
		if !slices.Contains(*list, name) {
			*list = append(*list, name)
		}
	}
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case name == AllSettings:
			for _, s := range settingNames {
				add(&l.Settings, s)
			}
		case slices.Contains(settingNames, name):
			add(&l.Settings, name)
		case slices.ContainsFunc(Controls, func(c Control) bool { return c.Name == name }):
			add(&l.Controls, name)
		case len(bad) < 3: // the first three are named
			bad = append(bad, `"`+settings.Clip(name)+`"`)
		}
	}
	if len(l.Settings) > 0 {
		add(&l.Controls, "import")
	}
	if bad == nil {
		return l, ""
	}
	want := []string{AllSettings}
	for _, c := range Controls {
		want = append(want, c.Name)
	}
	return l, "lock: unknown " + strings.Join(bad, ", ") + "; want some of " + strings.Join(want, ", ") + " or a setting: " + strings.Join(settingNames, ", ")
}
