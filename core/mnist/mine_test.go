package mnist

import (
	"slices"
	"strings"
	"testing"
)

// ink is a drawing with value v at pixel i.
func ink(i int, v float32) []float32 {
	x := make([]float32, Pixels)
	x[i] = v
	return x
}

func TestMine(t *testing.T) {
	var m Mine
	if _, _, _, ok := m.Prompt(); ok {
		t.Fatal("the zero Mine asks for a digit")
	}
	if err := m.Keep(ink(0, 1)); err == nil || !strings.Contains(err.Error(), "press Start") {
		t.Errorf("keep before start: %v", err)
	}
	if err := m.Start(Digits{3, 8}, 2); err != nil {
		t.Fatal(err)
	}
	var asked []int
	for {
		c, at, of, ok := m.Prompt()
		if !ok {
			break
		}
		if of != 4 || at != len(asked) {
			t.Fatalf("prompt %d of %d", at, of)
		}
		asked = append(asked, c)
		if at == 1 {
			if err := m.Keep(make([]float32, Pixels)); err == nil || !strings.Contains(err.Error(), "draw a 8 first") {
				t.Errorf("an empty pad: %v", err)
			}
			m.Skip()
			continue
		}
		if err := m.Keep(ink(at, 0.5)); err != nil {
			t.Fatal(err)
		}
	}
	if len(asked) != 4 || asked[0] != 3 || asked[1] != 8 || asked[2] != 3 || asked[3] != 8 {
		t.Errorf("asked %v, want 3 8 3 8", asked)
	}
	if m.Set.Len() != 3 || m.Set.Labels[0] != 3 || m.Set.Labels[1] != 3 || m.Set.Labels[2] != 8 {
		t.Fatalf("kept %v", m.Set.Labels)
	}
	// 0.5 is kept as a byte would keep it: 128, read as 128/255.
	if got := m.Set.Image(0)[0]; got != 128 {
		t.Errorf("pixel kept as %v", got)
	}
	// The IDX pair loads back to the same bits.
	images, labels := m.IDX()
	var back Mine
	if err := back.Load(images, labels); err != nil {
		t.Fatal(err)
	}
	if back.Set.Len() != 3 || string(back.Set.Labels) != string(m.Set.Labels) {
		t.Fatalf("loaded %v", back.Set.Labels)
	}
	for i, v := range m.Set.Images {
		if back.Set.Images[i] != v {
			t.Fatalf("pixel %d: %v, loaded %v", i, v, back.Set.Images[i])
		}
	}
	// A wrong pair is refused and the drawings stay.
	if err := back.Load(images[:100], labels); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a truncated file: %v", err)
	}
	bad := append([]byte(nil), labels...)
	bad[len(bad)-1] = 12
	if err := back.Load(images, bad); err == nil || !strings.Contains(err.Error(), "want 0 to 9") {
		t.Errorf("a label of 12: %v", err)
	}
	if back.Set.Len() != 3 {
		t.Error("a refused load changed the drawings")
	}
	// Scoring: drawing 0 (a 3) read as 3, drawing 1 (a 3) as 8, drawing 2 no answer.
	p := func(d int) []float64 { x := make([]float64, 10); x[d] = 0.9; return x }
	s, err := m.ScoreRun([][]float64{p(3), p(8), nil})
	if err != nil {
		t.Fatal(err)
	}
	if s.Right != 1 || s.Total != 3 || s.Confusion[3][3] != 1 || s.Confusion[3][8] != 1 || s.Answers[2] != -1 || s.Accuracy() != 1.0/3 {
		t.Errorf("score %+v", s)
	}
	if _, err := m.ScoreRun([][]float64{p(3)}); err == nil {
		t.Error("one answer for three drawings was scored")
	}
	for _, each := range []int{MaxMine, 1 << 62, -1} {
		if err := m.Start(Digits{0, 1}, each); err == nil {
			t.Errorf("a round of %d of each of two digits started", each)
		}
	}
	m.Forget()
	if m.Set.Len() != 0 {
		t.Error("Forget kept drawings")
	}
}

// TestMineMerge checks that a run file's drawings add only what the set
// lacks, and that a merge over the bound or of a bad pair changes nothing.
func TestMineMerge(t *testing.T) {
	_, test := realMNIST(t)
	var a, b Mine
	for i := range 3 {
		a.Set.Labels = append(a.Set.Labels, test.Labels[i])
		a.Set.Images = append(a.Set.Images, test.Image(i)...)
	}
	for i := 1; i < 5; i++ { // images 1 and 2 are a's too
		b.Set.Labels = append(b.Set.Labels, test.Labels[i])
		b.Set.Images = append(b.Set.Images, test.Image(i)...)
	}
	images, labels := b.IDX()
	n, err := a.Merge(images, labels)
	if err != nil || n != 2 || a.Set.Len() != 5 {
		t.Fatalf("merge: %d added (%v), %d kept; want 2 and 5", n, err, a.Set.Len())
	}
	for i := range 5 {
		if a.Set.Labels[i] != test.Labels[i] || !slices.Equal(a.Set.Image(i), test.Image(i)) {
			t.Fatalf("drawing %d is not test image %d", i, i)
		}
	}
	if n, err := a.Merge(images, labels); n != 0 || err != nil || a.Set.Len() != 5 {
		t.Errorf("merging the same again: %d, %v, %d kept", n, err, a.Set.Len())
	}
	if _, err := a.Merge(images[:10], labels); err == nil || a.Set.Len() != 5 {
		t.Errorf("a truncated pair: %v, %d kept", err, a.Set.Len())
	}
	var full Mine
	for range MaxMine - 1 {
		full.Set.Labels = append(full.Set.Labels, 0)
		full.Set.Images = append(full.Set.Images, make([]byte, Pixels)...)
	}
	if _, err := full.Merge(images, labels); err == nil || !strings.Contains(err.Error(), "over the 1000") || full.Set.Len() != MaxMine-1 {
		t.Errorf("over the bound: %v, %d kept", err, full.Set.Len())
	}
}
