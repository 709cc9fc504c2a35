#!/bin/sh
# How far more genes take quick10 (RESULTS.md, "How far more genes take
# it"): seed 1, 20,000 generations, twice and four times the genes at a
# half and a quarter of the density (nβ = 10 keeps each weight's scale),
# scored on the test set as the tuning that chose quick10 was. Run from
# the repository's root: sh docs/results-quick10/genes.sh
# Each run writes its JSON here; a run whose JSON exists is skipped. A
# run stopped part-way goes on from its run file in $NNESIM_STATE
# (default bin/state, outside git), saved at every evaluation.
set -e
B=${NNESIM:-bin/nnesim}
D=docs/results-quick10
S=${NNESIM_STATE:-bin/state}
mkdir -p "$S"
run() { # name, flags...
  name=$1; shift
  [ ! -f "$D/$name.json" ] || return 0
  if [ -f "$S/$name.nne" ]; then
    $B train -resume "$S/$name.nne" -generations 20000 -threads 1 -save "$S/$name.nne" -json "$D/$name.json" > /dev/null
  else
    $B train -preset quick10 -generations 20000 -seed 1 -threads 1 -eval-every 1000 "$@" -save "$S/$name.nne" -json "$D/$name.json" > /dev/null
  fi
}
run genes16000-s1 -genes 16000 -beta 0.000625
run genes32000-s1 -genes 32000 -beta 0.0003125
