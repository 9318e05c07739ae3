#!/usr/bin/env python3
"""Two evaluation-matrix labels side by side (per cell: median (worst seed) of event classes recovered, ARI and noise share).
Usage: compare.py RUNS_ROOT LABEL_A LABEL_B  (RUNS_ROOT = artifacts/evaluation/runs)."""
import json, os, statistics, sys

root, a, b = sys.argv[1:4]

def load(label):
    cells = {}
    d = os.path.join(root, label)
    for name in os.listdir(d):
        try:
            meta = json.load(open(os.path.join(d, name, "meta.json")))
            s = json.load(open(os.path.join(d, name, "scores.json")))
        except FileNotFoundError:
            continue
        cells.setdefault(meta["cell"], []).append(s)
    return cells

def order(cell):
    if cell in ("das", "labelled"): return (9, cell, 0, 0)
    r, size, hz = cell.split("-")
    st, hours = size.split("x")
    return (0, -float(r[1:]), int(st) * int(hours), int(hz[:-2]))

A, B = load(a), load(b)
def fmt(rs, key, f):
    v = [f(s) for s in rs]
    return f"{statistics.median(v):{key}} ({min(v):{key}})"

print(f"| cell | events | recovered: {a} | recovered: {b} | ARI: {a} | ARI: {b} | noise %: {a} | noise %: {b} |")
print("|---|---|---|---|---|---|---|---|")
for cell in sorted(set(A) | set(B), key=order):
    ra, rb = A.get(cell, []), B.get(cell, [])
    ref = (ra or rb)[0]
    ev = ref.get("event_classes", 0)
    events = statistics.median(sum(c["windows"] for c in s["classes"] if c["class"] not in ("noise", "gap")) / s["windows"] for s in (ra or rb))
    rec = lambda rs: fmt(rs, "g", lambda s: s.get("recovered_classes", 0)) + f" / {ev}" if rs and ev else "–"
    ari = lambda rs: fmt(rs, ".3f", lambda s: s["adjusted_rand"]) if rs else "–"
    noise = lambda rs: fmt(rs, ".1f", lambda s: 100 * s["background_in_background_clusters"]) if rs and ev else "–"
    print(f"| {cell} ({len(ra)}/{len(rb)} seeds) | {100 * events:.1f} % | {rec(ra)} | {rec(rb)} | {ari(ra)} | {ari(rb)} | {noise(ra)} | {noise(rb)} |")
