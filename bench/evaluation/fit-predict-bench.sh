#!/usr/bin/env bash
# fit and predict time of two builds on one features file, alternating (A B A B), so both see the same machine state.
# Issue 27's budget: fit on 200 000 windows ≤ 2× the flat model's time, predict within 20 % of its windows/s.
#   bench/evaluation/fit-predict-bench.sh FEATURES.h5 BEFORE.dll AFTER.dll [ROUNDS]
set -euo pipefail
features="$1"; before="$2"; after="$3"; rounds="${4:-2}"
out=$(mktemp -d)
export SEISCAT_VET=off
lscpu | sed -n 's/^Model name: *//p' | head -1
echo "features: $features"
for r in $(seq "$rounds"); do
  for build in before after; do
    dll=$([ "$build" = before ] && echo "$before" || echo "$after")
    t0=$(date +%s%N)
    /usr/bin/time -o "$out/fit-rss" -f "%M" dotnet "$dll" fit "$features" --out "$out/$build.h5" --seed 1 > "$out/$build-fit.txt" 2>&1
    t1=$(date +%s%N)
    dotnet "$dll" predict "$out/$build.h5" "$features" --out "$out/$build-w.h5" > "$out/$build-predict.txt" 2>/dev/null
    t2=$(date +%s%N)
    /usr/bin/time -o "$out/rss" -f "%M" dotnet "$dll" predict "$out/$build.h5" "$features" --out "$out/$build-w2.h5" >/dev/null 2>&1
    rss=$(tail -1 "$out/rss")
    echo "round $r $build: fit $(( (t1 - t0) / 1000000 )) ms wall (peak RSS $(( $(tail -1 "$out/fit-rss") / 1024 )) MiB); predict $(( (t2 - t1) / 1000000 )) ms wall ($(grep -o 'in [0-9.]* s' "$out/$build-predict.txt")); predict peak RSS $((rss / 1024)) MiB"
    grep -E "^wrote|level" "$out/$build-fit.txt" | sed 's/^/    /' | cut -c1-220
  done
done
rm -rf "$out"
