// Package protocol is the one table of the messages the page's scripts
// pass to each other: the page (shell.js), its canvas frame (engine.js),
// each run's coordinator worker (coordinator.js) and its evaluator workers
// (evaluator.js), the worker benchmark (bench.js), the service worker
// (sw.js) and a course page that embeds the simulator.
//
// nnesim site writes the table into public/names.js as
// self.nnesimMessages.worker and .page, objects from a message's key to
// its type, which throw on an unknown key; the scripts name every type
// through them (W.snapshot, P.status) and never spell one. This
// package's tests check that no script does, that every message here is
// used, and that every method of Methods is on the engine.
package protocol

// A Message is one type of message.
type Message struct {
	Key    string // the scripts' name for it
	Type   string // the value of its type field
	From   string // the scripts that send it
	To     string // the scripts that handle it
	Fields string // its other fields
	Doc    string // what it asks or says
}

// Worker are the messages between engine.js (or bench.js) and a
// coordinator, and between a coordinator and its evaluators, with
// postMessage on the Worker objects.
var Worker = []Message{
	{"init", "init", "engine.js, bench.js; coordinator.js", "coordinator.js; evaluator.js",
		"module, train, test, download, evaluatorURL, first, tab, portable, from; to an evaluator: module, train, query, run, portable",
		"the compiled worker.wasm and the data (transferred), or download: the files to fetch, app.wasm, worker.wasm, the pool and the test set in that order (the page's first coordinator; downloading, appModule); in a sandboxed page the evaluators' script as a blob URL; tab is the tab's name in autosave (wasm/autosave), '' for none; the first coordinator reads the autosaved race this tab offers; portable runs Go's portable kernel, not the WebAssembly SIMD one (bench.html's kernel=go); from says where the data came from, for a run file's data (runfile.WithData)"},
	{"configure", "configure", "engine.js, bench.js", "coordinator.js", "query, edit, workers, index, token, fresh",
		"run index of the race in query (with edit {algos, set}, the race the settings form makes of it: race.Edit), with the tab's workers shared by the race; token names the race in autosave; fresh starts over even if the settings would continue the run"},
	{"start", "start", "engine.js, bench.js", "coordinator.js", "", "train until the stop"},
	{"pause", "pause", "engine.js, bench.js", "coordinator.js", "", "stop after the step under way"},
	{"step", "step", "engine.js", "coordinator.js", "", "one step (a generation or a minibatch), then pause"},
	{"save", "save", "engine.js", "coordinator.js", "id, format", "the run file ('run', bytes) or the curve ('csv', text), answered by saved"},
	{"saved", "saved", "coordinator.js", "engine.js", "id, data", "the answer to save, join, drawn and dataset"},
	{"dataset", "dataset", "engine.js", "coordinator.js", "id, files, query",
		"read another dataset's IDX files ({name: bytes}) for the race of query, answered by saved with {pool, test, classes, classList, train, poolLen, testLen, sample, query} or {error}; the engine then replaces every coordinator, this one with the memory the files took"},
	{"restore", "restore", "engine.js", "coordinator.js", "bytes, workers, index, token", "continue run index of a race file (or a run file), paused; or restoreFailed"},
	{"restoreFailed", "restore-failed", "coordinator.js", "engine.js", "message, whole, token", "the file was refused, and why (whole: it needs MNIST's whole training file, which the page then downloads)"},
	{"join", "join", "engine.js", "coordinator.js", "id, files, format, drawn", "the race file of these run files, with the digits drawn {images, labels} (an IDX pair) beside it if given, or ('csv') their curves as one CSV, answered by saved"},
	{"drawn", "drawn", "engine.js", "coordinator.js", "id, bytes", "the digits drawn that a run file carries, answered by saved with {images, labels}, {} if none, or {error}"},
	{"flush", "flush", "engine.js", "coordinator.js", "", "autosave now: the page is going away"},
	{"discard", "discard", "engine.js", "coordinator.js", "keys, quiet", "forget the offered race's runs (its keys, or its adopt keys once resumed into this tab's), answered by discarded unless quiet"},
	{"discarded", "discarded", "coordinator.js", "engine.js", "", "the autosaved run is gone"},
	{"interval", "interval", "engine.js, bench.js", "coordinator.js", "ms",
		"at most one snapshot per ms while running (the page adapts it to its frame rate; curve points are never dropped)"},
	{"classify", "classify", "engine.js", "coordinator.js", "id, version, pixels", "the run's class probabilities for a drawing, answered by probs"},
	{"probs", "probs", "coordinator.js", "engine.js", "id, version, probs", "the answer to classify"},
	{"grid", "grid", "engine.js", "coordinator.js", "truth, pred, page", "show this page of the test digits of true class truth predicted pred (−1: any; learner.GridView) in the snapshots' grid"},
	{"kill", "kill", "engine.js", "coordinator.js", "index", "test hook: terminate evaluator index, which the coordinator must replace"},
	{"throw", "throw", "engine.js; coordinator.js", "coordinator.js; evaluator.js", "index", "test hook: make evaluator index throw"},
	{"downloading", "downloading", "coordinator.js", "engine.js", "file, got, encoding", "the bytes of a file it downloads that are in (decompressed), and the Content-Encoding the server chose, for the page's loading bar"},
	{"appModule", "app-module", "coordinator.js", "engine.js", "module", "app.wasm compiled (the first file it downloads), for the page's canvas app"},
	{"ready", "ready", "coordinator.js", "engine.js, bench.js", "saved, files", "the worker runs, with the autosaved race if any, and the files it downloaded {module, train, test} (a copy, transferred) for the page's other coordinators"},
	{"run", "run", "coordinator.js", "engine.js, bench.js", "settings, errors, fatal, whole, token, advice, …", "the run as configured or restored, with its errors (and a preset made for its digits, settings.Advice; whole: it needs MNIST's whole training file, which the page then downloads)"},
	{"snapshot", "snapshot", "coordinator.js", "engine.js, bench.js", "the run's state", "what the canvas draws, at most once per interval"},
	{"progress", "progress", "coordinator.js", "engine.js", "generation, slicesDone, slices, seconds", "a generation out for over a second, every second"},
	{"notice", "notice", "coordinator.js", "engine.js", "message", "something the user should know (a replaced worker)"},
	{"storage", "storage", "coordinator.js", "engine.js", "message", "autosave is off or failed"},
	{"error", "error", "coordinator.js; evaluator.js", "engine.js, bench.js; coordinator.js", "message", "a worker failed"},
	{"prepare", "prepare", "coordinator.js", "evaluator.js", "query, run", "build run run's genome"},
	{"prepared", "prepared", "evaluator.js", "coordinator.js", "run", "the genome is built"},
	{"eval", "eval", "coordinator.js", "evaluator.js", "run, generation, p, batch, lo, hi", "score genotypes lo..hi−1 of the generation (p and the batch transferred)"},
	{"sums", "sums", "evaluator.js", "coordinator.js", "run, generation, lo, hi, deltaX, x, delta, count, ms, memoryBytes", "the slice's per-gene sums for eq. 3, with the scoring time and the wasm memory's size"},
}

