#!/usr/bin/env bash
# bench/callgrind_c.sh — nogil ÷ gil on the C suite in INSTRUCTIONS
# (valgrind --tool=callgrind), for a busy machine where wall times mean
# little, and the functions the nogil build spends its extra instructions
# in. The C-suite companion of bench/callgrind_py.sh.
#
# Usage: bench/callgrind_c.sh [--top N] [--keep DIR] [--workloads W,W...]
#                             BENCH_DIR [BENCH_DIR ...]
#   BENCH_DIR    a directory with ftbench-gil and ftbench-nogil
#                (build/release/bench, or a baseline tree's) — several:
#                one column group each
#   --top N      per workload, the N functions with the most extra nogil
#                instructions (default 0: the table only)
#   --keep DIR   keep the callgrind files in DIR (default: a temp dir)
#   --workloads  the C workloads to run (default: the quick run's C suite
#                below; countdown alone is ~9e9 instructions, minutes
#                under callgrind)
#
# Each workload runs once per build with --threads 1 --quick (one timed
# run, one thread: ftbench's single-thread figure). str hashes are seeded
# from getrandom; a preloaded stub makes it fail, so the fixed key is used
# and dictwords' probe lengths (and its counts) repeat from run to run.
# Ratios are instructions, not time: an atomic read-modify-write (a lock,
# a shared mark, a merge) counts as one instruction but costs tens of
# cycles, so nogil's time ratio is higher than its instruction ratio where
# it takes locks or marks.
set -euo pipefail

top=0
keep=""
workloads="bintrees,nbody,dictwords,listsort,str-concat,str-join,tuple-churn,countdown"
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
        --top) top=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --workloads) workloads=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) dirs+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
[ ${#dirs[@]} -gt 0 ] ||
    { echo "usage: $0 [--top N] [--keep DIR] [--workloads W,...] BENCH_DIR ..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "$0: valgrind not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${keep:-$work/cg}
mkdir -p "$out"

cat > "$work/fixhash.c" <<'EOF'
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
ssize_t getrandom(void *buf, size_t n, unsigned flags)
{
    (void)buf; (void)n; (void)flags;
    errno = EAGAIN;
    return -1;
}
EOF
cc -O2 -shared -fPIC "$work/fixhash.c" -o "$work/fixhash.so"

IFS=, read -r -a wl <<< "$workloads"
n=0
for d in "${dirs[@]}"; do
    n=$((n + 1))
    for w in "${wl[@]}"; do
        for fl in gil nogil; do
            LD_PRELOAD="$work/fixhash.so" nice valgrind --tool=callgrind \
                --dump-instr=no --callgrind-out-file="$out/$n.$w.$fl.cg" \
                "$d/ftbench-$fl" run --workload "$w" --threads 1 --quick \
                > "$out/$n.$w.$fl.out" 2> "$out/$n.$w.$fl.err" ||
                { echo "$0: $d/ftbench-$fl $w failed (see $out/$n.$w.$fl.err)" >&2; exit 1; }
        done
    done
done

python3 - "$out" "$top" "$workloads" "${dirs[@]}" <<'EOF'
import math, re, subprocess, sys
out, top, progs, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4:]

def total(f):
    for line in open(f.replace(".cg", ".err")):
        m = re.search(r"refs:\s+([\d,]+)", line)
        if m:
            return int(m.group(1).replace(",", ""))
    raise SystemExit("no total in " + f)

def functions(f):
    """Self instructions per function; gcc's clones folded into their
    function, as the flavors clone differently."""
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

print("| workload |" + "".join(" gil (%d) | nogil (%d) | ratio |" % (i, i)
                                for i in range(1, len(dirs) + 1)))
print("|---|" + "---:|" * 3 * len(dirs))
logs = [[] for _ in dirs]
for p in progs:
    row = "| %s |" % p
    for i in range(len(dirs)):
        g = total("%s/%d.%s.gil.cg" % (out, i + 1, p))
        n = total("%s/%d.%s.nogil.cg" % (out, i + 1, p))
        row += " %.1fM | %.1fM | %.3f |" % (g / 1e6, n / 1e6, n / g)
        logs[i].append(math.log(n / g))
    print(row)
print("| geomean (%d) |" % len(progs) +
      "".join(" | | %.3f |" % math.exp(sum(l) / len(l)) for l in logs))
for i, d in enumerate(dirs):
    print("(%d) %s" % (i + 1, d))
if top <= 0:
    sys.exit(0)
for i in range(len(dirs)):
    print("\n(%d) extra nogil instructions by function (self; share of the extra)" % (i + 1))
    for p in progs:
        a = functions("%s/%d.%s.gil.cg" % (out, i + 1, p))
        b = functions("%s/%d.%s.nogil.cg" % (out, i + 1, p))
        e = sum(b.values()) - sum(a.values())
        diff = {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b)}
        best = sorted(diff.items(), key=lambda kv: -kv[1])[:top]
        print("  %s (%+.1fM): %s" % (p, e / 1e6, ", ".join(
            "%s %+.1fM" % (k, v / 1e6) for k, v in best)))
EOF
