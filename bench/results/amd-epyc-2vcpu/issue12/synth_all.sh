#!/bin/bash
S="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
cd /work/exp/v2
for d in S4 S3 S5 S2; do rm -rf R$d; /usr/bin/time -v $S run ../$d --out R$d --fftw measure > R$d.log 2>&1; grep -A8 "^predict:" R$d.log | grep -v report; grep -E "Maximum resident|Elapsed" R$d.log; done
echo ALLDONE
