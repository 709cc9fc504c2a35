package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat"

	"nnesim/core/learner"
	"nnesim/core/nne"
	"nnesim/core/runfile"
	"nnesim/core/settings"
)

// cell is one number of a table or one point of a figure: a setting run
// over seeds, beside the paper's number.
type cell struct {
	Table   string    `json:"table"` // "1", "2", "figure1", "figure2"
	Row     string    `json:"row"`
	Column  string    `json:"column"`
	Setting string    `json:"setting"` // faithful, improved or a reading
	Paper   *float64  `json:"paper,omitempty"`
	Seeds   []uint64  `json:"seeds"`
	Acc     []float64 `json:"accuracy"`
	Mean    float64   `json:"mean"`
	Std     float64   `json:"std"`
	Seconds float64   `json:"seconds"` // wall time of all seeds, summed
	Command string    `json:"command"` // reproduces one seed: replace SEED
	X       float64   `json:"x,omitempty"`
	// Series names a figure's line (Figure 1: the digit set); empty is
	// "MNIST 0-4", what results written before the 0-9 line hold.
	Series string `json:"series,omitempty"`

	// run computes one seed's outcome; a cell without run takes its
	// numbers from its source's outcomes (outcome.Derived).
	run    func(seed uint64) (outcome, error)
	source *cell // the cell whose runs give this one's numbers
	// settings are run's (but the seed), for the cost model of a plan.
	settings settings.Settings
}

// outcome is what one run of a cell for one seed gives: the cell's
// accuracy and, for a run that also gives another cell's number (NNE's
// run ends with NNE + SignSGD's) or Figure 2's data, those. A job of a
// cluster (reproduce -cell) writes it, -collect reads it.
type outcome struct {
	Acc     float64 `json:"accuracy"`
	Seconds float64 `json:"seconds"`
	// Derived is the accuracy of the cell whose source this cell is, and
	// DerivedSeconds the time of its part of the run.
	Derived        *float64  `json:"derived,omitempty"`
	DerivedSeconds float64   `json:"derived_seconds,omitempty"`
	Figure2        *fixation `json:"figure2,omitempty"`
}

// job is one run of a cell: its index in the cells and of its seed.
type job struct {
	c, i int
}

// jobs lists the runs of cells, in order (cells that derive their numbers
// have none).
func jobs(cells []*cell) []job {
	var out []job
	for ci, c := range cells {
		for i := range c.Seeds {
			if c.run != nil {
				out = append(out, job{ci, i})
			}
		}
	}
	return out
}

// assemble puts the jobs' outcomes into the cells (accuracies, seconds,
// the derived cells' numbers, means) and returns Figure 2's data, if any
// job gave it.
func assemble(cells []*cell, js []job, outs []outcome) *fixation {
	var fig2 *fixation
	for _, c := range cells {
		c.Acc, c.Seconds = make([]float64, len(c.Seeds)), 0
	}
	for k, j := range js {
		c, o := cells[j.c], outs[k]
		c.Acc[j.i] = o.Acc
		c.Seconds += o.Seconds
		for _, d := range cells {
			if d.source == c && o.Derived != nil {
				d.Acc[j.i] = *o.Derived
				d.Seconds += o.DerivedSeconds
			}
		}
		if o.Figure2 != nil {
			fig2 = o.Figure2
		}
	}
	for _, c := range cells {
		c.Mean, c.Std = stat.MeanStdDev(c.Acc, nil)
		if len(c.Acc) < 2 {
			c.Std = 0
		}
	}
	return fig2
}

// pick returns the cells whose row, column or setting contains one of
// the comma-separated words of only (all cells if only is empty) and none
// of those of skip, in any case, plus the cells they derive from.
func pick(cells []*cell, only, skip string) []*cell {
	matches := func(c *cell, list string) bool {
		label := strings.ToLower(c.Row + " " + c.Column + " " + c.Setting)
		for _, w := range strings.Split(list, ",") {
			if w = strings.TrimSpace(w); w != "" && strings.Contains(label, strings.ToLower(w)) {
				return true
			}
		}
		return false
	}
	keep := map[*cell]bool{}
	for _, c := range cells {
		if (only == "" || matches(c, only)) && !matches(c, skip) {
			keep[c] = true
			if c.source != nil {
				keep[c.source] = true
			}
		}
	}
	var out []*cell
	for _, c := range cells {
		if keep[c] {
			out = append(out, c)
		}
	}
	return out
}

