"""bench/callgrind_report.py — the table and the top-N lists of
bench/callgrind_py.sh and bench/callgrind_c.sh: nogil ÷ gil in
instructions per run, their geometric mean, and the functions nogil spends
its extra instructions in.

    callgrind_report.py OUT TOP LABEL NAMES DIR...

OUT holds <i>.<name>.<flavor>.cg (callgrind's file) and .err (its log,
with the total) for build i = 1.. (the DIRs, in order) and flavor gil and
nogil; NAMES is comma-separated, in table order. A run named "empty" (a
program that does nothing: start-up alone) is shown but left out of the
geometric mean and the top-N lists. TOP: the N functions with the most
extra nogil instructions per run and over all of them (0: the table only).
"""
import math
import re
import subprocess
import sys


def total(f):
    for line in open(f.replace(".cg", ".err")):
        m = re.search(r"refs:\s+([\d,]+)", line)
        if m:
            return int(m.group(1).replace(",", ""))
    raise SystemExit("no total in " + f)


def functions(f):
    """Self instructions per function; gcc's clones (.cold, .constprop...)
    folded into their function, as the flavors clone differently."""
    text = subprocess.run(["callgrind_annotate", "--threshold=100", f],
                          capture_output=True, text=True, check=True).stdout
    d = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)", line)
        if not m or "PROGRAM TOTALS" in m.group(2):
            continue
        name = re.sub(r"\s*\[.*\]$", "", m.group(2)).split(":", 1)[-1]
        name = re.sub(r"\.(cold|constprop\.\d+|isra\.\d+|part\.\d+)", "", name)
        d[name] = d.get(name, 0) + int(m.group(1).replace(",", ""))
    return d


def main():
    out, top, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names, dirs = sys.argv[4].split(","), sys.argv[5:]
    counted = [p for p in names if p != "empty"]
    cg = lambda i, p, fl: "%s/%d.%s.%s.cg" % (out, i + 1, p, fl)
    print("| %s |" % label + "".join(" gil (%d) | nogil (%d) | ratio |" % (i, i)
                                     for i in range(1, len(dirs) + 1)))
    print("|---|" + "---:|" * 3 * len(dirs))
    logs = [[] for _ in dirs]
    for p in names:
        row = "| %s |" % p
        for i in range(len(dirs)):
            g, n = total(cg(i, p, "gil")), total(cg(i, p, "nogil"))
            row += " %.1fM | %.1fM | %.3f |" % (g / 1e6, n / 1e6, n / g)
            if p != "empty":
                logs[i].append(math.log(n / g))
        print(row)
    print("| geomean (%d) |" % len(counted) +
          "".join(" | | %.3f |" % math.exp(sum(l) / len(l)) for l in logs))
    for i, d in enumerate(dirs):
        print("(%d) %s" % (i + 1, d))
    if top <= 0:
        return
    for i in range(len(dirs)):
        print("\n(%d) extra nogil instructions by function (self; share of the extra)" % (i + 1))
        agg, extra = {}, 0
        for p in counted:
            a, b = functions(cg(i, p, "gil")), functions(cg(i, p, "nogil"))
            e = sum(b.values()) - sum(a.values())
            extra += e
            diff = {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b)}
            for k, v in diff.items():
                agg[k] = agg.get(k, 0) + v
            best = sorted(diff.items(), key=lambda kv: -kv[1])[:top]
            print("  %s (%+.1fM): %s" % (p, e / 1e6, ", ".join(
                "%s %+.1fM" % (k, v / 1e6) for k, v in best)))
        print("  all %d (%+.1fM):" % (len(counted), extra / 1e6))
        for k, v in sorted(agg.items(), key=lambda kv: -kv[1])[:top]:
            print("    %8.1fM %5.1f%%  %s" % (v / 1e6, 100 * v / extra if extra else 0, k))


main()
