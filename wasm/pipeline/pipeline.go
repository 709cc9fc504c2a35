// Package pipeline is the pace of the work between the page's workers,
// in pure Go so that it is tested natively: the coordinator's ledger of
// NNE generations out with its evaluators (which slice each owes and
// since when, the deadlines after which an evaluator is replaced, the
// retry policy, and where each generation's time went), and how often
// the page asks for snapshots (Pace).
//
// The coordinator (public/coordinator.js) moves the bytes: it posts the
// slices and keeps the partial sums that come back. It tells the ledger
// what happened (Start, Sent, Receive, Failed, Finish) and asks it what
// to do (Overdue, Ready); times are milliseconds on the page's clock
// (performance.now).
package pipeline

import (
	"fmt"
	"slices"
)

// The policy's constants.
const (
	// MinDeadlineMs is the least time an evaluator gets for a slice…
	MinDeadlineMs = 2000
	// DeadlineFactor … or this many times the median slice time.
	DeadlineFactor = 10
	// PrepareDeadlineMs is the time an evaluator gets to start, and for
	// a run's first slice (the paper preset's slices take seconds).
	PrepareDeadlineMs = 120000
	// MaxTries is how often a slice may fail before the run stops.
	MaxTries = 3
	// TimingWindow is the number of generations in the timing medians.
	TimingWindow = 100
	// ProgressMs: a generation out this long reports its progress, at
	// most this often.
	ProgressMs = 1000
)

// Slice is one evaluator's share of a generation: genotypes Lo..Hi−1.
type Slice struct {
	Lo, Hi     int
	Sent       bool    // sent and not yet lost
	Done       bool    // its sums came back
	SentAt     float64 // when last sent
	ReceivedAt float64
	Ms         float64 // the evaluator's own time for it
	Tries      int     // times it was lost
}

// Generation is a generation out with the evaluators.
type Generation struct {
	Number  int
	T0      float64 // when it began (before next)
	CoordMs float64 // the coordinator's time to send it out
	Stepped bool    // sent by a step, not by play
	Slices  []Slice
}

// Trace says where one generation's time went: sending it out, the
// slowest slice's scoring (the evaluator's own time) and its transfer
// (the rest of its round trip), merging and eq. 3 (apply), idle (what no
// part accounts for), and the coordinator's work after the next
// generation went out (Overlap: evaluation, autosave, snapshot), which on
// two cores competes with the evaluators.
type Trace struct {
	GenMs, ComputeMs, CoordMs                               float64
	SendMs, ScoreMs, TransferMs, ApplyMs, IdleMs, OverlapMs float64
}

// Summary is the medians of the last generations' traces.
type Summary struct {
	Generations      int     `json:"generations"`
	GenMs            float64 `json:"genMs"`
	ComputeMs        float64 `json:"computeMs"`
	CoordinatorMs    float64 `json:"coordinatorMs"`
	CoordinatorShare float64 `json:"coordinatorShare"`
	WaitShare        float64 `json:"waitShare"`
	Trace            struct {
		SendMs     float64 `json:"sendMs"`
		ScoreMs    float64 `json:"scoreMs"`
		TransferMs float64 `json:"transferMs"`
		ApplyMs    float64 `json:"applyMs"`
		IdleMs     float64 `json:"idleMs"`
		OverlapMs  float64 `json:"overlapMs"` // the mean, not the median
	} `json:"trace"`
}

// Overdue names an evaluator to replace, and why.
type Overdue struct {
	Index  int
	Reason string
}

// Ledger is one coordinator's: the generation out, the evaluators'
// start-up and the last generations' traces.
type Ledger struct {
	gen          *Generation
	preparing    []float64 // per evaluator: since when it builds the run (-1: ready)
	timings      []Trace
	applyEnd     float64 // when the last Finish's apply ended
	lastProgress float64
}

// Reset forgets the run: its generation out and its traces.
func (l *Ledger) Reset() {
	l.gen, l.timings = nil, nil
}