// Host are the messages of course platforms' own protocols that the
// page speaks with a course page: their marks (a prefix or a field),
// not nnesim's. names.js gives them to the scripts as
// self.nnesimMessages.host (H.jsinput …).
var Host = []Message{
	{"jsinput", "JSInput::", "course page (Open edX); shell.js", "shell.js; course page", "id, method, params; result or error, message",
		"JSON strings of jschannel with scope JSInput: {method: 'JSInput::__ready', params: 'ping' or 'pong'}, then calls {id, method: 'JSInput::getGrade' | 'getState' | 'setState', params} answered by {id, result} or {id, error, message}; results go encodeURI'd, as Open edX decodes them"},
	{"resizer", "[iFrameSizer]", "course page (iframe-resizer 4); shell.js", "shell.js; course page", "ID:height:width:type",
		"strings '[iFrameSizer]ID:…' from the host (init, or 'resize'), answered by '[iFrameSizer]ID:height:width:init' and then ':size' whenever the height changes"},
	{"lti", "lti.frameResize", "shell.js", "course page (Canvas LMS)", "height",
		"{subject: 'lti.frameResize', height}: the embed's content height, as Canvas LMS resizes frames (beside nnesim:resize)"},
	{"passFail", "testsPassed", "shell.js", "course page (iframe exercises)", "testsPassed, message",
		"once a challenge is final, the JSON string {testsPassed, message} of Khan Academy-style iframe exercises"},
}

// Methods are the engine's methods (window.nnesimEngine in engine.js) a
// call message may name; the page builds its stand-in for the engine in a
// sandboxed frame from the same list.
var Methods = []string{"configure", "start", "pause", "step", "reset", "status", "classify", "classifyAll", "select", "padRect", "padPicture", "panels", "tour", "contentHeight", "fit", "setTheme",
	"exportRun", "exportCurves", "exportPNG", "importRun", "resumeSaved", "discardSaved", "predict", "getState", "setState", "mine", "mineScore", "mineExport", "readPictures", "loadDataset", "useMNIST"}

