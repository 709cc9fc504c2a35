package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// A results block is a part of a document in docs/ that nnesim results
// writes from committed result files, between the markers
//
//	<!-- results NAME: written by nnesim results; a test checks it -->
//	<!-- end of results NAME -->
//
// so that no number in it is typed by hand. resultBlocks holds the
// writer of each block, by name: each reads its files from the docs
// folder and returns the block's Markdown.
var resultBlocks = map[string]func(docs string) (string, error){
	"figure2":           figure2Block,
	"table1":            table1Block,
	"table2":            table2Block,
	"table2-wide":       table2WideBlock,
	"theorem2":          theorem2Block,
	"validation-search": validationSearchBlock,
	"validation-seeds":  validationSeedsBlock,
	"quick10-seeds":     quick10Block,
	"full-search":       fullSearchBlock,
	"gap-study":         gapBlock,
	"data-size":         dataSizeBlock,
	"soak":              soakBlock,
	"es-tuning":         esTuningBlock,
}

// blockRE finds a results block: its name and its text.
var blockRE = regexp.MustCompile(`(?s)<!-- results ([a-z0-9-]+): written by nnesim results; a test checks it -->\n(.*?)<!-- end of results ([a-z0-9-]+) -->`)

// resultsCmd is nnesim results: write every results block of the
// Markdown files of -docs again from the result files, or with -check
// only report those that differ.
func resultsCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim results", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.String("docs", "docs", "the documents' folder")
	check := fs.Bool("check", false, "write nothing; fail if a block is not what its result files give")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stale, err := writeResultBlocks(*docs, !*check)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if *check && len(stale) > 0 {
		return fmt.Errorf("results: %s differ from their result files; write them with nnesim results", strings.Join(stale, ", "))
	}
	for _, s := range stale {
		fmt.Fprintf(stdout, "wrote %s\n", s)
	}
	return nil
}

// writeResultBlocks regenerates the results blocks of every .md file in
// docs, writing the files whose blocks changed if write is set, and
// returns the blocks that changed ("FILE: NAME"). A block of no known
// name, or markers that do not pair, is an error.
func writeResultBlocks(docs string, write bool) (stale []string, err error) {
	files, err := filepath.Glob(filepath.Join(docs, "*.md"))
	if err != nil {
		return nil, err
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		text := string(b)
		if strings.Count(text, "<!-- results ") != strings.Count(text, "<!-- end of results ") {
			return nil, fmt.Errorf("%s: a results block's markers do not pair", path)
		}
		var failed error
		out := blockRE.ReplaceAllStringFunc(text, func(block string) string {
			m := blockRE.FindStringSubmatch(block)
			name, old := m[1], m[2]
			if m[3] != name {
				failed = errors.Join(failed, fmt.Errorf("%s: results block %s ends as %s", path, name, m[3]))
				return block
			}
			gen, ok := resultBlocks[name]
			if !ok {
				failed = errors.Join(failed, fmt.Errorf("%s: no results block is called %s", path, name))
				return block
			}
			body, err := gen(docs)
			if err != nil {
				failed = errors.Join(failed, fmt.Errorf("%s: results block %s: %w", path, name, err))
				return block
			}
			if body != old {
				stale = append(stale, filepath.Base(path)+": "+name)
			}
			return strings.Replace(block, "\n"+old+"<!-- end", "\n"+body+"<!-- end", 1)
		})
		if failed != nil {
			return nil, failed
		}
		if write && out != text {
			if err := writeFile(path, []byte(out)); err != nil {
				return nil, err
			}
		}
	}
	return stale, nil
}