// Drop forgets the generation out (the run stopped).
func (l *Ledger) Drop() { l.gen = nil }

// Out is the generation out, or nil.
func (l *Ledger) Out() *Generation { return l.gen }

// Preparing records that evaluator i builds the run from now, and sizes
// the ledger to n evaluators.
func (l *Ledger) Preparing(i, n int, now float64) {
	l.resize(n)
	if i >= 0 && i < n {
		l.preparing[i] = now
	}
}

// Prepared records that evaluator i has built the run; it reports
// whether i owes a slice that was not sent (send it now).
func (l *Ledger) Prepared(i int) bool {
	if i < 0 || i >= len(l.preparing) {
		return false
	}
	l.preparing[i] = -1
	return l.gen != nil && i < len(l.gen.Slices) && !l.gen.Slices[i].Done && !l.gen.Slices[i].Sent
}

// Ready reports whether every evaluator has built the run.
func (l *Ledger) Ready() bool {
	for _, p := range l.preparing {
		if p >= 0 {
			return false
		}
	}
	return true
}

func (l *Ledger) resize(n int) {
	for len(l.preparing) < n {
		l.preparing = append(l.preparing, -1)
	}
	l.preparing = l.preparing[:n]
}

// Start records generation number, cut into slices ([lo, hi) each, one per
// evaluator), begun at t0; stepped if a step sent it.
func (l *Ledger) Start(number int, cuts [][2]int, t0 float64, stepped bool) {
	g := &Generation{Number: number, T0: t0, Stepped: stepped, Slices: make([]Slice, len(cuts))}
	for i, c := range cuts {
		g.Slices[i] = Slice{Lo: c[0], Hi: c[1]}
	}
	l.gen = g
}

// Sent records that slice i went out at now.
func (l *Ledger) Sent(i int, now float64) {
	if s := l.slice(i); s != nil {
		s.Sent, s.SentAt = true, now
	}
}

// SentAll records that the generation is out: the coordinator's time to
// send it ends now.
func (l *Ledger) SentAll(now float64) {
	if l.gen != nil {
		l.gen.CoordMs = now - l.gen.T0
	}
}

func (l *Ledger) slice(i int) *Slice {
	if l.gen == nil || i < 0 || i >= len(l.gen.Slices) {
		return nil
	}
	return &l.gen.Slices[i]
}

// Receive records evaluator i's sums for genotypes lo..hi−1 of generation
// number, scored in ms, arrived at now. It reports whether they are the
// slice owed (else drop them: a late answer, or for another generation),
// and whether the generation is then complete.
func (l *Ledger) Receive(i, number, lo, hi int, ms, now float64) (owed, complete bool) {
	s := l.slice(i)
	if s == nil || l.gen.Number != number || s.Done || s.Lo != lo || s.Hi != hi {
		return false, false
	}
	s.Done, s.Ms, s.ReceivedAt = true, ms, now
	for _, t := range l.gen.Slices {
		if !t.Done {
			return true, false
		}
	}
	return true, true
}

// Failed records that evaluator i (of n) failed for reason and is
// replaced (by a new one, which Preparing then records). It returns the
// notice to show; err, when the slice it owed has now failed MaxTries
// times, says why the run stops and what to try.
func (l *Ledger) Failed(i, n int, reason string, now float64) (notice string, err error) {
	notice = fmt.Sprintf("worker %d %s", i+1, reason)
	if s := l.slice(i); s != nil && !s.Done {
		s.Tries++
		if s.Tries >= MaxTries {
			try := ", or try a smaller population or network (pop, batch, hidden)"
			if n > 1 {
				try = ", or try fewer workers (workers=1)"
			}
			return "", fmt.Errorf("%s; its slice failed %d times, so the run stopped. Reload the page%s", notice, s.Tries, try)
		}
		s.Sent = false
		notice += fmt.Sprintf("; replaced it and re-ran its slice of generation %d (genotypes %d–%d)", l.gen.Number, s.Lo, s.Hi-1)
	} else {
		notice += "; replaced it"
	}
	return notice, nil
}

