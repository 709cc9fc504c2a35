package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestSiteBrotliTwins checks the .br twins nnesim site writes: each holds
// its file, one that still does is kept, and -brotli -1 removes them, so
// that serve never sends a stale twin.
func TestSiteBrotliTwins(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.wasm")
	if err := os.WriteFile(app, []byte(strings.Repeat("new build ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app+".br", []byte("a stale twin"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := run([]string{"site", "-dir", dir, "-brotli", "-1"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	if _, err := os.Stat(app + ".br"); !os.IsNotExist(err) {
		t.Errorf("-brotli -1 left app.wasm.br (%v)", err)
	}
	if err := run([]string{"site", "-dir", dir, "-brotli", "1"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	b, err := os.ReadFile(app + ".br")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	raw, _ := os.ReadFile(app)
	if err != nil || !bytes.Equal(got, raw) {
		t.Errorf("app.wasm.br does not hold app.wasm (%v)", err)
	}
	if err := run([]string{"site", "-dir", dir, "-brotli", "12"}, &out, &errs); err == nil {
		t.Error("-brotli 12 was taken")
	}
}
