package docs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestESComparisonTable checks that docs/RESULTS.md's table of ES beside
// NNE is the committed reproduce output's (docs/results-es/compare): each
// row's mean ± std and seeds are the cell's, and each improved cell of
// the file has its row.
func TestESComparisonTable(t *testing.T) {
	dir := root(t)
	b, err := os.ReadFile(filepath.Join(dir, "docs/results-es/compare/results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Cells []struct {
			Table, Row, Column, Setting string
			Seeds                       []uint64
			Mean, Std                   float64
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "docs/RESULTS.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(md), "## Evolution strategies beside NNE")
	if !ok {
		t.Fatal("docs/RESULTS.md has no section on ES beside NNE")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile(`(?m)^\| ([^|]+?) \| (MNIST [0-9-]+) \| [^|]+ \| [^|]+ \| ([0-9.]+) ± ([0-9.]+) \| ([0-9]+) \|$`)
	rows := row.FindAllStringSubmatch(section, -1)
	n := 0
	for _, c := range res.Cells {
		if c.Table != "1" || c.Setting != "improved" {
			continue
		}
		n++
		found := false
		for _, m := range rows {
			if m[1] != c.Row || m[2] != c.Column {
				continue
			}
			found = true
			if m[3] != fmt.Sprintf("%.2f", 100*c.Mean) || m[4] != fmt.Sprintf("%.2f", 100*c.Std) || m[5] != strconv.Itoa(len(c.Seeds)) {
				t.Errorf("docs/RESULTS.md: %s on %s reads %s ± %s (%s seeds); the file gives %.2f ± %.2f (%d)", c.Row, c.Column, m[3], m[4], m[5], 100*c.Mean, 100*c.Std, len(c.Seeds))
			}
		}
		if !found {
			t.Errorf("docs/RESULTS.md has no row for %s on %s", c.Row, c.Column)
		}
	}
	if len(rows) != n || n == 0 {
		t.Errorf("docs/RESULTS.md's ES table has %d rows for the file's %d improved cells", len(rows), n)
	}
}

// resultKeys are the fields of the result files whose values the docs
// quote: accuracies (as fractions), their means and deviations, recalls.
var resultKeys = map[string]bool{"test_accuracy": true, "test_accuracy_likely": true, "test_accuracy_sampled": true, "accuracy": true,
	"mean": true, "std": true, "train_accuracy": true, "validation_accuracy": true, "per_class_recall": true, "nne_per_class_recall": true}

// quoted matches a number as RESULTS.md quotes an accuracy, a deviation
// or a recall: two decimals, after two digits or a 0.
var quoted = regexp.MustCompile(`(^|[^\d.])(\d{2}\.\d{2}|0\.\d{2})($|[^\d])`)

// blockRE finds the results blocks that nnesim results writes (a test of
// cmd/nnesim checks that each is its files').
var blockRE = regexp.MustCompile(`(?s)<!-- results ([a-z0-9-]+): written by nnesim results; a test checks it -->\n(.*?)<!-- end of results ([a-z0-9-]+) -->`)

// TestResultNumbersHaveFiles fails for a number the science docs
// (RESULTS.md, TUNING.md) quote outside their results blocks that no
// committed result file holds (a
// value of resultKeys, as a fraction or a percentage, to two decimals)
// and no results block shows: a number typed from a log, or one the
// files no longer agree with.
func TestResultNumbersHaveFiles(t *testing.T) {
	dir := root(t)
	have := map[string]bool{}
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k != "curve" {
					walk(x, k)
				}
			}
		case []any:
			for _, x := range v {
				walk(x, key)
			}
		case float64:
			if resultKeys[key] {
				have[fmt.Sprintf("%.2f", v)], have[fmt.Sprintf("%.2f", 100*v)] = true, true
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "docs", "results-*", "*.json"))
	deeper, _ := filepath.Glob(filepath.Join(dir, "docs", "results-*", "*", "*.json"))
	for _, f := range append(files, deeper...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		walk(v, "")
	}
	docs, _ := filepath.Glob(filepath.Join(dir, "docs", "*.md"))
	for _, f := range docs {
		b, _ := os.ReadFile(f)
		for _, m := range blockRE.FindAllStringSubmatch(string(b), -1) {
			for _, n := range quoted.FindAllStringSubmatch(m[2], -1) {
				have[n[2]] = true
			}
		}
	}
	for _, name := range []string{"RESULTS.md", "TUNING.md"} {
		md, err := os.ReadFile(filepath.Join(dir, "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		// Blocks become their line breaks, so that lines keep their numbers.
		text := blockRE.ReplaceAllStringFunc(string(md), func(b string) string { return strings.Repeat("\n", strings.Count(b, "\n")) })
		for i, line := range strings.Split(text, "\n") {
			for _, n := range quoted.FindAllStringSubmatch(line, -1) {
				if !have[n[2]] {
					t.Errorf("docs/%s (outside its blocks), line %d: %s is in no result file and no results block: %s", name, i+1, n[2], strings.TrimSpace(line))
				}
			}
		}
	}
	if len(have) < 100 {
		t.Errorf("only %d numbers read from the result files", len(have))
	}
}
