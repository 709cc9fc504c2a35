package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/core/race"
	"nnesim/core/runfile"
	"nnesim/core/settings"
	"nnesim/render"
	"nnesim/wasm/autosave"
	"nnesim/wasm/lesson"
	"nnesim/wasm/pageurl"
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
	// PageGroups are the parts of the page hide= leaves out, each with
	// its body class, and MaxWorkers the most workers= takes
	// (pageurl.GroupClasses, pageurl.MaxWorkers).
	PageGroups map[string]string `json:"pageGroups"`
	MaxWorkers int               `json:"maxWorkers"`
	// Picture is how the page reads a dropped picture of a digit: the
	// side it scales it to and the largest file it decodes
	// (mnist.PictureSide, mnist.MaxPictureBytes).
	Picture struct {
		Side     int `json:"side"`
		MaxBytes int `json:"maxBytes"`
	} `json:"picture"`
	// Rules are the rules' names (learner.Names) and Settings the
	// parameters of a run with the preset (learner.Params): what a
	// challenge's rule= and lock= may name (pageurl.Known).
	Rules    []string `json:"rules"`
	Settings []string `json:"settings"`
	// Presets are the presets' names (settings.Presets) and Lesson what
	// a course may set (wasm/lesson: its challenges' kinds, the controls
	// lock= takes, the name that locks every setting), for the lesson
	// builder (teach.html); Snippet is the frame the Embed snippet and
	// the builder write (pageurl.Snippet).
	Presets []string `json:"presets"`
	Lesson  struct {
		Kinds         []lesson.Kind    `json:"kinds"`
		Controls      []lesson.Control `json:"controls"`
		AllSettings   string           `json:"allSettings"`
		MaxStateBytes int              `json:"maxStateBytes"`
	} `json:"lesson"`
	// Mine is My digits': how many of each digit a round asks for
	// (mnist.MineEach) and the names of the IDX pair it exports (the
	// test set's, which nnesim train -test-data reads).
	Mine struct {
		Each   int    `json:"each"`
		Images string `json:"images"`
		Labels string `json:"labels"`
	} `json:"mine"`
	// Dataset is how the page reads another dataset (data=, or IDX files
	// dropped): its four files' standard names, each raw or .gz
	// (pageurl.DataFiles), and the largest file it reads
	// (mnist.MaxIDXBytes).
	Dataset struct {
		Files    []string `json:"files"`
		MaxBytes int      `json:"maxBytes"`
	} `json:"dataset"`
	// WholeFile is MNIST's whole training file as a pack (site writes
	// it, the service worker leaves it out), which the page downloads
	// when a run needs it (learner.WholeFile).
	WholeFile string               `json:"wholeFile"`
	Snippet   pageurl.SnippetFrame `json:"snippet"`
}

