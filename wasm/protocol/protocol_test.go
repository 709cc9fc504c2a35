package protocol

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// external are the scripts that do not read names.js: a course page's
// example, which shows a page on another site the literal types, and
// files from elsewhere or written by nnesim site.
var external = map[string]bool{"embed-example.js": true, "wasm_exec.js": true, "names.js": true, "sw.js": true}

// TestTable checks that keys and types are unique in each table, that
// page types start with "nnesim:" and that each message is documented.
func TestTable(t *testing.T) {
	for name, list := range map[string][]Message{"Worker": Worker, "Page": Page, "Host": Host} {
		keys, types := map[string]bool{}, map[string]bool{}
		for _, m := range list {
			if keys[m.Key] || types[m.Type] {
				t.Errorf("%s: %s (%s) twice", name, m.Key, m.Type)
			}
			keys[m.Key], types[m.Type] = true, true
			if m.From == "" || m.To == "" || m.Doc == "" {
				t.Errorf("%s: %s lacks a sender, a receiver or a doc", name, m.Key)
			}
			if (name == "Page") != strings.HasPrefix(m.Type, "nnesim:") {
				t.Errorf("%s: type %q", name, m.Type)
			}
		}
	}
}

// TestScriptsUseTheTable reads the page's scripts: none spells a message
// type where a message is built or dispatched (type: '…', case '…':,
// type === '…'), and every message of the table is used by its key (W.key
// for Worker, P.key for Page), so the table has nothing dead. Whole-line
// comments are skipped.
func TestScriptsUseTheTable(t *testing.T) {
	files, err := filepath.Glob("../../public/*.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in public: %v", err)
	}
	types := map[string]bool{}
	for _, m := range append(append([]Message{}, Worker...), Page...) {
		types[m.Type] = true
	}
	literal := regexp.MustCompile(`(type: |case |type [!=]== )'([a-z:-]+)'|'(nnesim:[a-z]*)'`)
	var code strings.Builder
	for _, f := range files {
		if external[filepath.Base(f)] {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			code.WriteString(line + "\n")
			for _, m := range literal.FindAllStringSubmatch(line, -1) {
				if v := m[2] + m[3]; types[v] || strings.HasPrefix(v, "nnesim:") {
					t.Errorf("%s:%d spells message type %q; use the table (names.js): %s", filepath.Base(f), i+1, v, strings.TrimSpace(line))
				}
			}
		}
	}
	for prefix, list := range map[string][]Message{"W": Worker, "P": Page, "H": Host} {
		for _, m := range list {
			if !regexp.MustCompile(`\b` + prefix + `\.` + m.Key + `\b`).MatchString(code.String()) {
				t.Errorf("no script uses %s.%s (%s)", prefix, m.Key, m.Type)
			}
		}
	}
}

// TestMethods checks that every method a call may name is a property of
// the engine's API object in engine.js, and that the scripts take the
// list from names.js rather than spelling it.
func TestMethods(t *testing.T) {
	b, err := os.ReadFile("../../public/engine.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	i := strings.Index(src, "window.nnesimEngine = {")
	j := strings.Index(src[max(i, 0):], "testHooks")
	if i < 0 || j < 0 {
		t.Fatal("engine.js: no window.nnesimEngine = { … testHooks")
	}
	api := src[i : i+j]
	for _, m := range Methods {
		if !regexp.MustCompile(`(^|[\s,{])` + m + `\s*[(,:]`).MatchString(api) {
			t.Errorf("engine.js: window.nnesimEngine has no method %s", m)
		}
	}
	for _, f := range []string{"engine.js", "shell.js"} {
		b, err := os.ReadFile("../../public/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "self.nnesimMessages.methods") || strings.Contains(string(b), "'exportRun', 'exportCurves'") {
			t.Errorf("%s does not take the callable methods from names.js", f)
		}
	}
}
