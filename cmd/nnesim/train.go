package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/core/network"
	"nnesim/core/runfile"
	"nnesim/core/settings"

	"gonum.org/v1/gonum/stat"
)

// maxBytes bounds the memory a run may plan to use.
const maxBytes = 4 << 30

// trainResult is what nnesim train writes with -json, for every rule.
type trainResult struct {
	Algo   string            `json:"algo"`
	Config settings.Settings `json:"config"`
	// Query is every setting of the rule by its parameter's name
	// (learner.FullQuery), its own parameters among them.
	Query string `json:"query"`
	// Steps is the position at the end in Unit (generations or epochs);
	// Generations and Epochs say how far each phase went.
	Steps       int    `json:"steps"`
	Unit        string `json:"unit"`
	Generations int    `json:"generations,omitempty"`
	Epochs      int    `json:"epochs,omitempty"`
	// ScoredOn names the images every "test" accuracy of the result was
	// measured on: "test", or "validation" with -val (the test set was
	// not read).
	ScoredOn      string  `json:"scored_on"`
	TestAccuracy  float64 `json:"test_accuracy"`
	TrainAccuracy float64 `json:"train_accuracy"`
	// NNE: the test accuracy of the most likely genotype x̂ = [p > ½] and
	// of the first SampledIndividuals individuals of the next generation
	// (networks the population carries, unlike W·p), and the SHA-256 of p
	// (for NNE + SignSGD, as evolution left it).
	TestAccuracyLikely  float64   `json:"test_accuracy_likely,omitempty"`
	TestAccuracySampled []float64 `json:"test_accuracy_sampled,omitempty"`
	AllelesSHA256       string    `json:"alleles_sha256,omitempty"`
	// The lifetime rules (and NNE + SignSGD): the SHA-256 of the weights.
	WeightsSHA256 string          `json:"weights_sha256,omitempty"`
	Curve         []learner.Point `json:"curve"`
	Seconds       float64         `json:"seconds"`
	// At the end, on the test set: Confusion counts test images by true
	// class (row) and predicted class (column), in the order of Classes
	// (the digits), and PerClassRecall is each row's share on the
	// diagonal, so a class the run lost shows.
	Classes        []int     `json:"classes"`
	Confusion      [][]int   `json:"confusion"`
	PerClassRecall []float64 `json:"per_class_recall"`
	// NNE + SignSGD: NNE's per-class recall at the switch, before SignSGD.
	NNEPerClassRecall []float64 `json:"nne_per_class_recall,omitempty"`
}

// setConfusion fills res's confusion matrix and per-class recall from
// l's last evaluation and prints the recall; for NNE + SignSGD also NNE's
// recall as evolution left it, before SignSGD.
func setConfusion(res *trainResult, l learner.Learner, out io.Writer) {
	d, _ := mnist.ParseDigits(l.Settings().Digits) // validated settings
	res.Classes = d
	res.Confusion, res.PerClassRecall = confusion(l)
	// NNE's last evaluation is the switch's when this process evolved it
	// (not when it started from a run file that had switched already).
	rule, _ := learner.RuleOf(l.Settings().Algo) // a run's rule is known
	if n, ok := nnePhase(l); ok && len(rule.Phases) > 1 {
		if conf, recall := confusion(n); slices.ContainsFunc(conf, func(row []int) bool { return slices.Max(row) > 0 }) {
			res.NNEPerClassRecall = recall
			fmt.Fprintf(out, "per-class recall of NNE before SignSGD: %s\n", recallLine(d, recall))
		}
	}
	fmt.Fprintf(out, "per-class recall on the %s set: %s\n", res.ScoredOn, recallLine(d, res.PerClassRecall))
}

// confusion returns l's confusion matrix as of its last evaluation (rows
// the true class) and each row's share on the diagonal.
func confusion(l learner.Learner) (conf [][]int, recall []float64) {
	p := l.Pictures(0)
	c := p.Classes
	conf, recall = make([][]int, c), make([]float64, c)
	for i := range c {
		conf[i] = make([]int, c)
		n := 0
		for j := range c {
			conf[i][j] = int(p.Confusion[i*c+j])
			n += conf[i][j]
		}
		if n > 0 {
			recall[i] = float64(conf[i][i]) / float64(n)
		}
	}
	return conf, recall
}