// writeNames writes dir/names.js, the lists the page's scripts read from
// Go rather than repeat: self.nnesimNames, with the canvas's panels and
// their groups (render) and the page's own URL parameters
// (learner.PageParams), for shell.js, which runs before any wasm; and
// self.nnesimMessages, the message types of package protocol by key
// (worker and page), which throw on an unknown key, and the engine
// methods a call may name (methods).
func writeNames(dir string) error {
	pn := pageNames{Panels: render.PanelNames(), PanelGroups: render.PanelGroups, PageParams: learner.PageParams,
		DefaultRule: learner.DefaultRule().Name, MaxRaceRuns: race.MaxRuns, RunFileExtension: runfile.Extension, TabLock: autosave.LockPrefix,
		PageGroups: pageurl.GroupClasses(), MaxWorkers: pageurl.MaxWorkers}
	pn.Picture.Side, pn.Picture.MaxBytes = mnist.PictureSide, mnist.MaxPictureBytes
	pn.Rules = learner.Names()
	pn.Presets = settings.Presets()
	pn.Lesson.Kinds, pn.Lesson.Controls, pn.Lesson.AllSettings = lesson.Kinds, lesson.Controls, lesson.AllSettings
	pn.Lesson.MaxStateBytes = lesson.MaxStateBytes
	pn.Mine.Each, pn.Mine.Images, pn.Mine.Labels = mnist.MineEach, mnist.TestImagesName, mnist.TestLabelsName
	pn.Snippet = pageurl.Snippet
	pn.Dataset.Files, pn.Dataset.MaxBytes = pageurl.DataFiles, mnist.MaxIDXBytes
	pn.WholeFile = wholeFile
	pn.Settings = []string{"preset"}
	for _, p := range learner.Params() {
		pn.Settings = append(pn.Settings, p.Name)
	}
	names, err := json.Marshal(pn)
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
		"// race.MaxRuns, runfile.Extension, autosave.LockPrefix, pageurl, settings.Clip and the table of\n" +
		"// package protocol, wasm/protocol: its Worker, Page and Host tables): do not edit.\n" +
		"self.nnesimNames = " + string(names) + ";\n" +
		"// nnesimClip(v) quotes a value from outside (a URL parameter, a message)\n" +
		"// for an error, by the rule of settings.Clip.\n" +
		"self.nnesimClip = (v) => {\n" +
		"  const s = Array.from(String(v));\n" +
		fmt.Sprintf("  return s.length <= %d ? s.join('') : s.slice(0, %d).join('') + '… (' + s.length + ' characters)';\n", 2*settings.ClipKeep, settings.ClipKeep) +
		"};\n" +
		"// nnesimIsDataFile(name) says whether a file's name is one of a\n" +
		"// dataset's four, raw or .gz (pageurl.DataFiles).\n" +
		"self.nnesimIsDataFile = (name) => self.nnesimNames.dataset.files.some((f) => name === f || name === f + '.gz');\n" +
		"self.nnesimMessages = (() => {\n" +
		"  const strict = (o) => new Proxy(Object.freeze(o), {get(t, k) {\n" +
		"    if (typeof k !== 'string' || Object.prototype.hasOwnProperty.call(t, k)) return t[k];\n" +
		"    throw new Error('nnesim: no message \"' + k + '\" in wasm/protocol');\n" +
		"  }});\n" +
		"  return {worker: strict(" + types(protocol.Worker) + "), page: strict(" + types(protocol.Page) + "), host: strict(" + types(protocol.Host) + "), methods: Object.freeze(" + string(methods) + ")};\n" +
		"})();\n"
	return os.WriteFile(filepath.Join(dir, namesFile), []byte(js), 0o644)
}

type manifestEntry struct {
	Bytes  int `json:"bytes"`
	Gzip   int `json:"gzip"`
	Brotli int `json:"br,omitempty"`
	// BrotliQuality is the quality the .br twin was made at, so that a
	// later build at a higher quality makes it again (brotliTwin).
	BrotliQuality int `json:"brq,omitempty"`
}

// wholeFile is where site writes MNIST's whole training file (a pack),
// relative to the site's folder.
const wholeFile = "data/train-all.nnd"

