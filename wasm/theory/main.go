//go:build js && wasm

// Command theory is the page's Theory view (public/theory.html): Theorem
// 2's linear target run live (package theory) and its two panels drawn
// by package render. public/theory.js drives it through
// globalThis.nnesimTheory:
//
//	start(query) → {settings {name: value}, query (the link's, only what
//	    differs from the defaults), errors [messages], fatal}: a new run
//	    of the query's settings (bad values keep their defaults, each
//	    with a message; fatal if the run cannot start)
//	form() → [{name, about, value, choices}]: the settings, for the form
//	    (choices: the values of one that takes a list, else null)
//	advance(now ms, running, speed) → {generation, stop, cos, dist, fixed,
//	    done, error, changed, said}: while running, the generations due
//	    at speed (1: Pace a second, 4, or 0: as fast as it goes) since the
//	    last call, for at most Budget of work; said is a sentence for a
//	    screen reader when cos passed a milestone or the run ended
//	step() → as advance: one generation
//	draw(panel, css width, css height, scale, dark) → {width, height,
//	    pixels}: the panel (0: the curve, 1: the alleles) as RGBA bytes
//	    (Uint8Array) of width × height device pixels (the CSS size times
//	    the scale, rounded to a quarter), or null for a size out of range
//	explain() → [{title, about}]: the panels' ⓘ (render.TheoryExplanations)
package main

import (
	"fmt"
	"image"
	"math"
	"syscall/js"
	"time"

	"nnesim/core/theory"
	"nnesim/render"
	"nnesim/wasm/jsarray"
)

// Pace is the generations a second at speed 1: the default run of 1000
// generations takes 20 s, slow enough to watch cos rise.
const Pace = 50

// Budget bounds the work of one advance, so that the page keeps drawing.
const Budget = 12 * time.Millisecond

// MaxPixels bounds a panel's device pixels (about 4000 × 2000).
const MaxPixels = 8 << 20

type view struct {
	run    *theory.Run
	err    string       // why the run stopped early
	last   float64      // the previous advance's time, ms (0: none)
	owed   float64      // generations due and not yet run
	now    theory.Point // the run's point as of its last change
	ended  bool         // the end was said
	styles map[float64]*render.Style
}

func main() {
	v := &view{styles: map[float64]*render.Style{}}
	api := js.Global().Get("Object").New()
	for name, f := range map[string]func(js.Value, []js.Value) any{
		"start":   v.start,
		"form":    v.form,
		"advance": v.advance,
		"step":    v.step,
		"draw":    v.draw,
		"explain": explain,
	} {
		api.Set(name, js.FuncOf(f))
	}
	js.Global().Set("nnesimTheory", api)
	select {}
}

func (v *view) start(_ js.Value, args []js.Value) any {
	query := ""
	if len(args) > 0 && args[0].Type() == js.TypeString {
		query = args[0].String()
	}
	s, errs := theory.Parse(query)
	if v.run != nil {
		v.run.Close()
		v.run = nil
	}
	v.err, v.last, v.owed, v.ended = "", 0, 0, false
	out := map[string]any{"errors": jsarray.Strings(errs), "query": s.Query(), "fatal": ""}
	settings := map[string]any{}
	for k, x := range s.Values() {
		settings[k] = x
	}
	out["settings"] = settings
	r, err := theory.New(s)
	if err != nil {
		out["fatal"] = err.Error()
		return out
	}
	v.run = r
	v.now = r.Now()
	return out
}

func (v *view) form(js.Value, []js.Value) any {
	s := theory.Defaults()
	if v.run != nil {
		s = v.run.Settings()
	}
	values := s.Values()
	abouts, choices := theory.Abouts(), theory.Choices()
	var out []any
	for _, name := range theory.Names() {
		var list any
		if c, ok := choices[name]; ok {
			list = jsarray.Strings(c)
		}
		out = append(out, map[string]any{"name": name, "about": abouts[name], "value": values[name], "choices": list})
	}
	return out
}

