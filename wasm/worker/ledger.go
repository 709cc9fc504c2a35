//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"

	"nnesim/wasm/pipeline"
)

// The coordinator's ledger of the generation out with its evaluators
// (wasm/pipeline), for coordinator.js, which moves the bytes and says
// what happened; times are the page's clock, read here.
//
//	preparing(i, n) → evaluator i of n builds the run from now
//	prepared(i) → it has; true when it owes a slice not yet sent
//	ready() → every evaluator has built the run
//	sent(i), sentAll() → slice i went out; the whole generation has
//	received(i, generation, lo, hi, ms) → 0: drop the sums (late, or not
//	    the slice owed), 1: kept, 2: kept and the generation is complete
//	failed(i, n, reason) → {notice} (re-send its slice, if it owed one, once
//	    replaced) or {fatal}: the slice failed pipeline.MaxTries times
//	overdue() → [[i, reason], …]: evaluators to replace
//	overlap() → the coordinator's work after apply ends now
//	progress() → {generation, slices, slicesDone, seconds} of a slow
//	    generation, at most once a second, or null
//	interval(ms) → ms as a snapshot interval (pipeline.Interval)
//	resetRun() → forget the run's generation out and traces
//	drop() → forget the generation out: the run stopped
func (w *worker) ledgerAPI() map[string]func(js.Value, []js.Value) any {
	l := &w.ledger
	return map[string]func(js.Value, []js.Value) any{
		"preparing": func(_ js.Value, a []js.Value) any { l.Preparing(intArg(a, 0), intArg(a, 1), now()); return nil },
		"prepared":  func(_ js.Value, a []js.Value) any { return l.Prepared(intArg(a, 0)) },
		"ready":     func(js.Value, []js.Value) any { return l.Ready() },
		"sent":      func(_ js.Value, a []js.Value) any { l.Sent(intArg(a, 0), now()); return nil },
		"sentAll":   func(js.Value, []js.Value) any { l.SentAll(now()); return nil },
		"received": func(_ js.Value, a []js.Value) any {
			owed, complete := l.Receive(intArg(a, 0), intArg(a, 1), intArg(a, 2), intArg(a, 3), floatArg(a, 4), now())
			switch {
			case complete:
				return 2
			case owed:
				return 1
			}
			return 0
		},
		"failed": func(_ js.Value, a []js.Value) any {
			reason := "failed"
			if len(a) > 2 && a[2].Type() == js.TypeString {
				reason = a[2].String()
			}
			note, err := l.Failed(intArg(a, 0), intArg(a, 1), reason, now())
			if err != nil {
				return fatal(err)
			}
			return map[string]any{"notice": note}
		},
		"overdue": func(js.Value, []js.Value) any {
			var out []any
			for _, o := range l.Overdue(now()) {
				out = append(out, []any{o.Index, o.Reason})
			}
			return out
		},
		"overlap": func(js.Value, []js.Value) any { l.Overlap(now()); return nil },
		"progress": func(js.Value, []js.Value) any {
			g, n, done, secs, ok := l.Progress(now())
			if !ok {
				return js.Null()
			}
			return map[string]any{"generation": g, "slices": n, "slicesDone": done, "seconds": secs}
		},
		"interval": func(_ js.Value, a []js.Value) any { return pipeline.Interval(floatArg(a, 0)) },
		"resetRun": func(js.Value, []js.Value) any { l.Reset(); return nil },
		"drop":     func(js.Value, []js.Value) any { l.Drop(); return nil },
	}
}

// timing is the ledger's summary as the page reads it (status().timing),
// its fields named once, by pipeline.Summary's JSON tags.
func timing(s pipeline.Summary) js.Value {
	b, err := json.Marshal(s)
	if err != nil { // a NaN or an infinity: no summary rather than a wrong one
		return js.Null()
	}
	return js.Global().Get("JSON").Call("parse", string(b))
}

// now is the page's clock, in milliseconds.
func now() float64 { return js.Global().Get("performance").Call("now").Float() }

func intArg(a []js.Value, i int) int {
	if i >= len(a) || a[i].Type() != js.TypeNumber {
		return -1
	}
	return a[i].Int()
}

func floatArg(a []js.Value, i int) float64 {
	if i >= len(a) || a[i].Type() != js.TypeNumber {
		return 0
	}
	return a[i].Float()
}
