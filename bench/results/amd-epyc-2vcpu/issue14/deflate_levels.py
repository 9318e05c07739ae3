"""Deflate cost and ratio of features.h5 rows per level (stored-chunks.txt, "where a worker's time goes").

    seiscat synth --out a96 --stations 2 --hours 96 --rate 50 --seed 4
    seiscat features a96 --threads 1 --out f.h5
    /usr/bin/python3 deflate_levels.py f.h5

Times zlib (the system libz, as seiscat's ChunkEncoder and HDF5 use) on 200 chunks of 64 shuffled float32 rows."""
import sys, time, zlib, h5py, numpy as np
x = h5py.File(sys.argv[1], 'r')['features'][:64 * 200]
chunks = [np.ascontiguousarray(x[c * 64:(c + 1) * 64]).view(np.uint8).reshape(-1, 4).T.copy().tobytes() for c in range(200)]
for level in (1, 4):
    t = time.perf_counter(); stored = sum(len(zlib.compress(b, level)) for b in chunks); dt = time.perf_counter() - t
    print(f'level {level}: {dt / 200 / 64 * 1e6:.1f} us per window, stored {stored / sum(map(len, chunks)):.3f} of raw')
