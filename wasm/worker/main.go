//go:build js && wasm

// Command worker is the browser's training engine, core only (no ebiten).
// The same module runs in two kinds of Web Worker:
//
// The coordinator (public/coordinator.js) owns the run, any rule of the
// paper as a learner.Learner: the settings, its state, the test set and
// the curve. For NNE, each generation it asks next() for the minibatch and
// p, hands slices of the population to the evaluators, and gives their
// partial sums to apply(), which merges them in slice order and moves p
// by eq. 3 with nne.Population.Apply, the code nnesim train runs natively.
// Every other rule (NNE + SignSGD, DNN, SignSGD, SGD) it steps itself
// with advance(), a few milliseconds at a time.
//
//	load(train, test Uint8Array) → error message or ""
//	configure(query string, workers, seconds) → {settings, rule, query,
//	    errors, labels, grid…}
//	next(k, stepped) → {generation, p Float32Array, batch Int32Array,
//	    slices [[lo, hi], …] for k evaluators} or null when done (NNE);
//	    the generation is then out (ledger.go: sent, received, failed…)
//	apply(parts Array) → {generation, fitness, evaluate, done, genMs,
//	    stepped} or {fatal} (NNE)
//	advance(ms) → {step, unit, due, done}: steps until a point of the
//	    curve is due, the run is done or ms have passed (other rules)
//	evaluate(seconds) → classifies the test set; the point joins the curve
//	snapshot(pictures bool, seconds) → {step, unit, hash, kernel (the
//	    forward pass's: wasm-simd128 or go), curve points
//	    since the last snapshot, and with pictures the learner's Pictures}
//	classify(pixels Float32Array) → class probabilities (Float64Array)
//	save(seconds) → the run file (.nne) as a Uint8Array
//	restore(file Uint8Array, workers) → as configure, or {refused} and the
//	    current run is untouched
//	slotKey(tab, index) → the autosave key of run index of tab's race
//	slotPlan(slots JSON, tab, held lock names) → {offer, forget} as JSON:
//	    what a starting tab offers to resume and forgets (wasm/autosave)
//	storageNotice(opening, name, message) → the line the page shows when
//	    autosave is off or fails (autosave.Notice)
//
// An evaluator (public/evaluator.js) holds the same NNE genome, built from
// the seed, and the training pool, and scores slices:
//
//	load(train Uint8Array, null) → error message or ""
//	prepare(query string) → error message or ""
//	score(generation, p, batch, lo, hi) → {deltaX BigInt64Array,
//	    x Int32Array, delta BigInt64Array(1), count} or {fatal}
//
// Typed arrays it returns are fresh, so the glue can transfer them.
package main

import (
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"syscall/js"
	"time"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/nne"
	"nnesim/core/race"
	"nnesim/core/runfile"
	"nnesim/core/settings"
	"nnesim/wasm/autosave"
	"nnesim/wasm/budget"
	"nnesim/wasm/jsarray"
	"nnesim/wasm/kernel"
	"nnesim/wasm/pipeline"
)

// maxBytes is the memory a run may plan to use in a browser tab.
const maxBytes = 1 << 30

// gridSize is the number of test images shown in the app's test grid.
const gridSize = 40

type worker struct {
	pool, test *mnist.Set
	train      *mnist.Set // the whole training file, when load was given it (nil: the pool alone)
	// dataID and dataFrom name the data (mnist.DataID, and where it came
	// from): a run file of a run on another dataset than MNIST names
	// them, and one of other data is refused (coordinator).
	dataID, dataFrom string
	l                learner.Learner // the coordinator's run, any rule
	run              *learner.NNERun // l's NNE run, for next and apply (nil for other rules)
	curveSent        int             // points of the curve already in a snapshot
	race             race.Race       // the race l is run index of (a race of one: l alone)
	index            int
	workers          int             // the tab's workers, shared by the race (budget.Workers)
	part             *nne.Sums       // one evaluator's sums, read by apply
	ledger           pipeline.Ledger // the generation out with the evaluators
	scored           *mnist.Labeled  // l's scored images (its test set), for the grid
	grid             mnist.GridView
	gridSent         []int // the scored images of the grid in the last snapshot

	// Evaluator role.
	eval *nne.Evaluator
	sums *nne.Sums
	p    []float32
}

// gcPercent is the Go garbage collector's target in the browser: a heap
// grows to live·(1 + gcPercent/100) before a collection, and a wasm
// memory never shrinks, so a race of several runs (one Go runtime per
// worker) keeps to its memory with less headroom than Go's default 100.
const gcPercent = 25

func main() {
	debug.SetGCPercent(gcPercent)
	// The WebAssembly SIMD kernel, where the browser has it and the glue
	// gave this instance its memory; else the portable kernel, with the
	// same bits. Snapshots say which runs.
	_ = kernel.Install()
	w := &worker{}
	api := js.Global().Get("Object").New()
	for name, f := range map[string]func(js.Value, []js.Value) any{
		"load":          w.load,
		"configure":     w.configure,
		"next":          w.next,
		"apply":         w.apply,
		"advance":       w.advance,
		"classify":      w.classify,
		"grid":          w.setGrid,
		"evaluate":      w.evaluate,
		"snapshot":      w.jsSnapshot,
		"save":          w.save,
		"curveCSV":      w.curveCSV,
		"restore":       w.restore,
		"join":          w.join,
		"prepare":       w.prepare,
		"score":         w.score,
		"slotKey":       slotKey,
		"slotPlan":      slotPlan,
		"storageNotice": storageNotice,
		"readDataset":   readDataset,
		"drawn":         drawn,
	} {
		api.Set(name, js.FuncOf(f))
	}
	for name, f := range w.ledgerAPI() {
		api.Set(name, js.FuncOf(f))
	}
	js.Global().Set("nnesimWorker", api)
	select {}
}

