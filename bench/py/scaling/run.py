#!/usr/bin/env python3
# bench/py/scaling/run.py — the scaling table: every snippet of scaling.py
# with 1 and N threads (same work per thread) under ftpy-gil, ftpy-nogil,
# ftpy-nogil-atomic, ftpy-nogil -X gil=1 and CPython, as a Markdown table
# of throughput ratios (N-thread throughput / 1-thread throughput; N is
# perfect scaling, 1 none). Runs under the host's python3.
#
# usage: run.py [--build DIR] [--python PATH] [--threads N] [--scale S]
#               [--repeat R] [--out FILE] [--cpu] [snippet ...]
#   --build DIR   the build tree with ftpy/ftpy-<flavor> (default build/release)
#   --python PATH the reference CPython (default /usr/bin/python3)
#   --cpu         add the cpu_ratio columns (per-thread CPU time: not
#                 distorted by other load on the machine; free-threaded
#                 interpreters only, a GIL reads N)
#   --out FILE    also write the table there
# Each cell is the median over R pairs of runs (scaling.py's own medians);
# t1 is the one-thread time in ms.
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def parse(argv):
    opts = {"build": os.path.join(ROOT, "build", "release"),
            "python": "/usr/bin/python3", "threads": "2", "scale": "1000",
            "repeat": "5", "out": None, "cpu": False, "snippets": []}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--build", "--python", "--threads", "--scale", "--repeat", "--out"):
            opts[a[2:]] = argv[i + 1]
            i += 2
            continue
        if a == "--cpu":
            opts["cpu"] = True
        elif a in ("-h", "--help"):
            print(__doc__ or open(__file__).read().split("\nimport")[0])
            sys.exit(0)
        else:
            opts["snippets"].append(a)
        i += 1
    return opts


def interpreters(opts):
    ftpy = os.path.join(opts["build"], "ftpy", "ftpy-")
    return [
        ("gil", [ftpy + "gil"]),
        ("nogil", [ftpy + "nogil"]),
        ("nogil-atomic", [ftpy + "nogil-atomic"]),
        ("nogil -X gil=1", [ftpy + "nogil", "-X", "gil=1"]),
        ("CPython", [opts["python"]]),
    ]


def run_one(cmd, opts):
    args = cmd + [os.path.join(HERE, "scaling.py"), "--threads", opts["threads"],
                  "--scale", opts["scale"], "--repeat", opts["repeat"]] + opts["snippets"]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, cwd="/tmp")
    rows = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) < 2 or "=" not in parts[1]:
            continue
        rows[parts[0]] = dict(kv.split("=") for kv in parts[1:])
    if p.returncode != 0:
        sys.stderr.write("%s failed (%d): %s\n" % (" ".join(cmd), p.returncode,
                                                   p.stderr.strip()[-300:]))
    return rows


def main():
    opts = parse(sys.argv[1:])
    results = []
    for name, cmd in interpreters(opts):
        if not os.path.exists(cmd[0]):
            sys.stderr.write("skipped %s: %s not found\n" % (name, cmd[0]))
            continue
        sys.stderr.write("running %s ...\n" % name)
        results.append((name, run_one(cmd, opts)))
    snippets = []
    for _, rows in results:
        for s in rows:
            if s not in snippets:
                snippets.append(s)
    n = opts["threads"]
    head = "| snippet |" + "".join(" %s |" % name for name, _ in results)
    sub = "|---|" + "---|" * len(results)
    lines = ["Throughput ratio, %s threads / 1 thread (t1 = 1-thread ms); "
             "scale %s, median of %s" % (n, opts["scale"], opts["repeat"]), "",
             head, sub]
    for s in snippets:
        cells = []
        for name, rows in results:
            r = rows.get(s)
            if not r:
                cells.append(" - |")
                continue
            cell = " %s (t1 %s)" % (r["ratio"], r["t1_ms"])
            if opts["cpu"] and name.startswith("nogil") and "gil=1" not in name:
                cell += " cpu %s" % r.get("cpu_ratio", "?")
            cells.append(cell + " |")
        lines.append("| %s |%s" % (s, "".join(cells)))
    text = "\n".join(lines)
    print(text)
    if opts["out"]:
        with open(opts["out"], "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
