package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/core/race"
	"nnesim/core/runfile"
	"nnesim/render"
	"nnesim/wasm/autosave"
	"nnesim/wasm/protocol"
)

// swTemplate is the service worker (see its header); site fills in the
// build's files and their hash and writes it as sw.js.
//
//go:embed sitefiles/sw.js
var swTemplate string

// swFile is the service worker site writes.
const swFile = "sw.js"

// manifestFile lists the files the page downloads with their sizes, so
// the loading bar can show real progress.
const manifestFile = "manifest.json"

// namesFile holds the lists the page's scripts read rather than repeat.
const namesFile = "names.js"

// pageNames is self.nnesimNames in names.js.
type pageNames struct {
	Panels      []string            `json:"panels"`
	PanelGroups map[string][]string `json:"panelGroups"`
	PageParams  []string            `json:"pageParams"`
	// DefaultRule is the rule of a query that names none, and MaxRaceRuns
	// the most runs a race has (learner.DefaultRule, race.MaxRuns).
	DefaultRule string `json:"defaultRule"`
	MaxRaceRuns int    `json:"maxRaceRuns"`
	// RunFileExtension is the run file's (runfile.Extension).
	RunFileExtension string `json:"runFileExtension"`
	// TabLock begins the Web Lock an open tab holds (autosave.LockPrefix).
	TabLock string `json:"tabLock"`
}

// writeNames writes dir/names.js, the lists the page's scripts read from
// Go rather than repeat: self.nnesimNames, with the canvas's panels and
// their groups (render) and the page's own URL parameters
// (learner.PageParams), for shell.js, which runs before any wasm; and
// self.nnesimMessages, the message types of package protocol by key
// (worker and page), which throw on an unknown key, and the engine
// methods a call may name (methods).
func writeNames(dir string) error {
	names, err := json.Marshal(pageNames{render.PanelNames(), render.PanelGroups, learner.PageParams,
		learner.DefaultRule().Name, race.MaxRuns, runfile.Extension, autosave.LockPrefix})
	if err != nil {
		return err
	}
	types := func(list []protocol.Message) string {
		m := map[string]string{}
		for _, msg := range list {
			m[msg.Key] = msg.Type
		}
		b, _ := json.Marshal(m) // a map of strings always marshals
		return string(b)
	}
	methods, _ := json.Marshal(protocol.Methods) // strings always marshal
	js := "// names.js is written by nnesim site from Go (render.PanelNames,\n" +
		"// render.PanelGroups, learner.PageParams, learner.DefaultRule,\n" +
		"// race.MaxRuns, runfile.Extension, autosave.LockPrefix and the table of\n" +
		"// package protocol, wasm/protocol): do not edit.\n" +
		"self.nnesimNames = " + string(names) + ";\n" +
		"self.nnesimMessages = (() => {\n" +
		"  const strict = (o) => new Proxy(Object.freeze(o), {get(t, k) {\n" +
		"    if (typeof k !== 'string' || Object.prototype.hasOwnProperty.call(t, k)) return t[k];\n" +
		"    throw new Error('nnesim: no message \"' + k + '\" in wasm/protocol');\n" +
		"  }});\n" +
		"  return {worker: strict(" + types(protocol.Worker) + "), page: strict(" + types(protocol.Page) + "), methods: Object.freeze(" + string(methods) + ")};\n" +
		"})();\n"
	return os.WriteFile(filepath.Join(dir, namesFile), []byte(js), 0o644)
}

type manifestEntry struct {
	Bytes int `json:"bytes"`
	Gzip  int `json:"gzip"`
}

// site writes the page's data into dir/data, precompresses what the page
// downloads, and writes dir/manifest.json.
func site(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "public", "the static site folder")
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, test, err := loadData(*dataDir)
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(*dir, "data"), 0o755); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	for name, set := range map[string]*mnist.Set{"data/train.nnd": pool, "data/test.nnd": test} {
		var b bytes.Buffer
		if err := mnist.EncodePack(&b, set); err != nil {
			return fmt.Errorf("site: %w", err)
		}
		if err := os.WriteFile(filepath.Join(*dir, name), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	if err := writeNames(*dir); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	// Everything large gets a .gz twin that nnesim serve sends to browsers
	// that accept gzip; plain static hosts serve the originals.
	manifest := map[string]manifestEntry{}
	var names []string
	err = filepath.WalkDir(*dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if isPrecompressed(path) {
			names = append(names, path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	// The service worker first, from the files as they are, so that it
	// gets its own .gz twin below.
	sw := filepath.Join(*dir, swFile)
	names = slices.DeleteFunc(names, func(n string) bool { return n == sw })
	version, err := writeServiceWorker(*dir, names)
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	fmt.Fprintf(stdout, "%-24s offline cache nnesim-%s (%d files)\n", swFile, version, len(names)+2)
	names = append(names, sw)
	slices.Sort(names)
	total, totalGz := 0, 0
	for _, path := range names {
		raw, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("site: %w", err)
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(raw)
		if err := w.Close(); err != nil {
			return fmt.Errorf("site: gzip %s: %w", path, err)
		}
		if err := os.WriteFile(path+".gz", z.Bytes(), 0o644); err != nil {
			return fmt.Errorf("site: %w", err)
		}
		rel, _ := filepath.Rel(*dir, path)
		rel = filepath.ToSlash(rel)
		manifest[rel] = manifestEntry{Bytes: len(raw), Gzip: z.Len()}
		total += len(raw)
		totalGz += z.Len()
		fmt.Fprintf(stdout, "%-24s %9d bytes, %9d gzip\n", rel, len(raw), z.Len())
	}
	if err := writeJSON(filepath.Join(*dir, manifestFile), manifest); err != nil {
		return fmt.Errorf("site: %w", err)
	}

	fmt.Fprintf(stdout, "%-24s %9d bytes, %9d gzip (%.2f MB gzip)\n", "total", total, totalGz, float64(totalGz)/1e6)
	return nil
}

// writeServiceWorker writes dir/sw.js for the site's files (paths under
// dir) and manifest.json, its cache named by a hash of the files' names
// and contents, so that any change to the build is a new cache; it returns
// the hash.
func writeServiceWorker(dir string, files []string) (string, error) {
	h := sha256.New()
	assets := []string{"./", manifestFile}
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		fmt.Fprintf(h, "%s %d\n", rel, len(raw))
		h.Write(raw)
		assets = append(assets, rel)
	}
	version := hex.EncodeToString(h.Sum(nil))[:16]
	list, err := json.Marshal(assets)
	if err != nil {
		return "", err
	}
	sw := strings.NewReplacer("{{VERSION}}", version, "{{ASSETS}}", string(list), "{{ACTIVATE}}", activateType()).Replace(swTemplate)
	return version, os.WriteFile(filepath.Join(dir, swFile), []byte(sw), 0o644)
}

// activateType is the type of the message that makes a waiting service
// worker take over (protocol.Page's activate), for sw.js, which does not
// load names.js.
func activateType() string {
	for _, m := range protocol.Page {
		if m.Key == "activate" {
			return m.Type
		}
	}
	panic("protocol: no activate message") // the table is this program's own
}

// isPrecompressed reports whether name is one that site gzips.
func isPrecompressed(name string) bool {
	for _, ext := range []string{".wasm", ".nnd", ".js", ".html", ".css"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}
