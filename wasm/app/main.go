//go:build js && wasm

// Command app is the browser app's canvas: ebiten draws the pictures of
// render for the runs that the workers train (a race: one run per rule,
// or a single run), and the draw pad. The page glue (public/engine.js)
// feeds it through globalThis.nnesimApp:
//
//	setRace(labels)      the race's runs, by label, in order (one: a run)
//	configure(i, run)    run i is new: rule, labels, test grid
//	update(i, snapshot)  a snapshot of run i's worker: curves, and the
//	                     learner's pictures (weights, confusion, p for NNE)
//	padInput()           the pad's input {version, pixels Float32Array}
//	                     or null when the pad is empty
//	setProbs(i, version, p) run i's class probabilities for that input
//	prediction()         run 0's prediction for the pad {label, probs} or
//	                     null
//	predictions()        every run's: [{label, digit, probs} or null]
//	select(i)            show run i's pictures in the per-run panels
//	selected()           the run shown there
//	pointer(x, y)        a mouse over CSS point (x, y) (negative: it left):
//	                     the curves show the value under it
//	tap(x, y)            a click or tap at (x, y): on the curves' axis
//	                     switch it toggles seconds and steps, elsewhere on a
//	                     curve it shows the value; reports whether it hit
//	axis()               the curves' x-axis: "seconds" or "steps", and
//	                     the switch's rectangle in CSS pixels
//	padRect()            the pad in CSS pixels of this frame
//	clearRect()          the pad's Clear button in CSS pixels, or null
//	clearPad()           clear the pad
//	onControl(x, y)      whether CSS point (x, y) is on the pad or its
//	                     Clear button (touches elsewhere scroll the page)
//	contentHeight(w)     CSS height the panels need at CSS width w
//	panels()             the panels on the canvas: [{name, x, y, width,
//	                     height, title, about, alt}] in CSS pixels of
//	                     this frame, with the panel's explanation
//	                     (render.Explain) and its text alternative, what
//	                     it shows now
//	tour()               the first-visit tour's steps [{target, text}]
//	                     (render.Tour)
//	fit(on)              lay out only the panels that fit the canvas's
//	                     height (an embed) instead of all of them
//	hide(list)           hide the panels named in a comma-separated list
//	                     (render.ParseHidden); returns an error message or ""
//	png()                the canvas panels as PNG bytes (Uint8Array)
//	setTheme(dark)       draw with render.Dark (true) or render.Light
//	runColors()          the runs' colours in that palette, CSS strings
//	pace(fps, running)   a second's frame rate → {interval, changed}: the
//	                     snapshot interval to ask for (pipeline.Pace)
//	frameRate()          {median, seconds}: the median frame rate while
//	                     training, over the last minute
//	announce(now, runs)  the sentence a screen reader hears now
//	                     (render.Announcer: milestones, one every few
//	                     seconds), for runs [{label, unit, step,
//	                     testAccuracy, done}] at now (ms)
//	page(query, workers) the page's own parameters of a URL query
//	                     (pageurl.Parse, with the tab's default workers):
//	                     {autostart, embed, workers, tour, hide: {groups,
//	                     panels}, locks: {settings, controls, titles},
//	                     challenge (whether there is one), data (the
//	                     URL of data=, or ""), classes (names), errors}; it
//	                     keeps the challenge for challenge()
//	challenge(query, runs) the challenge's result now (lesson.Result),
//	                     or null: runs are the race's [{done, hash}]
//	pictureInput(rgba, w, h) a picture's input for the networks, the pad
//	                     untouched: {pixels} or {error}
//	mine(action, …)      "My digits" (mine.go): start(each), keep(),
//	                     skip(), stop(), forget(), state()
//	mineIDX(), mineLoad(images, labels), mineMerge(images, labels),
//	mineImages(), mineScore(answers)
//	                     the drawn set as an IDX pair, back from one,
//	                     merged with one (what it lacks), its inputs,
//	                     and every run's score on it
//	raceSummary(runs)    who won the race and why, in lines
//	                     (render.RaceSummary): runs are the race's
//	                     [{workers, done}]
//	predict(i)           the student predicts run i (a predict
//	                     challenge); "" or why it may not
//	restorePrediction(label) a kept prediction, by its run's label
//	encodeState(query, runs, bytes) the state a course platform keeps
//	                     (lesson.State: the query, prediction, run file)
//	decodeState(s)       {query, prediction, run} of such a state, or
//	                     {error}
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"net/url"
	"slices"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"nnesim/core/mnist"
	"nnesim/core/settings"
	"nnesim/render"
	"nnesim/wasm/jsarray"
	"nnesim/wasm/lesson"
	"nnesim/wasm/pageurl"
	"nnesim/wasm/pipeline"
)

