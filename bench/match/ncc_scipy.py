#!/usr/bin/env python3
"""The baseline for `seiscat bench match`: the same normalised cross-correlation written as a competent numpy/scipy user
would (scipy.signal.oaconvolve or fftconvolve, whichever is faster, for the sliding dot products, float64 cumulative sums for the sliding norms, Pearson's r
per component averaged over components), on random data of the same shape. Prints one JSON line.

Usage: ncc_scipy.py [templates] [template_seconds] [rate] [components] [hours]   (defaults 8 20 100 3 1)
"""
import json
import sys
import time

import numpy as np
from scipy.signal import fftconvolve, oaconvolve

k, tsec, rate, comps, hours = (int(sys.argv[1]) if len(sys.argv) > 1 else 8, float(sys.argv[2]) if len(sys.argv) > 2 else 20,
                               float(sys.argv[3]) if len(sys.argv) > 3 else 100, int(sys.argv[4]) if len(sys.argv) > 4 else 3,
                               float(sys.argv[5]) if len(sys.argv) > 5 else 1)
rng = np.random.default_rng(17)
n, m = int(hours * 3600 * rate), int(tsec * rate)
data = rng.standard_normal((comps, n)).astype(np.float32)
templates = rng.standard_normal((k, comps, m)).astype(np.float32)


def ncc(templates, data, convolve):
    m = templates.shape[2]
    out = np.zeros((templates.shape[0], data.shape[1] - m + 1))
    for c in range(data.shape[0]):
        x = data[c].astype(np.float64)
        s1 = np.concatenate(([0.0], np.cumsum(x)))
        s2 = np.concatenate(([0.0], np.cumsum(x * x)))
        w1 = s1[m:] - s1[:-m]
        var = (s2[m:] - s2[:-m]) - w1 * w1 / m
        norm = np.sqrt(np.maximum(var, 0))
        norm[norm == 0] = np.inf
        for j in range(templates.shape[0]):
            t = templates[j, c] - templates[j, c].mean()
            t = t / np.linalg.norm(t)
            dots = convolve(data[c], t[::-1], mode="valid")
            out[j] += dots / norm
    return out / data.shape[0]


best = None
for name, convolve in (("oaconvolve", oaconvolve), ("fftconvolve", fftconvolve)):
    ncc(templates, data[:, : 10 * m], convolve)  # warm-up
    reps, start = 0, time.perf_counter()
    while True:
        ncc(templates, data, convolve)
        reps += 1
        if time.perf_counter() - start > 3:
            break
    seconds = (time.perf_counter() - start) / reps
    if best is None or seconds < best[1]:
        best = (name, seconds)
name, seconds = best
print(json.dumps({"implementation": f"numpy {np.__version__} + scipy {name} (the faster of oaconvolve and fftconvolve)", "seconds": seconds,
                  "template_data_seconds_per_second": k * tsec * hours * 3600 / seconds}))
