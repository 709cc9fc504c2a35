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