func paper(v float64) *float64 { return &v }

// scale holds the sizes of a reproduction.
type scale struct {
	Seeds           []uint64
	NNEGenerations  int    // Table 1's faithful NNE (0: the preset's)
	NNEPreset       string // the faithful Table 1 preset
	Improved        [2]int // Table 1's improved NNE generations on 0-4 and 0-9
	Epochs          int    // Table 2
	SGDEpochs       int    // Table 1's SGD
	SignEpochs      int    // NNE + SignSGD
	Genes           []int  // Figure 1, digits 0-4 (quick preset)
	Genes10         []int  // Figure 1, digits 0-9 (quick10 preset)
	Fig1Generations int    // Figure 1
	Fig2Generations int    // Figure 2
	PerDigit        int    // training images per digit
	TestLimit       int    // test images (0: all)
	Hidden2         int    // Table 2's h
	Hidden2Wide     int    // Table 2's second h (the paper's 100,000), 0 for none
	LiteralSeeds    []uint64
}

var scales = map[string]scale{
	"quick": {Seeds: []uint64{1, 2, 3}, NNEGenerations: 2000, NNEPreset: "demo", Improved: [2]int{2000, 10000}, Epochs: 100, SGDEpochs: 30, SignEpochs: 8,
		Genes: []int{500, 1000, 2000, 4000, 8000}, Genes10: []int{1000, 2000, 4000, 8000, 16000}, Fig1Generations: 1500, Fig2Generations: 3000, PerDigit: 200, Hidden2: 1000,
		LiteralSeeds: []uint64{1}},
	"paper": {Seeds: []uint64{1, 2, 3}, NNEGenerations: 0, NNEPreset: "paper", Improved: [2]int{6000, 40000}, Epochs: 500, SGDEpochs: 100, SignEpochs: 8,
		Genes: []int{1000, 2000, 5000, 10000, 20000}, Genes10: []int{2000, 4000, 8000, 16000, 32000}, Fig1Generations: 10000, Fig2Generations: 10000, PerDigit: 200, Hidden2: 1000, Hidden2Wide: 100000,
		LiteralSeeds: []uint64{1, 2, 3}},
}

// reproduce runs the experiments behind the paper's tables and figures:
// on this machine, or planned as a cluster's job array (-plan), one job
// run by each task (-cell) and the results merged (-collect).
func reproduce(args []string, stdout, stderr io.Writer) error {
	var cellDir, collectDir string
	var rest []string
	// -cell DIR K and -collect DIR stand alone: the plan holds the rest.
	for i := 0; i < len(args); i++ {
		switch a := strings.TrimLeft(args[i], "-"); {
		case (a == "cell" || a == "collect") && strings.HasPrefix(args[i], "-") && i+1 < len(args):
			if a == "cell" {
				cellDir = args[i+1]
			} else {
				collectDir = args[i+1]
			}
			i++
		default:
			rest = append(rest, args[i])
		}
	}
	switch {
	case cellDir != "":
		k, threads, err := cellArgs(rest)
		if err != nil {
			return err
		}
		return runPlannedCell(cellDir, k, threads, stdout)
	case collectDir != "":
		if len(rest) != 0 {
			return fmt.Errorf("reproduce -collect: want -collect DIR alone (the plan holds the settings), got %q", rest)
		}
		return collect(collectDir, stdout)
	}
	r, err := setupReproduce(args, stderr)
	if err != nil || r == nil {
		return err
	}
	if r.plan != "" {
		return writePlan(r, stdout)
	}
	t0 := time.Now()
	outs, err := runCells(r.cells, r.threads, stdout)
	if err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	wall := time.Since(t0)
	fig2 := assemble(r.cells, jobs(r.cells), outs)
	fmt.Fprintf(stdout, "all %d cells in %v\n", len(r.cells), wall.Round(time.Second))
	return writeResults(r.out, r.scaleName, r.cells, fig2, wall)
}

