# Writes the many-chunk files of opening.txt: python3 make_chunked.py (h5py, numpy).
import h5py, numpy as np
rng = np.random.default_rng(1)
for name, nchunks, chunk in (("c2048", 2048, 256), ("c8192", 8192, 256), ("c32768", 32768, 256), ("c190k", 190000, 64)):
    n = nchunks * chunk
    with h5py.File(f"{name}.h5", "w") as f:
        d = f.create_dataset("XX.STA..BHZ", data=(rng.standard_normal(n) * 100).astype("float32"), chunks=(chunk,), compression="gzip", shuffle=True)
        for k, v in dict(network="XX", station="STA", location="", channel="BHZ", sampling_rate=50.0,
                         starttime="2020-01-01T00:00:00.000000Z", starttime_ns=1577836800000000000, npts=n).items():
            d.attrs[k] = v
