// Package fused is the fusion guard's own test case: Fused has a
// multiply-add the compiler fuses on arm64 and amd64 v3, Unfused the same
// arithmetic written so that it cannot be fused.
package fused

// Fused returns x*y + z, which the compiler may fuse.
func Fused(x, y, z float64) float64 { return x*y + z }

// Unfused returns x*y + z with the product rounded first.
func Unfused(x, y, z float64) float64 { return float64(x*y) + z }