// cellArgs reads what follows -cell DIR: the job's index K and, if given,
// -threads N, the threads of the job's one run (1 unless given; a task
// given more cores finishes sooner, with the same results).
func cellArgs(rest []string) (k string, threads int, err error) {
	threads = 1
	usage := fmt.Errorf("reproduce -cell: want -cell DIR K [-threads N] (K the job's index in DIR/plan.json), got %q", rest)
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch name, v, hasV := strings.Cut(strings.TrimLeft(a, "-"), "="); {
		case strings.HasPrefix(a, "-") && name == "threads":
			if !hasV {
				if i+1 == len(rest) {
					return "", 0, usage
				}
				i++
				v = rest[i]
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1024 {
				return "", 0, fmt.Errorf("reproduce -cell: -threads=%s, want a whole number from 1 to 1024", v)
			}
			threads = n
		case k == "" && !strings.HasPrefix(a, "-"):
			k = a
		default:
			return "", 0, usage
		}
	}
	if k == "" {
		return "", 0, usage
	}
	return k, threads, nil
}

// reproduction is a reproduction set up from its flags.
type reproduction struct {
	args      []string // the flags, but -plan
	x         *experiments
	cells     []*cell
	out       string
	scaleName string
	threads   int
	plan      string // -plan's folder
}

// setupReproduce reads reproduce's flags and builds the cells (loading
// MNIST); it returns nil and no error when the flags asked for something
// already done (-replot).
func setupReproduce(args []string, stderr io.Writer) (*reproduction, error) {
	fs := flag.NewFlagSet("nnesim reproduce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	table := fs.String("table", "", "table to reproduce: 1, 2 or all (default: all tables and figures when no -figure is given)")
	figure := fs.String("figure", "", "figure to reproduce: 1, 2 or all")
	scaleName := fs.String("scale", "quick", "quick (under 20 minutes on 2 cores) or paper (the full settings; hours)")
	out := fs.String("out", "results", "folder for the JSON, CSV, PNG and Markdown files")
	threads := fs.Int("threads", runtime.NumCPU(), "runs at a time (each run is single-threaded; results do not depend on it)")
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	replot := fs.Bool("replot", false, "only redraw the PNG plots from the results.json in -out")
	tiny := fs.Bool("tiny", false, "a seconds-long smoke run of every cell (for tests)")
	onlyList := fs.String("only", "", "run only the cells whose row, column or setting contains one of these comma-separated words, e.g. Adam,ours or 0-9")
	skipList := fs.String("skip", "", "leave out the cells whose row, column or setting contains one of these comma-separated words, e.g. faithful")
	plan := fs.String("plan", "", "write a Slurm job array for a cluster into this folder instead of running (plan.json, reproduce.sbatch, a Kubernetes Indexed Job); then sbatch it and -collect the folder")
	fs.String("cell", "", "run one job of a plan: -cell DIR K [-threads N] (what each array task runs; N threads for its run, default 1)")
	fs.String("collect", "", "merge a plan's finished jobs into DIR's results.json, results.csv, RESULTS.md and plots, and list the missing")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("reproduce: unexpected argument %q", fs.Arg(0))
	}
	sc, ok := scales[*scaleName]
	if !ok {
		return nil, fmt.Errorf("reproduce: -scale=%s: want quick or paper", *scaleName)
	}
	if *tiny {
		sc = scale{Seeds: []uint64{1, 2}, NNEGenerations: 20, NNEPreset: "demo", Improved: [2]int{20, 20}, Epochs: 2, SGDEpochs: 1, SignEpochs: 1,
			Genes: []int{500, 1000}, Genes10: []int{500, 1000}, Fig1Generations: 20, Fig2Generations: 40, PerDigit: 20, TestLimit: 500, Hidden2: 50, LiteralSeeds: []uint64{1}}
	}
	if *table == "" && *figure == "" {
		*table, *figure = "all", "all"
	}
	for name, v := range map[string]string{"table": *table, "figure": *figure} {
		if v != "" && v != "1" && v != "2" && v != "all" {
			return nil, fmt.Errorf("reproduce: -%s=%s: want 1, 2 or all", name, v)
		}
	}
	if *replot {
		return nil, replotResults(*out)
	}
	has := func(v, n string) bool { return v == "all" || v == n }
	if *threads < 1 {
		return nil, fmt.Errorf("reproduce: -threads=%d, want at least 1", *threads)
	}
	if *plan == "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return nil, fmt.Errorf("reproduce: %w", err)
		}
	}
	data, err := loadData(*dataDir)
	if err != nil {
		return nil, fmt.Errorf("reproduce: %w", err)
	}
	x := &experiments{sc: sc, data: data, scaleName: *scaleName, tiny: *tiny}
	var cells []*cell
	if has(*table, "1") {
		cells = append(cells, x.table1()...)
	}
	if has(*table, "2") {
		cells = append(cells, x.table2()...)
	}
	if has(*figure, "1") {
		cells = append(cells, x.figure1()...)
	}
	if has(*figure, "2") {
		cells = append(cells, x.figure2())
	}
	if *onlyList != "" || *skipList != "" {
		if cells = pick(cells, *onlyList, *skipList); len(cells) == 0 {
			return nil, fmt.Errorf("reproduce: -only=%q -skip=%q leave no cell of the chosen tables and figures", *onlyList, *skipList)
		}
	}
	var kept []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "plan" {
			kept = append(kept, "-"+f.Name+"="+f.Value.String())
		}
	})
	return &reproduction{args: kept, x: x, cells: cells, out: *out, scaleName: *scaleName, threads: *threads, plan: *plan}, nil
}