// slotKey(tab, index) → the storage key of run index of tab's race
// (autosave.Key), or "" when tab cannot name a tab.
func slotKey(_ js.Value, args []js.Value) any {
	if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeNumber || !autosave.ValidTab(args[0].String()) {
		return ""
	}
	return autosave.Key(args[0].String(), args[1].Int())
}

// storageNotice(opening, name, message) is autosave.Notice of the
// browser's error.
func storageNotice(_ js.Value, a []js.Value) any {
	str := func(i int) string {
		if len(a) > i && a[i].Type() == js.TypeString {
			return a[i].String()
		}
		return ""
	}
	return autosave.Notice(len(a) > 0 && a[0].Truthy(), str(1), str(2))
}

// slotPlan(slots JSON string, tab, held [lock names]) → what tab, just
// started, offers and forgets (autosave.Choose) as JSON, or {fatal}.
func slotPlan(_ js.Value, args []js.Value) any {
	if len(args) < 3 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
		return fatal(fmt.Errorf("slotPlan(slots, tab, held): wrong arguments"))
	}
	var held []string
	if h := args[2]; h.Type() == js.TypeObject {
		for i := 0; i < h.Length(); i++ {
			if h.Index(i).Type() == js.TypeString {
				held = append(held, h.Index(i).String())
			}
		}
	}
	out, err := autosave.ChooseJSON([]byte(args[0].String()), args[1].String(), held)
	if err != nil {
		return fatal(err)
	}
	return string(out)
}

func newObject() js.Value { return js.Global().Get("Object").New() }

func fatal(err error) js.Value {
	o := newObject()
	o.Set("fatal", err.Error())
	return o
}

func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b
}

// load decodes the training data and, unless test is null (evaluators
// never look at it), the test set; a third argument says where they came
// from (for messages; "MNIST" if absent). The training data is the pool
// (mnist.PoolPerDigit images per digit) or the whole training file, of
// which the pool is then taken: runs that need the file
// (learner.WholeFile) can then be built.
func (w *worker) load(_ js.Value, args []js.Value) any {
	train, err := mnist.DecodePack(bytesOf(args[0]))
	if err != nil {
		return "training data: " + err.Error()
	}
	pool, err := train.Pool(mnist.PoolPerDigit)
	if err != nil {
		return "training data: " + err.Error()
	}
	if pool.Len() == train.Len() {
		train = nil // the pool itself
	}
	test := &mnist.Set{}
	if len(args) > 1 && !args[1].IsNull() && !args[1].IsUndefined() {
		if test, err = mnist.DecodePack(bytesOf(args[1])); err != nil {
			return "test data: " + err.Error()
		}
	}
	w.pool, w.test, w.train = pool, test, train
	w.dataID, w.dataFrom = "", "MNIST" // an evaluator writes and reads no run file
	if test.Len() > 0 {
		w.dataID = mnist.DataID(pool, test)
	}
	if len(args) > 2 && args[2].Type() == js.TypeString {
		w.dataFrom = args[2].String()
	}
	return ""
}

// raceOf parses a URL query into a race (race.Parse; one rule is a
// race of one run), the runs sharing budget bytes and, with workers > 0,
// that many workers (budget.Workers). An evolving run whose generation
// would take more than budget.MaxStep seconds on its share of
// the workers falls back to its preset's defaults, with a message. A
// query that sets no digits learns the classes the data holds (have),
// when its preset's are not all there (learner.DigitsOfData).
func raceOf(query string, mem float64, workers int, have mnist.Digits) (race.Race, []string) {
	var errs []string
	q, err := url.ParseQuery(query)
	if err != nil {
		// ParseQuery keeps the pairs it could read.
		errs = append(errs, "the URL query is malformed ("+settings.Clip(err.Error())+"); the other parameters count")
	}
	rc, perrs := race.Parse(q, budget.Shares(mem, workers), learner.PageParams...)
	for _, e := range perrs {
		errs = append(errs, e.Error())
	}
	_, explicit := q["digits"]
	for i := range rc.Runs {
		if note, err := learner.DigitsOfData(&rc.Runs[i], explicit, have, mem); err != nil {
			errs = append(errs, err.Error())
		} else if note != "" && i == 0 {
			errs = append(errs, note)
		}
	}
	shares := budget.Workers(rc.Algos(), workers)
	labels := rc.Labels()
	for i := range rc.Runs {
		s := &rc.Runs[i]
		if workers > 0 {
			if err := budget.CheckTime(s, shares[i], network.Kernel() == kernel.Name); err != nil {
				base, _ := learner.Defaults(s.Algo, s.Preset) // race.Parse returned a known rule and preset
				base.Digits, base.PerDigit, base.Seed = s.Digits, s.PerDigit, s.Seed
				msg := err.Error() + "; using the " + base.Preset + " preset"
				if len(rc.Runs) > 1 {
					msg = labels[i] + ": " + msg
				}
				errs = append(errs, msg)
				*s = base
			}
		}
		s.Threads = 1
	}
	return rc, errs
}

