package render

import "testing"

// TestFitTitle checks that a title keeps its first parts, drops the
// last ones first, and is cut with an ellipsis only when its first part
// alone is too wide; it never comes out wider than asked.
func TestFitTitle(t *testing.T) {
	st, err := NewStyle(1)
	if err != nil {
		t.Fatal(err)
	}
	title := "Accuracy · gen 123 · 45.6 gen/s · 0:29"
	w := func(s string) int { return TextWidth(st.Face, s) }
	for _, tc := range []struct {
		width int
		want  string
	}{
		{w(title), title},
		{w(title) - 1, "Accuracy · gen 123 · 45.6 gen/s"},
		{w("Accuracy · gen 123"), "Accuracy · gen 123"},
		{w("Accuracy · gen 12"), "Accuracy"},
		{w("Accuracy"), "Accuracy"},
		{w("Accu…"), "Accu…"},
		{1, ""},
	} {
		got := FitTitle(st.Face, title, tc.width)
		if got != tc.want || w(got) > tc.width {
			t.Errorf("FitTitle(width %d) = %q (%d px), want %q", tc.width, got, w(got), tc.want)
		}
	}
}