// site writes the page's data into dir/data, precompresses what the page
// downloads, and writes dir/manifest.json.
func site(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "public", "the static site folder")
	dataDir := fs.String("data", "", "folder with the four MNIST .gz files (default: $NNESIM_MNIST, else the GoMNIST module)")
	quality := fs.Int("brotli", 11, "brotli quality of the .br twins, 0 to 11 (11: smallest, about a minute for the wasm; -1: no .br twins)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *quality < -1 || *quality > 11 {
		return fmt.Errorf("site: -brotli %d: want -1 (none) or a quality from 0 to 11", *quality)
	}
	pool, train, test, err := mnist.LoadAll(*dataDir)
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(*dir, "data"), 0o755); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	for name, set := range map[string]*mnist.Set{"data/train.nnd": pool, "data/test.nnd": test, wholeFile: train} {
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
	// Everything large gets .br and .gz twins that nnesim serve sends to
	// browsers that accept them; plain static hosts serve the originals.
	manifest := map[string]manifestEntry{}
	// The last build's manifest says at which quality each .br twin was
	// made; a build without one makes every twin again.
	var last map[string]manifestEntry
	if b, err := os.ReadFile(filepath.Join(*dir, manifestFile)); err == nil {
		_ = json.Unmarshal(b, &last) // a broken manifest is rewritten below
	}
	var names, orphans []string
	err = filepath.WalkDir(*dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if isPrecompressed(path) {
			names = append(names, path)
		}
		// A twin whose file is gone (a script removed from the site)
		// would still be served.
		if orig, ok := twinOf(path); ok && isPrecompressed(orig) {
			if _, err := os.Stat(orig); errors.Is(err, os.ErrNotExist) {
				orphans = append(orphans, path)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	for _, path := range orphans {
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("site: %w", err)
		}
		fmt.Fprintf(stdout, "%-24s removed: its file is gone\n", filepath.ToSlash(path))
	}
	// The service worker first, from the files as they are, so that it
	// gets its own twins below.
	// The whole training file (47 MB) is downloaded only by a run that
	// needs it, so the service worker does not fetch it on a first visit.
	sw := filepath.Join(*dir, swFile)
	names = slices.DeleteFunc(names, func(n string) bool { return n == sw })
	version, err := writeServiceWorker(*dir, slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == filepath.Join(*dir, wholeFile) }))
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	fmt.Fprintf(stdout, "%-24s offline cache nnesim-%s (%d files)\n", swFile, version, len(names)+2)
	names = append(names, sw)
	slices.Sort(names)
	// Each file by its path in the site, as the manifest names it.
	rels := make([]string, len(names))
	for i, path := range names {
		rel, _ := filepath.Rel(*dir, path)
		rels[i] = filepath.ToSlash(rel)
	}
	// The .br twins are the smallest but slow to make; each is made on
	// its own core, and one that already holds the file, made at this
	// quality or a higher one, is kept.
	brs, brqs := make([]int, len(names)), make([]int, len(names))
	brErrs := make([]error, len(names))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	if *quality < 0 {
		// No twins: one left by an earlier build would be served stale.
		for _, path := range names {
			if err := os.Remove(path + ".br"); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("site: %w", err)
			}
		}
	} else {
		for i, path := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				brs[i], brqs[i], brErrs[i] = brotliTwin(path, *quality, last[rels[i]].BrotliQuality)
			}()
		}
	}
	total, totalGz, totalBr := 0, 0, 0
	for i, path := range names {
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
		wg.Wait() // the .br twins (the gzip above overlaps them)
		if brErrs[i] != nil {
			return fmt.Errorf("site: %w", brErrs[i])
		}
		rel := rels[i]
		manifest[rel] = manifestEntry{Bytes: len(raw), Gzip: z.Len(), Brotli: brs[i], BrotliQuality: brqs[i]}
		total += len(raw)
		totalGz += z.Len()
		totalBr += brs[i]
		fmt.Fprintf(stdout, "%-24s %9d bytes, %9d gzip, %9d br\n", rel, len(raw), z.Len(), brs[i])
	}
	if err := writeJSON(filepath.Join(*dir, manifestFile), manifest); err != nil {
		return fmt.Errorf("site: %w", err)
	}

	fmt.Fprintf(stdout, "%-24s %9d bytes, %9d gzip, %9d br (%.2f MB gzip, %.2f MB br)\n", "total", total, totalGz, totalBr,
		float64(totalGz)/1e6, float64(totalBr)/1e6)
	return nil
}

// bigTwin is the size above which brotliTwin uses at most quality 9:
// quality 11 takes about 150 s for the whole training file (47 MB) and
// makes it 7.8 MB, quality 9 takes 11 s and makes 8.8 MB.
const bigTwin = 16 << 20

// brotliTwin writes path.br, path compressed with brotli at quality
// (largest window), and returns its size and the quality it was made at.
// A path.br that already decompresses to path's bytes, made at quality
// had (the last build's manifest) or more, is kept as it is: brotli's best
// quality takes about a minute for app.wasm, and the data files rarely
// change. So a quick build's twins (NNESIM_BROTLI=5) do not outlive a
// build at 11.
func brotliTwin(path string, quality, had int) (int, int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	if len(raw) > bigTwin {
		quality = min(quality, 9)
	}
	if old, err := os.ReadFile(path + ".br"); err == nil && had >= quality {
		if got, err := io.ReadAll(io.LimitReader(brotli.NewReader(bytes.NewReader(old)), int64(len(raw))+1)); err == nil && bytes.Equal(got, raw) {
			return len(old), had, nil
		}
	}
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: quality, LGWin: 24})
	w.Write(raw)
	if err := w.Close(); err != nil {
		return 0, 0, fmt.Errorf("brotli %s: %w", path, err)
	}
	return b.Len(), quality, os.WriteFile(path+".br", b.Bytes(), 0o644)
}

// twinOf returns the file a .br or .gz twin is of.
func twinOf(path string) (string, bool) {
	for _, ext := range []string{".br", ".gz"} {
		if orig, ok := strings.CutSuffix(path, ext); ok {
			return orig, true
		}
	}
	return "", false
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