// editQuery returns the query of the race a settings form makes of the
// race of query (race.Edit), with edit = {algos: [rules in order], set:
// {name: value typed}} from the page; the page's own parameters of query
// stay.
func editQuery(query string, edit js.Value) (string, []string) {
	var errs []string
	var algos []string
	if a := edit.Get("algos"); a.Type() == js.TypeObject {
		for i := range a.Length() {
			algos = append(algos, a.Index(i).String())
		}
	}
	set := url.Values{}
	if o := edit.Get("set"); o.Type() == js.TypeObject {
		keys := js.Global().Get("Object").Call("keys", o)
		for i := range keys.Length() {
			k := keys.Index(i).String()
			set.Set(k, o.Get(k).String())
		}
	}
	base, err := url.ParseQuery(query)
	if err != nil {
		return query, []string{"the URL query is malformed (" + settings.Clip(err.Error()) + ")"}
	}
	q, eerrs := race.Edit(base, algos, set)
	for _, e := range eerrs {
		errs = append(errs, e.Error())
	}
	if q == nil {
		return query, errs
	}
	for _, k := range learner.PageParams {
		if vs, ok := base[k]; ok {
			q[k] = vs
		}
	}
	return q.Encode(), errs
}

// data returns what runs learn from, within budget bytes.
func (w *worker) data(budget float64) learner.Data {
	return learner.Data{Pool: w.pool, Train: w.train, Test: w.test, MaxBytes: budget}
}

// configure starts run index of the race of a query at step 0
// (coordinator), with (query, workers, seconds, index, fresh): workers are
// the tab's, shared by the race's runs (budget.Workers). Unless fresh
// (Reset), settings that are the current run's, or differ from an NNE
// run's only in a later stop (learner.NNERun.Continues), continue it instead: the result then has
// continued = true, and seconds is its training time so far. Every
// evaluator holds the genome too, so a run's share of the tab's memory
// (budget.Budgets) is split among its coordinator and its workers: a
// run that fits one thread but not workers+1 of them is refused with a
// hint to use fewer workers.
func (w *worker) configure(_ js.Value, args []js.Value) any {
	res := newObject()
	workers, index, seconds := 1, 0, 0.0
	if len(args) > 1 && args[1].Type() == js.TypeNumber {
		workers = max(1, args[1].Int())
	}
	if len(args) > 2 && args[2].Type() == js.TypeNumber {
		seconds = args[2].Float()
	}
	if len(args) > 3 && args[3].Type() == js.TypeNumber {
		index = args[3].Int()
	}
	fresh := len(args) > 4 && args[4].Truthy()
	if w.pool == nil {
		return fatal(fmt.Errorf("no data loaded"))
	}
	query := args[0].String()
	var editErrs []string
	if len(args) > 5 && args[5].Type() == js.TypeObject {
		query, editErrs = editQuery(query, args[5])
	}
	rc, errs := raceOf(query, maxBytes, workers, w.pool.Classes())
	errs = append(editErrs, errs...)
	if index < 0 || index >= len(rc.Runs) {
		return fatal(fmt.Errorf("configure: run %d of a race of %d", index+1, len(rc.Runs)))
	}
	s := rc.Runs[index]
	rule, _ := learner.RuleOf(s.Algo) // raceOf returns known rules
	if rule.Presets {
		// A preset made for another number of digits: offer the one made
		// for these.
		res.Set("advice", settings.Advice(s))
	}
	own := budget.Workers(rc.Algos(), workers)[index]
	mem := budget.Budgets(rc.Algos(), workers, maxBytes)[index]
	if w.l != nil && len(errs) == 0 && !fresh {
		cur := w.l.Settings()
		// w.run is set for a run that fans out, an NNE run.
		if cur == s || w.run != nil && w.run.Continues(s) && w.run.Extend(s.Generations) == nil {
			w.race, w.index, w.workers = rc, index, workers
			w.curveSent = 0 // the page redraws the whole curve
			res.Set("continued", true)
			return w.describe(res, nil, seconds)
		}
	}
	l, err := learner.New(s, w.data(mem))
	if err == nil && index == 0 {
		if err = wholeNeeded(rc, w.train != nil); err != nil {
			l.Close()
		}
	}
	if q, qerr := url.ParseQuery(query); qerr == nil && own > 1 && rule.FansOut() && len(rc.Runs) == 1 {
		if alone, _ := learner.ParseQuery(q, maxBytes, learner.PageParams...); learner.Validate(&alone, budgetFor(own)) != nil {
			errs = append(errs, fmt.Sprintf("these settings fit in memory with 1 worker but not with %d: each worker holds the network, so each gets %.2f of the %.0f GiB a tab may use; use workers=1 or a smaller network",
				own, budgetFor(own)/(1<<30), float64(maxBytes)/(1<<30)))
		}
	}
	if err != nil {
		errs = append(errs, err.Error())
		res.Set("errors", jsarray.Strings(errs))
		res.Set("fatal", err.Error())
		res.Set("whole", isWholeFile(err))
		return res
	}
	w.setLearner(l)
	w.race, w.index, w.workers = rc, index, workers
	w.limit(mem, l.Settings())
	l.Evaluate(0)
	return w.describe(res, errs, 0)
}