// readResultJSON reads a result file of the docs folder into v.
func readResultJSON(docs, name string, v any) error {
	b, err := os.ReadFile(filepath.Join(docs, name))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// cellText is a cell's accuracy as the tables give it: mean ± std over
// its seeds, or one seed's accuracy and which.
func cellText(c *cell) string {
	if len(c.Acc) == 1 {
		return fmt.Sprintf("%.2f (seed %d)", 100*c.Acc[0], c.Seeds[0])
	}
	return fmt.Sprintf("%.2f ± %.2f", 100*c.Mean, 100*c.Std)
}

// table2Block is Table 2 from the quick and paper-scale reproductions
// (results-quick/results.json, results-paper/results.json): a row per
// cell of the paper scale, in its order, with the quick cell of the same
// row beside it.
func table2Block(docs string) (string, error) {
	var quick, paper results
	if err := readResultJSON(docs, "results-quick/results.json", &quick); err != nil {
		return "", err
	}
	if err := readResultJSON(docs, "results-paper/results.json", &paper); err != nil {
		return "", err
	}
	epochs := func(res results) string {
		for _, c := range res.Cells {
			if c.Table == "2" {
				if _, e, ok := strings.Cut(c.Command, "-epochs "); ok {
					return strings.Fields(e)[0]
				}
			}
		}
		return "?"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| row | paper | quick (%s epochs) | paper scale (%s epochs) |\n| --- | --- | --- | --- |\n", epochs(quick), epochs(paper))
	for _, c := range paper.Cells {
		if c.Table != "2" || c.Column != "h = 1000" {
			continue
		}
		q := "—"
		if i := slices.IndexFunc(quick.Cells, func(d *cell) bool { return d.Table == "2" && d.Row == c.Row && d.Column == c.Column }); i >= 0 {
			q = cellText(quick.Cells[i])
		}
		pv := "—"
		if c.Paper != nil {
			pv = fmt.Sprintf("%.2f", *c.Paper)
		}
		row, ours := c.Row, cellText(c)
		if c.Setting == "ours" {
			row, q, ours = "**"+row+"**", "**"+q+"**", "**"+ours+"**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", row, pv, q, ours)
	}
	return b.String(), nil
}

// table2WideBlock is Table 2 at h = 100,000 from the runs' own files
// (results-paper/h100000/*.json, nnesim train -json, seed 1): beside
// each, the paper-scale reproduction's cell of its rule at that width
// (its row and the paper's number), the last test accuracy and the
// curve's every 100 epochs.
func table2WideBlock(docs string) (string, error) {
	x := &experiments{sc: scales["paper"]}
	var wide []*cell
	for _, c := range x.table2() {
		if c.settings.Hidden == x.sc.Hidden2Wide {
			wide = append(wide, c)
		}
	}
	var b strings.Builder
	b.WriteString("| row | paper | ours, seed 1 | test accuracy at epochs 100, 200, 300, 400 | file |\n| --- | --- | --- | --- | --- |\n")
	for _, c := range wide {
		var r struct {
			Algo   string  `json:"algo"`
			Acc    float64 `json:"test_accuracy"`
			Config struct {
				Hidden int    `json:"hidden"`
				Seed   uint64 `json:"seed"`
			} `json:"config"`
			Curve []struct {
				Step int     `json:"step"`
				Acc  float64 `json:"test_accuracy"`
			} `json:"curve"`
		}
		name := "results-paper/h100000/" + c.settings.Algo + ".json"
		if err := readResultJSON(docs, name, &r); err != nil {
			return "", err
		}
		if r.Algo != c.settings.Algo || r.Config.Hidden != c.settings.Hidden {
			return "", fmt.Errorf("%s: rule %s at h = %d, want %s at %d", name, r.Algo, r.Config.Hidden, c.settings.Algo, c.settings.Hidden)
		}
		var at []string
		for _, p := range r.Curve {
			if p.Step > 0 && p.Step%100 == 0 && p.Step < 500 {
				at = append(at, fmt.Sprintf("%.2f", 100*p.Acc))
			}
		}
		fmt.Fprintf(&b, "| %s | %.2f | **%.2f** | %s | [%s](%s) |\n", c.Row, *c.Paper, 100*r.Acc, strings.Join(at, ", "), filepath.Base(name), name)
	}
	return b.String(), nil
}

// figure2Block is the table of docs/results-fig2/fixation.json.
func figure2Block(docs string) (string, error) {
	var f fixationResult
	if err := readResultJSON(docs, "results-fig2/fixation.json", &f); err != nil {
		return "", err
	}
	col := func(x float64) (int, error) {
		if i := slices.Index(f.Xs, x); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("fixation.json has no y at x = %g", x)
	}
	var cols []int
	for _, x := range []float64{0.001, 0.01, 0.05, 0.1} {
		i, err := col(x)
		if err != nil {
			return "", err
		}
		cols = append(cols, i)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Run: `%s`, n = %d genes ([fixation.json](results-fig2/fixation.json)).\n\n", f.Query, f.Genes)
	b.WriteString("| generation t | share within 0.001 of 0 or 1 | within 0.01 | within 0.05 | y(0.1), share farther than 0.1 | test accuracy (W·p), % |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, a := range f.At {
		fmt.Fprintf(&b, "| %d | %.3f | %.3f | %.3f | %.3f | %.2f |\n", a.Generation, 1-a.Y[cols[0]], 1-a.Y[cols[1]], 1-a.Y[cols[2]], a.Y[cols[3]], 100*a.Accuracy)
	}
	return b.String(), nil
}

// theorem2Block is the tables of docs/results-theorem2's sweeps: the
// linear program's share reached and NNE's medians, per (m, n), for
// each W of NNE's runs.
func theorem2Block(docs string) (string, error) {
	files, err := filepath.Glob(filepath.Join(docs, "results-theorem2", "theorem2-*.json"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no results-theorem2/theorem2-*.json (%v)", err)
	}
	sort.Strings(files)
	slices.SortStableFunc(files, func(a, b string) int { // the theorem's W first
		return boolRank(!strings.HasSuffix(a, "-sign.json")) - boolRank(!strings.HasSuffix(b, "-sign.json"))
	})
	var b strings.Builder
	for _, path := range files {
		var f theorem2File
		if err := readResultJSON(docs, filepath.Join("results-theorem2", filepath.Base(path)), &f); err != nil {
			return "", err
		}
		c := f.Config
		eps := fmt.Sprintf("ε = %g/n", c.Eps0)
		if c.Eps > 0 {
			eps = fmt.Sprintf("ε = %g", c.Eps)
		}
		fmt.Fprintf(&b, "NNE with the %s W (%s, N = %d, B = %d, %d inputs, %d generations, seeds 1–%d; [%s](results-theorem2/%s)):\n\n",
			f.Scale, eps, c.Pop, c.Batch, c.Examples, c.Generations, len(c.Seeds), filepath.Base(path), filepath.Base(path))
		reach := "W·p = a reachable"
		if f.Scale != "sign" {
			reach = "reachable with the theorem's W (the same draws)"
		}
		b.WriteString("| m | n | n/m | " + reach + " | NNE: cos(W·p, a), median | ‖W·p − a‖ | cos(W·x̂, a) | share fixed | runs stopped by ε |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range f.Results {
			fmt.Fprintf(&b, "| %d | %d | %.2g | %d / %d | %s | %s | %s | %s | %d |\n", r.M, r.N, float64(r.N)/float64(r.M), r.Reached, r.Draws,
				medianOf(r.Cos), medianOf(r.Dist), medianOf(r.CosHat), medianOf(r.Fixed), r.Failed)
		}
		b.WriteString("\nFewest n at which 95% of the draws are reachable: ")
		var parts []string
		for _, m := range c.Ms {
			n := f.Needed[fmt.Sprint(m)]
			if n == 0 {
				parts = append(parts, fmt.Sprintf("m = %d: none swept", m))
			} else {
				parts = append(parts, fmt.Sprintf("m = %d: n = %d (%.2g m)", m, n, float64(n)/float64(m)))
			}
		}
		b.WriteString(strings.Join(parts, "; ") + ".\n\n")
	}
	return b.String(), nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// validationRun is what the validation blocks read of nnesim train's
// JSON.
type validationRun struct {
	Query          string    `json:"query"`
	ScoredOn       string    `json:"scored_on"`
	TestAccuracy   float64   `json:"test_accuracy"`
	Likely         float64   `json:"test_accuracy_likely"`
	Sampled        []float64 `json:"test_accuracy_sampled"`
	PerClassRecall []float64 `json:"per_class_recall"`
	Seconds        float64   `json:"seconds"`
	Config         struct {
		Seed uint64 `json:"seed"`
	} `json:"config"`
}

// valMargin is how far a change must beat the preset on the validation
// set to be chosen over it: about one standard deviation of quick10's
// test accuracy over seeds (0.28 points over five seeds), so that a
// change is not chosen for one seed's noise.
const valMargin = 0.003

// validationRuns reads docs/results-val/tune-*.json, in name order, and
// returns them with the index of the chosen one: the preset (tune-preset)
// unless another beats it by more than valMargin, then the best.
func validationRuns(docs string) (names []string, runs []validationRun, chosen int, err error) {
	files, err := filepath.Glob(filepath.Join(docs, "results-val", "tune-*.json"))
	if err != nil || len(files) == 0 {
		return nil, nil, 0, fmt.Errorf("no results-val/tune-*.json (%v)", err)
	}
	sort.Strings(files)
	chosen = -1
	for _, path := range files {
		var r validationRun
		name := filepath.Base(path)
		if err := readResultJSON(docs, filepath.Join("results-val", name), &r); err != nil {
			return nil, nil, 0, err
		}
		if r.ScoredOn != "validation" {
			return nil, nil, 0, fmt.Errorf("%s was scored on the %q set, not the validation set", name, r.ScoredOn)
		}
		if name == "tune-preset.json" {
			chosen = len(runs)
		}
		names, runs = append(names, name), append(runs, r)
	}
	if chosen < 0 {
		return nil, nil, 0, errors.New("results-val has no tune-preset.json")
	}
	best := chosen
	for i, r := range runs {
		if r.TestAccuracy > runs[best].TestAccuracy {
			best = i
		}
	}
	if runs[best].TestAccuracy > runs[chosen].TestAccuracy+valMargin {
		chosen = best
	}
	return names, runs, chosen, nil
}

// validationSearchBlock is the table of docs/results-val/tune-*.json:
// each setting's validation accuracy, the chosen one in bold.
func validationSearchBlock(docs string) (string, error) {
	names, runs, chosen, err := validationRuns(docs)
	if err != nil {
		return "", err
	}
	preset := slices.Index(names, "tune-preset.json")
	var b strings.Builder
	b.WriteString("| run | change from quick10 | validation accuracy, % (W·p) | most likely genotype | worst class's recall | wall seconds (cores shared) |\n| --- | --- | --- | --- | --- | --- |\n")
	for i, r := range runs {
		name := strings.TrimSuffix(strings.TrimPrefix(names[i], "tune-"), ".json")
		change := queryChange(runs[preset].Query, r.Query)
		acc := fmt.Sprintf("%.2f", 100*r.TestAccuracy)
		if i == chosen {
			name, acc = "**"+name+"** (chosen)", "**"+acc+"**"
		}
		fmt.Fprintf(&b, "| [%s](results-val/%s) | %s | %s | %.2f | %.2f | %.0f |\n", name, names[i], change, acc, 100*r.Likely, slices.Min(r.PerClassRecall), r.Seconds)
	}
	fmt.Fprintf(&b, "\nChosen: %s (the preset stays unless a change beats it by more than %.1f points).\n", strings.TrimSuffix(strings.TrimPrefix(names[chosen], "tune-"), ".json"), 100*valMargin)
	return b.String(), nil
}

// queryChange lists the settings of query q that differ from base's,
// as name=value ("none" if none does).
func queryChange(base, q string) string {
	bv, err1 := url.ParseQuery(base)
	qv, err2 := url.ParseQuery(q)
	if err1 != nil || err2 != nil {
		return "?"
	}
	var diff []string
	for k := range qv {
		if qv.Get(k) != bv.Get(k) {
			diff = append(diff, "`"+k+"="+qv.Get(k)+"`")
		}
	}
	if len(diff) == 0 {
		return "none"
	}
	sort.Strings(diff)
	return strings.Join(diff, ", ")
}

// sameSetting reports whether two runs' queries differ only in the seed,
// the stop and the validation share.
func sameSetting(a, b string) bool {
	strip := func(q string) string {
		v, err := url.ParseQuery(q)
		if err != nil {
			return q
		}
		for _, k := range []string{"seed", "generations", "val", "eval-every"} {
			v.Del(k)
		}
		return v.Encode()
	}
	return strip(a) == strip(b)
}

// validationSeedsBlock is the table of docs/results-val/final-*.json:
// the chosen setting on seeds no tuning used, on the test set. Each must
// be the chosen setting of the search.
func validationSeedsBlock(docs string) (string, error) {
	names, runs, chosen, err := validationRuns(docs)
	if err != nil {
		return "", err
	}
	files, err := filepath.Glob(filepath.Join(docs, "results-val", "final-*.json"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no results-val/final-*.json (%v)", err)
	}
	sort.Strings(files)
	var b strings.Builder
	b.WriteString("| seed | test accuracy, % (W·p) | most likely genotype | 10 sampled individuals, mean | worst class's recall | seconds |\n| --- | --- | --- | --- | --- | --- |\n")
	var acc []float64
	for _, path := range files {
		var r validationRun
		name := filepath.Base(path)
		if err := readResultJSON(docs, filepath.Join("results-val", name), &r); err != nil {
			return "", err
		}
		if r.ScoredOn != "test" {
			return "", fmt.Errorf("%s was scored on the %q set, not the test set", name, r.ScoredOn)
		}
		if !sameSetting(r.Query, runs[chosen].Query) {
			return "", fmt.Errorf("%s is not the chosen setting (%s): %s", name, names[chosen], r.Query)
		}
		acc = append(acc, r.TestAccuracy)
		fmt.Fprintf(&b, "| [%d](results-val/%s) | %.2f | %.2f | %.2f | %.2f | %.0f |\n", r.Config.Seed, name, 100*r.TestAccuracy, 100*r.Likely, 100*stat.Mean(r.Sampled, nil), slices.Min(r.PerClassRecall), r.Seconds)
	}
	m, s := stat.MeanStdDev(acc, nil)
	if len(acc) < 2 {
		s = 0
	}
	fmt.Fprintf(&b, "| **mean ± std** | **%.2f ± %.2f** | | | | |\n", 100*m, 100*s)
	return b.String(), nil
}

// curvePoint is a point of a run's curve in nnesim train's JSON.
type curvePoint struct {
	Step         int     `json:"step"`
	Unit         string  `json:"unit"`
	TestAccuracy float64 `json:"test_accuracy"`
}

// quick10Run is what the quick10 block reads of nnesim train's JSON.
type quick10Run struct {
	Query          string       `json:"query"`
	ScoredOn       string       `json:"scored_on"`
	TestAccuracy   float64      `json:"test_accuracy"`
	PerClassRecall []float64    `json:"per_class_recall"`
	NNERecall      []float64    `json:"nne_per_class_recall"`
	Classes        []int        `json:"classes"`
	Curve          []curvePoint `json:"curve"`
	Config         struct {
		Seed uint64 `json:"seed"`
	} `json:"config"`
}

// quick10Block is the table of docs/results-quick10/q10-s*.json: each
// seed's NNE at 20,000 and 40,000 generations, after SignSGD, and its
// worst class, with the mean ± std of the seeds.
func quick10Block(docs string) (string, error) {
	seeds, err := quick10Seeds(docs)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| seed | NNE at 20,000 | NNE at 40,000 | NNE + SignSGD | worst class's recall: NNE at the switch, after SignSGD |\n| --- | --- | --- | --- | --- |\n")
	var at20, at40, final []float64
	for _, q := range seeds {
		r := q.run
		worst := func(recall []float64) string {
			if len(recall) == 0 || len(recall) != len(r.Classes) {
				return "—"
			}
			i := slices.Index(recall, slices.Min(recall))
			return fmt.Sprintf("%.2f (%d)", recall[i], r.Classes[i])
		}
		at20, at40, final = append(at20, q.at20), append(at40, q.at40), append(final, r.TestAccuracy)
		fmt.Fprintf(&b, "| [%d](results-quick10/%s) | %.2f | %.2f | %.2f | %s, %s |\n", r.Config.Seed, q.name, 100*q.at20, 100*q.at40, 100*r.TestAccuracy, worst(r.NNERecall), worst(r.PerClassRecall))
	}
	fmt.Fprintf(&b, "| **mean ± std** (%d seeds) | %s | **%s** | **%s** | |\n", len(seeds), meanSD(at20), meanSD(at40), meanSD(final))
	return b.String(), nil
}

// quick10Seed is one of quick10's five seeds (results-quick10/q10-sS.json):
// its file, the run, and NNE's test accuracy at 20,000 and 40,000
// generations (before SignSGD).
type quick10Seed struct {
	name       string
	run        quick10Run
	at20, at40 float64
}

// quick10Seeds reads quick10's seeds, in file order; every run must be
// scored on the test set and share the others' settings.
func quick10Seeds(docs string) ([]quick10Seed, error) {
	files, err := filepath.Glob(filepath.Join(docs, "results-quick10", "q10-s*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no results-quick10/q10-s*.json (%v)", err)
	}
	sort.Strings(files)
	var out []quick10Seed
	for _, path := range files {
		q := quick10Seed{name: filepath.Base(path)}
		r := &q.run
		if err := readResultJSON(docs, filepath.Join("results-quick10", q.name), r); err != nil {
			return nil, err
		}
		if r.ScoredOn != "test" {
			return nil, fmt.Errorf("%s was scored on the %q set, not the test set", q.name, r.ScoredOn)
		}
		if len(out) > 0 && !sameSetting(out[0].run.Query, r.Query) {
			return nil, fmt.Errorf("%s is not the setting of the others: %s", q.name, r.Query)
		}
		for _, at := range []struct {
			g int
			v *float64
		}{{20000, &q.at20}, {40000, &q.at40}} {
			i := slices.IndexFunc(r.Curve, func(p curvePoint) bool { return p.Unit == "generation" && p.Step == at.g })
			if i < 0 {
				return nil, fmt.Errorf("%s has no point at generation %d", q.name, at.g)
			}
			*at.v = r.Curve[i].TestAccuracy
		}
		out = append(out, q)
	}
	return out, nil
}

// table1Block is Table 1 from the committed reproductions: the quick
// column from results-quick, the paper-scale column from results-faithful
// (the faithful rows), quick10's five seeds (results-quick10: NNE at
// 40,000 generations, then with SignSGD) for the improved 0-9 rows, and
// results-paper for the rest. A row whose cell a folder lacks shows —.
func table1Block(docs string) (string, error) {
	read := func(dir string) (*results, error) {
		var r results
		return &r, readResultJSON(docs, dir+"/results.json", &r)
	}
	quick, err := read("results-quick")
	if err != nil {
		return "", err
	}
	paper, err := read("results-paper")
	if err != nil {
		return "", err
	}
	faithful, err := read("results-faithful")
	if err != nil {
		return "", err
	}
	q10, err := quick10Seeds(docs)
	if err != nil {
		return "", err
	}
	find := func(res *results, row, digits, setting string) *cell {
		i := slices.IndexFunc(res.Cells, func(c *cell) bool {
			return c.Table == "1" && c.Row == row && c.Column == "MNIST "+digits && c.Setting == setting
		})
		if i < 0 {
			return nil
		}
		return res.Cells[i]
	}
	withSeeds := func(x []float64) string {
		each := make([]string, len(x))
		for i, v := range x {
			each[i] = fmt.Sprintf("%.2f", 100*v)
		}
		return meanSD(x) + " (" + strings.Join(each, ", ") + ")"
	}
	const nne, sign, sgd = "NNE", "NNE + SignSGD", "SGD (Adam, whole sparse network)"
	type line struct {
		label, row, digits, setting string
		quick, paper                *cell     // nil: —
		q10                         []float64 // the paper-scale column from quick10's seeds
	}
	var at40, final []float64
	for _, q := range q10 {
		at40, final = append(at40, q.at40), append(final, q.run.TestAccuracy)
	}
	lines := []line{
		{label: nne, row: nne, digits: "0-4", setting: "faithful", quick: find(quick, nne, "0-4", "faithful"), paper: find(faithful, nne, "0-4", "faithful")},
		{label: sign, row: sign, digits: "0-4", setting: "faithful", quick: find(quick, sign, "0-4", "faithful"), paper: find(faithful, sign, "0-4", "faithful")},
		{label: nne, row: nne, digits: "0-4", setting: "improved", quick: find(quick, nne, "0-4", "improved"), paper: find(paper, nne, "0-4", "improved")},
		{label: sign, row: sign, digits: "0-4", setting: "improved", quick: find(quick, sign, "0-4", "improved"), paper: find(paper, sign, "0-4", "improved")},
		{label: "SGD (Adam)", row: sgd, digits: "0-4", setting: "baseline", quick: find(quick, sgd, "0-4", "baseline"), paper: find(paper, sgd, "0-4", "baseline")},
		{label: nne, row: nne, digits: "0-9", setting: "faithful", quick: find(quick, nne, "0-9", "faithful"), paper: find(faithful, nne, "0-9", "faithful")},
		{label: sign, row: sign, digits: "0-9", setting: "faithful", quick: find(quick, sign, "0-9", "faithful"), paper: find(faithful, sign, "0-9", "faithful")},
		{label: nne + ", quick10", row: nne, digits: "0-9", setting: "improved", quick: find(quick, nne, "0-9", "improved"), q10: at40},
		{label: sign + ", quick10", row: sign, digits: "0-9", setting: "improved", quick: find(quick, sign, "0-9", "improved"), q10: final},
		{label: nne + ", the paper's fitness", row: nne, digits: "0-9", setting: "improved before quick10", paper: find(paper, nne, "0-9", "improved")},
		{label: sign + ", the paper's fitness", row: sign, digits: "0-9", setting: "improved before quick10", paper: find(paper, sign, "0-9", "improved")},
		{label: "SGD (Adam)", row: sgd, digits: "0-9", setting: "baseline", quick: find(quick, sgd, "0-9", "baseline"), paper: find(paper, sgd, "0-9", "baseline")},
	}
	var b strings.Builder
	b.WriteString("| row | digits | setting | paper | quick | paper scale (seeds) |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, l := range lines {
		pv, q, ps := "—", "—", "—"
		for _, c := range []*cell{l.paper, l.quick} {
			if c != nil && c.Paper != nil {
				pv = fmt.Sprintf("%.1f", *c.Paper)
				break
			}
		}
		if l.quick != nil {
			q = cellText(l.quick)
		}
		switch {
		case l.q10 != nil:
			ps = withSeeds(l.q10)
		case l.paper != nil:
			ps = withSeeds(l.paper.Acc)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", l.label, l.digits, l.setting, pv, q, ps)
	}
	return b.String(), nil
}

// fullSearchBlock is the table of docs/results-full/*.json: NNE on 0-9
// with the whole training file (issue 32's 92% target), each setting
// scored on the validation set, in the order of its stage and name.
func fullSearchBlock(docs string) (string, error) {
	files, err := filepath.Glob(filepath.Join(docs, "results-full", "*.json"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no results-full/*.json (%v)", err)
	}
	sort.Strings(files)
	var b strings.Builder
	b.WriteString("| run | change from quick10 | generations | validation accuracy, % (W·p) | most likely genotype | worst class's recall | wall seconds (one thread, cores shared) |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, path := range files {
		var r struct {
			validationRun
			Generations int `json:"generations"`
		}
		name := filepath.Base(path)
		if err := readResultJSON(docs, filepath.Join("results-full", name), &r); err != nil {
			return "", err
		}
		if r.ScoredOn != "validation" {
			return "", fmt.Errorf("%s was scored on the %q set, not the validation set", name, r.ScoredOn)
		}
		q, err := url.ParseQuery(r.Query)
		if err != nil {
			return "", fmt.Errorf("%s: query: %v", name, err)
		}
		for _, k := range []string{"seed", "generations", "eval-every"} {
			q.Del(k)
		}
		change := queryChange(quick10Query, q.Encode())
		// NNE + SignSGD's readout is fitted to W·p: no genotype carries it.
		likely := "—"
		if r.Likely > 0 {
			likely = fmt.Sprintf("%.2f", 100*r.Likely)
		}
		fmt.Fprintf(&b, "| [%s](results-full/%s) | %s | %d | %.2f | %s | %.2f | %.0f |\n", strings.TrimSuffix(name, ".json"), name, change, r.Generations, 100*r.TestAccuracy, likely, slices.Min(r.PerClassRecall), r.Seconds)
	}
	return b.String(), nil
}

// seedGroup is the runs of one setting over seeds: the files NAME-sN.json
// of a results folder (nnesim train -json).
type seedGroup struct {
	name, query       string
	acc, likely, secs []float64
	lost, seeds       []string // classes lost and a link to the file, by seed
}

// seedGroups reads the files NAME-sN.json of the folder dir of docs, each
// scored on the set on ("test" or "validation"), grouped by NAME in name
// order. The runs of a group must share their settings but the seed.
func seedGroups(docs, dir, on string) ([]*seedGroup, error) {
	files, err := filepath.Glob(filepath.Join(docs, dir, "*-s*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no %s/*-s*.json (%v)", dir, err)
	}
	sort.Strings(files)
	var list []*seedGroup
	byName := map[string]*seedGroup{}
	for _, path := range files {
		file := filepath.Base(path)
		name := file[:strings.LastIndex(file, "-s")]
		var r validationRun
		if err := readResultJSON(docs, filepath.Join(dir, file), &r); err != nil {
			return nil, err
		}
		if r.ScoredOn != on {
			return nil, fmt.Errorf("%s was scored on the %q set, not the %s set", file, r.ScoredOn, on)
		}
		g := byName[name]
		if g == nil {
			g = &seedGroup{name: name, query: r.Query}
			byName[name] = g
			list = append(list, g)
		} else if !sameSetting(g.query, r.Query) {
			return nil, fmt.Errorf("%s is not the setting of the other %s runs: %s", file, name, r.Query)
		}
		g.acc, g.likely, g.secs = append(g.acc, r.TestAccuracy), append(g.likely, r.Likely), append(g.secs, r.Seconds)
		n := 0
		for _, x := range r.PerClassRecall {
			if x < deadRecall {
				n++
			}
		}
		g.lost = append(g.lost, strconv.Itoa(n))
		g.seeds = append(g.seeds, fmt.Sprintf("[%d](%s/%s)", r.Config.Seed, dir, file))
	}
	return list, nil
}

// meanSD writes accuracies x as a percentage, mean ± standard deviation
// (0 for one run).
func meanSD(x []float64) string {
	m, s := stat.MeanStdDev(x, nil)
	if len(x) < 2 {
		s = 0
	}
	return fmt.Sprintf("%.2f ± %.2f", 100*m, 100*s)
}

// gapBlock is the table of docs/results-gap: each reading of the paper
// over seeds, scored on the validation set, the demo preset first.
func gapBlock(docs string) (string, error) {
	list, err := seedGroups(docs, "results-gap", "validation")
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(list, func(g *seedGroup) bool { return g.name == "demo" })
	if i < 0 {
		return "", fmt.Errorf("no results-gap/demo-s*.json, the reading the others change")
	}
	demo := list[i]
	list = append([]*seedGroup{demo}, slices.Delete(list, i, i+1)...)
	var b strings.Builder
	b.WriteString("| reading | change from the demo preset | seeds | validation accuracy, % (W·p) | most likely genotype | classes lost (recall < 0.1), by seed | wall seconds, median (one thread, cores shared) |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, g := range list {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %.0f |\n", g.name, queryChange(demo.query, g.query), strings.Join(g.seeds, ", "), meanSD(g.acc), meanSD(g.likely), strings.Join(g.lost, ", "), median(g.secs))
	}
	return b.String(), nil
}

// dataSizeBlock is the table of docs/results-data: each rule trained on
// 300 training images per digit and on all of them (per-digit 0), over
// seeds, scored on the test set; by rule, the smaller sample first.
func dataSizeBlock(docs string) (string, error) {
	list, err := seedGroups(docs, "results-data", "test")
	if err != nil {
		return "", err
	}
	type row struct {
		g        *seedGroup
		q        url.Values
		perDigit int
	}
	rows := make([]row, len(list))
	for i, g := range list {
		q, err := url.ParseQuery(g.query)
		if err != nil {
			return "", fmt.Errorf("results-data/%s: %w", g.name, err)
		}
		n, err := strconv.Atoi(q.Get("per-digit"))
		if err != nil {
			return "", fmt.Errorf("results-data/%s: per-digit: %w", g.name, err)
		}
		if n == 0 {
			n = math.MaxInt // every image: after any sample
		}
		rows[i] = row{g, q, n}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if a, b := rows[i].q.Get("algo"), rows[j].q.Get("algo"); a != b {
			return a < b
		}
		return rows[i].perDigit < rows[j].perDigit
	})
	var b strings.Builder
	b.WriteString("| rule | training images | seeds | test accuracy, % | classes lost (recall < 0.1), by seed | wall seconds, median (one thread, cores shared) |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		rule := r.q.Get("algo")
		if p := r.q.Get("preset"); p != "" {
			rule += ", " + p + " preset"
		}
		if n := r.q.Get("generations"); n != "" {
			rule += ", " + n + " generations"
		}
		images := r.q.Get("per-digit") + " per digit"
		if r.perDigit == math.MaxInt {
			images = "all (per-digit 0)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.0f |\n", rule, images, strings.Join(r.g.seeds, ", "), meanSD(r.g.acc), strings.Join(r.g.lost, ", "), median(r.g.secs))
	}
	return b.String(), nil
}

// deadRecall is the recall below which a class counts as lost.
const deadRecall = 0.1

// quick10Query is the quick10 preset's query, without the seed, the stop
// and the evaluation interval, against which fullSearchBlock names each
// run's changes.
const quick10Query = "algo=nne&alpha=2&batch=25&beta=0.00125&digits=0-9&eps=20&fitness=outrank&genes=8000&hidden=100&per-digit=300&pop=200&preset=quick10&q=0.1&scale=raw&val=0.1"

// soakRun is what the soak block reads of test/browser/soak.mjs's
// docs/results-soak/soak.json.
type soakRun struct {
	Query   string `json:"query"`
	Minutes int    `json:"minutes"`
	Date    string `json:"date"`
	Cores   int    `json:"cores"`
	Samples []struct {
		Minute    int      `json:"minute"`
		Private   float64  `json:"private_bytes"`
		RSS       float64  `json:"rss_bytes"`
		Wasm      float64  `json:"wasm_bytes"`
		AppWasm   *float64 `json:"app_wasm_bytes"`
		JSHeap    *float64 `json:"js_heap_bytes"`
		FPSMedian *float64 `json:"fps_median"`
		Running   bool     `json:"running"`
	} `json:"samples"`
	Errors []struct {
		Minute int    `json:"minute"`
		Text   string `json:"text"`
	} `json:"errors"`
}

// Targets of the hour-long race (issue 31).
const (
	soakMinFPS     = 30 // the median frame rate, at least
	soakMaxGrowth  = 50 // MB the tab's private memory may grow over the last soakLastMinutes
	soakLastMinute = 40
)

// soakBlock is the table of docs/results-soak/soak.json: the hour-long
// race's memory and frame rate every ten minutes, and the targets.
func soakBlock(docs string) (string, error) {
	var r soakRun
	if err := readResultJSON(docs, filepath.Join("results-soak", "soak.json"), &r); err != nil {
		return "", err
	}
	if len(r.Samples) == 0 || r.Samples[len(r.Samples)-1].Minute != r.Minutes {
		return "", fmt.Errorf("results-soak/soak.json: %d samples for %d minutes", len(r.Samples), r.Minutes)
	}
	mib := func(b float64) string { return fmt.Sprintf("%.0f", b/(1<<20)) }
	var b strings.Builder
	fmt.Fprintf(&b, "`%s`, %d minutes, %s, %d cores:\n\n", r.Query, r.Minutes, r.Date, r.Cores)
	b.WriteString("| minute | the tab's private memory, MiB | resident, MiB | the runs' wasm memory, MiB | the canvas app's wasm memory, MiB | page JS heap, MiB | median frame rate |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	var fps, xs, ys []float64
	from := r.Samples[0]
	for _, s := range r.Samples {
		if s.FPSMedian != nil {
			fps = append(fps, *s.FPSMedian)
		}
		if s.Minute == max(1, r.Minutes-soakLastMinute) {
			from = s
		}
		if s.Minute >= max(1, r.Minutes-soakLastMinute) {
			xs, ys = append(xs, float64(s.Minute)), append(ys, s.Private/1e6)
		}
		if s.Minute == 1 || s.Minute%10 == 0 || s.Minute == r.Minutes {
			heap, f, app := "—", "—", "—"
			if s.JSHeap != nil {
				heap = mib(*s.JSHeap)
			}
			if s.AppWasm != nil {
				app = mib(*s.AppWasm)
			}
			if s.FPSMedian != nil {
				f = fmt.Sprintf("%.1f", *s.FPSMedian)
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s |\n", s.Minute, mib(s.Private), mib(s.RSS), mib(s.Wasm), app, heap, f)
		}
	}
	last := r.Samples[len(r.Samples)-1]
	growth := (last.Private - from.Private) / 1e6
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**not met**"
	}
	medFPS := math.NaN()
	if len(fps) > 0 {
		medFPS = median(fps)
	}
	fmt.Fprintf(&b, "\n- Console errors: %d (target 0: %s).\n", len(r.Errors), met(len(r.Errors) == 0))
	fmt.Fprintf(&b, "- Median frame rate over the minutes: %.1f (target ≥ %d: %s).\n", medFPS, soakMinFPS, met(medFPS >= soakMinFPS))
	// The memory rises and falls as the browser reclaims it, so the two
	// ends of the window measure where the saw is as much as growth: the
	// verdict is the least-squares trend over the window.
	_, slope := stat.LinearRegression(xs, ys, nil, false)
	trend := slope * (xs[len(xs)-1] - xs[0])
	fmt.Fprintf(&b, "- The tab's private memory over minutes %d to %d: a least-squares trend of %+.0f MB (target ≤ %d: %s); from one end to the other %+.0f MB, between %.0f and %.0f MiB.\n",
		from.Minute, last.Minute, trend, soakMaxGrowth, met(trend <= soakMaxGrowth), growth, floats.Min(ys)*1e6/(1<<20), floats.Max(ys)*1e6/(1<<20))
	return b.String(), nil
}

// esTuningBlock is the table of docs/results-es/tuning.json: ES's
// validation accuracy for each step lr and noise σ at each preset of the
// search, and their mean, the best mean in bold.
func esTuningBlock(docs string) (string, error) {
	var runs []struct {
		Query    string  `json:"query"`
		Accuracy float64 `json:"validation_accuracy"`
	}
	if err := readResultJSON(docs, "results-es/tuning.json", &runs); err != nil {
		return "", err
	}
	type pair struct{ lr, sigma string }
	var pairs []pair
	var presets []string
	acc := map[pair]map[string]float64{}
	for _, r := range runs {
		q, err := url.ParseQuery(r.Query)
		if err != nil {
			return "", fmt.Errorf("results-es/tuning.json: %q: %w", r.Query, err)
		}
		p, preset := pair{q.Get("lr"), q.Get("sigma")}, q.Get("preset")
		if acc[p] == nil {
			acc[p] = map[string]float64{}
			pairs = append(pairs, p)
		}
		if !slices.Contains(presets, preset) {
			presets = append(presets, preset)
		}
		acc[p][preset] = r.Accuracy
	}
	means := make([]float64, len(pairs))
	best := 0
	for i, p := range pairs {
		if len(acc[p]) != len(presets) {
			return "", fmt.Errorf("results-es/tuning.json: lr=%s sigma=%s has %d of the %d presets", p.lr, p.sigma, len(acc[p]), len(presets))
		}
		for _, pr := range presets {
			means[i] += acc[p][pr] / float64(len(presets))
		}
		if means[i] > means[best] {
			best = i
		}
	}
	var b strings.Builder
	b.WriteString("| lr | σ |")
	for _, pr := range presets {
		fmt.Fprintf(&b, " %s |", pr)
	}
	b.WriteString(" mean |\n| --- | --- |" + strings.Repeat(" --- |", len(presets)+1) + "\n")
	for i, p := range pairs {
		fmt.Fprintf(&b, "| %s | %s |", p.lr, p.sigma)
		for _, pr := range presets {
			fmt.Fprintf(&b, " %.2f |", 100*acc[p][pr])
		}
		mean := fmt.Sprintf("%.2f", 100*means[i])
		if i == best {
			mean = "**" + mean + "**"
		}
		fmt.Fprintf(&b, " %s |\n", mean)
	}
	return b.String(), nil
}