// Deadline is how long an evaluator may owe a slice: until a generation
// of the run has been timed, PrepareDeadlineMs; then DeadlineFactor times
// the median slice time, and at least MinDeadlineMs.
func (l *Ledger) Deadline() float64 {
	if len(l.timings) == 0 {
		return PrepareDeadlineMs
	}
	return max(MinDeadlineMs, DeadlineFactor*l.median(func(t Trace) float64 { return t.ComputeMs }))
}

// Overdue lists the evaluators to replace at now: those that owe a slice
// past the Deadline, or have been starting for PrepareDeadlineMs.
func (l *Ledger) Overdue(now float64) []Overdue {
	var out []Overdue
	seen := map[int]bool{}
	if l.gen != nil {
		d := l.Deadline()
		for i, s := range l.gen.Slices {
			if !s.Done && s.Sent && now-s.SentAt > d {
				out = append(out, Overdue{i, fmt.Sprintf("stopped answering (no result in %.1f s)", d/1000)})
				seen[i] = true
			}
		}
	}
	for i, p := range l.preparing {
		if p >= 0 && now-p > PrepareDeadlineMs && !seen[i] {
			out = append(out, Overdue{i, fmt.Sprintf("did not start within %d s", PrepareDeadlineMs/1000)})
		}
	}
	return out
}

// Progress reports a slow generation's progress at now: its number, its
// slices and how many are done, and its seconds so far; ok is false
// unless it has been out ProgressMs and last reported ProgressMs ago.
func (l *Ledger) Progress(now float64) (number, slices, done int, seconds float64, ok bool) {
	g := l.gen
	if g == nil || now-g.T0 <= ProgressMs || now-l.lastProgress < ProgressMs {
		return 0, 0, 0, 0, false
	}
	l.lastProgress = now
	for _, s := range g.Slices {
		if s.Done {
			done++
		}
	}
	return g.Number, len(g.Slices), done, (now - g.T0) / 1000, true
}

// Finish ends the generation out, whose sums were merged and applied
// from applyStart to applyEnd: it records its trace and returns it, with
// whether a step sent it. It returns false if no generation is out.
func (l *Ledger) Finish(applyStart, applyEnd float64) (genMs float64, stepped, ok bool) {
	g := l.gen
	if g == nil || len(g.Slices) == 0 {
		return 0, false, false
	}
	l.gen = nil
	genMs = applyEnd - g.T0
	last := g.Slices[0]
	var compute float64
	for _, s := range g.Slices {
		if s.ReceivedAt > last.ReceivedAt {
			last = s
		}
		compute = max(compute, s.Ms)
	}
	t := Trace{GenMs: genMs, ComputeMs: compute, CoordMs: g.CoordMs + applyEnd - applyStart,
		SendMs: g.CoordMs, ScoreMs: last.Ms, TransferMs: max(0, last.ReceivedAt-last.SentAt-last.Ms), ApplyMs: applyEnd - applyStart}
	t.IdleMs = max(0, genMs-t.SendMs-t.ScoreMs-t.TransferMs-t.ApplyMs)
	l.timings = append(l.timings, t)
	if len(l.timings) > TimingWindow {
		l.timings = l.timings[len(l.timings)-TimingWindow:]
	}
	l.applyEnd = applyEnd
	return genMs, g.Stepped, true
}

// Overlap records, at now, the end of the coordinator's work after the
// last Finish.
func (l *Ledger) Overlap(now float64) {
	if n := len(l.timings); n > 0 {
		l.timings[n-1].OverlapMs = now - l.applyEnd
	}
}

