#!/bin/sh
# NNE and SGD with all of MNIST's 60,000 training images against 300 per
# digit (issue 29), on digits 0-9, seeds 1-3, scored on the test set. No
# setting is chosen here: NNE is the quick10 preset at 10,000
# generations, SGD the rule's defaults (Adam, h = 1000); -per-digit 0
# takes every training image. Run from the repository's root:
#   sh docs/results-data/run.sh
# Each run writes its JSON here; a run whose JSON exists is skipped.
set -e
B=${NNESIM:-bin/nnesim}
D=docs/results-data
run() { # name, flags...
  name=$1; shift
  for s in 1 2 3; do
    [ -f "$D/$name-s$s.json" ] || $B train -digits 0-9 -seed $s -threads 1 "$@" -json "$D/$name-s$s.json" > /dev/null
  done
}
run sgd-pd300 -algo sgd -per-digit 300
run sgd-all -algo sgd -per-digit 0
run nne-pd300 -preset quick10 -generations 10000 -eval-every 1000 -per-digit 300
run nne-all -preset quick10 -generations 10000 -eval-every 1000 -per-digit 0
