#!/usr/bin/env python3
"""papers/pymetric.py — one number from ftbench's JSON of a Python workload.

  pymetric.py FILE METRIC [THREADS|-] [WORKLOAD]

prints the median, over every timed run of every result in FILE (only
those with "threads" == THREADS and "workload" == WORKLOAD when given), of the program's metric
METRIC (its `metric METRIC VALUE` line, ftbench/1 "runs"[].metrics), or
of the run's wall time in seconds for METRIC = wall_s, CPU seconds for
cpu_s, peak RSS in MiB for rss_mib. Prints nothing (exit 1) when no run
has it.

  pymetric.py --rows NAME FILE

prints every run's values as "NAME<TAB>workload<TAB>threads<TAB>metric<TAB>value"
lines (the metrics, wall_s, cpu_s and rss_mib): papers/lib.sh keeps them
in $OUT/py-runs.tsv and reads its numbers from there, one python3 start
per ftbench run instead of one per number.
"""
import json
import sys


def values(doc, metric, threads, workload):
    for r in doc.get("results", []):
        if threads is not None and r.get("threads") != threads:
            continue
        if workload is not None and r.get("workload") != workload:
            continue
        for run in r.get("runs", []):
            if metric == "wall_s" and "wall_ns" in run:
                yield run["wall_ns"] / 1e9
            elif metric == "cpu_s" and "cpu_ns" in run:
                yield run["cpu_ns"] / 1e9
            elif metric == "rss_mib" and "max_rss_kb" in run:
                yield run["max_rss_kb"] / 1024.0
            elif metric in run.get("metrics", {}):
                yield float(run["metrics"][metric])


def rows(name, path):
    with open(path) as f:
        doc = json.load(f)
    for r in doc.get("results", []):
        w, t = r.get("workload", ""), r.get("threads", 0)
        for run in r.get("runs", []):
            vals = dict(run.get("metrics", {}))
            if "wall_ns" in run:
                vals["wall_s"] = run["wall_ns"] / 1e9
            if "cpu_ns" in run:
                vals["cpu_s"] = run["cpu_ns"] / 1e9
            if "max_rss_kb" in run:
                vals["rss_mib"] = run["max_rss_kb"] / 1024.0
            for k, v in sorted(vals.items()):
                print("%s\t%s\t%s\t%s\t%.9g" % (name, w, t, k, float(v)))


def main(argv):
    if len(argv) == 3 and argv[0] == "--rows":
        rows(argv[1], argv[2])
        return
    if len(argv) not in (2, 3, 4):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(argv[0]) as f:
        doc = json.load(f)
    threads = int(argv[2]) if len(argv) >= 3 and argv[2] != "-" else None
    v = sorted(values(doc, argv[1], threads, argv[3] if len(argv) == 4 else None))
    if not v:
        sys.exit(1)
    n = len(v)
    print("%.6g" % (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2))


main(sys.argv[1:])
