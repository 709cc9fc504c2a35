// Package autosave is the page's autosave policy, in pure Go so that it is
// tested natively: where each run of a tab's race is kept in the
// browser's storage, and, when a tab starts, which saved race it offers
// to resume and which saved runs it forgets.
//
// Every tab has a name of its own (Tab), kept across its reloads; run i
// of its race is saved under Key(tab, i). A tab holds a Web Lock named
// LockPrefix+tab while it is open, so a tab that starts knows which
// other tabs are open. A tab offers its own race after a reload, else
// the latest race of a tab that is closed; it never offers, overwrites
// or forgets the race of a tab that is open. So two tabs keep two runs.
package autosave

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"nnesim/core/race"
)

// LockPrefix begins the name of the Web Lock an open tab holds.
const LockPrefix = "nnesim-tab:"

// Keep is how many races of closed tabs the storage keeps; the oldest
// beyond it are forgotten when a tab starts.
const Keep = 4

// maxTab bounds a tab's name (they are made by the page: a few dozen
// characters).
const maxTab = 64

// Key is the storage key of run index of tab's race.
func Key(tab string, index int) string {
	return "run:" + tab + ":" + strconv.Itoa(index)
}

// ValidTab reports whether tab can name a tab: 1 to 64 letters, digits,
// '-', '_' or '.'.
func ValidTab(tab string) bool {
	if tab == "" || len(tab) > maxTab {
		return false
	}
	for _, c := range tab {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// Slot is what the storage holds beside a run file: which tab's race and
// which run of it, and what the offer says.
type Slot struct {
	Key   string `json:"key"`
	Tab   string `json:"tab"`   // "" for a slot written before tabs had names
	Index int    `json:"index"` // the run's place in its race
	Count int    `json:"count"` // the race's runs
	// Token names the race; the slots of one race share it.
	Token      string  `json:"token"`
	Generation int     `json:"generation"`
	SavedAt    float64 `json:"savedAt"` // milliseconds since 1970
	Query      string  `json:"query"`
	RaceQuery  string  `json:"raceQuery"`
}

// Race is a saved race that a tab may offer.
type Race struct {
	Tab        string   `json:"tab"`
	Keys       []string `json:"keys"` // its runs' keys, in race order
	Generation int      `json:"generation"`
	SavedAt    float64  `json:"savedAt"` // its latest slot's
	Query      string   `json:"query"`
	Runs       int      `json:"runs"`
	// Adopt are the keys to forget once the race is resumed: another
	// tab's race moves into this tab's keys (none for the tab's own).
	Adopt []string `json:"adopt"`
}

// Plan is what a starting tab does with the storage.
type Plan struct {
	Offer  *Race    `json:"offer"`  // nil: nothing to offer
	Forget []string `json:"forget"` // keys to delete now
}

// Choose is the plan of tab me, which has just started, given every slot
// in the storage and the names of the Web Locks held (the open tabs'
// LockPrefix+tab; me's own lock may be among them). me's race, if whole,
// is offered; else the latest whole race of a tab that is not open.
// Forgotten are the slots of closed tabs (and me's) that make no whole
// race, and the races of closed tabs past the Keep latest. An open
// tab's slots are left alone.
func Choose(slots []Slot, me string, held []string) Plan {
	open := map[string]bool{}
	for _, h := range held {
		if t, ok := strings.CutPrefix(h, LockPrefix); ok && t != me {
			open[t] = true
		}
	}
	byTab := map[string][]Slot{}
	var tabs []string
	for _, s := range slots {
		if _, seen := byTab[s.Tab]; !seen {
			tabs = append(tabs, s.Tab)
		}
		byTab[s.Tab] = append(byTab[s.Tab], s)
	}
	var plan Plan
	var mine *Race
	var closed []*Race
	for _, tab := range tabs {
		if open[tab] {
			continue
		}
		r, stale := whole(byTab[tab])
		plan.Forget = append(plan.Forget, stale...)
		switch {
		case r == nil:
		case tab == me && me != "":
			mine = r
		default:
			closed = append(closed, r)
		}
	}
	sort.SliceStable(closed, func(i, j int) bool { return closed[i].SavedAt > closed[j].SavedAt })
	keep := Keep
	switch {
	case mine != nil:
		plan.Offer = mine
		keep--
	case len(closed) > 0:
		plan.Offer = closed[0]
		plan.Offer.Adopt = plan.Offer.Keys
	}
	if len(closed) > keep {
		for _, r := range closed[keep:] {
			plan.Forget = append(plan.Forget, r.Keys...)
		}
	}
	sort.Strings(plan.Forget)
	return plan
}

// whole returns the race that one tab's slots make, or nil, and the keys
// of the slots that are not part of it. A race is whole when its run 0
// says how many runs it has (1 to race.MaxRuns) and each of them is there
// with run 0's token.
func whole(slots []Slot) (*Race, []string) {
	var first *Slot
	for i := range slots {
		if slots[i].Index == 0 && (first == nil || slots[i].SavedAt > first.SavedAt) {
			first = &slots[i]
		}
	}
	var stale []string
	if first == nil || first.Count < 1 || first.Count > race.MaxRuns {
		for _, s := range slots {
			stale = append(stale, s.Key)
		}
		return nil, stale
	}
	keys := make([]string, first.Count)
	r := &Race{Tab: first.Tab, Keys: keys, Adopt: []string{}, Generation: first.Generation, SavedAt: first.SavedAt, Query: first.RaceQuery, Runs: first.Count}
	if r.Query == "" {
		r.Query = first.Query
	}
	for _, s := range slots {
		if s.Token == first.Token && s.Index >= 0 && s.Index < first.Count && keys[s.Index] == "" {
			keys[s.Index] = s.Key
			r.SavedAt = max(r.SavedAt, s.SavedAt)
			continue
		}
		stale = append(stale, s.Key)
	}
	for _, k := range keys {
		if k == "" {
			// A run is missing: the race cannot be offered.
			for _, k := range keys {
				if k != "" {
					stale = append(stale, k)
				}
			}
			return nil, stale
		}
	}
	return r, stale
}

// ChooseJSON is Choose for the page: slots is the storage's slots as
// JSON; the plan comes back as JSON. Slots that do not parse are
// forgotten, as are those of a malformed key.
func ChooseJSON(slots []byte, me string, held []string) ([]byte, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(slots, &raw); err != nil {
		return nil, fmt.Errorf("autosave: the stored slots are not a JSON list: %w", err)
	}
	var good []Slot
	var bad []string
	for _, r := range raw {
		var s Slot
		if err := json.Unmarshal(r, &s); err != nil || s.Key == "" {
			var k struct {
				Key string `json:"key"`
			}
			if json.Unmarshal(r, &k) == nil && k.Key != "" {
				bad = append(bad, k.Key)
			}
			continue
		}
		good = append(good, s)
	}
	plan := Choose(good, me, held)
	plan.Forget = append(plan.Forget, bad...)
	sort.Strings(plan.Forget)
	if plan.Forget == nil {
		plan.Forget = []string{}
	}
	return json.Marshal(plan)
}

// Notice is the one line the page shows when autosave fails or is off:
// what went wrong, in words, and what keeps the run. name and message are
// the browser's error (a DOMException's name and message; "" when there
// was none), and opening tells a storage that could not be opened from a
// write that failed.
func Notice(opening bool, name, message string) string {
	const keep = "Export run keeps the run"
	switch {
	case name == "QuotaExceededError":
		return "Autosave stopped: this site's storage in the browser is full. " + keep + "; to autosave again, free space in the browser's site settings and reload."
	case opening && (name == "SecurityError" || name == "InvalidStateError"):
		return "Autosave is off here: the browser keeps no storage for this page (a private window, or storage blocked for the site). " + keep + "."
	case opening:
		return "Autosave is off here (no storage). " + keep + "."
	case name == "":
		return "Autosave failed. " + keep + "."
	}
	return "Autosave failed (" + name + ": " + clip(message) + "). " + keep + "."
}

// clip keeps a browser's message to a line.
func clip(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:117]) + "…"
	}
	return s
}
