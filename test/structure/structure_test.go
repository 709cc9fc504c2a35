package structure

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nnesim/core/learner"
)

// ruleFiles are the rules' own files and the registry, where a rule's
// name may appear; each rule's numerics (core/nne, core/learn) are its
// own files too.
var ruleFiles = []string{
	"core/learner/rules.go", "core/learner/nne.go", "core/learner/nnerun.go", "core/learner/chain.go",
	"core/learner/lifetime.go", "core/learner/es.go",
}

var rulePackages = []string{"core/nne/", "core/learn/"}

// fileTypes are constants whose value happens to be a rule's name: the
// run file's extension, .nne, names the file type, not the rule.
var fileTypes = map[string]string{"core/runfile/runfile.go": "Extension"}

// naming are files that name rules as data, the paper's experiments
// (reproduce's tables): there a rule's name may be a call's argument,
// never compared.
var naming = []string{"cmd/nnesim/reproduce.go"}

// root returns the module's root.
func root(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// tracked lists the repository's files with the given suffix that git
// tracks or would add (not ignored), relative to the root.
func tracked(t *testing.T, dir, suffix string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("git ls-files: %v (not a git checkout)", err)
	}
	var files []string
	for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasSuffix(f, suffix) {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				files = append(files, f)
			}
		}
	}
	return files
}

func ownFile(f string) bool {
	return slices.Contains(ruleFiles, f) || slices.ContainsFunc(rulePackages, func(p string) bool { return strings.HasPrefix(f, p) })
}

// TestNoRuleNamesOutsideTheirUnits fails when Go or JavaScript outside a
// rule's own files, its registry entry and tests holds a rule's name as a
// string: code must read the rule's entry (learner.Rules) instead.
func TestNoRuleNamesOutsideTheirUnits(t *testing.T) {
	dir := root(t)
	names := learner.Names()
	isName := func(lit *ast.BasicLit) bool {
		if lit.Kind != token.STRING {
			return false
		}
		v, err := strconv.Unquote(lit.Value)
		return err == nil && slices.Contains(names, v)
	}
	for _, f := range tracked(t, dir, ".go") {
		if strings.HasSuffix(f, "_test.go") || ownFile(f) || strings.HasPrefix(f, "test/") {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, filepath.Join(dir, f), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		args := map[*ast.BasicLit]bool{} // literals that are a call's arguments
		types := map[*ast.BasicLit]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				for _, a := range n.Args {
					if lit, ok := a.(*ast.BasicLit); ok {
						args[lit] = true
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == 1 && len(n.Values) == 1 && fileTypes[f] == n.Names[0].Name {
					if lit, ok := n.Values[0].(*ast.BasicLit); ok {
						types[lit] = true
					}
				}
			}
			return true
		})
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || !isName(lit) || slices.Contains(naming, f) && args[lit] || types[lit] {
				return true
			}
			t.Errorf("%s:%d: the rule name %s outside its unit; read its entry in learner.Rules (Rule's fields) instead",
				f, fset.Position(lit.Pos()).Line, lit.Value)
			return true
		})
	}
	quoted := regexp.MustCompile(`['"\x60](` + strings.Join(regexpQuote(names), "|") + `)['"\x60]`)
	for _, f := range tracked(t, dir, ".js") {
		if !strings.HasPrefix(f, "public/") && !strings.HasPrefix(f, "cmd/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := quoted.FindString(line); m != "" && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d: the rule name %s in JavaScript; read the rules the worker sends (learner.Rules) instead", f, i+1, m)
			}
		}
	}
}

func regexpQuote(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = regexp.QuoteMeta(n)
	}
	// Longest first, so that nne-signsgd is not read as nne.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// TestPackageGraph checks the import graph's direction: core imports no
// other layer, render none but core, wasm no cmd, and no package imports
// a test directory.
func TestPackageGraph(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = root(t)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm") // the wasm packages build only there
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	layer := func(p string) string {
		p = strings.TrimPrefix(p, "nnesim/")
		return strings.SplitN(p, "/", 2)[0]
	}
	may := map[string][]string{
		"core":   {"core"},
		"render": {"core", "render"},
		"wasm":   {"core", "render", "wasm"},
		"cmd":    {"core", "render", "wasm", "cmd"},
		"test":   {"core", "render", "wasm", "cmd", "test"},
	}
	// Inside core, from the data up to the files.
	core := []string{"rng", "mnist", "network", "network/simd128", "nne", "theorem", "theory", "learn", "settings", "learner", "race", "runfile"}
	rank := func(p string) int { return slices.Index(core, strings.TrimPrefix(p, "nnesim/core/")) }
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		from := fields[0]
		for _, to := range fields[1:] {
			if !strings.HasPrefix(to, "nnesim/") {
				continue
			}
			if !slices.Contains(may[layer(from)], layer(to)) {
				t.Errorf("%s imports %s: %s may import only %v", from, to, layer(from), may[layer(from)])
			}
			if layer(from) == "core" && layer(to) == "core" && (rank(from) < 0 || rank(to) < 0 || rank(to) >= rank(from)) {
				t.Errorf("%s imports %s: inside core a package imports only those before it in %v (a new package takes its place there)", from, to, core)
			}
		}
	}
}