// runCells runs every job of cells on threads goroutines and returns
// their outcomes, in the order of jobs(cells).
func runCells(cells []*cell, threads int, out io.Writer) ([]outcome, error) {
	js := jobs(cells)
	outs := make([]outcome, len(js))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				o, err := runJob(cells, js[k], out, &mu)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				outs[k] = o
				mu.Unlock()
			}
		}()
	}
	for k := range js {
		next <- k
	}
	close(next)
	wg.Wait()
	return outs, first
}

// runJob runs job j and prints its outcome (under mu, if not nil).
func runJob(cells []*cell, j job, out io.Writer, mu *sync.Mutex) (outcome, error) {
	c, seed := cells[j.c], cells[j.c].Seeds[j.i]
	t := time.Now()
	o, err := c.run(seed)
	// A run resumed from a checkpoint says how long it had run before.
	o.Seconds += time.Since(t).Seconds() - o.DerivedSeconds
	if err != nil {
		err = fmt.Errorf("table %s %s / %s seed %d: %w", c.Table, c.Row, c.Column, seed, err)
	}
	if mu != nil {
		mu.Lock()
		defer mu.Unlock()
	}
	fmt.Fprintf(out, "%-8s %-34s %-14s seed %d: %.4f (%.1fs)\n", c.Table, c.Row, c.Column, seed, o.Acc, o.Seconds)
	if o.Derived != nil {
		for _, d := range cells {
			if d.source == c {
				fmt.Fprintf(out, "%-8s %-34s %-14s seed %d: %.4f\n", d.Table, d.Row, d.Column, seed, *o.Derived)
			}
		}
	}
	return o, err
}

// experiments builds the cells of one scale.
type experiments struct {
	sc        scale
	data      learner.Data // the pool, the whole training file and the test set
	scaleName string
	tiny      bool

	// checkpoint, if set, is a run file that a run (without every) saves
	// itself to every checkpointEvery, and resumes from if it is there: a
	// cluster's task that is preempted and requeued goes on where it was.
	checkpoint      string
	checkpointEvery time.Duration
	// threads is each run's threads: 1 (runs go side by side, -threads
	// of reproduce), or a cluster task's -cell … -threads N.
	threads int
	// interrupt, if set, stops a checkpointed run after a save when it
	// returns true for the run's step (tests preemption).
	interrupt func(step int) bool
}

// errInterrupted is returned by a run that interrupt stopped.
var errInterrupted = errors.New("interrupted after a checkpoint")