// limit asks Go's collector to keep this runtime's memory near the
// budget of the run of s (whose estimate counts the data,
// learner.DataBytes), with the data's size again as headroom for the
// estimates' error. It is a soft limit: a run whose live memory is above
// it is collected more often, never refused.
func (w *worker) limit(budget float64, s settings.Settings) {
	classes := learner.ClassCount(&s)
	data := learner.DataBytes(&s, classes)
	if w.train != nil && !learner.WholeFile(&s) {
		data += float64(len(w.train.Images)) // the whole file is here for another run
	}
	debug.SetMemoryLimit(int64(budget + data))
}

// setLearner makes l the current run (coordinator), closing the one it
// replaces, whose ledger it forgets.
func (w *worker) setLearner(l learner.Learner) {
	if w.l != nil {
		w.l.Close()
	}
	w.l, w.run, w.curveSent = l, nil, 0
	w.ledger.Reset()
	rule, _ := learner.RuleOf(l.Settings().Algo) // a run's rule is known
	if e, ok := l.(learner.Evolver); ok && rule.FansOut() {
		w.run = e.Evolution().Run()
	}
}

// setRun makes r the evaluator's NNE run, closing the one it replaces.
func (w *worker) setRun(r *learner.NNERun) {
	if w.run != nil {
		w.run.Close()
	}
	w.run = r
}

// wholeNeeded returns the error of a run of the race rc that needs the
// whole training file (learner.WholeFileError) when this runtime lacks
// it (!have), or nil. Run 0 checks every run of its race, since it
// answers first and the page then downloads the file for all of them.
func wholeNeeded(rc race.Race, have bool) error {
	if have {
		return nil
	}
	for _, s := range rc.Runs {
		if learner.WholeFile(&s) {
			return &learner.WholeFileError{Settings: s}
		}
	}
	return nil
}

// isWholeFile reports whether err is a run's need of the whole training
// file (learner.WholeFileError), which the page answers by downloading
// MNIST's and starting the runs again on it.
func isWholeFile(err error) bool {
	var wf *learner.WholeFileError
	return errors.As(err, &wf)
}

// budgetFor returns the memory one Go runtime may plan to use when the
// coordinator and the given number of workers each hold the run.
func budgetFor(workers int) float64 { return float64(maxBytes) / float64(max(1, workers)+1) }

// save returns the current run as a run file (coordinator).
func (w *worker) save(_ js.Value, args []js.Value) any {
	if w.l == nil {
		return js.Null()
	}
	return jsarray.Bytes(runfile.Encode(w.l.Save(args[0].Float())))
}

// curveCSV returns the run's accuracy curve as CSV (runfile.WriteCurveCSV),
// the same columns as nnesim train -csv.
func (w *worker) curveCSV(js.Value, []js.Value) any {
	if w.l == nil {
		return js.Null()
	}
	var b strings.Builder
	if err := runfile.WriteCurveCSV(&b, w.l.Curve()); err != nil {
		return js.Null()
	}
	return b.String()
}

// restore replaces the current run with run index of a race file (or
// the run of a run file), paused where it was saved (coordinator), with
// (bytes, workers, index): workers are the tab's, shared by the race. The
// whole race is checked first (runfile.Split): a file that cannot
// be used returns {refused: message} and leaves the current run as it
// was.
func (w *worker) restore(_ js.Value, args []js.Value) any {
	workers, index := 1, 0
	if len(args) > 1 && args[1].Type() == js.TypeNumber {
		workers = max(1, args[1].Int())
	}
	if len(args) > 2 && args[2].Type() == js.TypeNumber {
		index = args[2].Int()
	}
	refused := func(err error) js.Value {
		o := newObject()
		o.Set("refused", err.Error())
		return o
	}
	if len(args) == 0 || !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return refused(fmt.Errorf("restore: want the file's bytes as a Uint8Array"))
	}
	file := bytesOf(args[0])
	_, runs, err := runfile.Split(file, maxBytes, budget.Shares(maxBytes, workers))
	if err != nil {
		return refused(err)
	}
	if err := runfile.CheckData(file, w.dataID, w.dataFrom); err != nil {
		return refused(err)
	}
	if index < 0 || index >= len(runs) {
		return refused(fmt.Errorf("restore: run %d of a race of %d", index+1, len(runs)))
	}
	var rc race.Race
	for _, sv := range runs {
		sv.Settings.Threads = 1
		rc.Runs = append(rc.Runs, sv.Settings)
	}
	sv := runs[index]
	mem := budget.Budgets(rc.Algos(), workers, maxBytes)[index]
	l, err := learner.Resume(sv, w.data(mem))
	if err == nil && index == 0 {
		if err = wholeNeeded(rc, w.train != nil); err != nil {
			l.Close()
		}
	}
	if err != nil {
		o := refused(err)
		o.Set("whole", isWholeFile(err))
		return o
	}
	w.setLearner(l)
	w.race, w.index, w.workers = rc, index, workers
	w.limit(mem, l.Settings())
	res := w.describe(newObject(), nil, sv.Seconds)
	res.Set("seconds", sv.Seconds)
	return res
}

