package learn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"nnesim/core/mnist"
	"nnesim/core/network"
)

// Algos are the lifetime learning rules of Config.Algo.
var Algos = []string{"sgd", "signsgd", "dnn"}

// Config is one lifetime-learning run.
type Config struct {
	Algo string `json:"algo"` // sgd, signsgd or dnn
	// Net is the network: "dense", a fixed Kaiming-uniform first layer
	// with only the output layer trained (Section 3.2, Table 2); or
	// "sparse", package network's graph (q = Q) as NNE evolves it, where
	// sgd trains both layers (Table 1's SGD) and the other rules the
	// output layer over the first layer of Start, or a Kaiming-uniform one.
	Net    string  `json:"net"`
	Hidden int     `json:"hidden"`
	Q      float64 `json:"q"`
	Epochs int     `json:"epochs"`
	Batch  int     `json:"batch"`
	LR     float64 `json:"lr"` // sgd: Adam's rate; signsgd: ε'; dnn reward: its step
	// dnn: the reading, the firing gate of the literal readings, their
	// ε₀ and ε₁, and the reward reading's exploration (Dopamine).
	Rule    string  `json:"dnn_rule,omitempty"`
	Gate    bool    `json:"fire_gate,omitempty"`
	Eps0    float64 `json:"eps0,omitempty"`
	Eps1    float64 `json:"eps1,omitempty"`
	Explore float64 `json:"explore,omitempty"`
	Seed    uint64  `json:"seed"`
	// EvalEvery is the number of epochs between points of the curve.
	EvalEvery int `json:"eval_every"`
	// StreamTest computes the test set's hidden features a block at a time
	// at each evaluation instead of keeping them (h × 10,000 numbers): the
	// same accuracies, less memory, more time per evaluation.
	StreamTest bool `json:"-"`
}

// weightsHash returns the hex SHA-256 of w's float64 bits, little-endian.
func weightsHash(w []float64) string {
	b := make([]byte, 8*len(w))
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Validate checks c before anything is allocated.
func (c Config) Validate() error {
	switch {
	case c.Algo != "sgd" && c.Algo != "signsgd" && c.Algo != "dnn":
		return fmt.Errorf("learn: algo %q, want sgd, signsgd or dnn", c.Algo)
	case c.Net != "dense" && c.Net != "sparse":
		return fmt.Errorf("learn: net %q, want dense or sparse", c.Net)
	case c.Hidden < 1 || c.Hidden > 100000:
		return fmt.Errorf("learn: hidden = %d, want 1 to 100000", c.Hidden)
	case c.Net == "sparse" && !(c.Q > 0 && c.Q <= 1):
		return fmt.Errorf("learn: q = %v, want 0 < q ≤ 1", c.Q)
	case c.Epochs < 0 || c.Epochs > 100000:
		return fmt.Errorf("learn: epochs = %d, want 0 to 100000", c.Epochs)
	case c.Batch < 1 || c.Batch > 100000:
		return fmt.Errorf("learn: batch = %d, want 1 to 100000", c.Batch)
	case !(c.LR > 0 && c.LR < 1e3):
		return fmt.Errorf("learn: lr = %v, want a positive rate below 1000", c.LR)
	case c.EvalEvery < 1:
		return fmt.Errorf("learn: eval every %d epochs, want at least 1", c.EvalEvery)
	case float64(mnist.Pixels)*float64(c.Hidden) > network.MaxLinks:
		return fmt.Errorf("learn: a %d×%d first layer is too large", mnist.Pixels, c.Hidden)
	}
	if c.Algo == "dnn" {
		if _, err := ParseReading(c.Rule); err != nil {
			return fmt.Errorf("learn: %w", err)
		}
		if !(c.Explore >= 0 && c.Explore <= 1) {
			return fmt.Errorf("learn: explore = %v, want 0 to 1", c.Explore)
		}
	}
	return nil
}

// rule returns the output layer's rule of c.
func (c Config) rule() Rule {
	switch c.Algo {
	case "signsgd":
		return &SignSGD{LR: c.LR}
	case "dnn":
		r, _ := ParseReading(c.Rule) // Validate, which Train calls first, has parsed it
		return &Dopamine{Reading: r, Gate: c.Gate, Eps0: c.Eps0, Eps1: c.Eps1, LR: c.LR, Explore: c.Explore, Seed: c.Seed}
	}
	return &Adam{LR: c.LR}
}