// recallLine is "digit recall, …" for the log.
func recallLine(digits []int, recall []float64) string {
	line := make([]string, len(recall))
	for i, r := range recall {
		line[i] = fmt.Sprintf("%d %.2f", digits[i], r)
	}
	return strings.Join(line, ", ")
}

// trainCmd is nnesim train: any rule of learner.Rules, through package
// learner, with the flags of learner.Params (each rule takes its own).
func trainCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	preset := fs.String("preset", "", "NNE and NNE + SignSGD: starting settings, "+strings.Join(settings.Presets(), ", ")+" (default "+settings.DefaultPreset+"; flags given explicitly override them)")
	given := paramFlags(fs)
	threads := fs.Int("threads", runtime.NumCPU(), "NNE: goroutines evaluating the population (results do not depend on it)")
	jsonOut := fs.String("json", "", "write the result as JSON to this file")
	csvOut := fs.String("csv", "", "write the accuracy curve as CSV to this file (the page's Curves CSV has the same columns)")
	save := fs.String("save", "", "write the run to this run file (.nne) after every evaluation, to resume later")
	resume := fs.String("resume", "", "continue the run saved in this run file; only its stop (-generations, -epochs) may move later")
	from := fs.String("from", "", "nne-signsgd: start from this NNE run file (nnesim train -save), as evolution left it, instead of evolving first")
	dataDir := fs.String("data", "", "dataset folder: the four IDX files under their standard names (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte), raw or .gz, of 28×28 images labelled 0 to 9 (default: MNIST from $NNESIM_MNIST, else the GoMNIST module); without -digits a run learns the classes it holds")
	testData := fs.String("test-data", "", "score the run on this folder's t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (raw or .gz), or on the digits drawn that a run file exported by the page carries (My digits), instead of the dataset's test set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("train: unexpected argument %q", fs.Arg(0))
	}
	d, err := loadData(*dataDir)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if *testData != "" {
		if d.Test, err = testSet(*testData); err != nil {
			return fmt.Errorf("train: -test-data: %w", err)
		}
	}
	d.MaxBytes = maxBytes
	var l learner.Learner
	seconds := 0.0
	switch {
	case *resume != "":
		sv, err := resumeSettings(*resume, given, d)
		if err != nil {
			return fmt.Errorf("train: -resume: %w", err)
		}
		sv.Settings.Threads = *threads
		seconds = sv.Seconds
		if l, err = learner.Resume(sv, d); err != nil {
			return fmt.Errorf("train: -resume: %w", err)
		}
		step, unit, _ := l.Position()
		fmt.Fprintf(stdout, "resuming at %s %d\n", unit, step)
	case *from != "":
		sv, err := fromSettings(*from, given, d)
		if err != nil {
			return fmt.Errorf("train: -from: %w", err)
		}
		sv.Settings.Threads = *threads
		if l, err = learner.Resume(sv, d); err != nil {
			return fmt.Errorf("train: -from: %w", err)
		}
		fmt.Fprintf(stdout, "from %s: NNE at generation %d\n", *from, sv.Step)
	default:
		cfg, err := newSettings(*preset, given)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		_, explicit := given["digits"]
		if note, err := learner.DigitsOfData(&cfg, explicit, d.Pool.Classes(), maxBytes); err != nil {
			return fmt.Errorf("train: %w", err)
		} else if note != "" {
			fmt.Fprintln(stdout, note)
		}
		cfg.Threads = *threads
		if l, err = learner.New(cfg, d); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	defer l.Close()
	fmt.Fprintln(stdout, describe(l))
	res, err := runTraining(l, d, seconds, *save, stdout)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, res); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	if *csvOut != "" {
		var buf bytes.Buffer
		if err := runfile.WriteCurveCSV(&buf, l.Curve()); err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if err := os.WriteFile(*csvOut, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("train: %w", err)
		}
	}
	return nil
}

