package simd128

import "math"

// Exports of W·x: Weights16 expands all 16 lanes of a group and Weights4
// the first 4 (network.Narrow).
const (
	Weights16 = "weights16"
	Weights4  = "weights4"
)

// WeightsParams lists W·x's parameters, in order; all are i32, the
// addresses byte offsets into the Go instance's memory:
//
//	colStart  nne.Genome.ColStart (genes+1 int32): column c's nonzeros are colStart[c]..colStart[c+1]−1
//	row, val  nne.Genome.Row (int32) and Val (float32)
//	mask      []uint16: bit g of mask[c] is gene c of lane g; the kernel clears it
//	genes     the number of genes
//	w         the group's links, [Links][16]float32, cleared: w[r] += val·bit for each nonzero
//
// It is nne.Genome.WeightsLanes's column walk: each lane adds the
// products v·1 or v·0 of its column, in column order, rounded before the
// sum, so that its bits are the portable kernel's.
var WeightsParams = []string{"colStart", "row", "val", "mask", "genes", "w"}

const (
	wColStart uint32 = iota
	wRow
	wVal
	wMask
	wGenes
	wW
	nWParams
)

const (
	wlM    = nWParams + iota // the gene's mask
	wlC                      // the gene's address in mask
	wlCEnd                   // the end of mask
	wlE                      // the nonzero's address in row
	wlEEnd                   // the end of the column in row
	wlQ                      // val − row
	wlR                      // the nonzero's link in w
	nWI32
)

const (
	wlV  = nWI32 + iota // the nonzero's value, in every lane
	wlF0                // the gene's lane bits as 0 or 1, 4 lanes each
	wlF1
	wlF2
	wlF3
	nWLocals
)

// weights is W·x for the first 4·quads lanes.
func weights(quads int) []byte {
	var a asm
	a.b = vec(2, locals(int(nWI32-nWParams), i32), locals(int(nWLocals-nWI32), v128))
	fs := []uint32{wlF0, wlF1, wlF2, wlF3}[:quads]
	one := math.Float32bits(1)

	a.get(wVal)
	a.get(wRow)
	a.op(0x6B) // i32.sub
	a.set(wlQ)
	a.get(wMask)
	a.set(wlC)
	a.get(wMask)
	a.get(wGenes)
	a.i32(1)
	a.shl()
	a.add()
	a.set(wlCEnd)
	loopWhile(&a, wlC, wlCEnd, func() {
		a.get(wlC)
		a.load16U(0)
		a.tee(wlM)
		a.eqz()
		a.eqz()
		a.ifThen()
		// mask[c] = 0
		a.get(wlC)
		a.i32(0)
		a.store16(0)
		// f_q: lane g of quad q is 1 if bit 4q+g of m is set, else 0.
		for q, f := range fs {
			b := uint32(1) << (4 * q)
			bits := [4]uint32{b, b << 1, b << 2, b << 3}
			a.get(wlM)
			a.splatI32()
			a.vconst(bits)
			a.and()
			a.vconst(bits)
			a.eqI32x4()
			a.vconst([4]uint32{one, one, one, one})
			a.and()
			a.set(f)
		}
		// e, eEnd = &row[colStart[c]], &row[colStart[c+1]], where c is
		// (address − mask)/2.
		a.get(wlC)
		a.get(wMask)
		a.op(0x6B) // i32.sub
		a.i32(1)
		a.shl()
		a.get(wColStart)
		a.add()
		a.tee(wlE) // &colStart[c], for now
		a.load32(4)
		a.i32(2)
		a.shl()
		a.get(wRow)
		a.add()
		a.set(wlEEnd)
		a.get(wlE)
		a.load32(0)
		a.i32(2)
		a.shl()
		a.get(wRow)
		a.add()
		a.set(wlE)
		loopWhile(&a, wlE, wlEEnd, func() {
			// r = w + row[e]·64; v = splat(val[e])
			a.get(wlE)
			a.load32(0)
			a.i32(6)
			a.shl()
			a.get(wW)
			a.add()
			a.set(wlR)
			a.get(wlE)
			a.get(wlQ)
			a.add()
			a.loadF32(0)
			a.splatF32()
			a.set(wlV)
			for q, f := range fs {
				a.addProduct(wlR, uint32(16*q), func() {
					a.get(wlV)
					a.get(f)
				})
			}
			step(&a, wlE, 4)
		})
		a.end() // if
		step(&a, wlC, 2)
	})
	a.end() // the function
	return vec(len(a.b), a.b)
}
