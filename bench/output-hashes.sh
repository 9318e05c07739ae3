#!/usr/bin/env bash
# SHA-256 of every user-facing output on the demo archive and on each record in tests/data, for refactors that must
# not change a byte. Usage: bench/output-hashes.sh [WORKDIR] > hashes.txt ; diff two such files.
# Paths inside the outputs (model.h5 names its features file) are fixed by WORKDIR, so use the same one for both runs.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/seiscat-output-hashes}"
seiscat=(dotnet artifacts/bin/Cli/release/seiscat.dll)
rm -rf "$work"; mkdir -p "$work"
run() { "${seiscat[@]}" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }; }
hash_dir() {
  local name=$1 dir=$2
  for f in features.h5 model.h5 windows.parquet windows.csv windows.h5 evaluation.json; do
    [ -f "$dir/$f" ] && printf '%s  %s/%s\n' "$(sha256sum < "$dir/$f" | cut -c1-64)" "$name" "$f"
  done
  # stability.json records wall-clock seconds: hash everything else.
  [ -f "$dir/stability.json" ] && printf '%s  %s/%s\n' "$(grep -v '"seconds"' "$dir/stability.json" | sha256sum | cut -c1-64)" "$name" "stability.json (without seconds)"
  return 0
}
# The demo, as ./build.sh demo runs it (FFTW patient plans come from the wisdom cache after the first run).
run synth --out "$work/demo/archive" --stations 2 --hours 6 --rate 50 --seed 1
run run "$work/demo/archive" --window 40s --step 20s --seed 1 --stability 100,300,1000 --out "$work/demo/run"
run predict "$work/demo/run/model.h5" "$work/demo/run/features.h5" --out "$work/demo/run/windows.h5"
hash_dir demo "$work/demo/run"
# Templates and matching on the demo: one process, and two shards joined by merge.
run templates "$work/demo/run" --out "$work/demo/run/templates.h5"
run match "$work/demo/run/templates.h5" "$work/demo/archive" --out "$work/demo/run/detections.csv"
run match "$work/demo/run/templates.h5" "$work/demo/archive" --out "$work/demo/run/shard0.csv" --shard 0 --num-shards 2
run match "$work/demo/run/templates.h5" "$work/demo/archive" --out "$work/demo/run/shard1.csv" --shard 1 --num-shards 2
run merge "$work/demo/run/shard0.csv" "$work/demo/run/shard1.csv" --out "$work/demo/run/merged.csv"
for f in templates.h5 detections.csv detections.gaps.csv merged.csv merged.gaps.csv; do
  [ -f "$work/demo/run/$f" ] && printf '%s  %s/%s\n' "$(sha256sum < "$work/demo/run/$f" | cut -c1-64)" demo "$f"
done
# Every real record, default options, estimate plans.
for f in tests/data/continuous/*.h5 tests/data/asdf/*.h5 tests/data/asdf_native/*.h5; do
  b=$(basename "$f" .h5)
  run run "$f" --out "$work/$b" --fftw estimate --seed 1
  run predict "$work/$b/model.h5" "$work/$b/features.h5" --out "$work/$b/windows.h5"
  hash_dir "$b" "$work/$b"
done
