package learner

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"nnesim/core/mnist"
	"nnesim/core/settings"
)

// Validate checks the settings together, before anything is allocated:
// each value of the rule's parameters in its range, and that the run fits
// in maxBytes of memory (the rule's Check).
func Validate(s *settings.Settings, maxBytes float64) error {
	r, err := RuleOf(s.Algo)
	if err != nil {
		return err
	}
	for _, p := range RuleParams(s.Algo) {
		v := p.Get(s)
		var t settings.Settings
		if err := p.Set(&t, v); err != nil {
			return err
		}
	}
	if s.Threads < 0 || s.Threads > settings.MaxThreads {
		return fmt.Errorf("threads=%d: want 0 (all cores) to %d", s.Threads, settings.MaxThreads)
	}
	d, err := mnist.ParseDigits(s.Digits)
	if err != nil {
		return fmt.Errorf("digits=%s: %w", s.Digits, err)
	}
	return r.Check(s, len(d), maxBytes)
}

// Query returns the settings as URL query parameters: the rule (unless
// the default rule), the preset of a rule that has presets, and every
// parameter of the rule that differs from its defaults (Defaults).
func Query(s *settings.Settings) url.Values {
	q := url.Values{}
	base, err := Defaults(s.Algo, s.Preset)
	if err != nil {
		base, err = Defaults(s.Algo, "")
	}
	if err != nil {
		base, _ = Defaults(DefaultRule().Name, "") // every rule has defaults (TestPresets)
	}
	if base.Preset != "" {
		q.Set("preset", base.Preset)
	}
	for _, p := range RuleParams(s.Algo) {
		if v := p.Get(s); v != p.Get(&base) || p.Name == "algo" && v != DefaultRule().Name {
			q.Set(p.Name, v)
		}
	}
	return q
}

// PageParams are the page's URL parameters, not the run's: ParseQuery
// and race.Parse are given them to skip, and the page keeps them in its
// address bar.
var PageParams = []string{"autostart", "workers", "embed", "hide", "tour", "handoff", "events", "lock", "challenge", "goal", "within", "rule", "by", "count", "data", "classes"}

// ParseQuery reads settings from URL query parameters: the preset first,
// then each parameter over it. A bad parameter is reported and its preset
// value kept; names in ignore (parameters of the page, not of the run)
// are skipped, and any other unknown name is reported. If the settings do
// not fit together (Validate with maxBytes), the preset is returned whole.
func ParseQuery(q url.Values, maxBytes float64, ignore ...string) (settings.Settings, []error) {
	var errs []error
	// A repeated parameter counts once, its last value, as in a flag list.
	var repeated []string
	for k, vs := range q {
		if len(vs) > 1 {
			repeated = append(repeated, k)
		}
	}
	slices.Sort(repeated)
	for _, k := range repeated {
		vs := q[k]
		errs = append(errs, fmt.Errorf("%s is given %d times; the last, %s=%s, counts", settings.Clip(k), len(vs), settings.Clip(k), settings.Clip(vs[len(vs)-1])))
	}
	last := func(k string) string {
		if vs := q[k]; len(vs) > 0 {
			return vs[len(vs)-1]
		}
		return ""
	}
	// The rule first: it decides the defaults and which parameters apply.
	algo := DefaultRule().Name
	if v := last("algo"); v != "" {
		if _, err := RuleOf(v); err != nil {
			errs = append(errs, err)
		} else {
			algo = v
		}
	}
	rule, _ := RuleOf(algo)
	name := ""
	if v := last("preset"); v != "" {
		if !rule.Presets {
			errs = append(errs, noPreset(algo, v))
		} else {
			name = v
		}
	}
	s, err := Defaults(algo, name)
	if err != nil {
		errs = append(errs, fmt.Errorf("preset=%s: want one of %s", settings.Clip(name), strings.Join(settings.Presets(), ", ")))
		s, _ = Defaults(algo, "") // every rule has defaults (TestPresets)
	}
	base := s
	known := map[string]bool{"preset": true, "algo": true}
	for _, n := range ignore {
		known[n] = true
	}
	for _, p := range Params() {
		known[p.Name] = true
		vs, ok := q[p.Name]
		if !ok || len(vs) == 0 || p.Name == "algo" {
			continue
		}
		if !rule.Has(p.Name) {
			var names []string
			for _, rp := range RuleParams(algo) {
				names = append(names, rp.Name)
			}
			errs = append(errs, fmt.Errorf("%s: not a setting of %s (its settings: %s)", p.Name, algo, strings.Join(names, ", ")))
			continue
		}
		if err := p.Set(&s, vs[len(vs)-1]); err != nil {
			errs = append(errs, err)
		}
	}
	var unknown []string
	for k := range q {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		errs = append(errs, fmt.Errorf("%s: unknown parameter", settings.Clip(k)))
	}
	if err := Validate(&s, maxBytes); err != nil {
		what := "the " + base.Preset + " preset"
		if base.Preset == "" {
			what = "the defaults of " + algo
		}
		errs = append(errs, fmt.Errorf("%w; using %s", err, what))
		s = base
	}
	return s, errs
}

// FullQuery writes every parameter, not only those that differ from the
// preset, so that a file does not change meaning if a preset does.
func FullQuery(s *settings.Settings) string {
	q := url.Values{}
	if s.Preset != "" {
		q.Set("preset", s.Preset)
	}
	for _, p := range RuleParams(s.Algo) {
		q.Set(p.Name, p.Get(s))
	}
	return q.Encode()
}

// DigitsOfData makes a run whose digits were not set explicitly learn
// the classes the data holds (have) when its preset's digits are not all
// there (a dataset of five classes); it returns a line that says so.
// Digits set explicitly stay, and a digit the data lacks is an error.
func DigitsOfData(s *settings.Settings, explicit bool, have mnist.Digits, maxBytes float64) (string, error) {
	want, err := mnist.ParseDigits(s.Digits)
	if err != nil {
		return "", err
	}
	var missing mnist.Digits
	for _, d := range want {
		if have.Class(d) < 0 {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return "", nil
	}
	if explicit || len(have) < 2 {
		return "", fmt.Errorf("digits %s: the data has no image of %s (its classes: %s)", s.Digits, missing, have)
	}
	s.Digits = have.String()
	if err := Validate(s, maxBytes); err != nil {
		return "", err
	}
	return fmt.Sprintf("digits %s: the classes the data holds (the preset's %s are not all there)", have, want), nil
}
