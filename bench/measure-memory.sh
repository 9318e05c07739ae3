#!/usr/bin/env bash
# Peak RSS of features → fit → predict against --memory (issue 6's memory bound). Usage (after ./build.sh build):
#   bench/measure-memory.sh [--archive DIR] [--hours 48] [--stations 2] [--rate 50] [--memory 1G] [--threads N] [--out DIR] [--no-run]
# Without --archive a synthetic one is generated (hours × stations × 3 components × rate × 4 bytes; e.g.
# --hours 264 --stations 12 --rate 100 gives ≈ 10.4 GiB). Prints wall time and max RSS per stage (GNU time,
# Debian package `time`) and whether each stayed under --memory; then `seiscat run` does all stages in one process
# (what stays committed between stages counts there; --no-run skips it, it takes as long as the stages together).
# Outputs go to --out (default: a temp dir, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
archive=""; hours=48; stations=2; rate=50; memory=1G; threads=$(nproc); out=""; whole=1
while [ $# -gt 0 ]; do
  case "$1" in
    --archive) archive=$2; shift 2 ;; --hours) hours=$2; shift 2 ;; --stations) stations=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;; --memory) memory=$2; shift 2 ;; --threads) threads=$2; shift 2 ;; --out) out=$2; shift 2 ;; --no-run) whole=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cli=${SEISCAT_CLI:-$PWD/artifacts/bin/Cli/release/seiscat.dll}
[ -f "$cli" ] || { echo "build first: ./build.sh build" >&2; exit 2; }
command -v /usr/bin/time > /dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
if [ -z "$out" ]; then out=$(mktemp -d /tmp/seiscat-memory-XXXXXX); trap 'rm -rf "$out"' EXIT; else mkdir -p "$out"; fi
limit_kb=$(python3 -c "import sys;t=sys.argv[1].upper().rstrip('B').replace('I','');u={'K':1,'M':1024,'G':1024**2,'T':1024**3};print(int(float(t[:-1])*u[t[-1]]) if t[-1] in u else int(float(t))//1024)" "$memory")

stage() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" > "$out/$name.log" 2> "$out/$name.err" || { echo "$name failed:"; tail -3 "$out/$name.err"; exit 1; }
  read -r wall rss < "$out/$name.time"
  printf '%-9s %8.1f s wall  max RSS %6d MiB  (%s of --memory %s)\n' "$name" "$wall" $((rss / 1024)) \
    "$([ "$rss" -le "$limit_kb" ] && echo within || echo OVER)" "$memory"
}

if [ -z "$archive" ]; then
  archive=$out/archive
  stage synth dotnet "$cli" synth --out "$archive" --hours "$hours" --stations "$stations" --rate "$rate"
fi
echo "archive: $(du -sh "$archive" | cut -f1) in $(ls "$archive" | wc -l) file(s); threads $threads; $(nproc) cores; $(free -g | awk '/Mem:/{print $2}') GiB RAM"
stage features dotnet "$cli" features "$archive" --fftw measure --threads "$threads" --memory "$memory" --out "$out/features.h5"
grep -o '[0-9]* windows ×.*' "$out/features.log" | head -1 || true
stage fit dotnet "$cli" fit "$out/features.h5" --memory "$memory" --clusters 6 --out "$out/model.h5"
grep -h "warning" "$out/fit.err" || true
stage predict dotnet "$cli" predict "$out/model.h5" "$out/features.h5" --threads "$threads" --memory "$memory" \
  --out "$out/labels.h5" --out "$out/labels.parquet" --out "$out/labels.csv"
if [ "$whole" = 1 ]; then
  stage run dotnet "$cli" run "$archive" --fftw measure --threads "$threads" --memory "$memory" --clusters 6 --out "$out/run"
fi