func main() {
	g := newGame()
	api := js.Global().Get("Object").New()
	api.Set("setRace", js.FuncOf(g.jsSetRace))
	api.Set("configure", js.FuncOf(g.jsConfigure))
	api.Set("predictions", js.FuncOf(g.jsPredictions))
	api.Set("select", js.FuncOf(g.jsSelect))
	api.Set("selected", js.FuncOf(g.jsSelected))
	api.Set("pointer", js.FuncOf(g.jsPointer))
	api.Set("tap", js.FuncOf(g.jsTap))
	api.Set("axis", js.FuncOf(g.jsAxis))
	api.Set("update", js.FuncOf(g.jsUpdate))
	api.Set("padInput", js.FuncOf(g.jsPadInput))
	api.Set("setProbs", js.FuncOf(g.jsSetProbs))
	api.Set("prediction", js.FuncOf(g.jsPrediction))
	api.Set("padRect", js.FuncOf(g.jsPadRect))
	api.Set("padPicture", js.FuncOf(g.jsPadPicture))
	api.Set("pictureInput", js.FuncOf(jsPictureInput))
	api.Set("confusionCell", js.FuncOf(g.jsConfusionCell))
	api.Set("gridButtons", js.FuncOf(g.jsGridButtons))
	api.Set("clearRect", js.FuncOf(g.jsClearRect))
	api.Set("clearPad", js.FuncOf(g.jsClearPad))
	api.Set("onControl", js.FuncOf(g.jsOnControl))
	api.Set("contentHeight", js.FuncOf(g.jsContentHeight))
	api.Set("panels", js.FuncOf(g.jsPanels))
	api.Set("tour", js.FuncOf(jsTour))
	api.Set("hide", js.FuncOf(g.jsHide))
	api.Set("fit", js.FuncOf(g.jsFit))
	api.Set("png", js.FuncOf(g.jsPNG))
	api.Set("setTheme", js.FuncOf(g.jsSetTheme))
	api.Set("runColors", js.FuncOf(g.jsRunColors))
	// The page's frame rate and the snapshot interval it asks for
	// (wasm/pipeline).
	pace := pipeline.NewPace()
	api.Set("pace", js.FuncOf(func(_ js.Value, a []js.Value) any {
		if len(a) < 2 || a[0].Type() != js.TypeNumber {
			return map[string]any{"interval": pace.Interval(), "changed": false}
		}
		ms, changed := pace.Second(a[0].Float(), a[1].Truthy())
		return map[string]any{"interval": ms, "changed": changed}
	}))
	api.Set("frameRate", js.FuncOf(func(js.Value, []js.Value) any {
		fps, n := pace.Median()
		if n == 0 {
			return map[string]any{"median": nil, "seconds": 0}
		}
		return map[string]any{"median": fps, "seconds": n}
	}))
	api.Set("page", js.FuncOf(g.jsPage))
	api.Set("challenge", js.FuncOf(g.jsChallenge))
	api.Set("raceSummary", js.FuncOf(g.jsRaceSummary))
	api.Set("mine", js.FuncOf(g.jsMine))
	api.Set("mineIDX", js.FuncOf(g.jsMineIDX))
	api.Set("mineLoad", js.FuncOf(g.jsMineLoad))
	api.Set("mineMerge", js.FuncOf(g.jsMineMerge))
	api.Set("mineImages", js.FuncOf(g.jsMineImages))
	api.Set("mineScore", js.FuncOf(g.jsMineScore))
	api.Set("predict", js.FuncOf(g.jsPredict))
	api.Set("restorePrediction", js.FuncOf(g.jsRestorePrediction))
	api.Set("encodeState", js.FuncOf(g.jsEncodeState))
	api.Set("decodeState", js.FuncOf(jsDecodeState))
	var announcer render.Announcer
	api.Set("announce", js.FuncOf(func(_ js.Value, a []js.Value) any {
		if len(a) < 2 || a[0].Type() != js.TypeNumber || a[1].Type() != js.TypeObject {
			return ""
		}
		runs := make([]render.RunState, a[1].Length())
		for i := range runs {
			r := a[1].Index(i)
			acc := math.NaN()
			if v := r.Get("testAccuracy"); v.Type() == js.TypeNumber {
				acc = v.Float()
			}
			str := func(k string) string {
				if v := r.Get(k); v.Type() == js.TypeString {
					return v.String()
				}
				return ""
			}
			step := 0
			if v := r.Get("step"); v.Type() == js.TypeNumber {
				step = v.Int()
			}
			runs[i] = render.RunState{Label: str("label"), Unit: str("unit"), Step: step, TestAccuracy: acc, Done: r.Get("done").Truthy()}
		}
		return announcer.Update(a[0].Float(), runs)
	}))
	js.Global().Set("nnesimApp", api)
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetWindowTitle("nnesim")
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("error", "nnesim app: "+err.Error())
	}
}

// arrays reads typed arrays from snapshots, keeping the first error.
type arrays struct{ err error }

func (a *arrays) float32s(v js.Value, name string) []float32 { return get[float32](a, v, name) }
func (a *arrays) int32s(v js.Value, name string) []int32     { return get[int32](a, v, name) }

