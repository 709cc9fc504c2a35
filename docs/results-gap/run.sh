#!/bin/sh
# The faithful 0-9 gap (issue 32), at the quick scale: the demo preset
# (the paper's fitness, α = ln C, raw weights, ε = 10, h = 100, N = 200,
# n = 2000, B = 100) on digits 0-9, seeds 1-3, one reading changed at a
# time. Scored on the validation set (-val 0.1, the test set is not
# read), so that the reading chosen can then be run on the test set.
# Each JSON also holds the most likely genotype's and 10 sampled
# individuals' accuracy (test_accuracy_likely, test_accuracy_sampled),
# the reading "score a genotype, not W·p". Run from the repository's root:
#   sh docs/results-gap/run.sh
# Each run writes its JSON here; a run whose JSON exists is skipped.
set -e
B=${NNESIM:-bin/nnesim}
D=docs/results-gap
run() { # name, flags...
  name=$1; shift
  for s in 1 2 3; do
    [ -f "$D/$name-s$s.json" ] || $B train -preset demo -digits 0-9 -val 0.1 -seed $s -threads 1 -eval-every 250 "$@" -json "$D/$name-s$s.json" > /dev/null
  done
}
run demo -generations 2000
run eps5 -generations 2000 -eps 5
run eps20 -generations 2000 -eps 20
run batch400 -generations 2000 -batch 400
run alpha2 -generations 2000 -alpha 2
run long -generations 10000
