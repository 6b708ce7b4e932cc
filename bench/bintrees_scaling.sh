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
#   CEILING=1  also run two one-thread processes of each build at once and
#              report their combined speed over one alone (2 x the
#              1-thread time / their mean time): what this machine's two
#              cores give the same work with nothing shared, the ceiling
#              against which the 2-thread speed-up reads (same medians)
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

# two_processes PROG: the mean of two one-thread runs started together.
two_processes() {
    $prefix "$1" run --workload bintrees --threads 1 --repeats 3 >"$tmp/pa" 2>&1 &
    pid=$!
    $prefix "$1" run --workload bintrees --threads 1 --repeats 3 >"$tmp/pb" 2>&1 ||
        { cat "$tmp/pb" >&2; exit 1; }
    wait "$pid" || { cat "$tmp/pa" >&2; exit 1; }
    cat "$tmp/pa" "$tmp/pb" | awk '/ median /{s += $(NF-3); n++} END {print s / n}'
}

# median FILE COLUMN ROUNDS
median() {
    sort -n -k"$2","$2" "$1" | awk -v r="$3" -v c="$2" 'NR == int((r + 1) / 2) {print $c}'
}
i=0
while [ $i -lt "$rounds" ]; do
    n=0
    for b in "$@"; do
        prog=$b/bench/ftbench-$flavor
        [ -x "$prog" ] || { echo "$0: no $prog" >&2; exit 2; }
        out=$($prefix "$prog" run --workload bintrees --threads 1,2 --repeats 3 2>&1) ||
            { echo "$out" >&2; exit 1; }
        echo "$out" | awk '/ median /{print $(NF-3)}' | paste -sd' ' >>"$tmp/$n"
        [ "${CEILING:-0}" = 1 ] && two_processes "$prog" >>"$tmp/c$n"
        [ "${VERBOSE:-0}" = 1 ] && echo "round $((i + 1)) $b: $(tail -n 1 "$tmp/$n")" >&2
        n=$((n + 1))
    done
    i=$((i + 1))
done
n=0
for b in "$@"; do
    m1=$(median "$tmp/$n" 1 "$rounds")
    m2=$(median "$tmp/$n" 2 "$rounds")
    printf '%s  %s  1 thread %s s  2 threads %s s  speed-up %s' "$b" "$flavor" "$m1" "$m2" \
        "$(awk -v a="$m1" -v b="$m2" 'BEGIN {printf "%.2fx", a / b}')"
    if [ "${CEILING:-0}" = 1 ]; then
        mc=$(median "$tmp/c$n" 1 "$rounds")
        printf '  two processes %s s each: %s' "$mc" \
            "$(awk -v a="$m1" -v c="$mc" 'BEGIN {printf "%.2fx", 2 * a / c}')"
    fi
    printf '\n'
    n=$((n + 1))
done
