package pipeline

import (
	"math"
	"strings"
	"testing"
)

// out starts generation 7 of 3 slices at t=0 and sends them at t=1.
func out(l *Ledger) {
	l.Start(7, [][2]int{{0, 34}, {34, 67}, {67, 100}}, 0, false)
	for i := range 3 {
		l.Sent(i, 1)
	}
	l.SentAll(2)
}

func TestReceive(t *testing.T) {
	var l Ledger
	out(&l)
	for _, c := range []struct {
		i, gen, lo, hi int
		owed, complete bool
	}{
		{0, 6, 0, 34, false, false},  // an earlier generation's
		{0, 7, 0, 33, false, false},  // not the slice owed
		{5, 7, 0, 34, false, false},  // no such evaluator
		{0, 7, 0, 34, true, false},   //
		{0, 7, 0, 34, false, false},  // twice
		{2, 7, 67, 100, true, false}, //
		{1, 7, 34, 67, true, true},   // the last
	} {
		owed, complete := l.Receive(c.i, c.gen, c.lo, c.hi, 3, 10)
		if owed != c.owed || complete != c.complete {
			t.Errorf("Receive(%d, gen %d, %d–%d) = %v, %v; want %v, %v", c.i, c.gen, c.lo, c.hi, owed, complete, c.owed, c.complete)
		}
	}
}

func TestRetryPolicy(t *testing.T) {
	var l Ledger
	out(&l)
	for try := 1; try < MaxTries; try++ {
		note, err := l.Failed(1, 3, "threw an error", 5)
		if err != nil || !strings.Contains(note, "worker 2 threw an error; replaced it and re-ran its slice of generation 7 (genotypes 34–66)") {
			t.Fatalf("try %d: %q, %v", try, note, err)
		}
		if l.Out().Slices[1].Sent {
			t.Fatalf("try %d: the lost slice is still marked sent", try)
		}
		l.Preparing(1, 3, 5) // its replacement
		if !l.Prepared(1) {
			t.Fatalf("try %d: the new evaluator is not told to send the slice it owes", try)
		}
		l.Sent(1, 6)
	}
	_, err := l.Failed(1, 3, "threw an error", 7)
	if err == nil || !strings.Contains(err.Error(), "failed 3 times") || !strings.Contains(err.Error(), "fewer workers") {
		t.Errorf("after %d tries: %v; want the run stopped, with what to try", MaxTries, err)
	}
	_, err = (&Ledger{}).Failed(0, 1, "x", 0)
	if err != nil {
		t.Errorf("an evaluator that owes nothing: %v", err)
	}
	var one Ledger
	one.Start(1, [][2]int{{0, 10}}, 0, false)
	for range MaxTries - 1 {
		one.Failed(0, 1, "x", 0)
	}
	if _, err := one.Failed(0, 1, "x", 0); err == nil || !strings.Contains(err.Error(), "smaller population") {
		t.Errorf("one worker: %v; want a smaller run suggested", err)
	}
}

func TestOverdue(t *testing.T) {
	var l Ledger
	l.Preparing(0, 2, 0)
	l.Preparing(1, 2, 0)
	if l.Ready() {
		t.Fatal("ready while both evaluators build the run")
	}
	l.Prepared(0)
	if got := l.Overdue(PrepareDeadlineMs + 1); len(got) != 1 || got[0].Index != 1 || !strings.Contains(got[0].Reason, "did not start within 120 s") {
		t.Errorf("a slow start: %v", got)
	}
	l.Prepared(1)
	if !l.Ready() {
		t.Fatal("not ready after both built the run")
	}
	// The first generation of a run gets the start-up's deadline.
	l.Start(1, [][2]int{{0, 50}, {50, 100}}, 0, false)
	l.Sent(0, 0)
	l.Sent(1, 0)
	if got := l.Overdue(PrepareDeadlineMs - 1); len(got) != 0 {
		t.Errorf("the first generation: %v", got)
	}
	l.Receive(0, 1, 0, 50, 300, 300)
	l.Receive(1, 1, 50, 100, 400, 400)
	l.Finish(400, 401)
	// Then 10 × the median slice time, at least 2 s.
	if d := l.Deadline(); d != 4000 {
		t.Errorf("deadline %v after a 400 ms slice, want 4000", d)
	}
	l.Start(2, [][2]int{{0, 50}, {50, 100}}, 1000, false)
	l.Sent(0, 1000)
	l.Sent(1, 1000)
	l.Receive(0, 2, 0, 50, 300, 1300)
	if got := l.Overdue(5001); len(got) != 1 || got[0].Index != 1 || got[0].Reason != "stopped answering (no result in 4.0 s)" {
		t.Errorf("an evaluator that owes a slice past the deadline: %v", got)
	}
	var fast Ledger
	fast.Start(1, [][2]int{{0, 1}}, 0, false)
	fast.Sent(0, 0)
	fast.Receive(0, 1, 0, 1, 1, 1)
	fast.Finish(1, 1)
	if d := fast.Deadline(); d != MinDeadlineMs {
		t.Errorf("deadline %v after a 1 ms slice, want the least, %d", d, MinDeadlineMs)
	}
}