// join returns the race file holding the given run files (an Array of
// Uint8Arrays, in the race's order), with the drawn digits {images,
// labels} of the third argument beside it if given (runfile.Attach) and
// the name of the data if it is not MNIST (runfile.WithData), or
// with format "csv" the curves of every run as one CSV
// (runfile.WriteCurvesCSV, a column "run" when there are several); null
// if they do not make a race.
func (w *worker) join(_ js.Value, args []js.Value) any {
	if len(args) == 0 || args[0].Type() != js.TypeObject {
		return js.Null()
	}
	files := make([][]byte, args[0].Length())
	for i := range files {
		files[i] = bytesOf(args[0].Index(i))
	}
	b := runfile.Join(files)
	if len(args) < 2 || args[1].String() != "csv" {
		var err error
		if len(args) > 2 && args[2].Type() == js.TypeObject {
			drawn := []runfile.Attachment{{Name: runfile.DrawnImages, Data: bytesOf(args[2].Get("images"))}, {Name: runfile.DrawnLabels, Data: bytesOf(args[2].Get("labels"))}}
			if b, err = runfile.Attach(b, drawn); err != nil {
				return js.Null()
			}
		}
		if b, err = runfile.WithData(b, w.dataID, w.dataFrom); err != nil {
			return js.Null()
		}
		return jsarray.Bytes(b)
	}
	_, runs, err := runfile.Split(b, 1<<62, race.Even(1<<62))
	if err != nil {
		return js.Null()
	}
	var rc race.Race
	curves := make([][]learner.Point, len(runs))
	for i, sv := range runs {
		rc.Runs = append(rc.Runs, sv.Settings)
		curves[i] = sv.Curve
	}
	var labels []string
	if len(runs) > 1 {
		labels = rc.Labels()
	}
	var sb strings.Builder
	if err := runfile.WriteCurvesCSV(&sb, labels, curves); err != nil {
		return js.Null()
	}
	return sb.String()
}

// describe fills res with what the page needs of the current run.
func (w *worker) describe(res js.Value, errs []string, seconds float64) js.Value {
	l := w.l
	s := l.Settings()
	res.Set("settings", settingsObject(&s))
	// Every preset's values and every rule's defaults, so that the page's
	// menus fill the form without a second list in JavaScript.
	presets := newObject()
	for _, name := range settings.Presets() {
		ps, _ := settings.Preset(name) // a name from Presets
		presets.Set(name, settingsObject(&ps))
	}
	res.Set("presets", presets)
	rules := js.Global().Get("Array").New()
	for _, r := range learner.Rules {
		o := newObject()
		o.Set("name", r.Name)
		o.Set("short", r.Short)
		o.Set("title", r.Title)
		o.Set("about", r.About)
		o.Set("unit", r.Phases[0].Unit)
		o.Set("fanOut", r.FansOut())
		o.Set("presets", r.Presets)
		o.Set("signals", jsarray.Strings(r.Signals))
		o.Set("pictures", jsarray.Strings(r.Pictures))
		d, _ := learner.Defaults(r.Name, "") // every rule has defaults
		o.Set("defaults", settingsObject(&d))
		if r.Presets {
			// Each preset as this rule starts from it (its own settings
			// beside the preset's).
			ps := newObject()
			for _, name := range settings.Presets() {
				p, _ := learner.Defaults(r.Name, name) // a preset of a rule that has presets
				ps.Set(name, settingsObject(&p))
			}
			o.Set("presets", ps)
		}
		rules.Call("push", o)
	}
	res.Set("rules", rules)
	// Which parameter belongs to which rule, and the words a parameter
	// takes, for the page's form.
	params := newObject()
	for _, p := range learner.Params() {
		o := newObject()
		o.Set("rules", js.Null())
		if rules := learner.RulesWith(p.Name); rules != nil {
			o.Set("rules", jsarray.Strings(rules))
		}
		if p.Choices != nil {
			o.Set("choices", jsarray.Strings(p.Choices))
			o.Set("titles", jsarray.Strings(p.Titles))
		}
		o.Set("usage", p.Usage)
		o.Set("label", p.Label)
		params.Set(p.Name, o)
	}
	// The preset is not a setting (it fills them), but its menu is built
	// like the settings' menus.
	preset := newObject()
	preset.Set("rules", jsarray.Strings(learner.PresetRules()))
	preset.Set("choices", jsarray.Strings(settings.Presets()))
	preset.Set("titles", jsarray.Strings(settings.PresetTitles()))
	preset.Set("usage", "starting settings of the rules that have presets")
	params.Set("preset", preset)
	res.Set("params", params)
	rule, _ := learner.RuleOf(s.Algo) // the run's rule is known
	res.Set("algo", s.Algo)
	res.Set("evolving", rule.FansOut())
	res.Set("rule", ruleObject(rule, &s))
	res.Set("query", learner.Query(&s).Encode())
	// The race this run is part of: its canonical query (the page's
	// link), and each run's rule, label and share of the workers.
	res.Set("index", w.index)
	res.Set("raceQuery", w.race.Query().Encode())
	runs := js.Global().Get("Array").New()
	shares := budget.Workers(w.race.Algos(), w.workers)
	duty := budget.Duty(w.race.Algos(), w.workers)
	for i, label := range w.race.Labels() {
		o := newObject()
		o.Set("algo", w.race.Runs[i].Algo)
		o.Set("label", label)
		o.Set("workers", shares[i])
		o.Set("duty", duty)
		runs.Call("push", o)
	}
	res.Set("race", runs)
	res.Set("errors", jsarray.Strings(errs))
	res.Set("describe", l.Describe())
	digits, _ := mnist.ParseDigits(s.Digits) // validated settings
	test := w.test.Filter(digits)
	w.scored, w.grid, w.gridSent = test, mnist.AllDigits, nil
	res.Set("numTest", test.Len())
	res.Set("evalEvery", s.EvalEvery)
	labels := make([]string, len(digits))
	for i, d := range digits {
		labels[i] = string(rune('0' + d))
	}
	res.Set("labels", jsarray.Strings(labels))
	n := min(gridSize, test.Len())
	res.Set("gridImages", jsarray.New(mnist.Floats(nil, test.Images[:n*mnist.Pixels])))
	res.Set("gridTruth", jsarray.New(test.Class[:n]))
	res.Set("snapshot", w.snapshot(true, seconds))
	return res
}

