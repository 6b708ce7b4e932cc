#!/bin/sh
# tracemalloc_compare.sh — what tracing costs, old build against new, side
# by side: runs ftbench-tracemalloc-<flavor> of both builds in turn, RUNS
# times each, interleaved (old, new, old, new...) so that machine noise
# hits both alike, and prints per flavor the median over the runs of each
# run's median ratio traced / untraced (per allocation+free), for 1 frame
# and 10 frames.
#
# Usage: bench/tracemalloc_compare.sh OLD_BUILD NEW_BUILD [RUNS] [FLAVORS]
#   OLD_BUILD, NEW_BUILD  build folders holding bench/ftbench-tracemalloc-*
#   RUNS                  runs of each binary (default 5)
#   FLAVORS               default "gil nogil nogil-atomic"
#   QUICK=1               pass --quick (a tenth of the rounds)
set -eu
old=${1:?usage: $0 OLD_BUILD NEW_BUILD [RUNS] [FLAVORS]}
new=${2:?usage: $0 OLD_BUILD NEW_BUILD [RUNS] [FLAVORS]}
runs=${3:-5}
flavors=${4:-gil nogil nogil-atomic}
quick=${QUICK:+--quick}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: "<ratio 1 frame> <ratio 10 frames> <ns off>" from the table.
one() {
    "$1" $quick | awk '
        /^  off /            { off = $2 }
        /^  on, 1 frame /    { r1 = $6 }
        /^  on, 10 frames /  { r10 = $6 }
        END { sub("x", "", r1); sub("x", "", r10); print r1, r10, off }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-13s %-4s %10s %10s %10s   (median of %s interleaved runs)\n' \
    flavor build "off ns" "1 frame" "10 frames" "$runs"
for f in $flavors; do
    for b in old new; do : > "$tmp/$f.$b"; done
    i=0
    while [ "$i" -lt "$runs" ]; do
        one "$old/bench/ftbench-tracemalloc-$f" >> "$tmp/$f.old"
        one "$new/bench/ftbench-tracemalloc-$f" >> "$tmp/$f.new"
        i=$((i + 1))
    done
    for b in old new; do
        off=$(cut -d' ' -f3 "$tmp/$f.$b" | median)
        r1=$(cut -d' ' -f1 "$tmp/$f.$b" | median)
        r10=$(cut -d' ' -f2 "$tmp/$f.$b" | median)
        printf '%-13s %-4s %10s %9sx %9sx\n' "$f" "$b" "$off" "$r1" "$r10"
    done
done
