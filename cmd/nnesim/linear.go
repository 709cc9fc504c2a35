package main

import (
	"flag"
	"fmt"
	"io"

	"nnesim/core/nne"
	"nnesim/core/theorem"
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
	scale := fs.String("scale", "fanin", "W's entries: fanin (U[−1, 1] scaled by the fan-in), raw (U[−1, 1]) or sign (Theorem 2's: ±√(1/β))")
	sweep := fs.Bool("sweep", false, "Theorem 2 as an experiment: sweep m (-ms) and n/m (-ratios) with the theorem's W, solve W·p = a for -draws targets each, evolve one NNE run per -seeds, and write theorem2-SCALE.json and .png to -out")
	ms := fs.String("ms", "5,10,20,40", "-sweep: links m")
	ratios := fs.String("ratios", "1,1.5,2,2.5,3,4,6,8", "-sweep: genes per link n/m")
	d := fs.Float64("d", 3, "-sweep: nonzeros per gene, on average (β = d/m)")
	draws := fs.Int("draws", 20, "-sweep: (W, a) draws per (m, n) for the linear program")
	seeds := fs.Int("seeds", 3, "-sweep: NNE runs per (m, n), seeds 1 to this")
	eps0 := fs.Float64("eps0", 0.5, "-sweep: NNE's ε = eps0/n, unless -eps is given")
	out := fs.String("out", "", "-sweep: folder for theorem2-SCALE.json and theorem2-SCALE.png (SCALE: -scale, sign unless given)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, err := nne.ParseScale(*scale)
	if err != nil {
		return fmt.Errorf("linear: -scale: %w", err)
	}
	var c0 theorem.Config
	if *sweep {
		if *out == "" {
			return fmt.Errorf("linear: -sweep needs -out DIR")
		}
		mv, err := floatList(*ms)
		if err != nil {
			return fmt.Errorf("linear: -ms %w", err)
		}
		rv, err := floatList(*ratios)
		if err != nil {
			return fmt.Errorf("linear: -ratios %w", err)
		}
		if *seeds < 0 || *seeds > 100 {
			return fmt.Errorf("linear: -seeds %d, want 0 to 100", *seeds)
		}
		if !given(fs, "scale") {
			sc = nne.ScaleSign
		}
		if given(fs, "eps") {
			c0.Eps = *eps
		}
		c := theorem.Config{Eps: c0.Eps, Scale: sc, Ratios: rv, D: *d, Norm: *norm, Draws: *draws, Examples: *examples, Pop: *pop, Batch: *batch, Generations: *gens, Eps0: *eps0}
		for _, m := range mv {
			c.Ms = append(c.Ms, int(m))
		}
		for s := range *seeds {
			c.Seeds = append(c.Seeds, uint64(s+1))
		}
		if err := theorem2Sweep(c, *out, stdout); err != nil {
			return fmt.Errorf("linear: %w", err)
		}
		return nil
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
	p, err := nne.New(task, nne.Config{Genes: *genes, Pop: *pop, Beta: *beta, Eps: *eps, Batch: *batch, Scale: sc, Seed: *seed})
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

// given reports whether the flag called name was set on the command line.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
