// Package simd128 writes the browser's two hot loops as a small
// WebAssembly module with 128-bit SIMD instructions: the forward pass of
// a lane group of genotypes on a minibatch (network.ForwardBatchLanes)
// and W·x, the weights of the group's genotypes (nne.Genome.WeightsLanes).
// Go compiles to WebAssembly without vector instructions (and sends every
// loop's back edge through a dispatch loop), so the portable kernel runs
// as wasm at about half its native speed; this module does the same
// arithmetic four lanes per instruction. It is pure Go that only writes
// bytes: wasm/kernel compiles the module in the browser, against the Go
// instance's own memory, and hands it to core/network and core/nne.
//
// Same bits: each lane does exactly the arithmetic of the portable
// kernel, in its order, with each product rounded before its sum
// (f32x4.mul, then f32x4.add: WebAssembly has no fused multiply-add
// outside the relaxed SIMD proposal, which this module does not use) and
// ReLU as the same bit operation (x &^ (x >> 31), arithmetic shift), so
// its results are bitwise those of the portable and AVX-512 kernels.
// wasm/kernel's tests compare them under Node.js, and test/portable
// compares whole runs' hashes.
package simd128

// Exports of the module: Forward16 computes all 16 lanes of a group and
// Forward4 the first 4 (network.Narrow), the others' logits being 0.
const (
	Forward16 = "forward16"
	Forward4  = "forward4"
)

// Memory is the import the module's memory comes from: the Go instance's
// exported memory, which the caller passes as {"go": {"mem": memory}}.
const (
	MemoryModule = "go"
	MemoryName   = "mem"
)

// Params lists the kernels' parameters, in order; all are i32, and the
// addresses are byte offsets into the Go instance's memory:
//
//	start     network.Arch.Start (In+1 int32): pixel j's edges are start[j]..start[j+1]−1
//	target    network.Arch.Target (int32 per edge): the hidden unit edge e feeds
//	w         the group's links, [Links][16]float32: edges, then the output layer
//	out       &w[Edges]: the output layer, hidden unit k's weight to class c at k·C+c
//	hidden    H, the number of hidden units
//	classes   C, the number of classes
//	off       network.Inputs.Off: image i's nonzeros are off[i]..off[i+1]−1
//	pix, val  network.Inputs.Pix and Val
//	batch     the images, as int32 indices
//	n         how many images
//	scratch   [H][16]float32 for the hidden sums
//	logits    [n][C][16]float32: image b's logit for class c in lane g at (b·C+c)·16+g
var Params = []string{"start", "target", "w", "out", "hidden", "classes", "off", "pix", "val", "batch", "n", "scratch", "logits"}

// Parameter and local indices of the kernels.
const (
	pStart uint32 = iota
	pTarget
	pW
	pOut
	pHidden
	pClasses
	pOff
	pPix
	pVal
	pBatch
	pN
	pScratch
	pLogits
	nParams
)

// Locals, after the parameters: i32s, then v128s.
const (
	lImage = nParams + iota // b
	lP                      // the image's next nonzero (byte address in pix)
	lPEnd                   // its end
	lQ                      // the nonzero's byte offset from pix to val
	lT                      // the edge's address in target
	lTEnd                   // the pixel's last edge's end in target
	lWE                     // the edge's address in w
	lH                      // a hidden unit's sums
	lHEnd                   // the end of the scratch
	lZ                      // the image's logits
	lZC                     // class c's logits
	lZEnd                   // the end of the image's logits
	lRow                    // the output weight in out
	nI32
)

const (
	lV  = nI32 + iota // the nonzero's value, in every lane
	lH0               // a hidden unit's activations, 4 lanes each
	lH1
	lH2
	lH3
	nLocals
)

// Module returns the WebAssembly module: one imported memory and the four
// exported kernels (the forward pass and W·x, each full and narrow).
func Module() []byte {
	types := section(1, vec(2, funcType(int(nParams)), funcType(int(nWParams))))
	imports := section(2, vec(1, name(MemoryModule), name(MemoryName), []byte{0x02, 0x00, 0x01})) // memory, min 1 page, no max
	funcs := section(3, vec(4, []byte{0}, []byte{0}, []byte{1}, []byte{1}))
	exports := section(7, vec(4,
		name(Forward16), []byte{0x00, 0},
		name(Forward4), []byte{0x00, 1},
		name(Weights16), []byte{0x00, 2},
		name(Weights4), []byte{0x00, 3}))
	code := section(10, vec(4, body(4), body(1), weights(4), weights(1)))
	m := []byte{0x00, 'a', 's', 'm', 1, 0, 0, 0}
	for _, s := range [][]byte{types, imports, funcs, exports, code} {
		m = append(m, s...)
	}
	return m
}

// funcType is (i32 × n) → ().
func funcType(n int) []byte {
	params := make([]byte, n)
	for i := range params {
		params[i] = i32
	}
	t := append([]byte{0x60}, vec(n, params)...)
	return append(t, vec(0)...)
}

