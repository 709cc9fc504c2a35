package simd128

import (
	"bytes"
	"testing"
)

// The kernels' arithmetic is tested against the portable kernel under
// Node.js (wasm/kernel, run by test/portable); these tests check the
// encoding natively.

func TestLEB128(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		uns  bool
		want []byte
	}{
		{0, true, []byte{0x00}},
		{127, true, []byte{0x7F}},
		{128, true, []byte{0x80, 0x01}},
		{624485, true, []byte{0xE5, 0x8E, 0x26}}, // the specification's example
		{0, false, []byte{0x00}},
		{63, false, []byte{0x3F}},
		{64, false, []byte{0xC0, 0x00}},
		{-1, false, []byte{0x7F}},
		{-64, false, []byte{0x40}},
		{-65, false, []byte{0xBF, 0x7F}},
		{-123456, false, []byte{0xC0, 0xBB, 0x78}}, // the specification's example
	} {
		var a asm
		if tc.uns {
			a.uleb(uint32(tc.v))
		} else {
			a.sleb(int32(tc.v))
		}
		if !bytes.Equal(a.b, tc.want) {
			t.Errorf("LEB128 of %d (unsigned %v) = % x, want % x", tc.v, tc.uns, a.b, tc.want)
		}
	}
}

// TestModule reads the module's sections back: the header, each known
// section once and in order, sizes that add up to the module, and the
// four exports with the parameter counts Params and WeightsParams give.
func TestModule(t *testing.T) {
	m := Module()
	if !bytes.HasPrefix(m, []byte{0, 'a', 's', 'm', 1, 0, 0, 0}) {
		t.Fatalf("header % x", m[:8])
	}
	uleb := func(b []byte) (uint32, int) {
		var v uint32
		for i, c := range b {
			v |= uint32(c&0x7F) << (7 * i)
			if c&0x80 == 0 {
				return v, i + 1
			}
		}
		t.Fatal("truncated LEB128")
		return 0, 0
	}
	sections := map[byte][]byte{}
	var ids []byte
	for b := m[8:]; len(b) > 0; {
		id := b[0]
		size, n := uleb(b[1:])
		if int(size) > len(b)-1-n {
			t.Fatalf("section %d of %d bytes, %d left", id, size, len(b)-1-n)
		}
		sections[id] = b[1+n : 1+n+int(size)]
		ids = append(ids, id)
		b = b[1+n+int(size):]
	}
	if !bytes.Equal(ids, []byte{1, 2, 3, 7, 10}) {
		t.Fatalf("sections %v, want type, import, function, export, code", ids)
	}
	// Two function types: (i32 × len(Params)) and (i32 × len(WeightsParams)).
	types := sections[1]
	if types[0] != 2 || types[1] != 0x60 || int(types[2]) != len(Params) || types[3+len(Params)+1] != 0x60 || int(types[3+len(Params)+2]) != len(WeightsParams) {
		t.Errorf("types % x, want two of %d and %d i32 parameters", types, len(Params), len(WeightsParams))
	}
	for _, name := range []string{Forward16, Forward4, Weights16, Weights4} {
		if !bytes.Contains(sections[7], append([]byte{byte(len(name))}, name...)) {
			t.Errorf("no export %q", name)
		}
	}
	if !bytes.Contains(sections[2], append([]byte{byte(len(MemoryModule))}, MemoryModule...)) {
		t.Errorf("no memory import from %q", MemoryModule)
	}
	if sections[10][0] != 4 {
		t.Errorf("%d function bodies, want 4", sections[10][0])
	}
}