// ruleObject is what the page and the canvas need of the run's rule
// (learner.Rule): its name and title, each phase's unit, stop in s, the
// parameter that sets it and what a step does, the
// signals and pictures, the signal of its own panel, and what its network
// is called.
func ruleObject(r *learner.Rule, s *settings.Settings) js.Value {
	o := newObject()
	o.Set("name", r.Name)
	o.Set("title", r.Title)
	phases := js.Global().Get("Array").New()
	for i, p := range r.Phases {
		ph := newObject()
		ph.Set("unit", p.Unit)
		ph.Set("stop", r.Stop(s, i))
		ph.Set("does", p.Does(s))
		ph.Set("param", p.Stop)
		phases.Call("push", ph)
	}
	o.Set("phases", phases)
	o.Set("signals", jsarray.Strings(r.Signals))
	o.Set("pictures", jsarray.Strings(r.Pictures))
	o.Set("plot", r.Plot)
	o.Set("network", r.NetworkOf(s))
	return o
}

// settingsObject returns every setting of s by its parameter's name.
func settingsObject(s *settings.Settings) js.Value {
	o := newObject()
	for _, p := range learner.Params() {
		if v := p.Get(s); v != "" || p.Name != "algo" { // a preset names no rule
			o.Set(p.Name, v)
		}
	}
	return o
}

// evaluate classifies the test set with the current mean genotype and
// returns the new point of the curve (coordinator).
func (w *worker) evaluate(_ js.Value, args []js.Value) any {
	if w.l == nil {
		return js.Null()
	}
	pt := w.l.Evaluate(args[0].Float())
	o := newObject()
	o.Set("step", pt.Step)
	o.Set("unit", pt.Unit)
	o.Set("testAccuracy", pt.TestAccuracy)
	o.Set("trainAccuracy", pt.TrainAccuracy)
	return o
}

// next(k, stepped) returns the next generation's number, p and
// minibatch, and the slices of the population for its k evaluators
// (nne.Split), which the ledger records as out, sent by a step if
// stepped; or null if the run has reached its generation limit
// (coordinator).
func (w *worker) next(_ js.Value, args []js.Value) any {
	r := w.run
	if r == nil || r.Done() {
		return js.Null()
	}
	t0 := now()
	if len(args) != 2 || args[0].Type() != js.TypeNumber || args[0].Int() < 1 {
		return fatal(fmt.Errorf("next: want (evaluators ≥ 1, stepped)"))
	}
	o := newObject()
	slices := js.Global().Get("Array").New()
	cuts := nne.Split(r.Settings.Pop, args[0].Int())
	for i, s := range cuts {
		slices.SetIndex(i, js.ValueOf([]any{s[0], s[1]}))
	}
	w.ledger.Start(r.Generation()+1, cuts, t0, args[1].Truthy())
	o.Set("slices", slices)
	o.Set("generation", r.Generation()+1)
	o.Set("batch", jsarray.New(r.Pop.Batch()))
	o.Set("p", jsarray.New(r.Pop.P))
	return o
}

// apply merges the evaluators' partial sums, given in slice order, and
// ends the generation by eq. 3 (coordinator); the ledger records its
// trace, and the answer says its time (genMs) and whether a step sent it.
func (w *worker) apply(_ js.Value, args []js.Value) any {
	r := w.run
	if r == nil {
		return fatal(fmt.Errorf("apply: no run"))
	}
	t0 := now()
	parts := args[0]
	all := r.Pop.Sums()
	all.Reset()
	if w.part == nil || len(w.part.X) != r.Settings.Genes {
		w.part = nne.NewSums(r.Settings.Genes)
	}
	part := w.part
	for k := range parts.Length() {
		if err := readSums(part, parts.Index(k)); err != nil {
			return fatal(fmt.Errorf("apply: slice %d: %w", k, err))
		}
		all.Merge(part)
	}
	if err := r.Pop.Apply(all); err != nil {
		return fatal(err)
	}
	genMs, stepped, _ := w.ledger.Finish(t0, now())
	o := newObject()
	o.Set("genMs", genMs)
	o.Set("stepped", stepped)
	o.Set("generation", r.Generation())
	o.Set("fitness", all.MeanFitness())
	o.Set("evaluate", r.Generation()%r.Settings.EvalEvery == 0 || r.Done())
	o.Set("done", r.Done())
	return o
}

