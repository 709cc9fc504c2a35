package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
