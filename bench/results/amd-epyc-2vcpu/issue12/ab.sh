#!/bin/bash
# ab.sh N THREADS: alternating old/new predict on the same archive's features (each build's own), median seconds
O="dotnet /work/old/out/seiscat.dll"; S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
cd /work/exp/v2
for r in $(seq $1); do for v in old new; do B=$S; M=RS5/model.h5; F=RS5/features.h5; [ $v = old ] && { B=$O; M=OS5/model.h5; F=OS5/features.h5; }
echo "$v $( $B predict $M $F --out /tmp/ab_$v.h5 --out /tmp/ab_$v.parquet --threads $2 2>&1 | grep -o "in [0-9.]* s" | grep -o "[0-9.]*" )"; done; done > /tmp/ab.txt
for v in old new; do grep "^$v " /tmp/ab.txt | awk '{print $2}' | sort -n | awk -v v=$v '{a[NR]=$1} END {print v, "median", a[int((NR+1)/2)], "runs", NR}'; done
