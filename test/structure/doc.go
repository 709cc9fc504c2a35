// Package structure checks the repository's structural rules: no code
// outside a learning rule's own files compares its name, and the package
// graph runs one way, cmd → wasm → render and core.
package structure
