#!/bin/bash
# eval-labelled.sh OUT: initial vs learned paper bank on the labelled NCEDC windows (198 × 3 × 2048 at 100 Hz):
# learn on the windows themselves (unsupervised: labels are used only by evaluate), then scatter -> fit -> predict -> evaluate.
S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
H=$(cd "$(dirname "$0")" && pwd)
LAB=/work/main/tests/data/labelled/ncedc_deepdenoiser_eq_vs_noise_100Hz_3C.h5
O=$1; mkdir -p $O; cd $O
$S learn --segments $LAB:/waveforms --config $H/paper100.json --out learn --epochs ${EPOCHS:-10} --sample 198 --seed 1 --threads 2 | tee learn.log
for b in initial learned; do
  if [ $b = initial ]; then $S scatter --segments $LAB:/waveforms --config $H/paper100.json --out $b.h5 > /dev/null 2>&1
  else $S scatter --segments $LAB:/waveforms --bank learn/bank.h5 --out $b.h5 > /dev/null 2>&1; fi
  for k in 2 4; do
    $S fit $b.h5 --clusters $k --out ${b}_m$k.h5 --seed 0 --memory 4g > ${b}_fit$k.txt 2>&1; $S predict ${b}_m$k.h5 $b.h5 --out ${b}_p$k.h5 > /dev/null 2>&1
    echo "$b clusters $k: $($S evaluate ${b}_p$k.h5 --labels $LAB:/labels | head -1)"
  done
done
