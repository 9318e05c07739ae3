#!/usr/bin/python3
"""Copies an archive of generic-layout HDF5 files (1-D waveforms with attributes) with another chunk filter, for the
features-throughput comparison in run.sh. Needs python3-h5py, python3-hdf5plugin, python3-zstd and the Debian plugins.

    recompress.py SRC_DIR DST_DIR gzip|lzf|zstd|blosc|bitshuffle
"""
import os, sys
import numpy as np
import h5py

src, dst, codec = sys.argv[1], sys.argv[2], sys.argv[3]
CHUNK = 16384
import hdf5plugin, zstd
options = {
    "gzip": dict(compression="gzip", compression_opts=4, shuffle=True),
    "lzf": dict(compression="lzf", shuffle=True),
    "blosc": dict(**hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE)),
    "bitshuffle": dict(**hdf5plugin.Bitshuffle(nelems=0, cname="lz4")),
    "zstd": None,
}[codec]
os.makedirs(dst, exist_ok=True)
for name in sorted(os.listdir(src)):
    if not name.endswith(".h5"): continue
    with h5py.File(os.path.join(src, name), "r") as fin, h5py.File(os.path.join(dst, name), "w") as fout:
        for k, v in fin.attrs.items(): fout.attrs[k] = v
        def copy(path, obj):
            if isinstance(obj, h5py.Group):
                g = fout.require_group(path)
                for k, v in obj.attrs.items(): g.attrs[k] = v
                return
            data = obj[...]
            if data.ndim != 1 or data.size < CHUNK:
                d = fout.create_dataset(path, data=data)
            elif options is None:
                d = fout.create_dataset(path, shape=data.shape, dtype=data.dtype, chunks=(CHUNK,), compression=32015,
                                        compression_opts=(3,), allow_unknown_filter=True)
                for s in range(0, data.size, CHUNK):
                    block = np.zeros(CHUNK, data.dtype)
                    part = data[s:s + CHUNK]
                    block[:part.size] = part
                    d.id.write_direct_chunk((s,), zstd.compress(block.tobytes(), 3))
            else:
                d = fout.create_dataset(path, data=data, chunks=(CHUNK,), **options)
            for k, v in obj.attrs.items(): d.attrs[k] = v
        fin.visititems(copy)
