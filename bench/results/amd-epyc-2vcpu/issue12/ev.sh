#!/bin/bash
# ev.sh FEATURES TRUTH [fit options...]: one line of scores
S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
F=$1; T=$2; shift 2
d=$(mktemp -d)
$S fit $F --out $d/m.h5 "$@" > $d/fit.txt 2>&1 || { cat $d/fit.txt; exit 1; }
$S predict $d/m.h5 $F --out $d/p.h5 > /dev/null 2>&1
$S evaluate $d/p.h5 --truth $T > $d/ev.txt 2>&1
echo "$* | $(grep -o '[0-9]* clusters ([^;)]*[;)][^,]*' $d/fit.txt | head -1) | $(head -1 $d/ev.txt)"
rm -rf $d