func TestTrace(t *testing.T) {
	var l Ledger
	if _, _, ok := l.Finish(0, 1); ok {
		t.Fatal("finished a generation that was not out")
	}
	l.Start(3, [][2]int{{0, 50}, {50, 100}}, 100, true)
	l.Sent(0, 101)
	l.Sent(1, 102)
	l.SentAll(102)
	l.Receive(1, 3, 50, 100, 5, 110) // 8 ms round trip, 5 scoring
	l.Receive(0, 3, 0, 50, 6, 109)
	genMs, stepped, ok := l.Finish(111, 112)
	if !ok || !stepped || genMs != 12 {
		t.Fatalf("Finish = %v, %v, %v; want 12 ms, stepped", genMs, stepped, ok)
	}
	l.Overlap(115)
	s := l.Summary()
	want := Summary{Generations: 1, GenMs: 12, ComputeMs: 6, CoordinatorMs: 3, CoordinatorShare: 0.25, WaitShare: 0.5}
	want.Trace.SendMs, want.Trace.ScoreMs, want.Trace.TransferMs, want.Trace.ApplyMs, want.Trace.IdleMs, want.Trace.OverlapMs = 2, 5, 3, 1, 1, 3
	if s != want {
		t.Errorf("summary %+v\nwant    %+v", s, want)
	}
	for g := range 2 * TimingWindow {
		l.Start(g, [][2]int{{0, 1}}, 0, false)
		l.Receive(0, g, 0, 1, 1, 1)
		l.Finish(1, 2)
	}
	if n := l.Summary().Generations; n != TimingWindow {
		t.Errorf("%d generations in the window, want %d", n, TimingWindow)
	}
}

func TestProgress(t *testing.T) {
	var l Ledger
	out(&l)
	if _, _, _, _, ok := l.Progress(ProgressMs); ok {
		t.Error("a generation out for a second reports already")
	}
	l.Receive(0, 7, 0, 34, 1, 2)
	n, sl, done, secs, ok := l.Progress(2500)
	if !ok || n != 7 || sl != 3 || done != 1 || secs != 2.5 {
		t.Errorf("Progress = %d %d %d %v %v", n, sl, done, secs, ok)
	}
	if _, _, _, _, ok := l.Progress(3000); ok {
		t.Error("reported twice within a second")
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{4, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := Median(c.xs); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

func TestPace(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{math.NaN(), 250}, {0, 250}, {5, 100}, {1e9, 2000}, {300, 300}} {
		if got := Interval(c.in); got != c.want {
			t.Errorf("Interval(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	p := NewPace()
	if ms, changed := p.Second(10, false); ms != 250 || changed {
		t.Errorf("paused: %v %v", ms, changed)
	}
	var ms float64
	for range 20 {
		ms, _ = p.Second(20, true)
	}
	if ms != MaxSnapshotMs {
		t.Errorf("after 20 slow seconds the interval is %v, want %d", ms, MaxSnapshotMs)
	}
	if ms, changed := p.Second(45, true); ms != MaxSnapshotMs || changed {
		t.Errorf("between 40 and 50 fps the interval moved: %v %v", ms, changed)
	}
	ms, _ = p.Second(60, true)
	if ms != 1600 {
		t.Errorf("after a fast second: %v, want 1600", ms)
	}
	for range 40 {
		ms, _ = p.Second(60, true)
	}
	if ms != MinSnapshotMs {
		t.Errorf("after 40 fast seconds: %v, want %d", ms, MinSnapshotMs)
	}
	if fps, n := p.Median(); n != FPSWindow || fps != 60 {
		t.Errorf("median %v of %d seconds", fps, n)
	}
}
