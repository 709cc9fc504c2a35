// Command nnesim runs the paper's experiments headless, on every core.
//
// Usage:
//
//	nnesim train [flags]   train one model and write its curve as JSON
//	nnesim race [flags]    race several rules at once, one curve each
//	nnesim linear [flags]  the linear-target experiment of Section 2.1
//	nnesim site [flags]    write the browser app's data and manifest
//	nnesim serve [flags]   serve the browser app
//	nnesim help            print this help
//
// Run "nnesim train -h" for the flags of a subcommand.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"nnesim/core/learner"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "nnesim:", err)
		}
		os.Exit(2)
	}
}

const usage = `nnesim runs the experiments of "Biologically Plausible Neural Networks via
Evolutionary Dynamics and Dopaminergic Plasticity" headless, on every core.

Usage:

	nnesim train [flags]   train one model, print progress, write JSON
	                       (-algo RULE: %s)
	nnesim reproduce       run Tables 1-2 and Figures 1-2 (-scale quick|paper),
	                       write JSON, CSV, PNG plots and RESULTS.md
	nnesim race [flags]    race rules on the same digits and sample
	                       (-algo nne,dnn,sgd), one curve per rule, JSON, PNG
	nnesim linear [flags]  NNE on a linear target (Section 2.1): cos(W·p, a) → 1
	nnesim fixation -out DIR RUN.nne...
	                       Figure 2 from one NNE run saved at several generations
	nnesim site [flags]    write the browser app's data, .br and .gz twins and manifest
	nnesim serve [flags]   serve the browser app (default http://127.0.0.1:8080/)
	nnesim settings        the rules and every setting, as Markdown tables
	nnesim results [-check]
	                       write the tables of docs/ from the committed result files
	nnesim help            print this help

Run "nnesim train -h", "nnesim train -algo dnn -h", "nnesim reproduce -h"
or "nnesim linear -h" for the flags.
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, strings.Join(learner.Names(), ", "))
		return errors.New("no subcommand")
	}
	switch args[0] {
	case "train":
		return trainCmd(args[1:], stdout, stderr)
	case "linear":
		return linear(args[1:], stdout, stderr)
	case "fixation":
		return fixationCmd(args[1:], stdout, stderr)
	case "reproduce":
		return reproduce(args[1:], stdout, stderr)
	case "race":
		return raceCmd(args[1:], stdout, stderr)
	case "site":
		return site(args[1:], stdout, stderr)
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "settings":
		return settingsCmd(args[1:], stdout)
	case "results":
		return resultsCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprintf(stdout, usage, strings.Join(learner.Names(), ", "))
		return nil
	}
	fmt.Fprintf(stderr, usage, strings.Join(learner.Names(), ", "))
	return fmt.Errorf("unknown subcommand %q", args[0])
}
