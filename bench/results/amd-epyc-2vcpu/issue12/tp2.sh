#!/bin/bash
# Final throughput, old (0bc1563) vs new build, alternating, one session.
O="dotnet /work/old/out/seiscat.dll"; S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
cd /work/exp/v2
for r in 1 2 3; do for v in old new; do B=$S; [ $v = old ] && B=$O
  $B features ../S4 --fftw measure --threads 2 --out /tmp/tp_$v.h5 2>&1 | grep -o "in [0-9.]* s ([0-9]* windows/s)" | sed "s/^/$v features 3x24h (2 threads, each build's default network): /"; done; done
echo "predict 34 525 windows -> .h5 + .parquet, each build's own features and model (median of alternating runs):"
echo " 1 thread:"; ./ab.sh 7 1; echo " 2 threads:"; ./ab.sh 5 2
for r in 1 2; do
  echo "old bench tutorial: $($O bench scatter --threads 1 --seconds 4 | tail -1)"
  echo "new bench tutorial: $($S bench scatter --threads 1 --seconds 4 | tail -1)"
  echo "new bench features-default: $($S bench scatter --config features --threads 1 --seconds 4 | tail -1)"
done
