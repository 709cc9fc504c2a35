package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestResultBlocksInDocs checks that every results block of docs/ is what
// its committed result files give, and that every block writer is used.
func TestResultBlocksInDocs(t *testing.T) {
	stale, err := writeResultBlocks("../../docs", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Errorf("%s differ from their result files; write them again with nnesim results", strings.Join(stale, ", "))
	}
	files, _ := filepath.Glob("../../docs/*.md")
	var all strings.Builder
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all.Write(b)
	}
	for name := range resultBlocks {
		if !strings.Contains(all.String(), "<!-- results "+name+": ") {
			t.Errorf("no document in docs/ has the results block %s", name)
		}
	}
}

// TestResultBlocksWrite edits a number in a block and a result file, and
// checks that -check fails, that nnesim results writes the block again,
// and that an unknown block or unpaired markers are refused.
func TestResultBlocksWrite(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "results-fig2"), 0o755); err != nil {
		t.Fatal(err)
	}
	fix := `{"query":"algo=nne","genes":4,"x":[0,0.001,0.01,0.05,0.1,0.5],"at":[{"generation":10,"y":[1,0.9,0.8,0.5,0.25,0],"test_accuracy":0.5}],"fixed_curve":[],"fixed_tol":0.01}`
	if err := os.WriteFile(filepath.Join(dir, "results-fig2/fixation.json"), []byte(fix), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "R.md")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(doc, []byte("# R\n\n<!-- results figure2: written by nnesim results; a test checks it -->\n"+body+"<!-- end of results figure2 -->\n\nAfter.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("| typed by hand | 0.99 |\n")
	var stdout, stderr strings.Builder
	if err := run([]string{"results", "-docs", dir, "-check"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "R.md: figure2") {
		t.Errorf("-check of a stale block: %v", err)
	}
	if err := run([]string{"results", "-docs", dir}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(doc)
	if !strings.Contains(string(b), "| 10 | 0.100 | 0.200 | 0.500 | 0.250 | 50.00 |") || strings.Contains(string(b), "typed by hand") || !strings.HasSuffix(string(b), "<!-- end of results figure2 -->\n\nAfter.\n") {
		t.Errorf("written block:\n%s", b)
	}
	if err := run([]string{"results", "-docs", dir, "-check"}, &stdout, &stderr); err != nil {
		t.Errorf("-check after writing: %v", err)
	}
	// A changed result file makes the block stale again.
	os.WriteFile(filepath.Join(dir, "results-fig2/fixation.json"), []byte(strings.Replace(fix, `"test_accuracy":0.5`, `"test_accuracy":0.6`, 1)), 0o644)
	if err := run([]string{"results", "-docs", dir, "-check"}, &stdout, &stderr); err == nil {
		t.Error("-check passed after the result file changed")
	}
	os.WriteFile(doc, []byte("<!-- results nosuch: written by nnesim results; a test checks it -->\nx\n<!-- end of results nosuch -->\n"), 0o644)
	wantError(t, "results", "-docs "+dir+" -check", "no results block is called nosuch")
	os.WriteFile(doc, []byte("<!-- results figure2: written by nnesim results; a test checks it -->\nx\n"), 0o644)
	wantError(t, "results", "-docs "+dir, "do not pair")
}

// TestGapBlock checks the gap study's table: readings grouped over
// seeds with demo first, lost classes counted per seed, and the files it
// refuses.
func TestGapBlock(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "results-gap"), 0o755)
	put := func(name, query, on string, acc float64, recall string) {
		t.Helper()
		j := fmt.Sprintf(`{"query":%q,"scored_on":%q,"test_accuracy":%g,"test_accuracy_likely":0.5,"per_class_recall":[%s],"seconds":10,"config":{"seed":%s}}`,
			query, on, acc, recall, name[len(name)-1:])
		if err := os.WriteFile(filepath.Join(dir, "results-gap", name+".json"), []byte(j), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("demo-s1", "eps=10&seed=1", "validation", 0.6, "0.9,0.05,0")
	put("demo-s2", "eps=10&seed=2", "validation", 0.7, "0.9,0.5,0.2")
	put("alpha2-s1", "alpha=2&eps=10&seed=1", "validation", 0.8, "0.9,0.5,0.2")
	got, err := gapBlock(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| demo | none | [1](results-gap/demo-s1.json), [2](results-gap/demo-s2.json) | 65.00 ± 7.07 | 50.00 ± 0.00 | 2, 0 | 10 |\n| alpha2 | `alpha=2` |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("block lacks %q:\n%s", want, got)
		}
	}
	put("alpha2-s2", "alpha=2&eps=10&seed=2", "test", 0.8, "1")
	if _, err := gapBlock(dir); err == nil || !strings.Contains(err.Error(), `alpha2-s2.json was scored on the "test" set`) {
		t.Errorf("a run on the test set: %v", err)
	}
	put("alpha2-s2", "alpha=2&eps=20&seed=2", "validation", 0.8, "1")
	if _, err := gapBlock(dir); err == nil || !strings.Contains(err.Error(), "not the setting of the other alpha2 runs") {
		t.Errorf("a run of another setting: %v", err)
	}
}

// TestTable1Block checks where Table 1's cells come from: the faithful
// paper-scale cells from results-faithful, quick10's from its seeds' own
// files (NNE at 40,000 generations, then the final accuracy), the rest
// from results-paper, and — for a cell no folder holds.
func TestTable1Block(t *testing.T) {
	dir := t.TempDir()
	put := func(name, body string) {
		t.Helper()
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := func(row, digits, setting string, paper float64, acc ...float64) string {
		m, s := stat.MeanStdDev(acc, nil)
		a, _ := json.Marshal(acc)
		return fmt.Sprintf(`{"table":"1","row":%q,"column":"MNIST %s","setting":%q,"paper":%g,"seeds":[1,2],"accuracy":%s,"mean":%g,"std":%g}`, row, digits, setting, paper, a, m, s)
	}
	put("results-quick/results.json", `{"cells":[`+c("NNE", "0-4", "faithful", 92.1, 0.93, 0.95)+","+c("NNE", "0-9", "improved", 78.8, 0.86, 0.86)+`]}`)
	put("results-faithful/results.json", `{"cells":[`+c("NNE", "0-4", "faithful", 92.1, 0.96, 0.97)+`]}`)
	put("results-paper/results.json", `{"cells":[`+c("NNE", "0-4", "faithful", 92.1, 0.5, 0.5)+","+c("NNE", "0-9", "improved", 78.8, 0.77, 0.79)+`]}`)
	for s, acc := range map[int][2]float64{1: {0.88, 0.885}, 2: {0.87, 0.875}} {
		put(fmt.Sprintf("results-quick10/q10-s%d.json", s), fmt.Sprintf(`{"query":"preset=quick10&seed=%d","scored_on":"test","test_accuracy":%g,"config":{"seed":%d},"curve":[{"step":20000,"unit":"generation","test_accuracy":0.8},{"step":40000,"unit":"generation","test_accuracy":%g}]}`, s, acc[1], s, acc[0]))
	}
	got, err := table1Block(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| NNE | 0-4 | faithful | 92.1 | 94.00 ± 1.41 | 96.50 ± 0.71 (96.00, 97.00) |",
		"| NNE, quick10 | 0-9 | improved | 78.8 | 86.00 ± 0.00 | 87.50 ± 0.71 (88.00, 87.00) |",
		"| NNE + SignSGD, quick10 | 0-9 | improved | — | — | 88.00 ± 0.71 (88.50, 87.50) |",
		"| NNE, the paper's fitness | 0-9 | improved before quick10 | 78.8 | — | 78.00 ± 1.41 (77.00, 79.00) |",
		"| SGD (Adam) | 0-9 | baseline | — | — | — |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table 1 lacks %q:\n%s", want, got)
		}
	}
}

// TestDataSizeBlock checks the data-size table: rules grouped over
// seeds, the smaller sample before every image, and a run scored on the
// validation set refused.
func TestDataSizeBlock(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "results-data"), 0o755)
	put := func(name, query, on string, acc float64) {
		t.Helper()
		j := fmt.Sprintf(`{"query":%q,"scored_on":%q,"test_accuracy":%g,"per_class_recall":[0.9,0.05],"seconds":20,"config":{"seed":%s}}`, query, on, acc, name[len(name)-1:])
		if err := os.WriteFile(filepath.Join(dir, "results-data", name+".json"), []byte(j), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("sgd-all-s1", "algo=sgd&per-digit=0&seed=1", "test", 0.98)
	put("sgd-pd300-s1", "algo=sgd&per-digit=300&seed=1", "test", 0.93)
	put("sgd-pd300-s2", "algo=sgd&per-digit=300&seed=2", "test", 0.94)
	put("nne-all-s1", "algo=nne&generations=10000&per-digit=0&preset=quick10&seed=1", "test", 0.9)
	got, err := dataSizeBlock(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "| nne, quick10 preset, 10000 generations | all (per-digit 0) | [1](results-data/nne-all-s1.json) | 90.00 ± 0.00 | 1 | 20 |\n" +
		"| sgd | 300 per digit | [1](results-data/sgd-pd300-s1.json), [2](results-data/sgd-pd300-s2.json) | 93.50 ± 0.71 | 1, 1 | 20 |\n" +
		"| sgd | all (per-digit 0) | [1](results-data/sgd-all-s1.json) | 98.00 ± 0.00 | 1 | 20 |\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("block:\n%s\nwant its rows:\n%s", got, want)
	}
	put("sgd-all-s2", "algo=sgd&per-digit=0&seed=2&val=0.1", "validation", 0.98)
	if _, err := dataSizeBlock(dir); err == nil || !strings.Contains(err.Error(), `sgd-all-s2.json was scored on the "validation" set, not the test set`) {
		t.Errorf("a run on the validation set: %v", err)
	}
}

// TestSoakBlock checks the soak's table and targets: the private memory
// over the last 40 minutes, the median frame rate and the errors.
func TestSoakBlock(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "results-soak"), 0o755)
	put := func(errors int, grow float64) {
		t.Helper()
		var samples []string
		for m := 1; m <= 60; m++ {
			priv := 900e6
			if m > 20 {
				priv += grow * float64(m-20) / 40
			}
			samples = append(samples, fmt.Sprintf(`{"minute":%d,"private_bytes":%g,"rss_bytes":1e9,"wasm_bytes":7e8,"app_wasm_bytes":5e7,"js_heap_bytes":5e6,"fps_median":%d,"running":true}`, m, priv, 28+m%10))
		}
		errs := make([]string, errors)
		for i := range errs {
			errs[i] = `{"minute":3,"text":"boom"}`
		}
		j := `{"query":"algo=nne","minutes":60,"date":"2026-12-07 12:13 UTC","cores":2,"samples":[` + strings.Join(samples, ",") + `],"errors":[` + strings.Join(errs, ",") + `]}`
		if err := os.WriteFile(filepath.Join(dir, "results-soak", "soak.json"), []byte(j), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put(0, 30e6)
	got, err := soakBlock(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| 60 | 887 | 954 | 668 | 48 | 5 | 28.0 |",
		"Console errors: 0 (target 0: met)",
		"Median frame rate over the minutes: 32.5 (target ≥ 30: met)",
		"over minutes 20 to 60: a least-squares trend of +30 MB (target ≤ 50: met); from one end to the other +30 MB, between 858 and 887 MiB",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("block lacks %q:\n%s", want, got)
		}
	}
	put(2, 80e6)
	got, _ = soakBlock(dir)
	for _, want := range []string{"Console errors: 2 (target 0: **not met**)", "a least-squares trend of +80 MB (target ≤ 50: **not met**)"} {
		if !strings.Contains(got, want) {
			t.Errorf("block lacks %q:\n%s", want, got)
		}
	}
}
