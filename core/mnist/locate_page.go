//go:build js && nnesim_page

package mnist

import "errors"

// Locate fails in the page's wasm (built with the tag nnesim_page by
// build.sh), which has no MNIST folder: the page downloads its data as
// packs. Leaving the other Locate out keeps the GoMNIST module,
// golang.org/x/mod and os/exec out of the page's wasm; nnesim built for
// js/wasm and run by Node.js (test/portable) keeps it.
func Locate() (string, error) {
	return "", errors.New("mnist: a browser has no MNIST folder; the page downloads its data as packs")
}
