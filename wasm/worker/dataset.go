//go:build js && wasm

package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"syscall/js"

	"nnesim/core/mnist"
	"nnesim/wasm/jsarray"
	"nnesim/wasm/pageurl"
)

// readDataset reads another dataset for the page (mnist.ReadDataset):
// readDataset(files, query) with files {name: Uint8Array} (a folder's
// four IDX files, raw or .gz) and the race's query. It returns {pool,
// test} (packs for the coordinators, Uint8Arrays), {classes, classList,
// train, poolLen, testLen, sample} for the page to show, and query fitted
// to the data (pageurl.ForData); or {error}, naming the file and the
// problem. Nothing of the current run changes here. Run 0's coordinator
// reads it, and is then replaced: the memory the files took in its wasm
// (which never shrinks) goes with it.
func readDataset(_ js.Value, a []js.Value) any {
	fail := func(err error) any { return map[string]any{"error": err.Error()} }
	if len(a) < 2 || a[0].Type() != js.TypeObject || a[1].Type() != js.TypeString {
		return fail(fmt.Errorf("dataset(files, query): want an object of files and a string"))
	}
	files := mnist.Files{}
	keys := js.Global().Get("Object").Call("keys", a[0])
	for i := range keys.Length() {
		name := keys.Index(i).String()
		if !slices.Contains(pageurl.DataFiles, strings.TrimSuffix(name, ".gz")) {
			return fail(fmt.Errorf("%s is not one of a dataset's files (%s, each raw or .gz)", name, strings.Join(pageurl.DataFiles, ", ")))
		}
		v := a[0].Get(name)
		if v.Type() != js.TypeObject || v.Get("byteLength").Type() != js.TypeNumber {
			return fail(fmt.Errorf("%s: want its bytes (a Uint8Array)", name))
		}
		if n := v.Get("byteLength").Int(); n > mnist.MaxIDXBytes {
			return fail(fmt.Errorf("%s is %.1f MB, more than the %.0f MB a dataset file may be", name, float64(n)/1e6, float64(mnist.MaxIDXBytes)/1e6))
		}
		b := make([]byte, v.Get("byteLength").Int())
		js.CopyBytesToGo(b, v)
		files[name] = b
	}
	d, err := mnist.ReadDataset(files)
	if err != nil {
		return fail(err)
	}
	q, err := url.ParseQuery(a[1].String())
	if err != nil {
		return fail(fmt.Errorf("the race's query is malformed: %w", err))
	}
	pageurl.ForData(q, d.Classes)
	list := make([]any, len(d.Classes))
	for i, c := range d.Classes {
		list[i] = c
	}
	return map[string]any{
		"pool": jsarray.Bytes(d.Pool), "test": jsarray.Bytes(d.Test), "sample": jsarray.Bytes(d.Sample),
		"classes": d.Classes.String(), "classList": list, "train": d.Train, "poolLen": d.PoolLen, "testLen": d.TestLen,
		"query": q.Encode(),
	}
}