// learn runs settings s with seed to its stop through the learner seam
// (package learner), calling every (if not nil) with an NNE run at
// generation 0 and after each generation, and returns it (closed by the
// caller) with the seconds it had run before, in earlier processes, when
// it resumed from a checkpoint. Plain NNE is evaluated at its stop only;
// the other rules at each point their curve is due (NNE + SignSGD's
// switch among them).
func (x *experiments) learn(s settings.Settings, seed uint64, every func(r *learner.NNERun)) (learner.Learner, float64, error) {
	s.Seed, s.Threads = seed, max(1, x.threads)
	rule, err := learner.RuleOf(s.Algo)
	if err != nil {
		return nil, 0, err
	}
	// The rules that count generations (NNE and its peers): a tiny run's
	// network is tiny, and a one-phase run's cells need its last point
	// alone, whose evaluations cost as much as many generations, so it is
	// evaluated at its stop only.
	generations := rule.Phases[0].Unit == learner.Generation
	if x.tiny && generations {
		s.Hidden, s.PerDigit = 20, x.sc.PerDigit
	}
	atStop := len(rule.Phases) == 1 && generations
	data := x.data
	data.MaxBytes, data.TestLimit = maxBytes, x.sc.TestLimit
	ck := x.checkpoint != "" && every == nil
	var l learner.Learner
	var before float64
	if ck {
		l, before, err = x.resume(s, data)
	}
	if l == nil && err == nil {
		l, err = learner.New(s, data)
	}
	if err != nil {
		return nil, 0, err
	}
	var run *learner.NNERun
	if e, ok := l.(learner.Evolver); ok {
		run = e.Evolution().Run()
	}
	if every != nil && run != nil {
		every(run) // generation 0
	}
	var each func()
	if every != nil && run != nil {
		each = func() { every(run) }
	}
	h := learner.Hooks{Seconds: before, AtStop: atStop, Each: each}
	if ck {
		// The run's time so far goes with its checkpoint, so that a
		// resumed job's outcome counts all of it.
		h.SaveEvery = max(time.Nanosecond, x.checkpointEvery)
		h.Save = func(sv *learner.Saved) error {
			if err := writeFile(x.checkpoint, runfile.Encode(sv)); err != nil {
				return fmt.Errorf("checkpoint: %w", err)
			}
			if x.interrupt != nil && x.interrupt(sv.Step) {
				return errInterrupted
			}
			return nil
		}
	}
	if _, err := learner.Run(l, h); err != nil {
		l.Close()
		return nil, 0, err
	}
	return l, before, nil
}

// resume continues settings s from the checkpoint, if there is one of
// these settings, and returns the seconds the run had taken; it returns
// nil and no error if there is none.
func (x *experiments) resume(s settings.Settings, data learner.Data) (learner.Learner, float64, error) {
	sv, err := readCheckpoint(x.checkpoint)
	if sv == nil || err != nil {
		return nil, 0, err
	}
	sv.Settings.Threads = s.Threads
	if sv.Settings != s {
		return nil, 0, fmt.Errorf("checkpoint %s holds another run (delete it to start the job over)", x.checkpoint)
	}
	l, err := learner.Resume(sv, data)
	return l, sv.Seconds, err
}

// readCheckpoint reads the run file a job saved at path; it returns nil
// and no error if there is none.
func readCheckpoint(path string) (*learner.Saved, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sv, err := runfile.Decode(b, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w (delete it to start the job over)", path, err)
	}
	return sv, nil
}

// outcome runs settings s with seed and returns its final test accuracy
// (NNE: of the mean genotype).
func (x *experiments) outcome(s settings.Settings, seed uint64, every func(r *learner.NNERun)) (outcome, error) {
	l, before, err := x.learn(s, seed, every)
	if err != nil {
		return outcome{}, err
	}
	defer l.Close()
	c := l.Curve()
	return outcome{Acc: c[len(c)-1].TestAccuracy, Seconds: before}, nil
}

// peers are the cells of the rules marked Peer (learner.Rule.Peer) beside
// NNE's cell of settings s: each at NNE's preset, task, population,
// minibatch and generations (every setting of the peer's that NNE has),
// with the peer's own defaults for the rest.
func (x *experiments) peers(s settings.Settings, digits string) []*cell {
	nne, _ := learner.RuleOf(s.Algo) // a preset's rule
	var cells []*cell
	for _, r := range learner.Rules {
		if !r.Peer {
			continue
		}
		p, err := learner.Defaults(r.Name, s.Preset)
		if err != nil {
			p, _ = learner.Defaults(r.Name, "")
		}
		for _, name := range r.Params {
			if nne.Has(name) {
				param, _ := learner.ParamNamed(name)
				param.Set(&p, param.Get(&s)) // a valid setting of NNE's
			}
		}
		cells = append(cells, &cell{Table: "1", Row: r.Short + " (same network evaluations as NNE)", Column: "MNIST " + digits, Setting: "improved",
			Seeds: x.sc.Seeds, Command: trainCommand(p), settings: p,
			run: func(seed uint64) (outcome, error) { return x.outcome(p, seed, nil) }})
	}
	return cells
}

// improved returns our improved NNE settings for digits: the quick preset
// (tuned on 0-4), and on ten digits the quick10 preset, whose fitness
// keeps every class (docs/TUNING.md).
func (x *experiments) improved(digits string, generations int) settings.Settings {
	if digits == "0-9" {
		return x.preset("quick10", digits, generations)
	}
	return x.preset("quick", digits, generations)
}