// paramFlags defines a flag for every parameter of learner.Params on fs
// (a true/false one may stand alone), each naming the rules it is a
// setting of, and returns the map the values given land in, by name.
func paramFlags(fs *flag.FlagSet, skip ...string) map[string]string {
	given := map[string]string{}
	for _, p := range learner.Params() {
		if slices.Contains(skip, p.Name) {
			continue
		}
		usage := p.Usage
		if rules := learner.RulesWith(p.Name); rules != nil {
			usage += " [" + strings.Join(rules, ", ") + "]"
		}
		if p.Bool {
			fs.BoolFunc(p.Name, usage, func(v string) error { given[p.Name] = v; return nil })
		} else {
			fs.Func(p.Name, usage, func(v string) error { given[p.Name] = v; return nil })
		}
	}
	return given
}

// writeJSON writes v to path as indented JSON with a final newline.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// setGiven applies the flags given to s; a flag that is not a setting of
// s's rule is an error naming it.
func setGiven(s *settings.Settings, given map[string]string) error {
	for _, p := range learner.Params() {
		v, ok := given[p.Name]
		if !ok || p.Name == "algo" {
			continue
		}
		if !slices.ContainsFunc(learner.RuleParams(s.Algo), func(q settings.Param) bool { return q.Name == p.Name }) {
			return fmt.Errorf("-%s is not a setting of -algo %s", p.Name, s.Algo)
		}
		if err := p.Set(s, v); err != nil {
			return fmt.Errorf("-%w", err)
		}
	}
	return nil
}

// newSettings returns the settings of a new run: the rule's defaults (the
// preset, for the evolving rules) and the flags given over them.
func newSettings(preset string, given map[string]string) (settings.Settings, error) {
	algo := learner.DefaultRule().Name
	if v, ok := given["algo"]; ok {
		algo = v
	}
	s, err := learner.Defaults(algo, preset)
	if err != nil {
		return s, fmt.Errorf("-%w", err)
	}
	if err := setGiven(&s, given); err != nil {
		return s, err
	}
	return s, learner.Validate(&s, maxBytes)
}

// resumeSettings reads a run file to continue; only its stop may move,
// and not before where the run is.
func resumeSettings(path string, given map[string]string, d learner.Data) (*learner.Saved, error) {
	sv, err := readRunFile(path, d)
	if err != nil {
		return nil, err
	}
	return moveStop(sv, given, true)
}

// moveStop applies the given flags to a run file's settings, which must
// be its stop (-generations, -epochs) only, and not before where the run
// is. A stop that is not a setting of the run's rule is an error if
// strict, else left alone (a race's runs take the stops they have).
func moveStop(sv *learner.Saved, given map[string]string, strict bool) (*learner.Saved, error) {
	for name := range given {
		if name != "generations" && name != "epochs" {
			return nil, fmt.Errorf("-%s: a resumed run keeps the settings of its file; only its stop (-generations, -epochs) may change", name)
		}
	}
	s := sv.Settings
	if strict {
		if err := setGiven(&s, given); err != nil {
			return nil, err
		}
	} else {
		for _, p := range learner.RuleParams(s.Algo) {
			if v, ok := given[p.Name]; ok {
				if err := p.Set(&s, v); err != nil {
					return nil, fmt.Errorf("-%w", err)
				}
			}
		}
	}
	rule, _ := learner.RuleOf(s.Algo) // a run file's rule is known
	phase := max(0, rule.PhaseOf(sv.P != nil, sv.State != nil))
	if stop := rule.Stop(&s, phase); stop < sv.Step {
		return nil, fmt.Errorf("-%s=%d, but the run file is already at %s %d", rule.Phases[phase].Stop, stop, rule.Phases[phase].Unit, sv.Step)
	}
	sv.Settings = s
	return sv, nil
}

