//go:build !(goexperiment.simd && amd64)

package nne

import "nnesim/core/network"

// vector is false: this build has no vector kernel.
const vector = false

// weightsLanesSIMD reports false: this build has no vector kernel.
func weightsLanesSIMD(*Genome, [][network.Lanes]float32, []uint16) bool { return false }
