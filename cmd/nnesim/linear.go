package main

import (
	"flag"
	"fmt"
	"io"

	"nnesim/core/nne"
)

// linear runs the Section 2.1 experiment: NNE with squared loss on a
// linear target a, printing cos(W·p, a) as it approaches 1.
func linear(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nnesim linear", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dim := fs.Int("dim", 10, "input dimension m (number of links)")
	examples := fs.Int("examples", 500, "inputs drawn uniformly from the unit ball")
	norm := fs.Float64("norm", 0.9, "‖a‖ of the target, in (0, 1]")
	genes := fs.Int("genes", 400, "genes n")
	pop := fs.Int("pop", 200, "population size N")
	batch := fs.Int("batch", 100, "minibatch size B (0: all examples)")
	beta := fs.Float64("beta", 0.05, "density β of W")
	eps := fs.Float64("eps", 2, "selection strength ε; fitness is −L, so ε·L must stay below 1")
	gens := fs.Int("generations", 400, "generations to run")
	every := fs.Int("every", 50, "generations between progress lines")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *gens < 1:
		return fmt.Errorf("linear: -generations %d, want ≥ 1", *gens)
	case *every < 1:
		return fmt.Errorf("linear: -every %d, want ≥ 1", *every)
	}
	task, err := nne.NewLinear(*dim, *examples, *norm, *seed)
	if err != nil {
		return fmt.Errorf("linear: %w", err)
	}
	p, err := nne.New(task, nne.Config{Genes: *genes, Pop: *pop, Beta: *beta, Eps: *eps, Batch: *batch, Scale: nne.ScaleFanIn, Seed: *seed})
	if err != nil {
		return fmt.Errorf("linear: %w", err)
	}
	defer p.Close()
	fmt.Fprintf(stdout, "gen %5d  cos(W·p, a) %.4f\n", 0, task.Cosine(p.MeanWeights()))
	for p.Generation < *gens {
		if err := p.Step(); err != nil {
			return fmt.Errorf("linear: %w", err)
		}
		if p.Generation%*every == 0 || p.Generation == *gens {
			fmt.Fprintf(stdout, "gen %5d  cos(W·p, a) %.4f  loss %.5f  fixed %.3f\n",
				p.Generation, task.Cosine(p.MeanWeights()), -p.Sums().MeanFitness(), nne.FixedFraction(p.P, nne.FixedTol))
		}
	}
	return nil
}
