package portable

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWasmKernel runs wasm/kernel's tests, which compare the browser's
// WebAssembly SIMD kernel with the portable kernel bit for bit, as js/wasm
// under Node.js with test/node/run_wasm.js (which gives the binary its
// memory, as the page's evaluators do).
func TestWasmKernel(t *testing.T) {
	node := need(t, "node", "Node.js")
	root := moduleRoot(t)
	bin := filepath.Join(t.TempDir(), "kernel.wasm")
	build := exec.Command("go", "test", "-c", "-o", bin, "./wasm/kernel")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building wasm/kernel's tests for js/wasm: %v\n%s", err, out)
	}
	run := exec.Command(node, filepath.Join(root, "test", "node", "run_wasm.js"), bin, "-test.v")
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("wasm/kernel's tests under Node.js: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
