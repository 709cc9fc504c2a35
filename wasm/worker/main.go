//go:build js && wasm

// Command worker is the browser's training engine: a Web Worker runs it
// (see public/worker.js) with core only, no ebiten. It exposes
// globalThis.nnesimWorker with:
//
//	load(train, test Uint8Array) → error message or ""
//	configure(query string) → {settings, query, errors, labels, grid…}
//	run(budgetMs number) → snapshot after as many generations as fit
//
// Typed arrays it returns are fresh, so the glue can transfer them.
package main

import (
	"net/url"
	"syscall/js"
	"time"
	"unsafe"

	"nnesim/core/mnist"
	"nnesim/core/nne"
	"nnesim/core/train"
)

// maxBytes is the memory a run may plan to use in a browser tab.
const maxBytes = 1 << 30

// gridSize is the number of test images shown in the app's test grid.
const gridSize = 40

// pageParams are URL parameters of the page, not of the run.
var pageParams = []string{"autostart", "workers", "embed", "hide", "bench"}

type worker struct {
	pool, test *mnist.Set
	run        *train.Run
	trained    time.Duration
}

func main() {
	w := &worker{}
	api := js.Global().Get("Object").New()
	api.Set("load", js.FuncOf(w.load))
	api.Set("configure", js.FuncOf(w.configure))
	api.Set("run", js.FuncOf(w.runFor))
	js.Global().Set("nnesimWorker", api)
	select {}
}

func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func (w *worker) load(_ js.Value, args []js.Value) any {
	pool, err := mnist.DecodePack(bytesOf(args[0]))
	if err != nil {
		return "training data: " + err.Error()
	}
	test, err := mnist.DecodePack(bytesOf(args[1]))
	if err != nil {
		return "test data: " + err.Error()
	}
	w.pool, w.test = pool, test
	return ""
}

// toTyped copies v into a new JavaScript typed array of the named kind
// (wasm is little-endian, as typed arrays are on every browser).
func toTyped[T float32 | int32](v []T, kind string) js.Value {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*len(v))
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return js.Global().Get(kind).New(u.Get("buffer"))
}

func float32Array(v []float32) js.Value { return toTyped(v, "Float32Array") }
func int32Array(v []int32) js.Value     { return toTyped(v, "Int32Array") }

// configure parses a URL query into settings, reporting bad parameters,
// and starts a new run at generation 0.
func (w *worker) configure(_ js.Value, args []js.Value) any {
	res := js.Global().Get("Object").New()
	q, err := url.ParseQuery(args[0].String())
	var errs []string
	if err != nil {
		errs = append(errs, "the URL query is malformed ("+err.Error()+"); using the defaults")
		q = url.Values{}
	}
	s, perrs := train.ParseQuery(q, maxBytes, pageParams...)
	for _, e := range perrs {
		errs = append(errs, e.Error())
	}
	s.Threads = 1
	if w.run != nil {
		w.run.Close()
		w.run = nil
	}
	r, err := train.New(s, w.pool, w.test, maxBytes)
	if err != nil {
		errs = append(errs, err.Error())
		res.Set("errors", jsStrings(errs))
		res.Set("fatal", err.Error())
		return res
	}
	w.run, w.trained = r, 0
	r.Evaluate(0)
	settings := js.Global().Get("Object").New()
	for _, p := range train.Params() {
		settings.Set(p.Name, p.Get(&s))
	}
	res.Set("settings", settings)
	res.Set("query", s.Query().Encode())
	res.Set("errors", jsStrings(errs))
	res.Set("describe", r.Describe())
	res.Set("numTest", r.Test.Len())
	labels := make([]string, len(r.Digits))
	for i, d := range r.Digits {
		labels[i] = string(rune('0' + d))
	}
	res.Set("labels", jsStrings(labels))
	n := min(gridSize, r.TestSet.Len())
	res.Set("gridImages", float32Array(r.TestSet.Pixels[:n*mnist.Pixels]))
	res.Set("gridTruth", int32Array(r.TestSet.Class[:n]))
	res.Set("snapshot", w.snapshot(true, nil, nil))
	return res
}

// runFor steps generations for about budgetMs milliseconds, stopping at
// an evaluation point or the generation limit, and returns a snapshot.
func (w *worker) runFor(_ js.Value, args []js.Value) any {
	r := w.run
	if r == nil {
		return js.Null()
	}
	budget := time.Duration(args[0].Float() * float64(time.Millisecond))
	limit := r.Settings.Generations
	if len(args) > 1 && args[1].Int() > 0 {
		limit = min(limit, args[1].Int())
	}
	t0 := time.Now()
	var gens, fit []float32
	evaluated := false
	for r.Generation() < limit {
		if err := r.Step(); err != nil {
			o := js.Global().Get("Object").New()
			o.Set("fatal", err.Error())
			return o
		}
		gens = append(gens, float32(r.Generation()))
		fit = append(fit, float32(r.Pop.Sums().MeanFitness()))
		if r.Generation()%r.Settings.EvalEvery == 0 || r.Generation() >= limit {
			w.trained += time.Since(t0)
			t0 = time.Now()
			r.Evaluate(w.trained.Seconds())
			evaluated = true
			break
		}
		if time.Since(t0) >= budget {
			break
		}
	}
	w.trained += time.Since(t0)
	return w.snapshot(evaluated, gens, fit)
}

// snapshot describes the run for the page: p every time, the weights and
// evaluation when one was made.
func (w *worker) snapshot(evaluated bool, gens, fit []float32) js.Value {
	r := w.run
	o := js.Global().Get("Object").New()
	o.Set("generation", r.Generation())
	o.Set("done", r.Done())
	o.Set("seconds", w.trained.Seconds())
	o.Set("p", float32Array(r.Pop.P))
	o.Set("allelesHash", train.AllelesHash(r.Pop.P))
	o.Set("fixed", nne.FixedFraction(r.Pop.P, nne.FixedTol))
	o.Set("gens", float32Array(gens))
	o.Set("fitness", float32Array(fit))
	if evaluated {
		pt := r.Curve[len(r.Curve)-1]
		o.Set("testAccuracy", pt.TestAccuracy)
		o.Set("trainAccuracy", pt.TrainAccuracy)
		o.Set("weights", float32Array(r.Weights))
		o.Set("confusion", int32Array(r.Confusion))
		o.Set("gridPred", int32Array(r.Predicted[:min(gridSize, len(r.Predicted))]))
	}
	return o
}

// jsStrings returns v as a JavaScript array.
func jsStrings(v []string) js.Value {
	a := js.Global().Get("Array").New(len(v))
	for i, s := range v {
		a.SetIndex(i, s)
	}
	return a
}