func (x *experiments) preset(name, digits string, generations int) settings.Settings {
	s := defaults("nne", name)
	s.Digits = digits
	if generations > 0 {
		s.Generations = generations
	}
	return s
}

// lifetime returns a lifetime rule's defaults on digits, with the scale's
// sample size.
func (x *experiments) lifetime(algo, digits string) settings.Settings {
	s := defaults(algo, "")
	s.Digits, s.PerDigit = digits, x.sc.PerDigit
	return s
}

// defaults returns a rule's defaults from the one parameter table, with
// preset for an evolving rule ("" for the default preset).
func defaults(algo, preset string) settings.Settings {
	s, err := learner.Defaults(algo, preset)
	if err != nil {
		panic(err) // algo and preset are this file's literals: a typo is a bug
	}
	return s
}

// trainCommand is the nnesim train command of settings s for any seed:
// its rule (unless the default), its preset, and every flag that differs
// from them (learner.Query).
func trainCommand(s settings.Settings) string {
	q := learner.Query(&s)
	cmd := "nnesim train"
	if v := q.Get("algo"); v != "" {
		cmd += " -algo " + v
	}
	if v := q.Get("preset"); v != "" {
		cmd += " -preset " + v
	}
	for _, p := range learner.Params() {
		if v, ok := q[p.Name]; ok && p.Name != "seed" && p.Name != "algo" {
			cmd += " -" + p.Name + " " + v[0]
		}
	}
	return cmd + " -seed SEED"
}

func (x *experiments) table1() []*cell {
	var cells []*cell
	type col struct {
		digits string
		nne    float64
		sign   float64
		sgd    float64
	}
	for ki, k := range []col{{"0-4", 92.1, 91.6, 96}, {"0-9", 78.8, 85.6, 88.2}} {
		for _, setting := range []string{"faithful", "improved"} {
			s := x.preset(x.sc.NNEPreset, k.digits, x.sc.NNEGenerations)
			if setting == "improved" {
				s = x.improved(k.digits, x.sc.Improved[ki])
			}
			nneCell := &cell{Table: "1", Row: "NNE", Column: "MNIST " + k.digits, Setting: setting, Paper: paper(k.nne), Seeds: x.sc.Seeds, Command: trainCommand(s)}
			chain := s
			def := defaults("nne-signsgd", s.Preset)
			chain.Algo, chain.Net, chain.LR, chain.Epochs = def.Algo, def.Net, def.LR, x.sc.SignEpochs
			signCell := &cell{Table: "1", Row: "NNE + SignSGD", Column: "MNIST " + k.digits, Setting: setting, Paper: paper(k.sign), Seeds: x.sc.Seeds,
				Command: trainCommand(s) + fmt.Sprintf(" -save run.nne && nnesim train -algo nne-signsgd -from run.nne -epochs %d -lr %g", chain.Epochs, chain.LR), source: nneCell}
			// One NNE + SignSGD run gives both cells: NNE's accuracy at the
			// switch, and SignSGD's at the end.
			nneCell.settings = chain
			nneCell.run = func(seed uint64) (outcome, error) {
				t := time.Now()
				l, before, err := x.learn(chain, seed, nil)
				if err != nil {
					return outcome{}, err
				}
				defer l.Close()
				curve := l.Curve()
				o := outcome{Seconds: before}
				for _, pt := range curve {
					if pt.Unit == learner.Generation {
						o.Acc = pt.TestAccuracy
					}
				}
				sign := curve[len(curve)-1].TestAccuracy
				o.Derived, o.DerivedSeconds = &sign, time.Since(t).Seconds()
				if c, ok := l.(*learner.Chain); ok {
					o.DerivedSeconds -= c.SwitchSeconds()
				}
				return o, nil
			}
			cells = append(cells, nneCell, signCell)
			if setting == "improved" {
				cells = append(cells, x.peers(s, k.digits)...)
			}
		}
		c := x.lifetime("sgd", k.digits)
		c.Epochs, c.EvalEvery = x.sc.SGDEpochs, max(1, x.sc.SGDEpochs)
		if x.tiny {
			c.Hidden = 50
		}
		cells = append(cells, &cell{Table: "1", Row: "SGD (Adam, whole sparse network)", Column: "MNIST " + k.digits, Setting: "baseline", Paper: paper(k.sgd), Seeds: x.sc.Seeds, settings: c,
			Command: fmt.Sprintf("nnesim train -algo sgd -net sparse -digits %s -hidden %d -epochs %d -seed SEED", k.digits, c.Hidden, c.Epochs),
			run:     func(seed uint64) (outcome, error) { return x.outcome(c, seed, nil) }})
	}
	return cells
}

