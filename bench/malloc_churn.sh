#!/bin/sh
# malloc_churn.sh — the libftmalloc table of issue 16 (item 4): each
# ftbench-malloc-churn scenario (window, larson, churn, xfer) on glibc,
# libftmalloc, an older libftmalloc if given, libmimalloc and libjemalloc
# (when installed), run interleaved (one run of every allocator per round,
# so that machine noise hits them alike) and reported as the median of the
# rounds, with ratios to mimalloc and glibc.
#
#     bench/malloc_churn.sh [BUILD_DIR] [ROUNDS]
#
#   BUILD_DIR  the build with bench/ftbench-malloc-churn and
#              shim/libftmalloc.so (default build/release)
#   ROUNDS     runs per allocator and scenario (default 5; odd is best)
#   OLD_FTMALLOC=path  also time that libftmalloc.so, as "ftmalloc-old"
#   OPS_SCALE=n        divide every scenario's --ops by n (quick looks)
#
# Every run self-checks (tags, sums, --expect); a failed run aborts the
# script. Output: one line per scenario and allocator: the median seconds,
# the fastest and slowest round's, "/mimalloc" (its median over
# mimalloc's; issue 16's targets: window and larson <= 1.2) and "glibc/it"
# (glibc's median over its: how many times faster than glibc; targets:
# window >= 1.5, xfer >= 3). Quote xfer with its round count: its glibc
# time can be bimodal (below), and 11 rounds or more settle its median.
set -eu
build=${1:-build/release}
rounds=${2:-5}
scale=${OPS_SCALE:-1}
prog=$build/bench/ftbench-malloc-churn
shim=$build/shim/libftmalloc.so
[ -x "$prog" ] || { echo "malloc_churn.sh: no $prog (build ftbench-malloc-churn)" >&2; exit 2; }
[ -f "$shim" ] || { echo "malloc_churn.sh: no $shim (build ftmalloc)" >&2; exit 2; }

find_lib() {
    for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
        for f in "$d"/$1; do
            [ -f "$f" ] && { echo "$f"; return 0; }
        done
    done
    return 0
}
mimalloc=$(find_lib 'libmimalloc.so*')
jemalloc=$(find_lib 'libjemalloc.so*')

# name:expect:preload
allocs="glibc:glibc: ftmalloc:ftmalloc:$shim"
[ -n "${OLD_FTMALLOC:-}" ] && allocs="$allocs ftmalloc-old:ftmalloc:$OLD_FTMALLOC"
[ -n "$mimalloc" ] && allocs="$allocs mimalloc:mimalloc:$mimalloc"
[ -n "$jemalloc" ] && allocs="$allocs jemalloc:jemalloc:$jemalloc"

# scenario:threads:ops
scenarios="window:1:20000000 larson:2:10000000 churn:1:2000000 xfer:2:2000000"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

run_one() {   # scenario threads ops name expect preload
    out=$(env ${6:+LD_PRELOAD=$6} "$prog" --scenario "$1" --threads "$2" \
              --ops "$3" --expect "$5") || {
        echo "malloc_churn.sh: $1 on $4 failed" >&2; exit 1; }
    echo "$out" | sed 's/.*"seconds": \([0-9.]*\).*/\1/' >> "$tmp/$1.$4"
}

r=0
while [ "$r" -lt "$rounds" ]; do
    for s in $scenarios; do
        IFS=: read -r scen threads ops <<EOF
$s
EOF
        ops=$((ops / scale))
        for a in $allocs; do
            IFS=: read -r name expect preload <<EOF
$a
EOF
            run_one "$scen" "$threads" "$ops" "$name" "$expect" "$preload"
        done
    done
    r=$((r + 1))
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The fastest and slowest round beside the median: some scenarios are
# bimodal on some machines (xfer on glibc ran 0.45 s or 1.1 s from one run
# to the next on a 2-core Intel VM: glibc/it was 1.8 over 5 rounds and
# 3.7 over 11), and a median of few rounds hides that.
range_of() { sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }

printf '%-8s %-13s %10s %13s %10s %10s\n' scenario allocator "median s" "range s" "/mimalloc" "glibc/it"
for s in $scenarios; do
    scen=${s%%:*}
    mi=""; gl=$(median "$tmp/$scen.glibc")
    [ -f "$tmp/$scen.mimalloc" ] && mi=$(median "$tmp/$scen.mimalloc")
    for a in $allocs; do
        name=$(echo "$a" | cut -d: -f1)
        m=$(median "$tmp/$scen.$name")
        awk -v s="$scen" -v n="$name" -v m="$m" -v r="$(range_of "$tmp/$scen.$name")" \
            -v mi="$mi" -v gl="$gl" 'BEGIN {
            printf "%-8s %-13s %10.4f %13s %10s %10.2f\n", s, n, m, r,
                   mi == "" ? "-" : sprintf("%.2f", m / mi), gl / m }'
    done
done
echo "($rounds interleaved rounds, medians and fastest-slowest; ops: window 20M x1, larson 10M x2, churn 2M x1, xfer 2M per pair${OPS_SCALE:+, divided by $scale})"
