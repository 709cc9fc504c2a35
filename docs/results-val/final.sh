#!/bin/sh
# The setting the validation search chose (docs/RESULTS.md, "quick10
# under a validation protocol"), run for the preset's 40,000 generations
# on seeds 6, 7 and 8, which no tuning used, and scored on the test set.
# Its flags are this script's arguments (none: the preset as it is). Run
# from the repository's root:
#   sh docs/results-val/final.sh [FLAGS]
# Each seed writes final-sS.json here; a seed whose JSON exists is skipped.
set -e
B=${NNESIM:-bin/nnesim}
for s in 6 7 8; do
  f=docs/results-val/final-s$s.json
  [ -f $f ] || $B train -preset quick10 -seed $s -threads 1 "$@" -json $f > /dev/null
done
