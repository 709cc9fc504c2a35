package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"nnesim/core/learner"
)

// TestPictureAndSignalNames checks that every picture a rule's entry names
// is a panel of the canvas (the app shows a panel only if some run's rule
// fills it), and that the signals the app plots in a rule's own panel
// (wasm/app's signal constants, which it matches against Rule.Plot) are
// the registry's names.
func TestPictureAndSignalNames(t *testing.T) {
	for _, r := range learner.Rules {
		for _, p := range r.Pictures {
			if !slices.Contains(PanelNames(), p) {
				t.Errorf("rule %s: picture %q is no panel of the canvas (%v)", r.Name, p, PanelNames())
			}
		}
		if r.Plot != "" && !slices.Contains(r.Signals, r.Plot) {
			t.Errorf("rule %s plots %q, not one of its signals %v", r.Name, r.Plot, r.Signals)
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "../wasm/app/curves.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"signalDopamine": learner.SignalDopamine, "signalFitness": learner.SignalFitness}
	found := 0
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return true
		}
		w, ok := want[vs.Names[0].Name]
		lit, isLit := vs.Values[0].(*ast.BasicLit)
		if !ok || !isLit {
			return true
		}
		found++
		if v, _ := strconv.Unquote(lit.Value); v != w {
			t.Errorf("wasm/app: %s = %s, but the registry's signal is %q", vs.Names[0].Name, lit.Value, w)
		}
		return true
	})
	if found != len(want) {
		t.Errorf("wasm/app/curves.go: found %d of the %d signal constants", found, len(want))
	}
}
