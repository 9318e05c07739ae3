#!/bin/bash
O="dotnet /work/old/out/seiscat.dll"
S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
cd /work/exp/v2
for r in 1 2; do
  for v in old new; do
    B=$S; [ $v = old ] && B=$O
    $B features ../S4 --fftw measure --out /tmp/tp_$v.h5 2>&1 | grep -o "in [0-9.]* s ([0-9]* windows/s)" | sed "s/^/$v features S4: /"
  done
done
for r in 1 2; do
  for v in old new; do
    B=$S; M=RS4/model.h5; F=RS4/features.h5; [ $v = old ] && { B=$O; M=OS4/model.h5; F=OS4/features.h5; }
    $B predict $M $F --out /tmp/tp_p_$v.h5 --out /tmp/tp_p_$v.parquet 2>&1 | grep -o "windows/s\|in [0-9.]* s" | tr '\n' ' ' | sed "s/^/$v predict S4: /"; echo
  done
done
for v in old new; do B=$S; [ $v = old ] && B=$O; $B bench scatter --threads 1 2>&1 | tail -3 | sed "s/^/$v bench: /"; done
echo TPDONE