// Page are the messages between windows, with window.postMessage: the
// page and its canvas frame, the page and a course page embedding it, and
// the page and its service worker. Their types start with "nnesim:"; a
// course page sees command, status and error.
var Page = []Message{
	{"call", "nnesim:call", "shell.js", "engine.js", "id, method, args", "call an engine method in a sandboxed frame (no shared origin), answered by reply"},
	{"reply", "nnesim:reply", "engine.js", "shell.js", "id, result or error", "the answer to call"},
	{"run", "nnesim:run", "engine.js", "shell.js", "workers, settings, runSettings, presets, rules, params, race, advice, …", "a run (or race) was configured: the form and the URL follow it; advice offers a preset made for its digits"},
	{"status", "nnesim:status", "engine.js; shell.js", "shell.js; course page", "status; to a course page generation, running, done, testAccuracy, …", "the run's state after an update"},
	{"progress", "nnesim:progress", "engine.js", "shell.js", "loaded, total", "bytes of the wasm and data downloaded"},
	{"resize", "nnesim:resize", "shell.js", "course page", "height", "the embed's content height in CSS pixels, on load and when it changes (also sent as Canvas LMS's {subject: 'lti.frameResize', height})"},
	{"loaded", "nnesim:loaded", "engine.js", "shell.js", "", "everything is downloaded; the runtime starts"},
	{"frame", "nnesim:frame", "engine.js", "shell.js", "", "the canvas drew its first frame"},
	{"autosaved", "nnesim:autosaved", "engine.js", "shell.js", "generation, savedAt, query, runs", "an autosaved run can be resumed"},
	{"key", "nnesim:key", "engine.js", "shell.js", "key", "a key pressed on the canvas, for the page's shortcuts"},
	{"notice", "nnesim:notice", "engine.js", "window listeners", "message", "something the user should know"},
	{"error", "nnesim:error", "engine.js; shell.js", "shell.js; course page", "message", "what went wrong, and how to fix it"},
	{"command", "nnesim:command", "course page", "shell.js", "command", "start, pause, step, reset, or export (answered by runfile)"},
	{"runfile", "nnesim:runfile", "shell.js", "course page", "name, data", "the run file (data: an ArrayBuffer; name: nnesim-seedS-genG.nne), the answer to the command export: the course page may keep it and give it back to Import run"},
	{"pad", "nnesim:pad", "engine.js; shell.js", "shell.js; course page", "stroke, pixels, predictions",
		"a new drawing on the pad, once every run has classified it: stroke counts the drawings, pixels is the 28×28 input the networks see (784 values in [0, 1], row by row) and predictions each run's {run, label, probs}"},
	{"challenge", "nnesim:challenge", "shell.js", "course page", "challenge",
		"the course's challenge changed: challenge is Go's lesson.Result {kind, met, final, score, task, text, evidence}; once final the page also posts Khan Academy-style iframe exercises' pass/fail string, JSON {testsPassed, message}"},
	{"event", "nnesim:event", "shell.js", "course page", "event, step, detail",
		"with events=1 only: the student did something: event is play, pause, step, reset, apply (detail: the race's query), replay (detail: the step), import, export, draw (detail: every run's answer), predict (detail: the run's label) or challenge (detail: the final result); step is run 0's step then"},
	{"pictures", "nnesim:pictures", "engine.js", "shell.js", "files", "several picture files were dropped on the canvas: the page reads them into a table (readPictures)"},
	{"dataset", "nnesim:dataset", "engine.js", "shell.js; course page", "source, classes, names, train, pool, test, sample, notice; or source, error",
		"another dataset (data= or IDX files dropped, loadDataset) now trains every run, or MNIST again (useMNIST; source is ''): its classes, its images (training file, pool, test file), one sample image of each class (784 bytes each, 0 white to 255 black), and why its runs are not autosaved; or why it was refused, the runs untouched"},
	{"handoffReady", "nnesim:handoff-ready", "shell.js", "shell.js", "", "a tab opened by an embed's Open in nnesim ↗ (handoff=1) is ready for the embed's run"},
	{"handoff", "nnesim:handoff", "shell.js", "shell.js", "data", "the embed's run file (an ArrayBuffer), the answer to handoffReady: the new tab continues it, paused where the embed was"},
	{"activate", "nnesim:activate", "shell.js", "sw.js", "", "a waiting service worker (a new build) takes over"},
}
