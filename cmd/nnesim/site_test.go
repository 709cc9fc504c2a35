package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"nnesim/core/mnist"
)

// TestSiteBrotliTwins checks the .br twins nnesim site writes: each holds
// its file, one that still does is kept, and -brotli -1 removes them, so
// that serve never sends a stale twin.
func TestSiteBrotliTwins(t *testing.T) {
	dir, data := t.TempDir(), fiveClassFolder(t) // small data, so that each build is quick
	app := filepath.Join(dir, "app.wasm")
	if err := os.WriteFile(app, []byte(strings.Repeat("new build ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app+".br", []byte("a stale twin"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := run([]string{"site", "-dir", dir, "-data", data, "-brotli", "-1"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	if _, err := os.Stat(app + ".br"); !os.IsNotExist(err) {
		t.Errorf("-brotli -1 left app.wasm.br (%v)", err)
	}
	if err := run([]string{"site", "-dir", dir, "-data", data, "-brotli", "1"}, &out, &errs); err != nil {
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
	// A twin made at a lower quality than asked is made again; one made
	// at a higher quality is kept. The manifest says which.
	quality := func() int {
		b, err := os.ReadFile(filepath.Join(dir, manifestFile))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]manifestEntry
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m["app.wasm"].BrotliQuality
	}
	for _, c := range []struct{ ask, want int }{{1, 1}, {5, 5}, {2, 5}, {-1, 0}, {3, 3}} {
		if err := run([]string{"site", "-dir", dir, "-data", data, "-brotli", strconv.Itoa(c.ask)}, &out, &errs); err != nil {
			t.Fatalf("%v\n%s", err, errs.String())
		}
		if got := quality(); got != c.want {
			t.Errorf("-brotli %d: the manifest says app.wasm.br was made at quality %d, want %d", c.ask, got, c.want)
		}
	}
	if err := run([]string{"site", "-dir", dir, "-data", data, "-brotli", "12"}, &out, &errs); err == nil {
		t.Error("-brotli 12 was taken")
	}
}

// TestSiteOrphanTwins checks that nnesim site removes the twins of a file
// that is no longer in the site, which serve would still send, and keeps
// every other file.
func TestSiteOrphanTwins(t *testing.T) {
	dir, data := t.TempDir(), fiveClassFolder(t)
	files := map[string]string{"gone.js.br": "old", "gone.js.gz": "old", "kept.js": "x", "notes.txt.gz": "not a twin of the site's"}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs bytes.Buffer
	if err := run([]string{"site", "-dir", dir, "-data", data, "-brotli", "1"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	for name, want := range map[string]bool{"gone.js.br": false, "gone.js.gz": false, "kept.js": true, "kept.js.br": true, "kept.js.gz": true, "notes.txt.gz": true} {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != want {
			t.Errorf("%s: there %v, want %v (%v)", name, got, want, err)
		}
	}
	if !strings.Contains(out.String(), "gone.js.br") {
		t.Errorf("site did not say it removed gone.js.br:\n%s", out.String())
	}
}

// TestSiteWholeFile checks that nnesim site writes MNIST's whole training
// file for the page, names it in names.js, lists it in manifest.json, and
// keeps it out of the service worker's cache, which a first visit fills.
func TestSiteWholeFile(t *testing.T) {
	dir := t.TempDir()
	data := fiveClassFolder(t) // small, so that gzip is quick
	train, _, err := mnist.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := run([]string{"site", "-dir", dir, "-data", data, "-brotli", "-1"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	st, err := os.Stat(filepath.Join(dir, wholeFile))
	if err != nil || st.Size() != int64(32+train.Len()*785) {
		t.Fatalf("%s: %v, %v bytes for %d images", wholeFile, err, st, train.Len())
	}
	names, _ := os.ReadFile(filepath.Join(dir, "names.js"))
	manifest, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	sw, _ := os.ReadFile(filepath.Join(dir, "sw.js"))
	if !strings.Contains(string(names), `"wholeFile":"`+wholeFile+`"`) || !strings.Contains(string(manifest), `"`+wholeFile+`"`) {
		t.Errorf("names.js or manifest.json lacks %s", wholeFile)
	}
	if !strings.Contains(string(sw), `"data/train.nnd"`) || strings.Contains(string(sw), wholeFile) {
		t.Errorf("sw.js caches the pool and not %s? It reads:\n%s", wholeFile, sw)
	}
}
