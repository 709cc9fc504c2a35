package settings

import (
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"0-4", "0-4"},
		{strings.Repeat("a", 48), strings.Repeat("a", 48)},
		{strings.Repeat("a", 49), strings.Repeat("a", 24) + "… (49 characters)"},
		{strings.Repeat("é", 60), strings.Repeat("é", 24) + "… (60 characters)"},
	} {
		if got := Clip(tc.in); got != tc.want {
			t.Errorf("Clip(%d characters) = %q, want %q", len(tc.in), got, tc.want)
		}
	}
}

// TestAdvice checks the preset offered when a run's digits are not the
// number its preset was made for.
func TestAdvice(t *testing.T) {
	for _, tc := range []struct {
		preset, digits, want string
	}{
		{"quick", "0-4", ""},
		{"quick", "0-9", "The quick preset is tuned for 5 digits; for 10, choose quick10 under Preset (all ten digits, keeps every class)."},
		{"demo", "0-9", "choose quick10"},
		{"quick10", "0-4", "The quick10 preset is tuned for 10 digits; for 5, choose quick under Preset"},
		{"quick10", "0-9", ""},
		{"paper", "0-9", ""},
		{"quick", "3,8", ""}, // no preset for two digits
		{"", "0-9", ""},
		{"nonesuch", "0-9", ""},
	} {
		s, _ := Preset(tc.preset)
		s.Preset, s.Digits = tc.preset, tc.digits
		if got := Advice(s); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s on %s: %q, want %q", tc.preset, tc.digits, got, tc.want)
		}
	}
}
