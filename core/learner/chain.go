package learner

import (
	"fmt"
	"slices"
	"time"

	"nnesim/core/learn"
	"nnesim/core/settings"
)

// Chain is NNE + SignSGD (Table 1): NNE evolves the network for its
// generations, then SignSGD (eq. 4) trains the output layer of the mean
// genotype's network for its epochs, over the evolved first layer. Its
// curve runs across both phases: generation points, then epoch points
// from epoch 0, where the switch is.
type Chain struct {
	settings settings.Settings
	nne      *NNE
	life     *Lifetime // nil in the first phase
	data     Data
	born     time.Time // when the Chain was built
	switched float64   // seconds from born to the switch
}

func newChain(s settings.Settings, sv *Saved, d Data) (Learner, error) {
	c := &Chain{settings: s, data: d, born: time.Now()}
	var nneSaved *Saved
	if sv != nil {
		nneSaved = &Saved{Settings: s, Step: sv.Step, Seconds: sv.Seconds, P: sv.P}
		for _, pt := range sv.Curve {
			if pt.Unit == Generation {
				nneSaved.Curve = append(nneSaved.Curve, pt)
			}
		}
		if sv.State != nil {
			nneSaved.Step = s.Generations // the second phase starts from the finished NNE run
		}
	}
	var err error
	if c.nne, err = buildNNE(s, nneSaved, d); err != nil {
		return nil, err
	}
	if sv != nil && sv.State != nil {
		if c.life, err = buildLifetime(s, signConfig, c.start(), sv, d); err != nil {
			c.nne.Close()
			return nil, err
		}
	}
	return c, nil
}

// start returns the evolved network: the mean genotype's weights W·p.
func (c *Chain) start() []float32 {
	r := c.nne.run
	r.Pop.Genome.MeanWeights(r.Weights, r.Pop.P)
	return slices.Clone(r.Weights)
}

// Evolution implements Evolver.
func (c *Chain) Evolution() *NNE { return c.nne }

// Settings implements Learner.
func (c *Chain) Settings() settings.Settings { return c.settings }

// Step implements Learner: a generation, then (once NNE is done) the
// switch, whose epoch-0 point is due, then minibatches of SignSGD.
func (c *Chain) Step() (bool, error) {
	if c.life != nil {
		return c.life.Step()
	}
	if !c.nne.run.Done() {
		return c.nne.Step()
	}
	life, err := buildLifetime(c.settings, signConfig, c.start(), nil, c.data)
	if err != nil {
		return false, err
	}
	c.life = life
	c.switched = time.Since(c.born).Seconds()
	return true, nil
}

// SwitchSeconds returns the wall time from building c to its switch to
// SignSGD (0 before it): the time its evolution took here.
func (c *Chain) SwitchSeconds() float64 { return c.switched }

// Position implements Learner.
func (c *Chain) Position() (int, string, bool) {
	if c.life != nil {
		return c.life.Position()
	}
	g, unit, _ := c.nne.Position()
	return g, unit, false
}

// Evaluate implements Learner.
func (c *Chain) Evaluate(seconds float64) Point {
	if c.life != nil {
		return c.life.Evaluate(seconds)
	}
	return c.nne.Evaluate(seconds)
}

// Curve implements Learner.
func (c *Chain) Curve() []Point {
	if c.life == nil {
		return c.nne.Curve()
	}
	return append(slices.Clone(c.nne.Curve()), c.life.Curve()...)
}

// Probabilities implements Learner.
func (c *Chain) Probabilities(x []float32, dst []float64) []float64 {
	if c.life != nil {
		return c.life.Probabilities(x, dst)
	}
	return c.nne.Probabilities(x, dst)
}

// Hash implements Learner: alleles_sha256 while evolving, then
// weights_sha256.
func (c *Chain) Hash() string {
	if c.life != nil {
		return c.life.Hash()
	}
	return c.nne.Hash()
}

// Save implements Learner.
func (c *Chain) Save(seconds float64) *Saved {
	sv := c.nne.Save(seconds)
	sv.Settings = c.settings
	if c.life != nil {
		ls := c.life.Save(seconds)
		sv.Step, sv.State = ls.Step, ls.State
	}
	sv.Curve = c.Curve()
	return sv
}

// Close implements Learner.
func (c *Chain) Close() { c.nne.Close() }

// Pictures implements Learner: the active phase's, with evolution's p.
func (c *Chain) Pictures(units int) Pictures {
	if c.life == nil {
		return c.nne.Pictures(units)
	}
	p := c.life.Pictures(units)
	n := c.nne.Pictures(0)
	p.P, p.Fixed = n.P, n.Fixed
	return p
}

// SignSGDBatch is the minibatch of NNE + SignSGD's second phase (the
// parameter batch is NNE's minibatch B in that rule).
const SignSGDBatch = 50

// signConfig is the second phase's configuration: SignSGD on the evolved
// sparse network's output layer, evaluated every epoch.
func signConfig(s *settings.Settings) learn.Config {
	c := learnConfig(s)
	c.Algo, c.Net, c.Batch, c.EvalEvery = "signsgd", "sparse", SignSGDBatch, 1
	return c
}

// chainDefaults is NNE + SignSGD's Defaults: the preset's evolution, then
// SignSGD for 8 epochs at the preset's step (settings.SignStep).
func chainDefaults(preset string) (settings.Settings, error) {
	s, err := presetDefaults("nne-signsgd")(preset)
	if err != nil {
		return s, err
	}
	s.Net, s.Epochs, s.LR = "sparse", 8, settings.SignStep(s.Preset)
	return s, nil
}

// checkChain is NNE + SignSGD's Check: both phases'.
func checkChain(s *settings.Settings, classes int, maxBytes float64) error {
	if err := signConfig(s).Validate(); err != nil {
		return err
	}
	return checkNNE(s, classes, maxBytes)
}

// Describe implements Learner.
func (c *Chain) Describe() string {
	s := c.settings
	return c.nne.Describe() + fmt.Sprintf("; then SignSGD for %d epochs at ε′ = %g", s.Epochs, s.LR)
}
