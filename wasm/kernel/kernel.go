//go:build js && wasm

// Package kernel gives core/network the browser's WebAssembly SIMD
// forward pass: it compiles core/network/simd128's module against this Go
// instance's own memory and calls it with the addresses of Go's slices
// (Go's garbage collector does not move objects). One call scores a lane
// group on a whole minibatch, so the cost of crossing into JavaScript and
// back is paid once per group, not per image.
package kernel

import (
	"errors"
	"fmt"
	"runtime"
	"syscall/js"
	"unsafe"

	"nnesim/core/network"
	"nnesim/core/network/simd128"
	"nnesim/core/nne"
)

// Name is what network.Kernel reports while the kernel is in use.
const Name = "wasm-simd128"

// Global names the JavaScript global that holds the Go instance's memory:
// the page's evaluators (public/evaluator.js) and Node.js's runner
// (test/node/run_wasm.js) set it to instance.exports.mem before go.run.
const Global = "nnesimMemory"

// Install compiles the kernel against the memory in the global Global and
// makes core/network and core/nne use it. Without that global, or where the browser
// has no WebAssembly SIMD, it returns an error that says so, and the
// portable kernel runs (with the same bits, more slowly).
func Install() error {
	k, err := New(js.Global().Get(Global))
	if err != nil {
		return err
	}
	network.UseBatchKernel(k)
	nne.UseWeightsKernel(k)
	return nil
}

// Kernel is the compiled module's kernels: the forward pass
// (network.BatchKernel) and W·x (nne.WeightsKernel), full and narrow.
type Kernel struct {
	forward16, forward4, weights16, weights4 js.Value
}

// New compiles the module against memory, the Go instance's exported
// memory (instance.exports.mem). It fails where the browser has no
// WebAssembly SIMD (then the portable kernel runs, with the same bits).
func New(memory js.Value) (*Kernel, error) {
	if memory.IsUndefined() || memory.IsNull() {
		return nil, errors.New("kernel: no memory given (the Go instance's exports.mem)")
	}
	wa := js.Global().Get("WebAssembly")
	if wa.IsUndefined() {
		return nil, errors.New("kernel: this browser has no WebAssembly object")
	}
	mod := simd128.Module()
	b := js.Global().Get("Uint8Array").New(len(mod))
	js.CopyBytesToJS(b, mod)
	if !wa.Call("validate", b).Bool() {
		return nil, errors.New("kernel: this browser has no WebAssembly SIMD; the portable kernel runs")
	}
	var k *Kernel
	err := catch(func() {
		imports := map[string]any{simd128.MemoryModule: map[string]any{simd128.MemoryName: memory}}
		inst := wa.Get("Instance").New(wa.Get("Module").New(b), imports)
		ex := inst.Get("exports")
		k = &Kernel{forward16: ex.Get(simd128.Forward16), forward4: ex.Get(simd128.Forward4),
			weights16: ex.Get(simd128.Weights16), weights4: ex.Get(simd128.Weights4)}
	})
	if err != nil {
		return nil, fmt.Errorf("kernel: compiling the SIMD module: %w", err)
	}
	return k, nil
}

// catch runs f and turns a JavaScript exception into an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}

// Name implements network.BatchKernel.
func (k *Kernel) Name() string { return Name }

// ForwardBatch implements network.BatchKernel.
func (k *Kernel) ForwardBatch(a *network.Arch, w [][network.Lanes]float32, narrow bool, d *network.Inputs, batch []int32, scratch, logits [][network.Lanes]float32) {
	if len(batch) == 0 {
		return
	}
	f := k.forward16
	if narrow {
		f = k.forward4
	}
	// The module checks no bounds of its own (only its memory's), so the
	// lengths it relies on are checked here, as Go would check them.
	E, C, H := a.Edges(), a.Classes, a.Hidden
	if len(w) < a.Links() || len(scratch) < H || len(logits) < len(batch)*C || len(a.Start) != a.In+1 || len(d.Off) != d.Len()+1 || d.Dim != a.In {
		panic(fmt.Sprintf("kernel: ForwardBatch: %d links for %d, %d hidden rows for %d, %d logits for %d, inputs of %d pixels for %d",
			len(w), a.Links(), len(scratch), H, len(logits), len(batch)*C, d.Dim, a.In))
	}
	for _, i := range batch {
		if uint(i) >= uint(d.Len()) {
			panic(fmt.Sprintf("kernel: ForwardBatch: image %d of %d", i, d.Len()))
		}
	}
	f.Invoke(addr(a.Start), addr(a.Target), addr(w), addr(w[E:]), H, C,
		addr(d.Off), addr(d.Pix), addr(d.Val), addr(batch), len(batch), addr(scratch), addr(logits))
	runtime.KeepAlive(a)
	runtime.KeepAlive(w)
	runtime.KeepAlive(d)
	runtime.KeepAlive(batch)
	runtime.KeepAlive(scratch)
	runtime.KeepAlive(logits)
}

// WeightsLanes implements nne.WeightsKernel.
func (k *Kernel) WeightsLanes(g *nne.Genome, w [][network.Lanes]float32, mask []uint16, narrow bool) {
	f := k.weights16
	if narrow {
		f = k.weights4
	}
	// As in ForwardBatch, what the module would read or write out of
	// place is checked here.
	if len(mask) != g.Genes || len(g.ColStart) != g.Genes+1 || len(w) != g.Links || len(g.Val) != len(g.Row) {
		panic(fmt.Sprintf("kernel: WeightsLanes: %d mask entries and %d column starts for %d genes, %d links for %d", len(mask), len(g.ColStart), g.Genes, len(w), g.Links))
	}
	if len(mask) == 0 {
		return
	}
	f.Invoke(addr(g.ColStart), addr(g.Row), addr(g.Val), addr(mask), len(mask), addr(w))
	runtime.KeepAlive(g)
	runtime.KeepAlive(w)
	runtime.KeepAlive(mask)
}

// addr is the address of s's first element in the instance's memory.
func addr[T any](s []T) int { return int(uintptr(unsafe.Pointer(unsafe.SliceData(s)))) }
