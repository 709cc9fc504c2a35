package simd128

// asm writes WebAssembly instructions into a function body: just the
// instructions the kernels use, with their binary encodings from the
// WebAssembly core specification (2.0, with fixed-width SIMD).
type asm struct{ b []byte }

// Value types.
const (
	i32  = 0x7F
	v128 = 0x7B
)

func (a *asm) op(b ...byte) { a.b = append(a.b, b...) }

// uleb appends v as an unsigned LEB128 number.
func (a *asm) uleb(v uint32) {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v == 0 {
			a.b = append(a.b, c)
			return
		}
		a.b = append(a.b, c|0x80)
	}
}

// sleb appends v as a signed LEB128 number.
func (a *asm) sleb(v int32) {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			a.b = append(a.b, c)
			return
		}
		a.b = append(a.b, c|0x80)
	}
}

func (a *asm) get(l uint32)      { a.op(0x20); a.uleb(l) }
func (a *asm) set(l uint32)      { a.op(0x21); a.uleb(l) }
func (a *asm) tee(l uint32)      { a.op(0x22); a.uleb(l) }
func (a *asm) i32(v int32)       { a.op(0x41); a.sleb(v) }
func (a *asm) add()              { a.op(0x6A) }
func (a *asm) mul()              { a.op(0x6C) }
func (a *asm) shl()              { a.op(0x74) }
func (a *asm) geU()              { a.op(0x4F) }
func (a *asm) ltU()              { a.op(0x49) }
func (a *asm) block()            { a.op(0x02, 0x40) }
func (a *asm) loop()             { a.op(0x03, 0x40) }
func (a *asm) end()              { a.op(0x0B) }
func (a *asm) br(depth uint32)   { a.op(0x0C); a.uleb(depth) }
func (a *asm) brIf(depth uint32) { a.op(0x0D); a.uleb(depth) }

// load32 is i32.load with a byte offset; loadF32 is f32.load.
func (a *asm) load32(offset uint32)  { a.op(0x28, 2); a.uleb(offset) }
func (a *asm) loadF32(offset uint32) { a.op(0x2A, 2); a.uleb(offset) }

// simd appends a SIMD instruction: the 0xFD prefix and its opcode.
func (a *asm) simd(code uint32) { a.op(0xFD); a.uleb(code) }

func (a *asm) vload(offset uint32)  { a.simd(0x00); a.op(4); a.uleb(offset) }
func (a *asm) vstore(offset uint32) { a.simd(0x0B); a.op(4); a.uleb(offset) }
func (a *asm) vzero()               { a.simd(0x0C); a.op(make([]byte, 16)...) }
func (a *asm) splatF32()            { a.simd(0x13) }
func (a *asm) andnot()              { a.simd(0x4F) }
func (a *asm) shrS32x4()            { a.simd(0xAC) }
func (a *asm) addF32x4()            { a.simd(0xE4) }
func (a *asm) mulF32x4()            { a.simd(0xE6) }

// vec appends a vector of n items of the section or list encoding.
func vec(n int, items ...[]byte) []byte {
	var a asm
	a.uleb(uint32(n))
	for _, it := range items {
		a.b = append(a.b, it...)
	}
	return a.b
}

// name encodes a string as the binary format's name.
func name(s string) []byte { return vec(len(s), []byte(s)) }

// section encodes a section with its id and size.
func section(id byte, body []byte) []byte {
	var a asm
	a.op(id)
	a.uleb(uint32(len(body)))
	return append(a.b, body...)
}

func (a *asm) load16U(offset uint32) { a.op(0x2F, 1); a.uleb(offset) }
func (a *asm) store16(offset uint32) { a.op(0x3B, 1); a.uleb(offset) }
func (a *asm) eqz()                  { a.op(0x45) }
func (a *asm) ifThen()               { a.op(0x04, 0x40) }

// vconst appends v128.const of four i32 lanes.
func (a *asm) vconst(l [4]uint32) {
	a.simd(0x0C)
	for _, x := range l {
		a.op(byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
	}
}
func (a *asm) splatI32() { a.simd(0x11) }
func (a *asm) and()      { a.simd(0x4E) }
func (a *asm) eqI32x4()  { a.simd(0x37) }
