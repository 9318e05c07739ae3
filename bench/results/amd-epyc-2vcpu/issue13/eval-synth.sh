#!/bin/bash
# eval-synth.sh ARCHIVE OUT: initial vs learned paper bank on a synthetic archive (truth.csv): learn on a sample, then
# `run` with each bank (auto clusters) and with 4 clusters; prints run's evaluation line.
S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
A=$1; O=$2; mkdir -p $O; cd $O
$S learn $A --out learn --epochs ${EPOCHS:-6} --sample ${SAMPLE:-1000} --seed 1 --threads 2 | tee learn.log
for b in initial learned; do
  opt="--config /work/main/docs/paper.json"; [ $b = learned ] && opt="--bank learn/bank.h5"
  for k in auto:2-12 5; do
    rm -rf run_${b}_$k; $S run $A $opt --out run_${b}_$k --clusters $k --fftw estimate --threads 2 > run_${b}_$k.log 2>&1
    echo "$b clusters $k: $(grep -E '^evaluate|Rand' run_${b}_$k.log | head -2 | tr '\n' ' ')"
  done
done
