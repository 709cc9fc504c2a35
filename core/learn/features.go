package learn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"nnesim/core/network"
	"nnesim/core/rng"
)

// Features are the hidden activations of a fixed first layer for a set of
// examples: row i of H is example i's hidden layer, Class[i] its class.
type Features struct {
	H       *mat.Dense
	Class   []int32
	Classes int
}

// Len returns the number of examples.
func (f *Features) Len() int { return len(f.Class) }

// Kaiming returns a dense in×hidden first layer drawn from He's uniform
// initialisation, U(−b, b) with b = √(6/in), seeded by seed (Section 3.2:
// "initialised by Kaiming Uniform").
func Kaiming(in, hidden int, seed uint64) (*mat.Dense, error) {
	if in < 1 || hidden < 1 || float64(in)*float64(hidden) > network.MaxLinks {
		return nil, fmt.Errorf("learn: a %d×%d dense layer, want 1 to %d weights", in, hidden, network.MaxLinks)
	}
	return uniform(in, hidden, math.Sqrt(6/float64(in)), rng.New(rng.DomainRule, seed, 1)), nil
}

// uniform returns an r×c matrix of U(−b, b) draws from s.
func uniform(r, c int, b float64, s rng.Stream) *mat.Dense {
	data := make([]float64, r*c)
	for i := range data {
		data[i] = b * (float64(2*s.Float64()) - 1)
	}
	return mat.NewDense(r, c, data)
}
