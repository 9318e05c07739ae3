#!/usr/bin/env bash
# features throughput on one archive stored five ways (gzip+shuffle, LZF+shuffle, Zstandard, Blosc/LZ4, Bitshuffle/LZ4),
# alternating codecs over ROUNDS rounds in one sitting; prints windows/s per run (the last line of `features`).
#   bench/hdf5-filters/run.sh [OUT_DIR] [ROUNDS]     (needs python3-h5py, python3-hdf5plugin, python3-zstd, the plugins)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-artifacts/bench-filters}"; rounds="${2:-3}"
seiscat="dotnet artifacts/bin/Cli/release/seiscat.dll"
mkdir -p "$out"
[ -d "$out/src" ] || $seiscat synth --out "$out/src" --stations 2 --hours 24 --rate 50 --seed 11 --layout generic >/dev/null
for c in gzip lzf zstd blosc bitshuffle; do
  [ -d "$out/$c" ] || /usr/bin/python3 bench/hdf5-filters/recompress.py "$out/src" "$out/$c" "$c"
done
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; archive: 2 stations x 3 components x 24 h x 50 Hz"
for c in gzip lzf zstd blosc bitshuffle; do echo "$c: $(du -sm "$out/$c" | cut -f1) MB"; done
for r in $(seq 1 "$rounds"); do
  for c in gzip lzf zstd blosc bitshuffle; do
    rm -f "$out/f-$c.h5"
    line=$($seiscat features "$out/$c" --window 40s --step 20s --fftw estimate --out "$out/f-$c.h5" 2>&1 | tail -1)
    echo "round $r $c: $line"
  done
done
for c in lzf zstd blosc bitshuffle; do
  if /usr/bin/python3 -c "import h5py,numpy,sys; a=h5py.File(sys.argv[1])['features'][...]; b=h5py.File(sys.argv[2])['features'][...]; sys.exit(0 if numpy.array_equal(a,b) else 1)" "$out/f-gzip.h5" "$out/f-$c.h5"; then
    echo "features of $c == gzip"; else echo "features of $c DIFFER from gzip"; fi
done
