#!/usr/bin/env bash
# bench/csuite_ab.sh — the C suite's nogil ÷ gil ratio, one thread, for two
# builds side by side: every (workload, build, flavor) run interleaved
# round by round, each run's CPU time (perf stat's task-clock, so that
# time spent waiting for a core on a busy machine does not count), the
# median of the rounds.
#
# Usage: bench/csuite_ab.sh [--rounds N] [--workloads W,W...] OLD_DIR NEW_DIR
#   OLD_DIR, NEW_DIR  directories holding ftbench-gil and ftbench-nogil
#                     (build/release/bench, or a baseline tree's)
#   --rounds N        rounds (default 3)
#   --workloads       the C workloads (default: the CPU suite below)
#
# Each run is `ftbench-<flavor> run --workload W --threads 1 --repeats 5`
# (a warm-up and five timed runs; the process's CPU time covers them all
# and start-up, the same for both builds). Prints per workload the median
# CPU time of each build and flavor and nogil ÷ gil, the geometric mean of
# nogil ÷ gil per build, and new ÷ old per flavor (gil must not get
# slower). Needs perf; wall-time figures are ftbench's own (--json).
set -euo pipefail

rounds=3
workloads="bintrees,nbody,dictwords,listsort,str-concat,str-join,tuple-churn,countdown"
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --workloads) workloads=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) dirs+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
[ ${#dirs[@]} -eq 2 ] ||
    { echo "usage: $0 [--rounds N] [--workloads W,...] OLD_DIR NEW_DIR" >&2; exit 2; }
command -v perf >/dev/null || { echo "$0: perf not found" >&2; exit 2; }

res=$(mktemp)
trap 'rm -f "$res"' EXIT
IFS=, read -r -a wl <<< "$workloads"
names=(old new)
for r in $(seq "$rounds"); do
    for w in "${wl[@]}"; do
        for i in 0 1; do
            for fl in gil nogil; do
                ms=$(perf stat -x, -e task-clock "${dirs[$i]}/ftbench-$fl" run \
                         --workload "$w" --threads 1 --repeats 5 2>&1 >/dev/null |
                     awk -F, '/task-clock/ { print $1 }')
                [ -n "$ms" ] || { echo "$0: ${dirs[$i]}/ftbench-$fl $w failed" >&2; exit 1; }
                echo "${names[$i]} $fl $w $ms" >> "$res"
            done
        done
    done
    echo "round $r of $rounds done" >&2
done

python3 - "$res" "${dirs[0]}" "${dirs[1]}" <<'PY'
import collections, math, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    build, flavor, w, ms = line.split()
    runs[(build, flavor, w)].append(float(ms))
ws = list(dict.fromkeys(k[2] for k in runs))
med = {k: statistics.median(v) for k, v in runs.items()}
geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print(f"old: {sys.argv[2]}\nnew: {sys.argv[3]}")
print("| workload | old gil ms | old nogil ms | old ratio | new gil ms | new nogil ms | new ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for w in ws:
    row = [w]
    for b in ("old", "new"):
        g, n = med[(b, "gil", w)], med[(b, "nogil", w)]
        row += [f"{g:.1f}", f"{n:.1f}", f"{n / g:.3f}"]
    print("| " + " | ".join(row) + " |")
for b in ("old", "new"):
    print(f"{b}: geometric mean nogil ÷ gil "
          f"{geo([med[(b, 'nogil', w)] / med[(b, 'gil', w)] for w in ws]):.3f}")
for f in ("gil", "nogil"):
    r = [med[("new", f, w)] / med[("old", f, w)] for w in ws]
    print(f"{f}: new ÷ old " + " ".join(f"{w} {x:.3f}" for w, x in zip(ws, r)) +
          f"; geometric mean {geo(r):.3f}")
PY
