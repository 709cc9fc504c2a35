//go:build js && wasm

// Command app is the browser app's canvas: ebiten draws the pictures of
// render for the run that the worker trains, and the draw pad. The page
// glue (public/engine.js) feeds it through globalThis.nnesimApp:
//
//	configure(run)       a new run: rule, labels, test grid
//	update(snapshot)     a worker snapshot: curves, and the learner's
//	                     pictures (weights, confusion, p for NNE)
//	padInput()           the pad's input {version, pixels Float32Array}
//	                     or null when the pad is empty
//	setProbs(version, p) the run's class probabilities for that input
//	prediction()         the pad's prediction {label, probs} or null
//	padRect()            the pad in CSS pixels of this frame
//	onControl(x, y)      whether CSS point (x, y) is on the pad or its
//	                     Clear button (touches elsewhere scroll the page)
//	contentHeight(w)     CSS height the panels need at CSS width w
//	panels()             the panels on the canvas: [{name, x, y, width,
//	                     height}] in CSS pixels of this frame
//	fit(on)              lay out only the panels that fit the canvas's
//	                     height (an embed) instead of all of them
//	hide(list)           hide the panels named in a comma-separated list
//	                     (render.ParseHidden); returns an error message or ""
//	png()                the canvas panels as PNG bytes (Uint8Array)
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"nnesim/core/mnist"
	"nnesim/render"
	"nnesim/wasm/jsarray"
)

var pageBackground = color.RGBA{0xf3, 0xf4, 0xf6, 0xff}

func main() {
	g := newGame()
	api := js.Global().Get("Object").New()
	api.Set("configure", js.FuncOf(g.jsConfigure))
	api.Set("update", js.FuncOf(g.jsUpdate))
	api.Set("padInput", js.FuncOf(g.jsPadInput))
	api.Set("setProbs", js.FuncOf(g.jsSetProbs))
	api.Set("prediction", js.FuncOf(g.jsPrediction))
	api.Set("padRect", js.FuncOf(g.jsPadRect))
	api.Set("onControl", js.FuncOf(g.jsOnControl))
	api.Set("contentHeight", js.FuncOf(g.jsContentHeight))
	api.Set("panels", js.FuncOf(g.jsPanels))
	api.Set("hide", js.FuncOf(g.jsHide))
	api.Set("fit", js.FuncOf(g.jsFit))
	api.Set("png", js.FuncOf(g.jsPNG))
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

func (g *Game) jsConfigure(_ js.Value, args []js.Value) any {
	run := args[0]
	s := run.Get("settings")
	d, err := mnist.ParseDigits(s.Get("digits").String())
	if err != nil {
		return err.Error()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	m := model{digits: d, numTest: run.Get("numTest").Int(), algo: s.Get("algo").String(), unit: "generation"}
	// The worker wrote these from validated settings; a rule without
	// them (0) draws no NNE + SignSGD axis.
	m.generations, _ = strconv.Atoi(s.Get("generations").String())
	m.epochs, _ = strconv.Atoi(s.Get("epochs").String())
	m.title = "mean genotype W·p"
	switch m.algo {
	case "nne":
	case "dnn":
		m.title = "dnn, " + s.Get("dnn-rule").String() + " reading"
	default:
		m.title = m.algo
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
	g.m = m
	g.probs = nil
	g.padVersion++ // the new run classifies the pad again
	for k := range g.panels {
		g.panels[k].dirty = true
	}
	if err := g.update(run.Get("snapshot")); err != nil {
		return err.Error()
	}
	return ""
}

func (g *Game) jsUpdate(_ js.Value, args []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.update(args[0]); err != nil {
		return err.Error()
	}
	return ""
}

// update takes in a worker snapshot.
func (g *Game) update(s js.Value) error {
	m := &g.m
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
	g.markDirty(render.PanelHistogram, render.PanelCurves)
	cx, ct, cr := get[float64](&a, s.Get("curveGens"), "curveGens"), get[float64](&a, s.Get("curveTest"), "curveTest"), get[float64](&a, s.Get("curveTrain"), "curveTrain")
	if len(cx) != len(ct) || len(cx) != len(cr) {
		return fmt.Errorf("snapshot: curve of %d generations, %d and %d accuracies", len(cx), len(ct), len(cr))
	}
	m.curveX = append(m.curveX, cx...)
	m.dopY = append(m.dopY, get[float64](&a, s.Get("curveDopamine"), "curveDopamine")...)
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
		g.markDirty(render.PanelTiles, render.PanelHeatMap, render.PanelGrid, render.PanelConfusion, render.PanelPad)
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

// probsByDigit spreads class probabilities over the ten digits.
func (g *Game) probsByDigit(probs []float64) js.Value {
	a := js.Global().Get("Array").New(10)
	for d := range 10 {
		a.SetIndex(d, 0)
	}
	for c, p := range probs {
		a.SetIndex(g.m.digits[c], p)
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
	o.Set("pixels", jsarray.New(g.input))
	return o
}

func (g *Game) jsSetProbs(_ js.Value, args []js.Value) any {
	if len(args) < 2 {
		return nil
	}
	probs, err := jsarray.Slice[float64](args[1])
	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil || args[0].Int() != g.padVersion || len(probs) != len(g.m.labels) {
		return nil // an answer for an older input or run
	}
	g.probs = probs
	g.markDirty(render.PanelPad)
	return nil
}

func (g *Game) jsPrediction(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.probs == nil {
		return js.Null()
	}
	o := js.Global().Get("Object").New()
	best := 0
	for c, p := range g.probs {
		if p > g.probs[best] {
			best = c
		}
	}
	o.Set("label", g.m.digits[best])
	o.Set("probs", g.probsByDigit(g.probs))
	return o
}

func (g *Game) jsPadRect(js.Value, []js.Value) any {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.scale == 0 {
		return js.Null()
	}
	r := g.padRect
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
	_, h := st.Layout(args[0].Float(), g.shown)
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