// readSums reads an evaluator's answer into s.
func readSums(s *nne.Sums, v js.Value) error {
	if v.Type() != js.TypeObject {
		return fmt.Errorf("got %s, want partial sums", v.Type())
	}
	var delta [1]int64
	for _, err := range []error{
		jsarray.Copy(s.DeltaX, v.Get("deltaX")),
		jsarray.Copy(s.X, v.Get("x")),
		jsarray.Copy(delta[:], v.Get("delta")),
	} {
		if err != nil {
			return err
		}
	}
	s.Delta = delta[0]
	c := v.Get("count")
	if c.Type() != js.TypeNumber || c.Int() < 0 {
		return fmt.Errorf("count %v, want a number ≥ 0", c)
	}
	s.Count = int32(c.Int())
	return nil
}

func (w *worker) jsSnapshot(_ js.Value, args []js.Value) any {
	if w.l == nil {
		return js.Null()
	}
	return w.snapshot(args[0].Bool(), args[1].Float())
}

// snapshot describes the run for the page: its position, hash and the
// curve points since the last snapshot, every time; with pictures, the
// learner's Pictures (weights, test predictions, p) as of the last
// evaluation.
func (w *worker) snapshot(pictures bool, seconds float64) js.Value {
	l := w.l
	step, unit, done := l.Position()
	o := newObject()
	o.Set("step", step)
	o.Set("unit", unit)
	o.Set("generation", step)
	o.Set("done", done)
	o.Set("seconds", seconds)
	o.Set("hash", l.Hash())
	o.Set("kernel", network.Kernel())
	if w.run != nil {
		o.Set("allelesHash", learner.AllelesHash(w.run.Pop.P))
	}
	// The ledger's: the medians of the last generations' traces, and
	// the rate they make.
	t := w.ledger.Summary()
	rate := 0.0
	if t.GenMs > 0 {
		rate = 1000 / t.GenMs
	}
	o.Set("timing", timing(t))
	o.Set("rate", rate)
	curve := l.Curve()
	points := curve[min(w.curveSent, len(curve)):]
	w.curveSent = len(curve)
	xs, test, tr, secs := make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points))
	units := make([]string, len(points))
	rule, _ := learner.RuleOf(l.Settings().Algo) // a run's rule is known
	signals := map[string][]float64{}
	for _, name := range rule.Signals {
		signals[name] = make([]float64, len(points))
	}
	for i, pt := range points {
		xs[i], test[i], tr[i], units[i], secs[i] = float64(pt.Step), pt.TestAccuracy, pt.TrainAccuracy, pt.Unit, pt.Seconds
		for _, sg := range pt.Signals {
			if v, ok := signals[sg.Name]; ok {
				v[i] = sg.Value
			}
		}
	}
	// Each of the rule's signals at each point, by name (0 where a
	// point has none).
	sigs := newObject()
	for name, v := range signals {
		sigs.Set(name, jsarray.New(v))
	}
	o.Set("curveSignals", sigs)
	o.Set("curveSeconds", jsarray.New(secs))
	o.Set("curveGens", jsarray.New(xs))
	o.Set("curveTest", jsarray.New(test))
	o.Set("curveTrain", jsarray.New(tr))
	o.Set("curveUnits", jsarray.Strings(units))
	if pictures && len(curve) > 0 {
		pt := curve[len(curve)-1]
		o.Set("testAccuracy", pt.TestAccuracy)
		o.Set("trainAccuracy", pt.TrainAccuracy)
		p := l.Pictures(tileUnits)
		linked := make([]byte, len(p.Linked))
		for i, b := range p.Linked {
			if b {
				linked[i] = 1
			}
		}
		o.Set("fields", jsarray.New(p.Fields))
		o.Set("linked", jsarray.Bytes(linked))
		o.Set("output", jsarray.New(p.Output))
		o.Set("confusion", jsarray.New(p.Confusion))
		w.gridSnapshot(o, p.Predicted)
		if p.P != nil {
			o.Set("p", jsarray.New(p.P))
			o.Set("fixed", p.Fixed)
		}
	}
	return o
}

// tileUnits is the number of hidden units whose input weights the canvas
// shows as tiles.
const tileUnits = 24

// advance steps a rule that the coordinator trains itself (every rule but
// NNE, whose generations go to the evaluators) until a point of the curve
// is due, the run is done or ms milliseconds have passed.
func (w *worker) advance(_ js.Value, args []js.Value) any {
	if w.l == nil || w.run != nil {
		return fatal(fmt.Errorf("advance: no run that the coordinator steps"))
	}
	due, done, err := learner.Advance(w.l, time.Duration(args[0].Float()*float64(time.Millisecond)), nil)
	if err != nil {
		return fatal(err)
	}
	step, unit, _ := w.l.Position()
	o := newObject()
	o.Set("step", step)
	o.Set("unit", unit)
	o.Set("due", due)
	o.Set("done", done)
	return o
}

// classify returns the class probabilities of one input (784 pixels in
// [0, 1]) under the current run (coordinator).
// setGrid sets the view of the test-digit grid: (truth, pred, page),
// classes −1 for any (mnist.GridView); the next snapshot with pictures
// shows it.
func (w *worker) setGrid(_ js.Value, args []js.Value) any {
	if len(args) < 3 {
		return false
	}
	classes := 0
	if w.scored != nil {
		classes = len(w.scored.Digits)
	}
	num := func(v js.Value, lo, hi int) int {
		if v.Type() != js.TypeNumber || v.Float() != v.Float() {
			return lo
		}
		return min(max(int(max(-1e9, min(1e9, v.Float()))), lo), hi)
	}
	w.grid = mnist.GridView{Truth: num(args[0], -1, classes-1), Pred: num(args[1], -1, classes-1), Page: num(args[2], 0, 1<<20)}
	return true
}

