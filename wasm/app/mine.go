//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"nnesim/core/mnist"
	"nnesim/wasm/jsarray"
)

// "My digits": the page asks for digits to draw, keeps them with their
// class (mnist.Mine) and scores every run of the race on them. The
// page's scripts call these through globalThis.nnesimApp (see main.go's
// list); the policy (prompts, checks, scoring) is mnist.Mine's.

// mineState is what the page shows of the drawn set: the digit asked
// for (prompt, at, of; asking false when no round is under way) and the
// drawings kept, with how many of each digit.
func (g *Game) mineState() map[string]any {
	class, at, of, ok := g.mine.Prompt()
	counts := make([]any, 10)
	for d := range counts {
		counts[d] = 0
	}
	for _, l := range g.mine.Set.Labels {
		counts[l] = counts[l].(int) + 1
	}
	return map[string]any{"asking": ok, "prompt": class, "at": at, "of": of, "kept": g.mine.Set.Len(), "counts": counts}
}

// withState returns the set's state, or {error} with the state.
func (g *Game) withState(err error) any {
	s := g.mineState()
	if err != nil {
		s["error"] = err.Error()
	}
	return s
}

// jsMine runs mine(action, …) and returns the set's state ({error} too
// when the action was refused): start(each) asks for each of the first
// run's digits each times (mnist.MineEach if each is not a number); keep() keeps the pad's drawing as the digit
// asked for and clears the pad; skip(), stop(), forget(); state().
func (g *Game) jsMine(_ js.Value, a []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	action := ""
	if len(a) > 0 && a[0].Type() == js.TypeString {
		action = a[0].String()
	}
	switch action {
	case "start":
		each := mnist.MineEach
		if len(a) > 1 && a[1].Type() == js.TypeNumber {
			each = a[1].Int()
		}
		var classes mnist.Digits
		if len(g.runs) > 0 {
			classes = g.runs[0].digits
		}
		return g.withState(g.mine.Start(classes, each))
	case "keep":
		if !g.hasInput {
			class, _, _, ok := g.mine.Prompt()
			if ok {
				return g.withState(fmt.Errorf("my digits: the pad is empty; draw a %d first", class))
			}
		}
		err := g.mine.Keep(g.input)
		if err == nil {
			g.clearPad()
			g.mineScores = nil
		}
		return g.withState(err)
	case "skip":
		g.mine.Skip()
		g.clearPad()
	case "stop":
		g.mine.Stop()
	case "forget":
		g.mine.Forget()
		g.mineScores = nil
	case "state":
	default:
		return g.withState(fmt.Errorf("mine(%q): want start, keep, skip, stop, forget or state", action))
	}
	return g.mineState()
}

// jsMineIDX returns the drawings as an IDX pair {images, labels}
// (Uint8Arrays; mnist.Mine.IDX), for export and the page's storage.
func (g *Game) jsMineIDX(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	images, labels := g.mine.IDX()
	return map[string]any{"images": jsarray.Bytes(images), "labels": jsarray.Bytes(labels)}
}

// jsMineLoad replaces the drawings with an IDX pair's (mineLoad(images,
// labels), Uint8Arrays): "" or what was wrong, the drawings unchanged.
func (g *Game) jsMineLoad(_ js.Value, a []js.Value) any {
	u8 := js.Global().Get("Uint8Array")
	if len(a) < 2 || !a[0].InstanceOf(u8) || !a[1].InstanceOf(u8) {
		return "mineLoad(images, labels): want two Uint8Arrays"
	}
	images, labels := make([]byte, a[0].Length()), make([]byte, a[1].Length())
	js.CopyBytesToGo(images, a[0])
	js.CopyBytesToGo(labels, a[1])
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.mine.Load(images, labels); err != nil {
		return err.Error()
	}
	g.mineScores = nil
	return ""
}

