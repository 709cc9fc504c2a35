package portable

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fuseTargets are the platforms whose compiler fuses x*y + z.
var fuseTargets = []struct {
	name string
	env  []string
}{
	{"arm64", []string{"GOOS=linux", "GOARCH=arm64", "GOEXPERIMENT="}},
	{"amd64-v3", []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v3", "GOEXPERIMENT="}},
	{"amd64-v3-simd", []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v3", "GOEXPERIMENT=simd"}},
}

// A Fusion is one fused multiply-add instruction in compiled code.
type Fusion struct {
	Func, Pos, Instr string
}

func (f Fusion) String() string { return fmt.Sprintf("%s (%s): %s", f.Func, f.Pos, f.Instr) }

var (
	// textSym starts a function in the compiler's assembly listing.
	textSym = regexp.MustCompile(`^(\S+) STEXT`)
	// instr is an instruction line: offset, position and mnemonic.
	instr = regexp.MustCompile(`^\s+0x[0-9a-f]+\s+\d+\s+\(([^)]*)\)\s+(\S+)(.*)$`)
	// fusedOp matches the fused multiply-add mnemonics of arm64 (FMADDD,
	// FNMSUBS, VFMLA…), amd64 (VFMADD231SD…), ppc64, riscv64, loong64
	// (FMADDD…) and s390x (WFMADB…).
	fusedOp = regexp.MustCompile(`^(V?FN?M(ADD|SUB)|VFML[AS]|WFN?M[AS])`)
)

// Fusions returns the fused multiply-adds in the output of
// go build -gcflags=-S.
func Fusions(listing []byte) []Fusion {
	var out []Fusion
	fn := ""
	sc := bufio.NewScanner(bytes.NewReader(listing))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := textSym.FindStringSubmatch(line); m != nil {
			fn = m[1]
			continue
		}
		if m := instr.FindStringSubmatch(line); m != nil && fusedOp.MatchString(m[2]) {
			out = append(out, Fusion{Func: fn, Pos: m[1], Instr: m[2] + m[3]})
		}
	}
	return out
}

// moduleRoot returns the folder of go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(string(bytes.TrimSpace(out)))
}

// listing compiles pkgs for env and returns the assembly listing. The
// build cache replays the listing of packages it does not recompile.
func listing(t *testing.T, root string, env []string, pkgs ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", append([]string{"build", "-gcflags=-S"}, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s go build -gcflags=-S %s: %v\n%s", strings.Join(env, " "), strings.Join(pkgs, " "), err, out)
	}
	if !bytes.Contains(out, []byte(" STEXT")) {
		t.Fatalf("go build -gcflags=-S %s printed no assembly", strings.Join(pkgs, " "))
	}
	return out
}

// TestNoFusedMultiplyAdd fails on any fused multiply-add in core/.
func TestNoFusedMultiplyAdd(t *testing.T) {
	root := moduleRoot(t)
	for _, tg := range fuseTargets {
		t.Run(tg.name, func(t *testing.T) {
			for _, f := range Fusions(listing(t, root, tg.env, "./core/...")) {
				t.Errorf("fused multiply-add in %s; write float64(x*y) + z (or float32) so it rounds like every other platform", f)
			}
		})
	}
}

// TestGuardCatchesFusion checks the guard itself on a deliberately fused
// line: it must flag Fused and nothing else.
func TestGuardCatchesFusion(t *testing.T) {
	root := moduleRoot(t)
	for _, tg := range fuseTargets {
		t.Run(tg.name, func(t *testing.T) {
			got := Fusions(listing(t, root, tg.env, "./test/portable/testdata/fused"))
			if len(got) == 0 {
				t.Fatalf("no fused multiply-add found in testdata/fused.Fused")
			}
			for _, f := range got {
				if !strings.HasSuffix(f.Func, ".Fused") || !strings.Contains(f.Pos, "fused.go:7") {
					t.Errorf("flagged %s; want only Fused at fused.go:7", f)
				}
			}
		})
	}
}

func TestFusions(t *testing.T) {
	for _, tc := range []struct {
		name, listing string
		want          []string
	}{
		{"arm64", "nnesim/core/network.Exp STEXT size=300 args=0x8 locals=0x0\n\t0x0058 00088 (/x/mathf.go:31)\tFMADDD\tF1, F2, F0, F1\n\t0x005c 00092 (/x/mathf.go:31)\tFMULD\tF1, F2, F3\n",
			[]string{"nnesim/core/network.Exp (/x/mathf.go:31): FMADDD\tF1, F2, F0, F1"}},
		{"amd64 v3", "p.f STEXT nosplit size=10\n\t0x0000 00000 (/x/a.go:3)\tVFMADD231SD\tX2, X1, X0\n\t0x0005 00005 (/x/a.go:3)\tVMULSD\tX2, X1, X0\n",
			[]string{"p.f (/x/a.go:3): VFMADD231SD\tX2, X1, X0"}},
		{"negated", "p.g STEXT size=10\n\t0x0000 00000 (/x/a.go:4)\tFNMSUBS\tF1, F2, F3, F4\n", []string{"p.g (/x/a.go:4): FNMSUBS\tF1, F2, F3, F4"}},
		{"clean", "p.h STEXT size=10\n\t0x0000 00000 (/x/a.go:5)\tFMOVD\tF1, F2\n\t0x0004 00004 (/x/a.go:5)\tFMULD\tF1, F2, F3\n\t0x0008 00008 (/x/a.go:5)\tFADDD\tF1, F2, F3\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Fusions([]byte(tc.listing)) {
				got = append(got, f.String())
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("Fusions = %q, want %q", got, tc.want)
			}
		})
	}
}
