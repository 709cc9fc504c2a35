// Package rng provides the counter-keyed random streams nnesim uses for
// every random choice.
//
// A Stream is SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014) started from a state that is
// a hash of a key such as (seed, generation, genotype index). Because each
// stream depends only on its key, a genotype gets the same random numbers
// whichever goroutine or browser worker samples it, and results are bitwise
// identical for any degree of parallelism. Only integer arithmetic and
// correctly rounded float operations are used, so native and js/wasm builds
// agree exactly.
package rng

import "math/bits"

// Domains separate the streams used for different purposes under one seed.
const (
	DomainGenotype uint64 = iota + 1 // (seed, generation, genotype index)
	DomainBatch                      // (seed, generation): minibatch choice
	DomainGenome                     // (seed): weight-generation matrix W
	DomainArch                       // (seed): network architecture
	DomainData                       // (seed): training-set sample
	DomainInit                       // (seed): initial allele frequencies
	DomainTask                       // (seed): synthetic tasks
	DomainRule                       // (seed, step): learning-rule streams
	DomainHoldout                    // (class): the validation set (mnist.Set.Holdout)
)

const golden = 0x9e3779b97f4a7c15

// mix is the SplitMix64 finaliser (Stafford's Mix13 variant).
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Stream is a SplitMix64 generator. Its zero value is a valid stream.
type Stream struct {
	state uint64
}

// New returns the stream keyed by the given words. Streams with different
// keys are statistically independent.
func New(key ...uint64) Stream {
	var s Stream
	s.Reset(key...)
	return s
}

// Reset re-keys s in place, without allocating.
func (s *Stream) Reset(key ...uint64) {
	h := uint64(0x6a09e667f3bcc909)
	for _, k := range key {
		h = mix(h ^ mix(k+golden))
	}
	s.state = h
}

// Uint64 returns the next 64 random bits.
func (s *Stream) Uint64() uint64 {
	s.state += golden
	return mix(s.state)
}

// Uint32 returns the next 32 random bits.
func (s *Stream) Uint32() uint32 {
	return uint32(s.Uint64() >> 32)
}

// Float64 returns a uniform number in [0, 1) with 53 random bits.
func (s *Stream) Float64() float64 {
	// The conversion keeps callers' r.Float64()*a + b from fusing into one
	// multiply-add (see package network's mathf.go).
	return float64(float64(s.Uint64()>>11) * (1.0 / (1 << 53)))
}

// Float32 returns a uniform number in [0, 1) with 24 random bits.
func (s *Stream) Float32() float32 {
	return float32(float32(s.Uint64()>>40) * (1.0 / (1 << 24)))
}

// Intn returns a uniform integer in [0, n) by Lemire's multiply-shift
// method with rejection, so it has no modulo bias. n must be positive.
func (s *Stream) Intn(n int) int {
	bound := uint64(n)
	for {
		hi, lo := bits.Mul64(s.Uint64(), bound)
		if lo >= bound || lo >= (-bound)%bound {
			return int(hi)
		}
	}
}