// gridSnapshot sets o's grid fields: the page of the grid's view (its
// images and true classes only when they changed since the last
// snapshot), the predictions for them, and the view as it is shown.
func (w *worker) gridSnapshot(o js.Value, predicted []int32) {
	if w.scored == nil {
		return
	}
	if len(predicted) != w.scored.Len() {
		predicted = nil
	}
	idx, total, page := mnist.GridPage(w.scored.Class, predicted, w.grid, gridSize)
	w.grid.Page = page
	if !slices.Equal(idx, w.gridSent) {
		img := make([]float32, 0, len(idx)*mnist.Pixels)
		truth := make([]int32, len(idx))
		for k, i := range idx {
			img = mnist.Floats(img, w.scored.Image(i))
			truth[k] = w.scored.Class[i]
		}
		o.Set("gridImages", jsarray.New(img))
		o.Set("gridTruth", jsarray.New(truth))
		w.gridSent = idx
	}
	pred := make([]int32, 0, len(idx))
	for _, i := range idx {
		if predicted != nil {
			pred = append(pred, predicted[i])
		}
	}
	o.Set("gridPred", jsarray.New(pred))
	view := newObject()
	view.Set("truth", w.grid.Truth)
	view.Set("pred", w.grid.Pred)
	view.Set("page", page)
	view.Set("total", total)
	view.Set("size", gridSize)
	o.Set("grid", view)
}

func (w *worker) classify(_ js.Value, args []js.Value) any {
	if w.l == nil || len(args) == 0 {
		return js.Null()
	}
	x, err := jsarray.Slice[float32](args[0])
	if err != nil || len(x) != mnist.Pixels {
		return js.Null()
	}
	return jsarray.New(w.l.Probabilities(x, nil))
}

// prepare builds the run of query (the canonical query the coordinator
// built its run from) and an evaluator for it (evaluator).
func (w *worker) prepare(_ js.Value, args []js.Value) any {
	w.eval = nil
	if w.pool == nil {
		return "no data loaded"
	}
	rc, _ := raceOf(args[0].String(), maxBytes, 0, w.pool.Classes())
	r, err := learner.NewPopulation(rc.Runs[0], w.data(maxBytes))
	if err != nil {
		return err.Error()
	}
	w.setRun(r)
	w.eval = nne.NewEvaluator(r.Pop.Task, r.Pop.Genome)
	w.sums = nne.NewSums(r.Settings.Genes)
	w.p = make([]float32, r.Settings.Genes)
	return ""
}

// score samples genotypes lo..hi−1 of a generation from p, scores them
// on the minibatch and returns their partial sums (evaluator).
func (w *worker) score(_ js.Value, args []js.Value) any {
	if w.eval == nil {
		return fatal(fmt.Errorf("score: no run prepared"))
	}
	if len(args) != 5 {
		return fatal(fmt.Errorf("score: %d arguments, want (generation, p, batch, lo, hi)", len(args)))
	}
	s := w.run.Settings
	gen, lo, hi := args[0].Int(), args[3].Int(), args[4].Int()
	if err := jsarray.Copy(w.p, args[1]); err != nil {
		return fatal(fmt.Errorf("score: p: %w", err))
	}
	batch, err := jsarray.Slice[int32](args[2])
	if err != nil {
		return fatal(fmt.Errorf("score: batch: %w", err))
	}
	n := int32(w.run.Train.Len())
	for _, i := range batch {
		if i < 0 || i >= n {
			return fatal(fmt.Errorf("score: batch index %d outside the %d training images", i, n))
		}
	}
	if gen < 1 || lo < 0 || lo > hi || hi > s.Pop {
		return fatal(fmt.Errorf("score: generation %d, genotypes %d to %d, want generation ≥ 1 and 0 ≤ lo ≤ hi ≤ %d", gen, lo, hi, s.Pop))
	}
	w.sums.Reset()
	w.eval.Prepare(w.p)
	w.eval.Evaluate(s.Seed, gen, batch, lo, hi, w.sums)
	o := newObject()
	o.Set("deltaX", jsarray.New(w.sums.DeltaX))
	o.Set("x", jsarray.New(w.sums.X))
	o.Set("delta", jsarray.New([]int64{w.sums.Delta}))
	o.Set("count", int(w.sums.Count))
	return o
}

// drawn returns the digits drawn that a run file carries
// (runfile.Drawn): {images, labels} (an IDX pair, Uint8Arrays), {} if
// it carries none, or {error}.
func drawn(_ js.Value, args []js.Value) any {
	if len(args) == 0 || !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return map[string]any{"error": "drawn: want the file's bytes as a Uint8Array"}
	}
	images, labels, err := runfile.Drawn(bytesOf(args[0]))
	switch {
	case err != nil:
		return map[string]any{"error": err.Error()}
	case images == nil:
		return map[string]any{}
	}
	return map[string]any{"images": jsarray.Bytes(images), "labels": jsarray.Bytes(labels)}
}