// report is where the run is, and what a screen reader should hear;
// changed says the run moved since the last report.
func (v *view) report(changed bool) any {
	if v.run == nil {
		return map[string]any{"generation": 0, "stop": 0, "done": true, "error": v.err, "changed": changed, "said": ""}
	}
	said := ""
	if changed {
		now := v.run.Now()
		if passed := theory.Passed(v.now.Cos, now.Cos); len(passed) > 0 {
			said = fmt.Sprintf("cos(W·p, a) passed %g at generation %d.", passed[len(passed)-1], now.Generation)
		}
		v.now = now
	}
	now := v.now
	done := v.run.Done() || v.err != ""
	if done && !v.ended {
		v.ended = true
		said += fmt.Sprintf(" Stopped at generation %d: cos(W·p, a) %.3f, ‖W·p − a‖ %.3f, %.0f%% of genes fixed.", now.Generation, now.Cos, now.Dist, 100*now.Fixed)
	}
	return map[string]any{"generation": now.Generation, "stop": v.run.Settings().Generations, "cos": now.Cos, "dist": now.Dist,
		"fixed": now.Fixed, "done": done, "error": v.err, "changed": changed, "said": said}
}

// generations runs up to n generations within Budget and returns how
// many ran.
func (v *view) generations(n int) int {
	t0 := time.Now()
	done := 0
	for done < n && !v.run.Done() && v.err == "" && time.Since(t0) < Budget {
		if err := v.run.Step(); err != nil {
			v.err = err.Error()
			break
		}
		done++
	}
	return done
}

func (v *view) advance(_ js.Value, args []js.Value) any {
	if v.run == nil || len(args) < 3 || args[0].Type() != js.TypeNumber {
		return v.report(false)
	}
	now, running, speed := args[0].Float(), args[1].Truthy(), args[2].Float()
	if !running || v.run.Done() || v.err != "" {
		v.last, v.owed = 0, 0
		return v.report(false)
	}
	due := math.MaxInt32
	if speed > 0 {
		if v.last > 0 && now > v.last {
			v.owed += math.Min(1, (now-v.last)/1000) * Pace * speed
		}
		due = int(v.owed)
	}
	v.last = now
	ran := v.generations(due)
	if speed > 0 {
		v.owed = math.Max(0, v.owed-float64(ran))
	}
	return v.report(ran > 0 || v.err != "")
}

func (v *view) step(js.Value, []js.Value) any {
	if v.run == nil {
		return v.report(false)
	}
	return v.report(v.generations(1) > 0 || v.err != "")
}

func (v *view) draw(_ js.Value, args []js.Value) any {
	if len(args) < 5 {
		return js.Null()
	}
	scale := math.Round(args[3].Float()*4) / 4 // a few styles, not one per zoom step
	w, h := int(math.Round(args[1].Float()*scale)), int(math.Round(args[2].Float()*scale))
	if w < 1 || h < 1 || w*h > MaxPixels || !(scale >= 0.5 && scale <= 8) {
		return js.Null()
	}
	st := v.styles[scale]
	if st == nil {
		var err error
		if st, err = render.NewStyle(scale); err != nil {
			return js.Null()
		}
		v.styles[scale] = st
	}
	st.Pal = &render.Light
	if args[4].Truthy() {
		st.Pal = &render.Dark
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	switch {
	case v.run == nil:
		st.Panel(img, "No run: "+v.err)
	case args[0].Int() == 0:
		c := render.TheoryCurve{Generation: v.run.Generation(), Stop: v.run.Settings().Generations, Error: v.err}
		for _, p := range v.run.Curve() {
			c.Gens = append(c.Gens, float64(p.Generation))
			c.Cos = append(c.Cos, p.Cos)
			c.Fixed = append(c.Fixed, p.Fixed)
		}
		c.CosNow, c.Dist = v.now.Cos, v.now.Dist
		st.TheoryCurvePanel(img, c)
	default:
		st.TheoryAllelesPanel(img, v.run.P(), v.now.Fixed, v.now.Generation)
	}
	return map[string]any{"width": w, "height": h, "pixels": jsarray.Bytes(img.Pix)}
}

func explain(js.Value, []js.Value) any {
	var out []any
	for _, e := range render.TheoryExplanations {
		out = append(out, map[string]any{"title": e.Title, "about": e.About})
	}
	return out
}