func get[T jsarray.Elem](a *arrays, v js.Value, name string) []T {
	x, err := jsarray.Slice[T](v)
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("%s: %w", name, err)
	}
	return x
}

func (g *Game) jsSetRace(_ js.Value, args []js.Value) any {
	if len(args) == 0 || args[0].Type() != js.TypeObject {
		return nil
	}
	labels := make([]string, args[0].Length())
	for i := range labels {
		labels[i] = args[0].Index(i).String()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.setRace(labels)
	return nil
}

// runAt returns run i, or nil if the race has no run i.
func (g *Game) runAt(v js.Value) *model {
	if v.Type() != js.TypeNumber {
		return nil
	}
	i := v.Int()
	if i < 0 || i >= len(g.runs) {
		return nil
	}
	return &g.runs[i]
}

func (g *Game) jsConfigure(_ js.Value, args []js.Value) any {
	if len(args) < 2 {
		return "configure: want (index, run)"
	}
	run := args[1]
	s := run.Get("settings")
	d, err := mnist.ParseDigits(s.Get("digits").String())
	if err != nil {
		return err.Error()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	// A run configured (new, continued or restored) has other weights than
	// the ones that read the drawings: their scores are dropped.
	g.mineScores = nil
	at := g.runAt(args[0])
	if at == nil {
		return fmt.Sprintf("configure: no run %v in a race of %d", args[0], len(g.runs))
	}
	m := model{digits: d, numTest: run.Get("numTest").Int(), algo: s.Get("algo").String(), unit: "generation", label: at.label, color: at.color, grid: mnist.AllDigits}
	// The run's rule as the worker describes it (learner.Rule).
	rule := run.Get("rule")
	if rule.Type() != js.TypeObject {
		return "configure: the run has no rule"
	}
	m.title, m.plot = rule.Get("network").String(), rule.Get("plot").String()
	for i, ps := 0, rule.Get("phases"); i < ps.Length(); i++ {
		m.phases = append(m.phases, phase{unit: ps.Index(i).Get("unit").String(), stop: ps.Index(i).Get("stop").Int(), does: ps.Index(i).Get("does").String()})
	}
	m.pictures = []string{}
	for i, ps := 0, rule.Get("pictures"); i < ps.Length(); i++ {
		m.pictures = append(m.pictures, ps.Index(i).String())
	}
	if len(m.phases) > 0 {
		m.unit = m.phases[0].unit
	}
	for _, v := range d {
		m.labels = append(m.labels, string(rune('0'+v)))
	}
	var a arrays
	m.gridImages = a.float32s(run.Get("gridImages"), "gridImages")
	m.gridTruth = a.int32s(run.Get("gridTruth"), "gridTruth")
	if a.err != nil {
		return a.err.Error()
	}
	*at = m
	g.relayoutIfChanged()
	g.padVersion++ // the new run classifies the pad again
	for k := range g.panels {
		g.panels[k].dirty = true
	}
	if err := g.update(at, run.Get("snapshot")); err != nil {
		return err.Error()
	}
	return ""
}

func (g *Game) jsUpdate(_ js.Value, args []js.Value) any {
	if len(args) < 2 {
		return "update: want (index, snapshot)"
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.runAt(args[0])
	if m == nil {
		return fmt.Sprintf("update: no run %v in a race of %d", args[0], len(g.runs))
	}
	if err := g.update(m, args[1]); err != nil {
		return err.Error()
	}
	return ""
}

// update takes in a snapshot of run m's worker.
func (g *Game) update(m *model, s js.Value) error {
	if m.labels == nil || s.IsUndefined() || s.IsNull() {
		return nil
	}
	var a arrays
	m.gen = s.Get("step").Int()
	if u := s.Get("unit"); u.Type() == js.TypeString {
		m.unit = u.String()
	}
	m.seconds = s.Get("seconds").Float()
	if r := s.Get("rate"); r.Type() == js.TypeNumber {
		m.rate = r.Float()
	}
	gens, fit := a.float32s(s.Get("gens"), "gens"), a.float32s(s.Get("fitness"), "fitness")
	if len(gens) != len(fit) {
		return fmt.Errorf("snapshot: %d generations, %d fitness values", len(gens), len(fit))
	}
	for i := range gens {
		// Keep at most about 2,000 points: thin the older half when full.
		if len(m.fitX) >= 2000 {
			m.fitX, m.fitY = thin(m.fitX), thin(m.fitY)
		}
		m.fitX = append(m.fitX, float64(gens[i]))
		m.fitY = append(m.fitY, float64(fit[i]))
	}
	// Another run's pictures are not on the canvas: only its curve is.
	shown := m == g.cur()
	g.markDirty(render.PanelCurves)
	if shown {
		g.markDirty(render.PanelHistogram)
	}
	cx, ct, cr := get[float64](&a, s.Get("curveGens"), "curveGens"), get[float64](&a, s.Get("curveTest"), "curveTest"), get[float64](&a, s.Get("curveTrain"), "curveTrain")
	if len(cx) != len(ct) || len(cx) != len(cr) {
		return fmt.Errorf("snapshot: curve of %d generations, %d and %d accuracies", len(cx), len(ct), len(cr))
	}
	m.curveX = append(m.curveX, cx...)
	m.secY = append(m.secY, get[float64](&a, s.Get("curveSeconds"), "curveSeconds")...)
	if m.plot != "" && s.Get("curveSignals").Type() == js.TypeObject {
		m.plotY = append(m.plotY, get[float64](&a, s.Get("curveSignals").Get(m.plot), "curveSignals."+m.plot)...)
	}
	if u := s.Get("curveUnits"); !u.IsUndefined() {
		for i := range u.Length() {
			m.curveU = append(m.curveU, u.Index(i).String())
		}
	}
	m.testY = append(m.testY, ct...)
	m.trainY = append(m.trainY, cr...)
	if acc := s.Get("testAccuracy"); acc.Type() == js.TypeNumber {
		m.testAccuracy = acc.Float()
		m.fields = a.float32s(s.Get("fields"), "fields")
		m.output = a.float32s(s.Get("output"), "output")
		m.confusion = a.int32s(s.Get("confusion"), "confusion")
		m.gridPred = a.int32s(s.Get("gridPred"), "gridPred")
		if img := s.Get("gridImages"); !img.IsUndefined() {
			m.gridImages = a.float32s(img, "gridImages")
			m.gridTruth = a.int32s(s.Get("gridTruth"), "gridTruth")
		}
		if v := s.Get("grid"); v.Type() == js.TypeObject {
			m.grid = mnist.GridView{Truth: v.Get("truth").Int(), Pred: v.Get("pred").Int(), Page: v.Get("page").Int()}
			m.gridTotal = v.Get("total").Int()
		}
		m.linked = m.linked[:0]
		if l := s.Get("linked"); !l.IsUndefined() && !l.IsNull() {
			b := make([]byte, l.Get("length").Int())
			js.CopyBytesToGo(b, l)
			for _, v := range b {
				m.linked = append(m.linked, v != 0)
			}
		}
		m.p = nil
		if p := s.Get("p"); !p.IsUndefined() {
			m.p = a.float32s(p, "p")
			m.fixed = s.Get("fixed").Float()
		}
		m.shown = true
		g.padVersion++ // new weights: the pad's input is classified again
		if shown {
			g.markDirty(render.PanelTiles, render.PanelHeatMap, render.PanelGrid, render.PanelConfusion)
		}
	}
	if a.err != nil {
		return fmt.Errorf("snapshot: %w", a.err)
	}
	return nil
}

// thin keeps every other point of the first half of v.
func thin(v []float64) []float64 {
	h := len(v) / 2
	out := v[:0]
	for i := 0; i < h; i += 2 {
		out = append(out, v[i])
	}
	return append(out, v[h:]...)
}

// probsByDigit spreads run m's class probabilities over the ten digits.
func probsByDigit(m *model, probs []float64) js.Value {
	a := js.Global().Get("Array").New(10)
	for d := range 10 {
		a.SetIndex(d, 0)
	}
	for c, p := range probs {
		a.SetIndex(m.digits[c], p)
	}
	return a
}

func (g *Game) jsPadInput(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.hasInput {
		return js.Null()
	}
	o := js.Global().Get("Object").New()
	o.Set("version", g.padVersion)
	// stroke is the version of the drawing itself (a new version without
	// a new stroke is new weights to classify it with).
	o.Set("stroke", g.inputVersion)
	o.Set("pixels", jsarray.New(g.input))
	return o
}

// jsSetProbs takes run i's probabilities for the pad's input of a
// version: an answer for the current input (a version since it last
// changed) and no older than the run's last one. It returns whether it
// took them: the page tells a course page a drawing's answers only once
// every run's answer for that drawing was taken.
func (g *Game) jsSetProbs(_ js.Value, args []js.Value) any {
	if len(args) < 3 || args[1].Type() != js.TypeNumber {
		return false
	}
	probs, err := jsarray.Slice[float64](args[2])
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.runAt(args[0])
	v := args[1].Int()
	if m == nil || err != nil || v < g.inputVersion || v < m.probsVersion || len(probs) != len(m.labels) {
		return false // an answer for an older input or run
	}
	m.probs, m.probsVersion = probs, v
	g.markDirty(render.PanelPad)
	return true
}

// prediction returns run m's prediction for the pad, or null.
func prediction(m *model) js.Value {
	if m.probs == nil {
		return js.Null()
	}
	o := js.Global().Get("Object").New()
	best := 0
	for c, p := range m.probs {
		if p > m.probs[best] {
			best = c
		}
	}
	o.Set("label", m.digits[best])
	o.Set("run", m.label)
	o.Set("probs", probsByDigit(m, m.probs))
	return o
}

func (g *Game) jsPrediction(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.runs) == 0 {
		return js.Null()
	}
	return prediction(&g.runs[0])
}

func (g *Game) jsPredictions(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := js.Global().Get("Array").New()
	for i := range g.runs {
		a.Call("push", prediction(&g.runs[i]))
	}
	return a
}

func (g *Game) jsSelect(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(args) > 0 && g.runAt(args[0]) != nil {
		g.sel = args[0].Int()
		g.markDirty(render.PanelCurves, render.PanelHistogram, render.PanelTiles, render.PanelHeatMap, render.PanelGrid, render.PanelConfusion)
	}
	return nil
}

func (g *Game) jsSelected(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sel
}

// cssPoint reads CSS point (x, y) from args in device pixels.
func (g *Game) cssPoint(args []js.Value) (image.Point, bool) {
	if len(args) < 2 || args[0].Type() != js.TypeNumber || args[1].Type() != js.TypeNumber {
		return image.Point{}, false
	}
	return image.Pt(int(args[0].Float()*g.scale), int(args[1].Float()*g.scale)), true
}

func (g *Game) jsPointer(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	pt, ok := g.cssPoint(args)
	g.setHover(pt, ok && pt.X >= 0 && pt.Y >= 0)
	return nil
}

func (g *Game) jsAxis(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	o := js.Global().Get("Object").New()
	o.Set("x", map[bool]string{true: "seconds", false: "steps"}[g.xSeconds])
	if g.scale > 0 {
		r := g.axisBtn
		o.Set("switch", map[string]any{"x": float64(r.Min.X) / g.scale, "y": float64(r.Min.Y) / g.scale,
			"width": float64(r.Dx()) / g.scale, "height": float64(r.Dy()) / g.scale})
	}
	return o
}

func (g *Game) jsTap(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	pt, ok := g.cssPoint(args)
	if !ok {
		return false
	}
	if pt.In(g.axisBtn) {
		g.xSeconds = !g.xSeconds
		g.markDirty(render.PanelCurves)
		return true
	}
	if v, ok := g.gridTap(pt); ok {
		return map[string]any{"grid": map[string]any{"run": g.sel, "truth": v.Truth, "pred": v.Pred, "page": v.Page}}
	}
	if pt.In(g.panels[render.PanelCurves].rect) {
		g.setHover(pt, true)
		return true
	}
	return false
}

func (g *Game) jsPadRect(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cssRect(g.padRect)
}

// jsPadPicture puts a picture of a digit on the pad: (rgba, width,
// height), the RGBA bytes a canvas gives (Uint8ClampedArray or
// Uint8Array). It returns "" or what was wrong; sizes are checked before
// anything is copied.
func (g *Game) jsPadPicture(_ js.Value, a []js.Value) any {
	b, w, h, why := pictureArgs(a)
	if why != "" {
		return why
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.setPicture(b, w, h); err != nil {
		return err.Error()
	}
	return ""
}

// pictureArgs reads a picture's arguments (RGBA bytes, width, height),
// checked before the bytes are copied; why says what is wrong.
func pictureArgs(a []js.Value) (b []byte, w, h int, why string) {
	if len(a) < 3 || a[1].Type() != js.TypeNumber || a[2].Type() != js.TypeNumber || a[0].Type() != js.TypeObject {
		return nil, 0, 0, "want the picture's RGBA bytes, width and height"
	}
	w, h = a[1].Int(), a[2].Int()
	if w < 1 || h < 1 || w > mnist.MaxImageSide || h > mnist.MaxImageSide {
		return nil, 0, 0, fmt.Sprintf("a %d×%d picture; want 1 to %d pixels a side", w, h, mnist.MaxImageSide)
	}
	if n := a[0].Get("length"); n.Type() != js.TypeNumber || n.Int() != 4*w*h {
		return nil, 0, 0, fmt.Sprintf("want %d RGBA bytes for a %d×%d picture", 4*w*h, w, h)
	}
	b = make([]byte, 4*w*h)
	if js.CopyBytesToGo(b, a[0]) != len(b) {
		return nil, 0, 0, "the picture's bytes could not be read"
	}
	return b, w, h, ""
}

// jsPictureInput is the input the networks read of a picture of a digit
// (mnist.FromImage, as padPicture makes it), leaving the pad as it is:
// pictureInput(rgba, w, h) gives {pixels} (a Float32Array of 784) or
// {error}. Several pictures dropped at once are read so, into a table.
func jsPictureInput(_ js.Value, a []js.Value) any {
	b, w, h, why := pictureArgs(a)
	if why != "" {
		return map[string]any{"error": why}
	}
	in := make([]float32, mnist.Pixels)
	if _, err := mnist.FromImage(in, b, w, h); err != nil {
		return map[string]any{"error": err.Error()}
	}
	return map[string]any{"pixels": jsarray.New(in)}
}

// jsConfusionCell is the rectangle, in CSS pixels, of the confusion
// matrix's cell (row, col) as last drawn (col or row −1: a label), or
// null.
func (g *Game) jsConfusionCell(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(args) < 2 || args[0].Type() != js.TypeNumber || args[1].Type() != js.TypeNumber || g.confRect.Empty() {
		return js.Null()
	}
	r := g.style.ConfusionCellRect(g.confRect, len(g.cur().labels), args[0].Int(), args[1].Int())
	if r.Empty() {
		return js.Null()
	}
	return g.cssRect(r)
}

// jsGridButtons is the grid pager's buttons in CSS pixels: prev, next
// and all, each null when not shown.
func (g *Game) jsGridButtons(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	o := js.Global().Get("Object").New()
	for name, r := range map[string]image.Rectangle{"prev": g.gridPrev, "next": g.gridNext, "all": g.gridAll} {
		if r.Empty() {
			o.Set(name, js.Null())
		} else {
			o.Set(name, g.cssRect(r))
		}
	}
	return o
}

// jsClearRect is the pad's Clear button in CSS pixels, or null.
func (g *Game) jsClearRect(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clearBtn.Empty() {
		return js.Null()
	}
	return g.cssRect(g.clearBtn)
}

// jsClearPad clears the pad (its Clear button as an HTML button, which a
// quick tap or the keyboard presses).
func (g *Game) jsClearPad(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.clearPad()
	return nil
}

// cssRect is r, in device pixels, as {x, y, width, height} in CSS
// pixels, or null before the first layout.
func (g *Game) cssRect(r image.Rectangle) any {
	if g.scale == 0 {
		return js.Null()
	}
	o := js.Global().Get("Object").New()
	o.Set("x", float64(r.Min.X)/g.scale)
	o.Set("y", float64(r.Min.Y)/g.scale)
	o.Set("width", float64(r.Dx())/g.scale)
	o.Set("height", float64(r.Dy())/g.scale)
	return o
}

func (g *Game) jsOnControl(_ js.Value, args []js.Value) any {
	if len(args) < 2 {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	pt := image.Pt(int(args[0].Float()*g.scale), int(args[1].Float()*g.scale))
	return pt.In(g.padRect) || pt.In(g.clearBtn)
}

func (g *Game) jsPanels(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	list := js.Global().Get("Array").New()
	if g.scale == 0 {
		return list
	}
	for k := range g.panels {
		r := g.panels[k].rect
		if r.Empty() {
			continue
		}
		o := js.Global().Get("Object").New()
		o.Set("name", render.PanelName(k))
		o.Set("x", float64(r.Min.X)/g.scale)
		o.Set("y", float64(r.Min.Y)/g.scale)
		o.Set("width", float64(r.Dx())/g.scale)
		o.Set("height", float64(r.Dy())/g.scale)
		e := render.Explain(k)
		o.Set("title", e.Title)
		o.Set("about", e.About)
		o.Set("alt", g.describe(k))
		list.Call("push", o)
	}
	return list
}

func (g *Game) jsSetTheme(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.setTheme(len(args) > 0 && args[0].Truthy())
	return nil
}

// jsRunColors returns the race's run colours in the current palette, as
// CSS colours, so that the page's tabs match the canvas.
func (g *Game) jsRunColors(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	list := js.Global().Get("Array").New()
	for _, c := range g.palette.Runs {
		list.Call("push", fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B))
	}
	return list
}

func jsTour(js.Value, []js.Value) any {
	list := js.Global().Get("Array").New()
	for _, s := range render.Tour {
		o := js.Global().Get("Object").New()
		o.Set("target", s.Target)
		o.Set("text", s.Text)
		list.Call("push", o)
	}
	return list
}

func (g *Game) jsContentHeight(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.style
	if st == nil {
		var err error
		if st, err = render.NewStyle(1); err != nil {
			return 0
		}
	}
	_, h := st.Layout(args[0].Float(), g.visible())
	return float64(h) / st.Scale
}

func (g *Game) jsHide(_ js.Value, args []js.Value) any {
	shown, err := render.ParseHidden(args[0].String())
	if err != nil {
		return err.Error()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.setShown(shown)
	return ""
}

func (g *Game) jsFit(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fit = len(args) > 0 && args[0].Truthy()
	if g.style != nil {
		g.relayout(g.scale, g.width)
	}
	return nil
}

func (g *Game) jsPNG(js.Value, []js.Value) any {
	g.mu.Lock()
	img := g.picture()
	g.mu.Unlock()
	if img == nil {
		return js.Null()
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return js.Null()
	}
	return jsarray.Bytes(buf.Bytes())
}

// jsPage reads the page's own parameters of a URL query (pageurl.Parse),
// with the hide= names of the canvas's panels (render) and the rules and
// settings names.js lists; it keeps the query's challenge for
// jsChallenge.
func (g *Game) jsPage(_ js.Value, a []js.Value) any {
	if len(a) < 2 || a[0].Type() != js.TypeString || a[1].Type() != js.TypeNumber {
		return map[string]any{"errors": []any{"page(query, workers): want a string and a number"}}
	}
	var errs []any
	q, err := url.ParseQuery(strings.TrimPrefix(a[0].String(), "?"))
	if err != nil {
		errs = append(errs, "the URL query is malformed ("+settings.Clip(err.Error())+"); the other parameters count")
	}
	names := js.Global().Get("nnesimNames")
	known := pageurl.Known{Panels: render.PanelNames(), Groups: render.PanelGroups,
		Rules: jsStrings(names.Get("rules")), Settings: jsStrings(names.Get("settings"))}
	p, perrs := pageurl.Parse(q, known, a[1].Int())
	for _, e := range perrs {
		errs = append(errs, e)
	}
	g.mu.Lock()
	if same := (g.challenge == nil) == (p.Challenge == nil) && (g.challenge == nil || *g.challenge == *p.Challenge); !same {
		g.predicted, g.predictionRan = -1, false
	}
	g.challenge = p.Challenge
	g.mu.Unlock()
	titles := map[string]any{}
	for _, n := range slices.Concat(p.Locks.Settings, p.Locks.Controls) {
		titles[n] = lesson.Why(n)
	}
	return map[string]any{
		"autostart": p.Autostart, "embed": p.Embed, "workers": p.Workers, "tour": p.Tour,
		"hide":      map[string]any{"groups": jsarray.Strings(p.Hide.Groups), "panels": jsarray.Strings(p.Hide.Panels)},
		"locks":     map[string]any{"settings": jsarray.Strings(p.Locks.Settings), "controls": jsarray.Strings(p.Locks.Controls), "titles": titles},
		"challenge": p.Challenge != nil,
		"data":      p.Data, "classes": jsarray.Strings(p.Classes),
		"errors": errs,
	}
}

// jsStrings reads a JavaScript array of strings (nil for anything else).
func jsStrings(v js.Value) []string {
	if v.Type() != js.TypeObject {
		return nil
	}
	out := make([]string, 0, v.Length())
	for i := 0; i < v.Length(); i++ {
		if x := v.Index(i); x.Type() == js.TypeString {
			out = append(out, x.String())
		}
	}
	return out
}

// jsChallenge checks the page's challenge (jsPage) against the race:
// challenge(query, runs) with the race's query and the runs' status
// [{algo, done, hash}] in the race's order gives lesson.Result as an
// object, or null without a challenge.
func (g *Game) jsChallenge(_ js.Value, a []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	res := g.result(a)
	if res == nil {
		return js.Null()
	}
	m := res.Map()
	// open: the student may predict now (the page's menu follows it).
	m["open"] = res.Predict && lesson.Predict(0, len(g.runs), g.predictionClosed()) == ""
	return js.ValueOf(m)
}

// predictionClosed reports whether the race has started, or has run
// with a prediction (which then stays): no prediction is taken now.
// g.mu is held.
func (g *Game) predictionClosed() bool {
	started := false
	for i := range g.runs {
		started = started || g.runs[i].gen > 0
	}
	g.predictionRan = g.predictionRan || (started && g.predicted >= 0)
	return started || g.predictionRan
}

// result is the challenge's result for arguments (query, runs) as
// jsChallenge takes them, nil without a challenge; g.mu is held.
func (g *Game) result(a []js.Value) *lesson.Result {
	if g.challenge == nil {
		return nil
	}
	query := ""
	if len(a) > 0 && a[0].Type() == js.TypeString {
		query = a[0].String()
	}
	runs := make([]lesson.Run, len(g.runs))
	for i := range g.runs {
		m := &g.runs[i]
		r := lesson.Run{Label: m.label, Rule: m.algo}
		if sc, ok := g.mineScores[m.label]; ok {
			r.Drawn, r.DrawnRight = sc[0], sc[1]
		}
		if len(m.phases) > 0 {
			r.Unit = m.phases[0].unit
		}
		if len(a) > 1 && a[1].Type() == js.TypeObject && i < a[1].Length() {
			st := a[1].Index(i)
			r.Done = st.Get("done").Truthy()
			if h := st.Get("hash"); h.Type() == js.TypeString {
				r.Hash = h.String()
			}
		}
		for k := range m.curveX {
			mk := lesson.Mark{Step: int(m.curveX[k]), Unit: m.unit}
			if k < len(m.curveU) {
				mk.Unit = m.curveU[k]
			}
			if k < len(m.secY) {
				mk.Seconds = m.secY[k]
			}
			if k < len(m.testY) {
				mk.Accuracy = m.testY[k]
			}
			r.Curve = append(r.Curve, mk)
		}
		runs[i] = r
	}
	g.predictionClosed() // notes that the race ran with the prediction
	res := g.challenge.Check(runs, query, g.predicted)
	return &res
}

// jsEncodeState writes the state a course platform keeps
// (lesson.EncodeState): encodeState(query, runs, bytes) with the
// challenge's arguments and the run file (a Uint8Array, or null).
func (g *Game) jsEncodeState(_ js.Value, a []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := lesson.State{Result: g.result(a)}
	if len(a) > 0 && a[0].Type() == js.TypeString {
		st.Query = a[0].String()
	}
	if g.predicted >= 0 && g.predicted < len(g.runs) {
		st.Prediction = g.runs[g.predicted].label
	}
	if len(a) > 2 && a[2].Type() == js.TypeObject && a[2].InstanceOf(js.Global().Get("Uint8Array")) {
		st.Run = make([]byte, a[2].Length())
		js.CopyBytesToGo(st.Run, a[2])
	}
	return js.Global().Get("JSON").Call("stringify", js.ValueOf(st.Map()))
}

// jsDecodeState reads a state of encodeState: {query, prediction, run
// (a Uint8Array or null)}, or {error}.
func jsDecodeState(_ js.Value, a []js.Value) any {
	if len(a) == 0 || a[0].Type() != js.TypeString {
		return map[string]any{"error": "setState: want the state as a string"}
	}
	str := a[0].String()
	if err := lesson.CheckStateSize(len(str)); err != nil {
		return map[string]any{"error": err.Error()}
	}
	v, ok := jsonState(str)
	if !ok {
		return map[string]any{"error": "the saved state is not nnesim's (not JSON)"}
	}
	st, err := lesson.StateFrom(v)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	out := map[string]any{"query": st.Query, "prediction": st.Prediction, "run": js.Null()}
	if len(st.Run) > 0 {
		out["run"] = jsarray.Bytes(st.Run)
	}
	return out
}

// jsonState parses a state's JSON text with the browser's JSON.parse
// and reads only the keys of lesson.State.Map, each a string or a number
// (anything else is dropped for StateFrom to refuse), so that a hostile
// state of a wide tree costs no more than its parse; ok is false when it
// is not JSON.
func jsonState(str string) (v any, ok bool) {
	defer func() {
		if recover() != nil { // JSON.parse threw
			v, ok = nil, false
		}
	}()
	o := js.Global().Get("JSON").Call("parse", str)
	switch {
	case o.IsNull():
		return nil, true
	case o.Type() != js.TypeObject || js.Global().Get("Array").Call("isArray", o).Bool():
		return "not an object", true
	}
	m := map[string]any{}
	for _, k := range lesson.StateKeys {
		switch x := o.Get(k); x.Type() {
		case js.TypeString:
			m[k] = x.String()
		case js.TypeNumber:
			m[k] = x.Float()
		case js.TypeUndefined:
		default:
			m[k] = false // of the wrong type: StateFrom says so
		}
	}
	return m, true
}

// jsRestorePrediction restores a kept prediction: the run labelled so
// in the race now (−1 and false if none), whether or not the race has
// started, since the student made it before.
func (g *Game) jsRestorePrediction(_ js.Value, a []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.predicted, g.predictionRan = -1, false
	if len(a) == 0 || a[0].Type() != js.TypeString {
		return false
	}
	for i := range g.runs {
		if g.runs[i].label == a[0].String() {
			g.predicted = i
			return true
		}
	}
	return false
}

// jsRaceSummary says who won the race and why (render.RaceSummary):
// raceSummary(runs) with the runs' status [{workers, done}] in the
// race's order gives its lines, empty for a single run.
func (g *Game) jsRaceSummary(_ js.Value, a []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	runs := make([]render.RaceRun, len(g.runs))
	for i := range g.runs {
		m := &g.runs[i]
		r := render.RaceRun{Label: m.label, Unit: m.unit, Units: m.curveU, Seconds: m.secY, Accuracy: m.testY}
		if len(m.phases) > 0 {
			r.Unit, r.Does = m.phases[0].unit, m.phases[0].does
		}
		r.Steps = make([]int, len(m.curveX))
		for k, x := range m.curveX {
			r.Steps[k] = int(x)
		}
		// The lists may differ in length while a snapshot arrives.
		n := min(len(r.Steps), len(r.Seconds), len(r.Accuracy))
		r.Steps, r.Seconds, r.Accuracy = r.Steps[:n], r.Seconds[:n], r.Accuracy[:n]
		if len(a) > 0 && a[0].Type() == js.TypeObject && i < a[0].Length() {
			st := a[0].Index(i)
			r.Done = st.Get("done").Truthy()
			if w := st.Get("workers"); w.Type() == js.TypeNumber {
				r.Workers = w.Int()
			}
		}
		runs[i] = r
	}
	return jsarray.Strings(render.RaceSummary(runs))
}

// jsPredict records the student's prediction for a predict challenge:
// predict(i) names run i of the race (lesson.Predict says when it may),
// and returns "" or why not.
func (g *Game) jsPredict(_ js.Value, a []js.Value) any {
	if len(a) == 0 || a[0].Type() != js.TypeNumber {
		return "predict(i): want a run's index"
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	i := a[0].Int()
	if why := lesson.Predict(i, len(g.runs), g.predictionClosed()); why != "" {
		return why
	}
	g.predicted = i
	return ""
}