// jsMineMerge adds the drawings of an IDX pair that the set lacks
// (mineMerge(images, labels), Uint8Arrays; mnist.Mine.Merge): {added,
// kept} or {error}, the drawings unchanged.
func (g *Game) jsMineMerge(_ js.Value, a []js.Value) any {
	u8 := js.Global().Get("Uint8Array")
	if len(a) < 2 || !a[0].InstanceOf(u8) || !a[1].InstanceOf(u8) {
		return map[string]any{"error": "mineMerge(images, labels): want two Uint8Arrays"}
	}
	images, labels := make([]byte, a[0].Length()), make([]byte, a[1].Length())
	js.CopyBytesToGo(images, a[0])
	js.CopyBytesToGo(labels, a[1])
	g.mu.Lock()
	defer g.mu.Unlock()
	n, err := g.mine.Merge(images, labels)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	if n > 0 {
		g.mineScores = nil
	}
	return map[string]any{"added": n, "kept": g.mine.Set.Len()}
}

// jsMineImages returns the drawings' inputs (a Float32Array of n×784,
// what the runs read) and their digits, for the page to classify them
// with every run: {pixels, labels, size} (size: the values of one).
func (g *Game) jsMineImages(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	labels := make([]any, g.mine.Set.Len())
	for i, l := range g.mine.Set.Labels {
		labels[i] = int(l)
	}
	return map[string]any{"pixels": jsarray.New(mnist.Floats(nil, g.mine.Set.Images)), "labels": labels, "size": mnist.Pixels}
}

// jsMineScore scores the race's runs on the drawings: mineScore(answers)
// with answers[r][i] run r's probabilities for the ten digits of drawing
// i (or null) gives {runs: [{label, right, total, accuracy, confusion}],
// wrong: [{index, digit, answers}]}: each run's score (mnist.ScoreRun)
// and the drawings some run read wrong, with every run's answer, and
// drawings: every drawing so, with wrong: whether some run read it wrong;
// or {error}.
func (g *Game) jsMineScore(_ js.Value, a []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(a) == 0 || a[0].Type() != js.TypeObject || a[0].Length() != len(g.runs) {
		return map[string]any{"error": "mineScore(answers): want an answer list for each run of the race"}
	}
	n := g.mine.Set.Len()
	runs := make([]any, len(g.runs))
	answers := make([][]int, len(g.runs))
	scores := map[string][2]int{}
	for r := range g.runs {
		ra := a[0].Index(r)
		probs := make([][]float64, n)
		for i := 0; i < n && ra.Type() == js.TypeObject && i < ra.Length(); i++ {
			p := ra.Index(i)
			if p.Type() != js.TypeObject || p.Length() != 10 {
				continue
			}
			probs[i] = make([]float64, 10)
			for d := range probs[i] {
				probs[i][d] = p.Index(d).Float()
			}
		}
		s, err := g.mine.ScoreRun(probs)
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		answers[r] = s.Answers
		scores[g.runs[r].label] = [2]int{s.Total, s.Right}
		conf := make([]any, 10)
		for t := range conf {
			row := make([]any, 10)
			for p := range row {
				row[p] = s.Confusion[t][p]
			}
			conf[t] = row
		}
		runs[r] = map[string]any{"label": g.runs[r].label, "right": s.Right, "total": s.Total, "accuracy": s.Accuracy(), "confusion": conf}
	}
	wrong, drawings := []any{}, make([]any, n)
	for i := 0; i < n; i++ {
		digit := int(g.mine.Set.Labels[i])
		bad := false
		each := make([]any, len(g.runs))
		for r := range g.runs {
			each[r] = answers[r][i]
			bad = bad || answers[r][i] != digit
		}
		d := map[string]any{"index": i, "digit": digit, "answers": each, "wrong": bad}
		drawings[i] = d
		if bad {
			wrong = append(wrong, d)
		}
	}
	g.mineScores = scores
	return map[string]any{"runs": runs, "wrong": wrong, "drawings": drawings}
}
