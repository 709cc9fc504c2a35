//go:build js

package mnist

import "errors"

// Locate fails in a browser, which has no MNIST folder: the page
// downloads its data as packs (the native Locate finds the GoMNIST
// module's files; leaving it out keeps the module and os/exec out of the
// wasm).
func Locate() (string, error) {
	return "", errors.New("mnist: a browser has no MNIST folder; the page downloads its data as packs")
}
