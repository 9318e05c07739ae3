#!/usr/bin/env python3
"""Scores detections.csv against a synthetic archive's truth.csv (standard library only).

recall: planted repeaters (at each detection group's first station) detected within 3 s of their start, by the group
that detects most of them; precision: detections (any group) within [start - 3 s, end + 3 s] of a planted event of any
class at their first station. Usage: score_detections.py detections.csv truth.csv
"""
import csv
import sys
from datetime import datetime, timezone


def ns(text):
    return int(datetime.strptime(text.rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp() * 1e6) * 1000


det = list(csv.DictReader(open(sys.argv[1])))
truth = [(ns(r["start"]), ns(r["end"]), r["class"], r["station"]) for r in csv.DictReader(open(sys.argv[2]))]
tol = 3_000_000_000
groups = {}
for d in det:
    groups.setdefault(d["group"], []).append(d)
best = (0, None, 0)
for g, rows in groups.items():
    station = rows[0]["stations"].split("+")[0]
    reps = [t for t in truth if t[2] == "repeater" and t[3] == station]
    hit = sum(1 for t in reps if any(abs(int(d["time_ns"]) - t[0]) <= tol for d in rows))
    if hit > best[0]:
        best = (hit, g, len(reps))
on_event = sum(1 for d in det if any(t[3] == d["stations"].split("+")[0] and t[0] - tol <= int(d["time_ns"]) <= t[1] + tol for t in truth))
print(f"repeaters detected within 3 s: {best[0]} of {best[2]} (group {best[1]}); detections on planted events: {on_event} of {len(det)}")
