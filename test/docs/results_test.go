package docs

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestESTuningTable checks that docs/TUNING.md's table of the ES search
// is the committed result file's: every row's validation accuracies (and
// their mean) are docs/results-es/tuning.json's, and every setting of the
// file has its row.
func TestESTuningTable(t *testing.T) {
	dir := root(t)
	b, err := os.ReadFile(filepath.Join(dir, "docs/results-es/tuning.json"))
	if err != nil {
		t.Fatal(err)
	}
	var results []struct {
		Query      string  `json:"query"`
		Validation float64 `json:"validation_accuracy"`
	}
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}
	val := map[string]float64{} // preset lr sigma
	for _, r := range results {
		q, err := url.ParseQuery(r.Query)
		if err != nil {
			t.Fatal(err)
		}
		val[q.Get("preset")+" "+q.Get("lr")+" "+q.Get("sigma")] = r.Validation
	}
	md, err := os.ReadFile(filepath.Join(dir, "docs/TUNING.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(md), "## Evolution strategies")
	if !ok {
		t.Fatal("docs/TUNING.md has no section on evolution strategies")
	}
	row := regexp.MustCompile(`(?m)^\| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|$`)
	rows := row.FindAllStringSubmatch(section, -1)
	if 2*len(rows) != len(val) {
		t.Errorf("docs/TUNING.md's ES table has %d rows for the %d results of the file", len(rows), len(val))
	}
	pct := func(v float64) string { return fmt.Sprintf("%.2f", 100*v) }
	for _, m := range rows {
		a, okA := val["quick "+m[1]+" "+m[2]]
		b, okB := val["quick10 "+m[1]+" "+m[2]]
		if !okA || !okB {
			t.Errorf("docs/TUNING.md: lr %s, σ %s is not in docs/results-es/tuning.json", m[1], m[2])
			continue
		}
		if m[3] != pct(a) || m[4] != pct(b) || m[5] != pct((a+b)/2) {
			t.Errorf("docs/TUNING.md: lr %s, σ %s reads %s, %s, %s; the file gives %s, %s, %s", m[1], m[2], m[3], m[4], m[5], pct(a), pct(b), pct((a+b)/2))
		}
	}
}

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
