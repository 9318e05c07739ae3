#!/bin/bash
cd /work/exp/v2
for d in S4 S5 S3 S2; do for s in 0 1 2; do for km in 1 10; do
 echo "$d seed $s km$km $(SEISCAT_KM_INIT=$km ./ev.sh R$d/features.h5 ../$d/truth.csv --seed $s | grep -o '[0-9]* clusters\|[0-9] of 4 event classes recovered\|Rand index [0-9.]*\|[0-9.]* % of noise' | tr '\n' ' ')"
done; done; done
echo KMDONE
