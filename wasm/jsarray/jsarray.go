//go:build js && wasm

// Package jsarray copies Go slices to and from JavaScript typed arrays:
// []float32 ↔ Float32Array, []float64 ↔ Float64Array, []int32 ↔ Int32Array,
// []int64 ↔ BigInt64Array, and []string to an Array.
// WebAssembly is little-endian, as typed arrays are in every browser, so a
// copy is a byte copy.
package jsarray

import (
	"fmt"
	"syscall/js"
	"unsafe"
)

// Elem is an element type with a typed-array counterpart.
type Elem interface {
	float32 | float64 | int32 | int64
}

// Kind returns the name of T's typed array.
func Kind[T Elem]() string {
	var z T
	switch any(z).(type) {
	case float32:
		return "Float32Array"
	case float64:
		return "Float64Array"
	case int32:
		return "Int32Array"
	}
	return "BigInt64Array"
}

func bytes[T Elem](v []T) []byte {
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), int(unsafe.Sizeof(z))*len(v))
}

// New returns a new typed array holding a copy of v. It owns its buffer,
// so the caller may transfer it with postMessage.
func New[T Elem](v []T) js.Value {
	b := bytes(v)
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return js.Global().Get(Kind[T]()).New(u.Get("buffer"))
}

// Slice returns a copy of the typed array a, which must be T's kind.
func Slice[T Elem](a js.Value) ([]T, error) {
	if err := check[T](a); err != nil {
		return nil, err
	}
	out := make([]T, a.Get("length").Int())
	copyIn(out, a)
	return out, nil
}

// Copy copies the typed array a, which must be T's kind and have len(dst)
// elements, into dst.
func Copy[T Elem](dst []T, a js.Value) error {
	if err := check[T](a); err != nil {
		return err
	}
	if n := a.Get("length").Int(); n != len(dst) {
		return fmt.Errorf("%s of %d elements, want %d", Kind[T](), n, len(dst))
	}
	copyIn(dst, a)
	return nil
}

func check[T Elem](a js.Value) error {
	want := Kind[T]()
	if a.Type() != js.TypeObject || !a.InstanceOf(js.Global().Get(want)) {
		return fmt.Errorf("got %s, want a %s", describe(a), want)
	}
	return nil
}

func describe(a js.Value) string {
	if a.Type() == js.TypeObject {
		if c := a.Get("constructor"); c.Type() == js.TypeFunction {
			return c.Get("name").String()
		}
	}
	return a.Type().String()
}

func copyIn[T Elem](dst []T, a js.Value) {
	b := bytes(dst)
	js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(a.Get("buffer"), a.Get("byteOffset"), len(b)))
}

// Strings returns v as a JavaScript array of strings: a []any, which
// js.ValueOf (and so js.Value.Set, and a map[string]any given to it)
// turns into an Array.
func Strings(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

// Bytes returns a new Uint8Array holding a copy of b.
func Bytes(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}