// Summary gives the medians of the last TimingWindow generations' traces.
func (l *Ledger) Summary() Summary {
	var s Summary
	med := l.median
	s.Generations = len(l.timings)
	s.GenMs = med(func(t Trace) float64 { return t.GenMs })
	s.ComputeMs = med(func(t Trace) float64 { return t.ComputeMs })
	s.CoordinatorMs = med(func(t Trace) float64 { return t.CoordMs })
	if s.GenMs > 0 {
		s.CoordinatorShare = s.CoordinatorMs / s.GenMs
		s.WaitShare = max(0, s.GenMs-s.ComputeMs) / s.GenMs
	}
	s.Trace.SendMs = med(func(t Trace) float64 { return t.SendMs })
	s.Trace.ScoreMs = med(func(t Trace) float64 { return t.ScoreMs })
	s.Trace.TransferMs = med(func(t Trace) float64 { return t.TransferMs })
	s.Trace.ApplyMs = med(func(t Trace) float64 { return t.ApplyMs })
	s.Trace.IdleMs = med(func(t Trace) float64 { return t.IdleMs })
	var sum float64
	for _, t := range l.timings {
		sum += t.OverlapMs
	}
	s.Trace.OverlapMs = sum / float64(max(1, len(l.timings)))
	return s
}

func (l *Ledger) median(f func(Trace) float64) float64 {
	xs := make([]float64, len(l.timings))
	for i, t := range l.timings {
		xs[i] = f(t)
	}
	return Median(xs)
}

// Median is the median of xs, 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	h := len(s) / 2
	if len(s)%2 == 1 {
		return s[h]
	}
	return (s[h-1] + s[h]) / 2
}

// The page's snapshots: while a run trains, the coordinator sends one at
// most every interval, which the page adapts to its frame rate (Adapt):
// redrawing costs a frame.
const (
	MinSnapshotMs     = 100
	MaxSnapshotMs     = 2000
	DefaultSnapshotMs = 250
)

// Interval is ms as a snapshot interval: within MinSnapshotMs and
// MaxSnapshotMs, DefaultSnapshotMs for a value that is not a number.
func Interval(ms float64) float64 {
	if ms != ms || ms == 0 { // NaN, or not given
		return DefaultSnapshotMs
	}
	return min(MaxSnapshotMs, max(MinSnapshotMs, ms))
}

// Adapt is the next snapshot interval after ms, given the page's frames
// per second: 1.5 times longer below 40, 1.25 times shorter above 50,
// rounded to whole ms, within Interval's bounds.
func Adapt(ms, fps float64) float64 {
	switch {
	case fps < 40:
		ms = min(MaxSnapshotMs, roundMs(ms*1.5))
	case fps > 50:
		ms = max(MinSnapshotMs, roundMs(ms/1.25))
	}
	return ms
}

func roundMs(x float64) float64 { return float64(int64(x + 0.5)) }

// Pace is the page's side: the frame rate it keeps while a run trains,
// and the snapshot interval it asks for.
type Pace struct {
	ms      float64
	history []float64 // frames per second, one a second, while running
}

// FPSWindow is the number of seconds in the frame rate's median.
const FPSWindow = 60

// NewPace starts at DefaultSnapshotMs.
func NewPace() *Pace { return &Pace{ms: DefaultSnapshotMs} }

// Second records a second's frame rate; while a run trains it joins the
// median and the interval adapts. It returns the interval, and whether
// it changed.
func (p *Pace) Second(fps float64, running bool) (ms float64, changed bool) {
	if !running {
		return p.ms, false
	}
	p.history = append(p.history, fps)
	if len(p.history) > FPSWindow {
		p.history = p.history[len(p.history)-FPSWindow:]
	}
	next := Adapt(p.ms, fps)
	changed = next != p.ms
	p.ms = next
	return p.ms, changed
}

// Interval is the snapshot interval asked for.
func (p *Pace) Interval() float64 { return p.ms }

// Median is the median frame rate of the seconds recorded, and how many.
func (p *Pace) Median() (fps float64, seconds int) { return Median(p.history), len(p.history) }
