package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixation saves one run at generations 10 and 30 and checks Figure
// 2's numbers: y falls with x to 0 at ½, more genes are fixed later, the
// fixed curve follows the longer file's curve, and run files of another
// run, or of one generation twice, are refused.
func TestFixation(t *testing.T) {
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	var stdout, stderr bytes.Buffer
	mustRun := func(args ...string) {
		t.Helper()
		if err := run(args, &stdout, &stderr); err != nil {
			t.Fatalf("nnesim %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
	}
	mustRun(append(append([]string{"train"}, small...), "-generations", "10", "-save", file("a.nne"))...)
	b, _ := os.ReadFile(file("a.nne"))
	os.WriteFile(file("p10.nne"), b, 0o644)
	mustRun("train", "-resume", file("a.nne"), "-save", file("a.nne"), "-generations", "30", "-threads", "1")
	stdout.Reset()
	mustRun("fixation", "-out", file("out"), file("a.nne"), file("p10.nne"))
	var res fixationResult
	b, err := os.ReadFile(file("out/fixation.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.At) != 2 || res.At[0].Generation != 10 || res.At[1].Generation != 30 || res.Genes != 300 {
		t.Fatalf("fixation at %+v of %d genes, want generations 10 and 30 of 300", res.At, res.Genes)
	}
	for _, a := range res.At {
		for k := 1; k < len(a.Y); k++ {
			if a.Y[k] > a.Y[k-1] {
				t.Errorf("generation %d: y(%g) = %g rises above y(%g) = %g", a.Generation, res.Xs[k], a.Y[k], res.Xs[k-1], a.Y[k-1])
			}
		}
		if a.Y[len(a.Y)-1] != 0 || a.Y[0] <= 0 || a.Y[0] > 1 {
			t.Errorf("generation %d: y(0) = %g, y(½) = %g; want y(0) in (0, 1] and y(½) = 0", a.Generation, a.Y[0], a.Y[len(a.Y)-1])
		}
		if a.Accuracy <= 0 {
			t.Errorf("generation %d: test accuracy %g", a.Generation, a.Accuracy)
		}
	}
	if y10, y30 := res.At[0].Y[4], res.At[1].Y[4]; y30 >= y10 {
		t.Errorf("y(0.01) %g at generation 30, %g at 10: want fewer unfixed genes later", y30, y10)
	}
	if len(res.Curve) != 4 || res.Curve[3][0] != 30 || math.Abs(res.Curve[3][1]-(1-res.At[1].Y[4])) > 1e-12 {
		t.Errorf("fixed curve %v, want 4 points to generation 30 ending at %g", res.Curve, 1-res.At[1].Y[4])
	}
	for _, png := range []string{"figure2-y.png", "figure2-fixed.png"} {
		if st, err := os.Stat(file("out/" + png)); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", png, err)
		}
	}
	if !strings.Contains(stdout.String(), "generation      30:") {
		t.Errorf("output lacks generation 30's line:\n%s", stdout.String())
	}
	mustRun(append(append([]string{"train"}, small...), "-generations", "10", "-seed", "4", "-save", file("other.nne"))...)
	wantError(t, "fixation", "-out "+file("x")+" "+file("p10.nne")+" "+file("other.nne"), "a different run")
	wantError(t, "fixation", "-out "+file("x")+" "+file("p10.nne")+" "+file("p10.nne"), "two run files at generation 10")
	wantError(t, "fixation", file("p10.nne"), "want -out DIR")
}
