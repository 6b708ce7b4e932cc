#!/bin/sh
# bintrees_scaling.sh — issue 16's bintrees target (nogil, 2 threads over
# 1 >= 1.8x): ftbench's bintrees workload on 1 and 2 threads, for one or
# more builds, run interleaved (one run of every build per round, so that
# machine noise hits them alike) and reported as the median of the rounds,
# with the 2-thread speed-up of each build.
#
#     bench/bintrees_scaling.sh [ROUNDS] BUILD_DIR...
#
#   ROUNDS     rounds (default 5; odd is best); each round is one
#              `ftbench run --repeats 3` (itself a median) per build
#   BUILD_DIR  builds with bench/ftbench-$FLAVOR (e.g. a baseline first)
#   FLAVOR=f   nogil (default), nogil-atomic or gil
#   RT=1       run under SCHED_FIFO (chrt -f 10, needs root): on a
#              machine others share, the two workers then get both cores,
#              which is what a quiet machine measures
#   VERBOSE=1  also print every round's two times (stderr): the 2-thread
#              time can be bimodal (how the two workers' collections and
#              frees fall against each other), which a median hides
#
# Every run checks its trees (ftbench's self-check); a failed run aborts.
set -eu
rounds=5
case ${1:-} in [0-9]*) rounds=$1; shift ;; esac
[ $# -ge 1 ] || { echo "usage: $0 [ROUNDS] BUILD_DIR..." >&2; exit 2; }
flavor=${FLAVOR:-nogil}
prefix=
[ "${RT:-0}" = 1 ] && prefix="chrt -f 10"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ $i -lt "$rounds" ]; do
    n=0
    for b in "$@"; do
        prog=$b/bench/ftbench-$flavor
        [ -x "$prog" ] || { echo "$0: no $prog" >&2; exit 2; }
        out=$($prefix "$prog" run --workload bintrees --threads 1,2 --repeats 3 2>&1) ||
            { echo "$out" >&2; exit 1; }
        echo "$out" | awk '/ median /{print $(NF-3)}' | paste -sd' ' >>"$tmp/$n"
        [ "${VERBOSE:-0}" = 1 ] && echo "round $((i + 1)) $b: $(tail -n 1 "$tmp/$n")" >&2
        n=$((n + 1))
    done
    i=$((i + 1))
done
n=0
for b in "$@"; do
    sort -n -k1,1 "$tmp/$n" | awk -v r="$rounds" 'NR == int((r + 1) / 2) {print $1}' >"$tmp/m1"
    sort -n -k2,2 "$tmp/$n" | awk -v r="$rounds" 'NR == int((r + 1) / 2) {print $2}' >"$tmp/m2"
    printf '%s  %s  1 thread %s s  2 threads %s s  speed-up %s\n' "$b" "$flavor" \
        "$(cat "$tmp/m1")" "$(cat "$tmp/m2")" \
        "$(awk -v a="$(cat "$tmp/m1")" -v b="$(cat "$tmp/m2")" 'BEGIN {printf "%.2fx", a / b}')"
    n=$((n + 1))
done
