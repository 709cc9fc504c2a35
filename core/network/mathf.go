package network

import "math"

// Exp, Log and Dot are used instead of math.Exp, math.Log and gonum's
// floats.Dot because those use assembly on some platforms and Go on
// others, which may differ in the last bit; these use only +, −, ×, ÷ and
// bit operations, which IEEE 754 rounds identically everywhere, so native
// runs (amd64, arm64) and browser workers (wasm) agree exactly.
//
// Fused multiply-add: the Go compiler may fuse x*y + z into one
// instruction that rounds once (it does on arm64 and with GOAMD64=v3),
// which changes the last bit. An explicit conversion, float64(x*y) + z,
// forbids the fusion, so every product that is added to something in
// core/ is written that way; the test in test/portable fails on any fused
// instruction in core/.

const (
	ln2Hi = 6.93147180369123816490e-01 // ln 2 high bits (fdlibm)
	ln2Lo = 1.90821492927058770002e-10 // ln 2 low bits (fdlibm)
	log2e = 1.44269504088896338700e+00
)

// Exp returns e**x, accurate to about 1 ulp for |x| ≤ 700; it returns 0
// below −708 and +Inf above 709.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709:
		return math.Inf(1)
	case x < -708:
		return 0
	}
	// x = k·ln2 + r with |r| ≤ ln2/2.
	kf := float64(x * log2e)
	var k int64
	if kf >= 0 {
		k = int64(kf + 0.5)
	} else {
		k = int64(kf - 0.5)
	}
	r := (x - float64(float64(k)*ln2Hi)) - float64(float64(k)*ln2Lo)
	// Taylor series of e**r to r¹³/13!; |r| ≤ 0.347, so the remainder is
	// below 2e-17.
	p := 1.0 / 6227020800
	for _, c := range [...]float64{1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880,
		1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1} {
		p = float64(p*r) + c
	}
	return p * math.Float64frombits(uint64(k+1023)<<52)
}

// Log returns the natural logarithm of x > 0 (NaN for x < 0, −Inf at 0).
func Log(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	bits := math.Float64bits(x)
	e := int64(bits>>52&0x7ff) - 1023
	if e == -1023 { // subnormal: scale into the normal range
		x *= 1 << 54
		bits = math.Float64bits(x)
		e = int64(bits>>52&0x7ff) - 1023 - 54
	}
	m := math.Float64frombits(bits&^(0x7ff<<52) | 1023<<52) // m in [1, 2)
	if m > math.Sqrt2 {
		m /= 2
		e++
	}
	// log m = 2·atanh(s) with s = (m−1)/(m+1), |s| ≤ 0.172.
	s := (m - 1) / (m + 1)
	s2 := s * s
	p := 1.0 / 23
	for d := 21.0; d >= 1; d -= 2 {
		p = float64(p*s2) + 1/d
	}
	return float64(2*s*p) + float64(float64(e)*ln2Lo) + float64(float64(e)*ln2Hi)
}

// Dot returns Σ a[i]·b[i], summed in order without fused multiply-adds.
func Dot(a, b []float64) float64 {
	b = b[:len(a)]
	sum := 0.0
	for i, v := range a {
		sum += float64(v * b[i])
	}
	return sum
}