func (x *experiments) table2() []*cell {
	var cells []*cell
	add := func(row, algo, setting, rule string, gate bool, pv *float64, seeds []uint64, hidden int) {
		c := x.lifetime(algo, "0-9")
		c.Net, c.Epochs, c.EvalEvery, c.Hidden = "dense", x.sc.Epochs, max(1, x.sc.Epochs), hidden
		cmd := fmt.Sprintf("nnesim train -algo %s -net dense -digits 0-9 -hidden %d -epochs %d -seed SEED", algo, c.Hidden, c.Epochs)
		if rule != "" { // a reading of the dopamine rule
			c.DNNRule, c.FireGate = rule, gate
			cmd += fmt.Sprintf(" -dnn-rule %s -fire-gate=%v", rule, gate)
			if rule != "reward" {
				c.LR = 1 // unused by the literal readings; ε₁ = 1 is their step
			}
		}
		cells = append(cells, &cell{Table: "2", Row: row, Column: fmt.Sprintf("h = %d", c.Hidden), Setting: setting, Paper: pv, Seeds: seeds, Command: cmd, settings: c,
			run: func(seed uint64) (outcome, error) { return x.outcome(c, seed, nil) }})
	}
	h := x.sc.Hidden2
	add("SGD (Adam, output layer)", "sgd", "baseline", "", false, paper(90.34), x.sc.Seeds, h)
	add("SignSGD", "signsgd", "baseline", "", false, paper(86.84), x.sc.Seeds, h)
	add("DNN, ours: reward prediction error", "dnn", "ours", "reward", false, paper(84.84), x.sc.Seeds, h)
	for _, r := range []string{"printed", "prose", "signed"} {
		for _, g := range []bool{false, true} {
			add(fmt.Sprintf("DNN, %s reading, fire gate %v", r, g), "dnn", "literal", r, g, paper(84.84), x.sc.LiteralSeeds, h)
		}
	}
	// The paper's h = 100,000 column. The test set's features (4 GB at
	// this width) are streamed a block at a time (learn.Config.StreamTest).
	if w := x.sc.Hidden2Wide; w > 0 {
		add("SGD (Adam, output layer)", "sgd", "baseline", "", false, paper(92.56), x.sc.Seeds, w)
		add("SignSGD", "signsgd", "baseline", "", false, paper(90.21), x.sc.Seeds, w)
		add("DNN, ours: reward prediction error", "dnn", "ours", "reward", false, paper(90.76), x.sc.Seeds, w)
	}
	return cells
}

// figure1 is the paper's appendix Figure 1: accuracy against the number
// of genes, (a) on digits 0-4 with the quick preset and (b) on 0-9 with
// quick10, each at the preset's density β.
func (x *experiments) figure1() []*cell {
	var cells []*cell
	for _, set := range []struct {
		digits, preset string
		genes          []int
	}{{"0-4", "quick", x.sc.Genes}, {"0-9", "quick10", x.sc.Genes10}} {
		for _, n := range set.genes {
			s := x.preset(set.preset, set.digits, x.sc.Fig1Generations)
			s.Genes = n
			cells = append(cells, &cell{Table: "figure1", Row: "NNE", Column: fmt.Sprintf("MNIST %s, n = %d", set.digits, n), Setting: "improved", Seeds: x.sc.Seeds,
				X: float64(n), Series: "MNIST " + set.digits, settings: s, Command: trainCommand(s),
				run: func(seed uint64) (outcome, error) { return x.outcome(s, seed, nil) }})
		}
	}
	return cells
}

// fixation is Figure 2's data: histograms of p at some generations and
// the fraction of fixed alleles over time.
type fixation struct {
	Generations []int        `json:"generations"`
	Histograms  [][]float64  `json:"histograms"`  // 20 bins over [0, 1], fractions
	Curve       [][2]float64 `json:"fixed_curve"` // generation, fraction fixed
}

