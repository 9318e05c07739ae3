#!/bin/bash
# exact vs fast: features with both paths, one fit on the exact features, both predicted through it; then full runs.
S=/work/main/artifacts/bin/Cli/release/seiscat
A=$1; O=out_$(basename $A)_${2:-x}; mkdir -p $O
$S features $A --out $O/fe.h5 --path exact --fftw measure 2>&1 | tail -1
$S features $A --out $O/ff.h5 --path fast --fftw measure 2>&1 | tail -1
$S fit $O/fe.h5 --out $O/m.h5 --seed 1 2>&1 | tail -1
$S predict $O/m.h5 $O/fe.h5 --out $O/pe.csv 2>&1 | tail -1
$S predict $O/m.h5 $O/ff.h5 --out $O/pf.csv 2>&1 | tail -1
/usr/bin/python3 - $O <<'PY'
import sys, csv
from sklearn.metrics import adjusted_rand_score as ari
o=sys.argv[1]
def lab(p):
    r=list(csv.DictReader(open(p)))
    return [x['cluster'] for x in r]
e,f=lab(o+'/pe.csv'),lab(o+'/pf.csv')
print(o,'same fit: ARI exact vs fast', round(ari(e,f),4), 'windows', len(e), 'differ', sum(a!=b for a,b in zip(e,f)))
PY
