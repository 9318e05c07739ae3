#!/usr/bin/env bash
# Peak RSS of `seiscat features` on a synthetic archive (issue 6's memory bound). Usage:
#   bench/measure-memory.sh [HOURS=48] [STATIONS=2]      (after ./build.sh build)
# Prints synth and features wall time and max RSS (GNU time; Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
hours=${1:-48}; stations=${2:-2}
cli=artifacts/bin/Cli/release/seiscat.dll
dir=$(mktemp -d /tmp/seiscat-memory-XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/time -f "synth:    %e s wall, max RSS %M KB" dotnet "$cli" synth --out "$dir/archive" --hours "$hours" --stations "$stations" --rate 50 > /dev/null
du -sh "$dir/archive"
/usr/bin/time -f "features: %e s wall, max RSS %M KB" dotnet "$cli" features "$dir/archive" --fftw measure --out "$dir/features.h5" 2>/dev/null | tail -1
