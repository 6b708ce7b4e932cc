#!/usr/bin/env bash
# bench/callgrind_py.sh — nogil ÷ gil on the Python suite in INSTRUCTIONS
# (valgrind --tool=callgrind), for a busy machine where wall times mean
# nothing, and the functions the nogil build spends its extra
# instructions in.
#
# Usage: bench/callgrind_py.sh [--top N] [--keep DIR] FTPY_DIR [FTPY_DIR ...]
#   FTPY_DIR   a directory with ftpy-gil and ftpy-nogil (build/release/ftpy,
#              or a baseline tree's) — several: one column group each
#   --top N    per program, the N functions with the most extra nogil
#              instructions (default 0: the table only); with it, the sum
#              over the programs too
#   --keep DIR keep the callgrind files in DIR (default: a temp dir)
#
# Each bench/py program runs once per interpreter at a small size (a few
# hundred million instructions: seconds under callgrind), on the main
# thread (harness.py: no --threads, so no second thread exists — the
# single-thread figure), and an empty program measures start-up. The
# runtime seeds str hashes from getrandom; a preloaded stub makes it fail,
# so the fixed key is used and the counts repeat exactly from run to run
# (with random keys dict probe lengths move them by about 1%).
# Ratios are instructions, not time: an atomic read-modify-write counts as
# one instruction but costs tens of cycles, so nogil's time ratio is
# higher than its instruction ratio where it still takes locks.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=callgrind_lib.sh
. "$here/callgrind_lib.sh"
top=0
keep=""
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
        --top) top=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) dirs+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
[ ${#dirs[@]} -gt 0 ] || { echo "usage: $0 [--top N] [--keep DIR] FTPY_DIR ..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "$0: valgrind not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${keep:-$work/cg}
mkdir -p "$out"

callgrind_fixhash "$work"
echo pass > "$work/empty.py"

# program and size: a few hundred million instructions under ftpy-gil
specs=("nbody 1000" "richards 1" "float 3000" "go 1" "generators 3000" "raytrace 60"
       "spectral_norm 30" "unpack_sequence 10000" "chaos 5000" "deltablue 50"
       "fannkuch 6 1" "nqueens 6" "empty")

n=0
for d in "${dirs[@]}"; do
    n=$((n + 1))
    for spec in "${specs[@]}"; do
        set -- $spec
        p=$1; shift
        prog="$here/py/$p.py"
        [ "$p" = empty ] && prog="$work/empty.py"
        for fl in gil nogil; do
            (cd "$here/py" && LD_PRELOAD="$work/fixhash.so" nice valgrind --tool=callgrind \
                --dump-instr=no --callgrind-out-file="$out/$n.$p.$fl.cg" \
                "$d/ftpy-$fl" "$prog" "$@" > "$out/$n.$p.$fl.out" 2> "$out/$n.$p.$fl.err") ||
                { echo "$0: $d/ftpy-$fl $p failed (see $out/$n.$p.$fl.err)" >&2; exit 1; }
        done
    done
done

names=$(printf '%s\n' "${specs[@]}" | cut -d' ' -f1 | paste -sd,)
python3 "$here/callgrind_report.py" "$out" "$top" program "$names" "${dirs[@]}"
