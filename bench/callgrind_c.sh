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

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=callgrind_lib.sh
. "$here/callgrind_lib.sh"
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

callgrind_fixhash "$work"

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

python3 "$here/callgrind_report.py" "$out" "$top" workload "$workloads" "${dirs[@]}"