// fromSettings turns a run file into the start of the rule -algo names,
// whose first phase is the file's rule (learner.Rule.From, as NNE +
// SignSGD starts from NNE): that phase stops where the file is, and the
// rule's own later settings take their defaults or the flags given.
func fromSettings(path string, given map[string]string, d learner.Data) (*learner.Saved, error) {
	rule, err := learner.RuleOf(given["algo"])
	if err != nil || rule.From == "" {
		var can []string
		for _, r := range learner.Rules {
			if r.From != "" {
				can = append(can, r.Name)
			}
		}
		return nil, fmt.Errorf("-from is for -algo %s, not %q", strings.Join(can, " or "), given["algo"])
	}
	sv, err := readRunFile(path, d)
	if err != nil {
		return nil, err
	}
	if sv.Settings.Algo != rule.From || sv.Step < 1 || sv.State != nil {
		return nil, fmt.Errorf("%s: want a %s run of at least one step (it is %s at step %d)", path, rule.From, sv.Settings.Algo, sv.Step)
	}
	from, _ := learner.RuleOf(rule.From) // the registry's own name
	def, _ := learner.Defaults(rule.Name, "")
	s := sv.Settings
	s.Algo = rule.Name
	stop, _ := learner.ParamNamed(rule.Phases[0].Stop)
	if err := stop.Set(&s, fmt.Sprint(sv.Step)); err != nil {
		return nil, err
	}
	var own []string
	for _, p := range learner.RuleParams(rule.Name) {
		if p.Name != "algo" && !from.Has(p.Name) {
			p.Set(&s, p.Get(&def)) // a default is in range
			own = append(own, "-"+p.Name)
		}
	}
	for name := range given {
		if name != "algo" && from.Has(name) {
			return nil, fmt.Errorf("-%s: the %s run comes from the file; only %s (of %s) may be given", name, from.Short, strings.Join(own, " and "), rule.Short)
		}
	}
	if err := setGiven(&s, given); err != nil {
		return nil, err
	}
	sv.Settings = s
	return sv, nil
}

// describe returns a line saying what runs, and on how many threads with
// which NNE kernel (network.Kernel: "avx512" or the portable "go").
func describe(l learner.Learner) string {
	return fmt.Sprintf("%s; %d threads, %s kernel", l.Describe(), l.Settings().Threads, network.Kernel())
}

// nnePhase returns the evolution of l, if it has one.
func nnePhase(l learner.Learner) (*learner.NNE, bool) {
	if e, ok := l.(learner.Evolver); ok {
		return e.Evolution(), true
	}
	return nil, false
}

// loadData reads the dataset of dir (MNIST if ""): the pool, the whole
// training file and the test set.
func loadData(dir string) (learner.Data, error) {
	pool, train, test, err := mnist.LoadAll(dir)
	if err != nil {
		return learner.Data{}, err
	}
	from := "MNIST"
	if dir != "" {
		from = "the folder " + filepath.Base(filepath.Clean(dir))
	}
	return learner.Data{Pool: pool, Train: train, Test: test, ID: mnist.DataID(pool, test), From: from}, nil
}

