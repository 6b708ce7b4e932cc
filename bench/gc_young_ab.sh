#!/usr/bin/env bash
# bench/gc_young_ab.sh — nogil's young collector, before and after, side by
# side: two release build trees measured interleaved, round by round, and
# the medians printed (docs/architecture.md, "The cycle collector"):
#   - bintrees and tuple-churn, one thread, gil and nogil (ftbench, wall
#     seconds: the single-thread cost of the logs and of generation-0
#     collections; gil shows what did not change);
#   - the young pause p50 of ftbench-gc-nogil --churn-only (ms);
#   - peak RSS of the Python suite's float and generators programs, gil
#     and nogil (/usr/bin/time, MiB: what the logs and the middle cost).
# On a busy machine wall times are noise: bench/callgrind_c.sh counts
# instructions instead (--workloads bintrees,tuple-churn OLD/bench NEW/bench).
#
# Usage: bench/gc_young_ab.sh OLD_BUILD NEW_BUILD [ROUNDS]
#   OLD_BUILD, NEW_BUILD   build trees (build/release, or a baseline's)
#   ROUNDS                 interleaved rounds (default 3)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 2 ] || { sed -n '2,17p' "$0"; exit 2; }
old=$1 new=$2 rounds=${3:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for r in $(seq "$rounds"); do
    for side in old new; do
        b=${!side}
        for f in gil nogil; do
            "$b/bench/ftbench-$f" run --workload bintrees,tuple-churn --threads 1 \
                --repeats 3 --json "$out/wall.$side.$f.$r.json" >/dev/null \
                2>"$out/ftbench.err" || { cat "$out/ftbench.err" >&2; exit 1; }
            for prog in float generators; do
                /usr/bin/time -f "%M" -o "$out/rss.$side.$f.$prog.$r" \
                    "$b/ftpy/ftpy-$f" "$here/py/$prog.py" --quick >/dev/null
            done
        done
        "$b/bench/ftbench-gc-nogil" --churn-only --summary | grep '^summary' \
            >"$out/pause.$side.$r"
    done
done

python3 - "$out" <<'EOF'
import glob, json, os, re, statistics, sys
out = sys.argv[1]
def med(xs):
    return statistics.median(xs) if xs else float("nan")
rows = []
for f in ("gil", "nogil"):
    for w in ("bintrees", "tuple-churn"):
        v = {}
        for side in ("old", "new"):
            xs = []
            for p in glob.glob(f"{out}/wall.{side}.{f}.*.json"):
                for s in json.load(open(p))["results"]:
                    if s["workload"] == w:
                        xs.append(s["value_median"])
            v[side] = med(xs)
        rows.append((f"{w} {f} 1 thread (s)", v["old"], v["new"]))
v = {}
for side in ("old", "new"):
    xs = []
    for p in glob.glob(f"{out}/pause.{side}.*"):
        m = re.search(r"young_p50_ms=([\d.]+)", open(p).read())
        if m:
            xs.append(float(m.group(1)))
    v[side] = med(xs)
rows.append(("young pause p50, churn (ms)", v["old"], v["new"]))
for prog in ("float", "generators"):
    for f in ("gil", "nogil"):
        v = {}
        for side in ("old", "new"):
            xs = [int(open(p).read().split()[-1]) / 1024
                  for p in glob.glob(f"{out}/rss.{side}.{f}.{prog}.*")]
            v[side] = med(xs)
        rows.append((f"py:{prog} {f} peak RSS (MiB)", v["old"], v["new"]))
print(f"| measure | old | new | new/old |")
print(f"|---|---:|---:|---:|")
for name, a, b in rows:
    print(f"| {name} | {a:.4g} | {b:.4g} | {b / a:.3f} |")
EOF
