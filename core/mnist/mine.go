package mnist

import (
	"bytes"
	"fmt"
	"math"
)

// MaxMine is the most drawings a drawn set keeps ("My digits").
const MaxMine = 1000

// MineEach is how many of each digit a round of My digits asks for
// unless told.
const MineEach = 5

// Mine is a set of digits drawn on the pad, each with the class it was
// asked for ("My digits"): a guided sequence of prompts, the drawings
// kept, and their scoring by every run. The zero Mine has no prompts.
type Mine struct {
	Set     Set   // the drawings kept, with their labels
	prompts []int // the labels to ask for, in order
	next    int   // the prompt asked now
}

// Start begins a guided round: each of the classes (digits) asked for
// each times, cycling through them (0, 1, 2, 0, 1, 2, …). The drawings
// kept before stay.
func (m *Mine) Start(classes Digits, each int) error {
	if len(classes) == 0 || each < 1 || each > MaxMine || len(classes)*each > MaxMine {
		return fmt.Errorf("my digits: want 1 to %d drawings of at least one class, not %d of %d classes", MaxMine, each, len(classes))
	}
	if m.Set.Len()+len(classes)*each > MaxMine {
		return fmt.Errorf("my digits: %d drawings kept and %d more asked, over the %d a set keeps; export and forget some first", m.Set.Len(), len(classes)*each, MaxMine)
	}
	m.prompts = m.prompts[:0]
	for r := 0; r < each; r++ {
		m.prompts = append(m.prompts, classes...)
	}
	m.next = 0
	return nil
}

// Prompt returns the class asked for now, the prompt's place and the
// round's length; ok is false when no round is under way (or it is
// over).
func (m *Mine) Prompt() (class, at, of int, ok bool) {
	if m.next >= len(m.prompts) {
		return 0, m.next, len(m.prompts), false
	}
	return m.prompts[m.next], m.next, len(m.prompts), true
}

// Keep keeps the drawing input (Pixels values in [0, 1]) as the class
// asked for now and moves to the next prompt.
func (m *Mine) Keep(input []float32) error {
	class, _, _, ok := m.Prompt()
	switch {
	case !ok:
		return fmt.Errorf("my digits: no digit is asked for now; press Start")
	case len(input) != Pixels:
		return fmt.Errorf("my digits: a drawing of %d values, want %d", len(input), Pixels)
	case m.Set.Len() >= MaxMine:
		return fmt.Errorf("my digits: the set holds its %d drawings", MaxMine)
	}
	ink := false
	for _, v := range input {
		ink = ink || v > 0
	}
	if !ink {
		return fmt.Errorf("my digits: the pad is empty; draw a %d first", class)
	}
	for _, v := range input {
		// As an IDX file keeps it: a byte a pixel, so that a reload or an
		// export gives back the same bits.
		m.Set.Images = append(m.Set.Images, toByte(v))
	}
	m.Set.Labels = append(m.Set.Labels, uint8(class))
	m.next++
	return nil
}

// Skip moves to the next prompt without a drawing.
func (m *Mine) Skip() {
	if m.next < len(m.prompts) {
		m.next++
	}
}

// Stop ends the round; the drawings kept stay.
func (m *Mine) Stop() { m.prompts, m.next = m.prompts[:0], 0 }

// Forget drops every drawing and the round.
func (m *Mine) Forget() { *m = Mine{} }

func toByte(v float32) byte {
	return byte(math.Round(float64(min(max(v, 0), 1)) * 255))
}

// IDX returns the drawings as an IDX pair (images [N 28 28] and labels
// [N] of unsigned bytes), the files nnesim train -test-data reads.
func (m *Mine) IDX() (images, labels []byte) {
	n := m.Set.Len()
	return EncodeIDX([]int{n, Height, Width}, m.Set.Images), EncodeIDX([]int{n}, m.Set.Labels)
}

// Load replaces the drawings with an IDX pair's (of IDX), checked as any
// dataset is (ReadIDX, NewSet) and bounded by MaxMine; on an error the
// drawings are unchanged.
func (m *Mine) Load(images, labels []byte) error {
	s, err := readMine(images, labels)
	if err != nil {
		return err
	}
	m.Set = *s
	return nil
}

// Merge adds the drawings of an IDX pair (a run file's, runfile.Drawn)
// that the set does not hold yet (the same digit and the same pixels),
// and returns how many it added. Nothing is added if the set would hold
// more than MaxMine, or on an error.
func (m *Mine) Merge(images, labels []byte) (int, error) {
	s, err := readMine(images, labels)
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	key := func(set *Set, i int) string {
		return string(append([]byte{set.Labels[i]}, set.Image(i)...))
	}
	for i := range m.Set.Len() {
		have[key(&m.Set, i)] = true
	}
	var add []int
	for i := range s.Len() {
		if k := key(s, i); !have[k] {
			have[k] = true
			add = append(add, i)
		}
	}
	if m.Set.Len()+len(add) > MaxMine {
		return 0, fmt.Errorf("my digits: %d drawings kept and %d new in the file, over the %d a set keeps; export and forget some first", m.Set.Len(), len(add), MaxMine)
	}
	for _, i := range add {
		m.Set.Labels = append(m.Set.Labels, s.Labels[i])
		m.Set.Images = append(m.Set.Images, s.Image(i)...)
	}
	return len(add), nil
}

// readMine reads a drawn set's IDX pair, checked as any dataset is
// (ReadIDX, NewSet) and bounded by MaxMine.
func readMine(images, labels []byte) (*Set, error) {
	idims, img, err := ReadIDX(bytes.NewReader(images))
	if err != nil {
		return nil, fmt.Errorf("my digits: images: %w", err)
	}
	ldims, lbl, err := ReadIDX(bytes.NewReader(labels))
	if err != nil {
		return nil, fmt.Errorf("my digits: labels: %w", err)
	}
	s, err := NewSet(idims, img, ldims, lbl)
	if err != nil {
		return nil, fmt.Errorf("my digits: %w", err)
	}
	if s.Len() > MaxMine {
		return nil, fmt.Errorf("my digits: %d drawings, over the %d a set keeps", s.Len(), MaxMine)
	}
	return s, nil
}

// Score is how one run read the drawings.
type Score struct {
	Right, Total int
	// Confusion[t][p] counts the drawings of digit t read as digit p.
	Confusion [10][10]int
	// Answers is the digit read for each drawing (−1: no answer).
	Answers []int
}

// Accuracy is the share of the drawings read right (0 for none).
func (s Score) Accuracy() float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Right) / float64(s.Total)
}

// ScoreRun scores one run's answers for the drawings: probs[i] are its
// probabilities for the ten digits of drawing i (nil: no answer, which
// counts as wrong); the digit read is the most probable, the lowest of a
// tie.
func (m *Mine) ScoreRun(probs [][]float64) (Score, error) {
	n := m.Set.Len()
	if len(probs) != n {
		return Score{}, fmt.Errorf("my digits: %d answers for %d drawings", len(probs), n)
	}
	s := Score{Total: n, Answers: make([]int, n)}
	for i, p := range probs {
		s.Answers[i] = -1
		if len(p) != 10 {
			continue
		}
		best := 0
		for d := 1; d < 10; d++ {
			if p[d] > p[best] {
				best = d
			}
		}
		s.Answers[i] = best
		t := int(m.Set.Labels[i])
		s.Confusion[t][best]++
		if best == t {
			s.Right++
		}
	}
	return s, nil
}
