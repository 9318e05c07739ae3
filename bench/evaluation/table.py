#!/usr/bin/env python3
"""Aggregates the evaluation matrix's runs (scores.json + meta.json per run) into a Markdown table: per cell the
median and the worst seed of ARI, event classes recovered and noise share in background clusters, and where each event
class went. Usage: table.py RUNS_DIR LABEL SECONDS FIT_ARGS."""
import json, os, statistics, sys

runs, label, seconds, fit_args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cells = {}
for name in sorted(os.listdir(runs)):
    d = os.path.join(runs, name)
    try:
        meta = json.load(open(os.path.join(d, "meta.json")))
        s = json.load(open(os.path.join(d, "scores.json")))
    except FileNotFoundError:
        continue
    cells.setdefault(meta["cell"], []).append((meta, s))

def order(cell):
    if cell == "das": return (9, 0, 0, 0)
    if cell == "labelled": return (10, 0, 0, 0)
    r, size, hz = cell.split("-")
    st, hours = size.split("x")
    return (0, -float(r[1:]), int(st) * int(hours), int(hz[:-2]))

def placement(runs_of_cell):
    """Per event class: in how many seeds recovered, and the median share in its majority cluster."""
    out = []
    classes = sorted({c["class"] for _, s in runs_of_cell for c in s.get("classes", []) if c["class"] not in ("noise", "gap")})
    for k in classes:
        rows = [c for _, s in runs_of_cell for c in s["classes"] if c["class"] == k]
        rec = sum(1 for c in rows if c["recovered"])
        out.append(f"{k} {rec}/{len(rows)} ({100 * statistics.median(c['purity'] for c in rows):.0f}%/{100 * statistics.median(c['cluster_purity'] for c in rows):.0f}%)")
    return ", ".join(out)

print(f"# Evaluation matrix: {label}\n")
print(f"fit arguments: `{fit_args or '(defaults)'}`; {sum(len(v) for v in cells.values())} runs; matrix wall time {seconds // 60} min {seconds % 60} s "
      "(archives and features cached after the first run)\n")
print("Per cell: median (worst seed). *recovered* = event classes with ≥ 70 % of their windows in one cluster that is ≥ 70 % "
      "that class; *noise* = background windows in background clusters. Placement per class: seeds recovered, median share "
      "of the class in its majority cluster / median purity of that cluster.\n")
print("| cell | seeds | windows | events | ARI | recovered | noise % | fit s | placement |")
print("|---|---|---|---|---|---|---|---|---|")
for cell in sorted(cells, key=order):
    rs = cells[cell]
    ari = [s["adjusted_rand"] for _, s in rs]
    rec = [s.get("recovered_classes", 0) for _, s in rs]
    ev = rs[0][1].get("event_classes", 0)
    noise = [100 * s.get("background_in_background_clusters", float("nan")) for _, s in rs]
    windows = statistics.median(s["windows"] for _, s in rs)
    events = [sum(c["windows"] for c in s.get("classes", []) if c["class"] not in ("noise", "gap")) / s["windows"] for _, s in rs]
    fit = [m.get("fit_seconds") for m, _ in rs if m.get("fit_seconds") is not None]
    fits = f"{statistics.median(fit):.1f}" if fit else "–"
    recs = f"{statistics.median(rec):g} ({min(rec)}) / {ev}" if ev else "–"
    noises = f"{statistics.median(noise):.1f} ({min(noise):.1f})" if ev else "–"
    print(f"| {cell} | {len(rs)} | {windows:.0f} | {100 * statistics.median(events):.1f} % | {statistics.median(ari):.3f} ({min(ari):.3f}) | "
          f"{recs} | {noises} | {fits} | {placement(rs) if ev else ''} |")