// readRunFile reads and checks a run file, which must be of a run on
// the data d (runfile.CheckData).
func readRunFile(path string, d learner.Data) (*learner.Saved, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sv, err := runfile.Decode(b, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if d.ID == "" {
		return sv, nil // a reader that needs no data (nnesim fixation)
	}
	if err := runfile.CheckData(b, d.ID, d.From); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sv, nil
}

// writeRunFile writes sv, a run on the data d, to path through a
// temporary file, so that an interruption never leaves a half-written
// file; a run on another dataset than MNIST names it (runfile.WithData).
func writeRunFile(path string, sv *learner.Saved, d learner.Data) error {
	b, err := runfile.WithData(runfile.Encode(sv), d.ID, d.From)
	if err != nil {
		return err
	}
	return writeFile(path, b)
}

// writeFile writes b to path through a temporary file and a rename, so
// that an interrupted write never leaves a partial file at path.
func writeFile(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// runTraining drives l to its stop (learner.Run), printing each point of
// the curve and, if save is set, writing the run file after each; seconds
// is the training time the run already had.
func runTraining(l learner.Learner, d learner.Data, seconds float64, save string, out io.Writer) (*trainResult, error) {
	cfg := l.Settings()
	lastStep, lastSeconds := -1, seconds
	scored := "test"
	if cfg.Val > 0 {
		scored = "validation"
		fmt.Fprintf(out, "scored on the validation set: %g of each class of the training file, held out (the test set is not read)\n", cfg.Val)
	}
	report := func(pt learner.Point) {
		switch pt.Unit {
		case "generation":
			rate := 0.0
			if lastStep >= 0 && pt.Seconds > lastSeconds {
				rate = float64(pt.Step-lastStep) / (pt.Seconds - lastSeconds)
			}
			eta := time.Duration(0)
			if rate > 0 {
				eta = time.Duration(float64(cfg.Generations-pt.Step) / rate * float64(time.Second))
			}
			fmt.Fprintf(out, "gen %6d  %7.1f gen/s  %s %.4f  train %.4f%s  %6.1fs  ETA %v\n",
				pt.Step, rate, scored, pt.TestAccuracy, pt.TrainAccuracy, signalsLine(pt), pt.Seconds, eta.Round(time.Second))
		default:
			fmt.Fprintf(out, "epoch %5d  %s %.4f  train %.4f%s  %6.1fs\n", pt.Step, scored, pt.TestAccuracy, pt.TrainAccuracy, signalsLine(pt), pt.Seconds)
		}
		lastStep, lastSeconds = pt.Step, pt.Seconds
		if pt.Unit == "epoch" && lastStep == 0 {
			lastStep = -1
		}
	}
	var saveFn func(*learner.Saved) error
	if save != "" {
		saveFn = func(sv *learner.Saved) error { return writeRunFile(save, sv, d) }
	}
	secs, err := learner.Run(l, learner.Hooks{Seconds: seconds, Point: report, Save: saveFn})
	if err != nil {
		return nil, err
	}
	curve := l.Curve()
	last := curve[len(curve)-1]
	res := &trainResult{Algo: cfg.Algo, Config: cfg, Query: learner.FullQuery(&cfg), Steps: last.Step, Unit: last.Unit, ScoredOn: scored, TestAccuracy: last.TestAccuracy,
		TrainAccuracy: last.TrainAccuracy, Curve: curve, Seconds: secs}
	setConfusion(res, l, out)
	rule, _ := learner.RuleOf(cfg.Algo) // a run's rule is known
	if n, ok := nnePhase(l); ok {
		r := n.Run()
		res.Generations = r.Generation()
		res.AllelesSHA256 = learner.AllelesHash(r.Pop.P)
		if len(rule.Phases) == 1 {
			res.TestAccuracyLikely = r.LikelyAccuracy()
			res.TestAccuracySampled = r.SampledAccuracies(SampledIndividuals)
			fmt.Fprintf(out, "done: %d generations in %.1fs; %s accuracy %.4f (mean genotype W·p), %.4f (most likely genotype), %s (%d sampled individuals: %s); alleles sha256 %s\n",
				res.Generations, res.Seconds, scored, res.TestAccuracy, res.TestAccuracyLikely, spread(res.TestAccuracySampled), SampledIndividuals, sampledRange(res.TestAccuracySampled), res.AllelesSHA256)
			return res, nil
		}
	}
	if last.Unit == learner.Generation {
		res.Generations = last.Step
	} else {
		res.Epochs = last.Step
	}
	res.WeightsSHA256 = l.Hash()
	fmt.Fprintf(out, "done: %s accuracy %.4f after %d %ss (%.1fs); weights sha256 %s\n", scored, res.TestAccuracy, last.Step, last.Unit, res.Seconds, res.WeightsSHA256)
	return res, nil
}

// SampledIndividuals is how many individuals of its last generation an
// NNE run's result scores (trainResult.TestAccuracySampled).
const SampledIndividuals = 10

// spread is "mean ± std" of v.
func spread(v []float64) string {
	m, s := stat.MeanStdDev(v, nil)
	return fmt.Sprintf("%.4f ± %.4f", m, s)
}

// sampledRange is "min–max" of v.
func sampledRange(v []float64) string {
	return fmt.Sprintf("%.4f–%.4f", slices.Min(v), slices.Max(v))
}

// signalsLine is a progress line's words on a point's signals.
func signalsLine(pt learner.Point) string {
	var b strings.Builder
	for _, sg := range pt.Signals {
		fmt.Fprintf(&b, "  %s %.4g", strings.ReplaceAll(sg.Name, "_", " "), sg.Value)
	}
	return b.String()
}

// testSet reads -test-data: a folder's test pair (mnist.LoadTest), or the
// digits drawn that a run file carries (runfile.Drawn).
func testSet(path string) (*mnist.Set, error) {
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return mnist.LoadTest(path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	images, labels, err := runfile.Drawn(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if images == nil {
		return nil, fmt.Errorf("%s carries no digits drawn (export the run from the page after My digits, or give a folder of t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte)", path)
	}
	var m mnist.Mine
	if err := m.Load(images, labels); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m.Set, nil
}