// body is the kernel for the first 4·quads lanes.
func body(quads int) []byte {
	var a asm
	// Locals: the i32s, then the v128s.
	a.b = vec(2, locals(int(nI32-nParams), i32), locals(int(nLocals-nI32), v128))
	hs := []uint32{lH0, lH1, lH2, lH3}[:quads]

	// z = logits; zEnd = z + C·64 (the first image's logits)
	a.get(pLogits)
	a.set(lZ)
	// for b := 0; b < n; b++
	a.i32(0)
	a.set(lImage)
	a.block()
	a.loop()
	a.get(lImage)
	a.get(pN)
	a.geU()
	a.brIf(1)

	// i := batch[b]; p, pEnd := &pix[off[i]], &pix[off[i+1]]
	a.get(pBatch)
	a.get(lImage)
	a.i32(2)
	a.shl()
	a.add()
	a.load32(0)
	a.i32(2)
	a.shl()
	a.get(pOff)
	a.add()
	a.tee(lP) // &off[i], for now
	a.load32(4)
	a.i32(2)
	a.shl()
	a.get(pPix)
	a.add()
	a.set(lPEnd)
	a.get(lP)
	a.load32(0)
	a.i32(2)
	a.shl()
	a.get(pPix)
	a.add()
	a.set(lP)
	// q = val − pix, so that val[n] is at p + q.
	a.get(pVal)
	a.get(pPix)
	a.op(0x6B) // i32.sub
	a.set(lQ)

	// Clear the hidden sums: for h := scratch; h < scratch+H·64; h += 64.
	a.get(pScratch)
	a.get(pHidden)
	a.i32(6)
	a.shl()
	a.add()
	a.set(lHEnd)
	a.get(pScratch)
	a.set(lH)
	loopWhile(&a, lH, lHEnd, func() {
		for q := range quads {
			a.get(lH)
			a.vzero()
			a.vstore(uint32(16 * q))
		}
		step(&a, lH, 64)
	})

	// The input layer: for each nonzero (j, v) of the image, in order, and
	// each of pixel j's edges e, in order: h[target[e]] += v·w[e].
	loopWhile(&a, lP, lPEnd, func() {
		// v = splat(val[n])
		a.get(lP)
		a.get(lQ)
		a.add()
		a.loadF32(0)
		a.splatF32()
		a.set(lV)
		// t, tEnd = &target[start[j]], &target[start[j+1]]; we = &w[start[j]]
		a.get(lP)
		a.load32(0)
		a.i32(2)
		a.shl()
		a.get(pStart)
		a.add()
		a.tee(lT) // &start[j], for now
		a.load32(4)
		a.i32(2)
		a.shl()
		a.get(pTarget)
		a.add()
		a.set(lTEnd)
		a.get(lT)
		a.load32(0)
		a.tee(lWE) // start[j], for now
		a.i32(2)
		a.shl()
		a.get(pTarget)
		a.add()
		a.set(lT)
		a.get(lWE)
		a.i32(6)
		a.shl()
		a.get(pW)
		a.add()
		a.set(lWE)
		loopWhile(&a, lT, lTEnd, func() {
			// h = scratch + target[e]·64
			a.get(lT)
			a.load32(0)
			a.i32(6)
			a.shl()
			a.get(pScratch)
			a.add()
			a.set(lH)
			for q := range quads {
				o := uint32(16 * q)
				a.addProduct(lH, o, func() {
					a.get(lV)
					a.get(lWE)
					a.vload(o)
				})
			}
			step(&a, lWE, 64)
			step(&a, lT, 4)
		})
		step(&a, lP, 4)
	})

	// The output layer: clear the image's logits, then for each hidden
	// unit k, in order: a = relu(h[k]); z[c] += a·out[k·C+c] for each c.
	a.get(lZ)
	a.get(pClasses)
	a.i32(6)
	a.shl()
	a.add()
	a.set(lZEnd)
	a.get(lZ)
	a.set(lZC)
	loopWhile(&a, lZC, lZEnd, func() {
		for q := range 4 { // every lane: a narrow group's others are 0
			a.get(lZC)
			a.vzero()
			a.vstore(uint32(16 * q))
		}
		step(&a, lZC, 64)
	})
	a.get(pOut)
	a.set(lRow)
	a.get(pScratch)
	a.set(lH)
	loopWhile(&a, lH, lHEnd, func() {
		for q, hq := range hs {
			// relu: x &^ (x >> 31), arithmetic shift
			a.get(lH)
			a.vload(uint32(16 * q))
			a.tee(hq)
			a.get(hq)
			a.i32(31)
			a.shrS32x4()
			a.andnot()
			a.set(hq)
		}
		a.get(lZ)
		a.set(lZC)
		loopWhile(&a, lZC, lZEnd, func() {
			for q, hq := range hs {
				o := uint32(16 * q)
				a.addProduct(lZC, o, func() {
					a.get(hq)
					a.get(lRow)
					a.vload(o)
				})
			}
			step(&a, lRow, 64)
			step(&a, lZC, 64)
		})
		step(&a, lH, 64)
	})

	// The next image's logits follow this one's.
	a.get(lZEnd)
	a.set(lZ)
	step(&a, lImage, 1)
	a.br(0)
	a.end()
	a.end()
	a.end() // the function
	return vec(len(a.b), a.b)
}

// locals declares n locals of type t.
func locals(n int, t byte) []byte {
	var a asm
	a.uleb(uint32(n))
	a.op(t)
	return a.b
}

// loopWhile emits: for x < end { body }, with x and end i32 locals
// (compared unsigned); body must advance x.
func loopWhile(a *asm, x, end uint32, body func()) {
	a.block()
	a.get(x)
	a.get(end)
	a.geU()
	a.brIf(0)
	a.loop()
	body()
	a.get(x)
	a.get(end)
	a.ltU()
	a.brIf(0)
	a.end()
	a.end()
}

// addProduct emits the four lanes at byte o of the address in local
// acc += x·y, where factors pushes x and y: the product rounded, then the
// sum (never fused), as the portable kernel does each lane.
func (a *asm) addProduct(acc, o uint32, factors func()) {
	a.get(acc) // the address to store to
	a.get(acc)
	a.vload(o)
	factors()
	a.mulF32x4()
	a.addF32x4()
	a.vstore(o)
}

// step emits x += by.
func step(a *asm, x uint32, by int32) {
	a.get(x)
	a.i32(by)
	a.add()
	a.set(x)
}