func (x *experiments) figure2() *cell {
	s := x.preset("quick", "0-4", x.sc.Fig2Generations)
	g := s.Generations
	at := map[int]bool{0: true, g / 10: true, g / 4: true, g / 2: true, g: true}
	return &cell{Table: "figure2", Row: "NNE allele frequencies", Column: fmt.Sprintf("%d generations", g), Setting: "improved", Seeds: []uint64{1}, settings: s,
		Command: trainCommand(s),
		run: func(seed uint64) (outcome, error) {
			f := &fixation{}
			record := func(r *learner.NNERun) {
				gen := r.Generation()
				if gen%max(1, g/100) == 0 {
					f.Curve = append(f.Curve, [2]float64{float64(gen), nne.FixedFraction(r.Pop.P, nne.FixedTol)})
				}
				if at[gen] {
					h := make([]float64, 20)
					for _, p := range r.Pop.P {
						h[min(19, int(p*20))] += 1 / float64(len(r.Pop.P))
					}
					f.Generations = append(f.Generations, gen)
					f.Histograms = append(f.Histograms, h)
				}
			}
			o, err := x.outcome(s, seed, record)
			o.Figure2 = f
			return o, err
		}}
}

// results is the content of results.json.
type results struct {
	Cells       []*cell   `json:"cells"`
	Figure2     *fixation `json:"figure2"`
	Scale       string    `json:"scale"`
	WallSeconds float64   `json:"wall_seconds"`
}

// writeResults writes results.json, results.csv, RESULTS.md and the plots.
func writeResults(dir, scaleName string, cells []*cell, fig2 *fixation, wall time.Duration) error {
	if err := writeJSON(filepath.Join(dir, "results.json"), results{Cells: cells, Figure2: fig2, Scale: scaleName, WallSeconds: wall.Seconds()}); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write([]string{"table", "row", "column", "setting", "paper", "mean", "std", "seeds", "accuracies", "seconds", "command"})
	for _, c := range cells {
		pv := ""
		if c.Paper != nil {
			pv = fmt.Sprint(*c.Paper)
		}
		w.Write([]string{c.Table, c.Row, c.Column, c.Setting, pv, fmt.Sprintf("%.4f", c.Mean), fmt.Sprintf("%.4f", c.Std),
			joinU(c.Seeds), joinF(c.Acc), fmt.Sprintf("%.1f", c.Seconds), c.Command})
	}
	w.Flush()
	if err := os.WriteFile(filepath.Join(dir, "results.csv"), []byte(sb.String()), 0o644); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "RESULTS.md"), []byte(markdown(scaleName, cells, wall)), 0o644); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	return plots(dir, cells, fig2)
}

// replotResults redraws the plots of dir from its results.json.
func replotResults(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return fmt.Errorf("reproduce -replot: %w", err)
	}
	var res results
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("reproduce -replot: %s: %w", filepath.Join(dir, "results.json"), err)
	}
	return plots(dir, res.Cells, res.Figure2)
}

func joinU(v []uint64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " ")
}

func joinF(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.4f", x)
	}
	return strings.Join(s, " ")
}

// markdown is the results as tables, ours beside the paper's.
func markdown(scaleName string, cells []*cell, wall time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# nnesim reproduce -scale %s\n\nAll cells in %v of wall time. Accuracy on the MNIST test digits, in %%: mean ± std over the seeds.\n\n", scaleName, wall.Round(time.Second))
	for _, t := range []string{"1", "2", "figure1", "figure2"} {
		rows := 0
		for _, c := range cells {
			if c.Table != t {
				continue
			}
			if rows == 0 {
				title := map[string]string{"1": "Table 1", "2": "Table 2", "figure1": "Figure 1 (accuracy against the number of genes n; 0-4: quick preset, 0-9: quick10; plot figure1-genes.png)", "figure2": "Figure 2 (allele frequencies; plots figure2-*.png)"}[t]
				fmt.Fprintf(&b, "## %s\n\n| row | column | setting | paper | ours | seeds | seconds | command |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n", title)
			}
			rows++
			pv := "—"
			if c.Paper != nil {
				pv = fmt.Sprintf("%.2f", *c.Paper)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f ± %.2f | %s | %.0f | `%s` |\n", c.Row, c.Column, c.Setting, pv, 100*c.Mean, 100*c.Std, joinU(c.Seeds), c.Seconds, c.Command)
		}
		if rows > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}
