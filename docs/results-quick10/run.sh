#!/bin/sh
# quick10's five seeds: 40,000 generations of NNE with the outrank
# fitness on 0-9, then 8 epochs of SignSGD on the output layer. Run from
# the repository's root: sh docs/results-quick10/run.sh
# Each seed writes q10-sS.json here; a seed whose JSON exists is skipped.
set -e
B=${NNESIM:-bin/nnesim}
for s in 1 2 3 4 5; do
  f=docs/results-quick10/q10-s$s.json
  [ -f $f ] || $B train -preset quick10 -algo nne-signsgd -threads 1 -seed $s -json $f > /dev/null
done
