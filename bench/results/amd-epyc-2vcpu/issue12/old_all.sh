#!/bin/bash
O="dotnet /work/old/out/seiscat.dll"
S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
cd /work/exp/v2
LAB=/work/shared/data/labelled/ncedc_deepdenoiser_eq_vs_noise_100Hz_3C.h5
$O scatter --segments $LAB:/waveforms --config ../cfg_100_2048_avg.json --out oL.h5 >/dev/null 2>&1; $O fit oL.h5 --clusters 2 --out oLm.h5 >/dev/null; $O predict oLm.h5 oL.h5 --out oLp.h5 >/dev/null 2>&1
echo "old labelled: $($S evaluate oLp.h5 --labels $LAB:/labels | head -1)"
for part in NC other; do $O scatter --segments L_$part.h5:/waveforms --config ../cfg_100_2048_avg.json --out oLx.h5 >/dev/null 2>&1; $O fit oLx.h5 --clusters 2 --out oLxm.h5 >/dev/null; $O predict oLxm.h5 oLx.h5 --out oLxp.h5 >/dev/null 2>&1; echo "old labelled $part: $($S evaluate oLxp.h5 --labels L_$part.h5:/labels | head -1)"; done
for d in S1 S4 S5 S3; do rm -rf O$d; $O run ../$d --out O$d --fftw measure > O$d.log 2>&1; echo "old $d: $(grep '^evaluate' O$d.log)"; done
echo OLDDONE
