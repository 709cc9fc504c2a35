#!/bin/sh
# quick10 under the validation protocol: each setting below is run for
# 10,000 generations (a quarter of the preset's) on seed 1, scored on the
# validation set (-val 0.1: a tenth of each class of MNIST's training file,
# held out; the test set is not read). Then the best setting runs the
# preset's 40,000 generations on seeds 6, 7 and 8, which no tuning used,
# and is scored on the test set. Run from the repository's root:
#   sh docs/results-val/tune.sh
# Each run writes its JSON here; a run whose JSON exists is skipped.
set -e
B=${NNESIM:-bin/nnesim}
D=docs/results-val
run() { # name, flags...
  name=$1; shift
  [ -f "$D/$name.json" ] || $B train -preset quick10 -val 0.1 -generations 10000 -seed 1 -threads 1 "$@" -json "$D/$name.json" > /dev/null
}
run tune-preset
run tune-eps10 -eps 10
run tune-eps40 -eps 40
run tune-alpha1 -alpha 1
run tune-alpha4 -alpha 4
run tune-genes4000 -genes 4000 -beta 0.0025
run tune-genes16000 -genes 16000 -beta 0.000625
run tune-batch50 -batch 50
