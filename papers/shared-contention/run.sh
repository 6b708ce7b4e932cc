#!/usr/bin/env bash
# papers/shared-contention/run.sh — shared-object contention under biased
# reference counting: per-thread throughput at N threads relative to 1
# thread, for a private, a shared and an immortal hot object, in three
# operations (incref/decref, dict reads, attribute writes), per flavor.
#
# Every thread does the same work (--mode per-thread), so perfect scaling
# keeps the time per run constant: ratio = time(1 thread) / time(N threads)
# is 1.0 when threads do not disturb each other, 1/N under a GIL.
# Flavors run interleaved, ROUNDS times; each number is the median of the
# rounds' medians.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

OPS=(incref dict attr)
VARIANTS=(private shared immortal)
FLAVORS=(gil nogil nogil-atomic)
CONTENTION_OPS=10000   # operations per unit (bench/workloads/contention.c)

workload() {   # op variant -> ftbench workload name
    case $2 in
        private) echo "private-$1" ;;
        shared) echo "shared-$1" ;;
        immortal) echo "shared-$1-immortal" ;;
    esac
}
wls=()
for op in "${OPS[@]}"; do
    for v in "${VARIANTS[@]}"; do wls+=("$(workload "$op" "$v")"); done
done
WLS=$(IFS=,; echo "${wls[*]}")
TLIST=$(paper_thread_list)

# --quick keeps the full sizes (a run of the tiny --quick sizes lasts a few
# milliseconds, too short for a ratio on a shared machine) and does one
# round instead of three.
if [ "$QUICK" = 1 ]; then ROUNDS=1; else ROUNDS=3; fi
REPEATS=3 SIZE=()

for r in $(seq 1 "$ROUNDS"); do
    for f in "${FLAVORS[@]}"; do
        paper_log "round $r/$ROUNDS: $f, threads $TLIST"
        "$BENCH/ftbench-$f" run "${SIZE[@]}" --mode per-thread --threads "$TLIST" \
            --repeats "$REPEATS" --workload "$WLS" --json "$OUT/raw-$f-r$r.json" \
            >"$OUT/raw-$f-r$r.log" 2>&1 ||
            { echo "$SLUG: ftbench-$f failed (see $OUT/raw-$f-r$r.log)" >&2; exit 1; }
    done
done

# One line per (flavor, workload, threads): the median over rounds of the
# run's median seconds, and ns per operation per thread.
for f in "${FLAVORS[@]}"; do
    for r in $(seq 1 "$ROUNDS"); do
        jq -r --arg f "$f" '.results[] |
            [$f, .workload, .threads, .value_median, (.work / .threads)] | @tsv' \
            "$OUT/raw-$f-r$r.json"
    done
done >"$OUT/all.tsv"
sort -k1,1 -k2,2 -k3,3n "$OUT/all.tsv" | awk -F'\t' -v ops=$CONTENTION_OPS '
    function flush() { if (n) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        printf "%s\t%s\t%s\t%.9g\t%.3f\n", pf, pw, pt, m, m * 1e9 / (units * ops) } n = 0 }
    { key = $1 FS $2 FS $3
      if (key != pkey) { flush(); pkey = key; pf = $1; pw = $2; pt = $3 }
      # insertion into the sorted list v[1..n]
      x = $4 + 0; i = ++n; while (i > 1 && v[i - 1] > x) { v[i] = v[i - 1]; i-- } v[i] = x
      units = $5 }
    END { flush() }' >"$OUT/medians.tsv"

med() {   # flavor workload threads -> seconds
    awk -F'\t' -v f="$1" -v w="$2" -v t="$3" '$1 == f && $2 == w && $3 == t { print $4 }' "$OUT/medians.tsv"
}
nsop() {
    awk -F'\t' -v f="$1" -v w="$2" -v t="$3" '$1 == f && $2 == w && $3 == t { print $5 }' "$OUT/medians.tsv"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

paper_results_header "Shared-object contention in free-threaded CPython"
{
    echo "Per-thread throughput at N threads relative to 1 thread"
    echo "(time of a 1-thread run / time of an N-thread run, every thread doing"
    echo "the same work): **1.00 = perfect scaling**, 1/N = no parallelism at all."
    echo "Medians of $ROUNDS interleaved rounds of $REPEATS timed runs each."
    echo
    hdr="| operation | variant | flavor | ns/op, 1 thread |"
    sep="|---|---|---|---:|"
    for t in ${TLIST//,/ }; do
        [ "$t" = 1 ] && continue
        hdr+=" ns/op, $t threads | ratio at $t |"; sep+="---:|---:|"
    done
    echo "$hdr"; echo "$sep"
    for op in "${OPS[@]}"; do
        for v in "${VARIANTS[@]}"; do
            w=$(workload "$op" "$v")
            for f in "${FLAVORS[@]}"; do
                row="| $op | $v | $f | $(nsop "$f" "$w" 1) |"
                t1=$(med "$f" "$w" 1)
                for t in ${TLIST//,/ }; do
                    [ "$t" = 1 ] && continue
                    r=$(ratio "$t1" "$(med "$f" "$w" "$t")")
                    [ "$f" != gil ] && [ "$t" = "$THREADS" ] && r="**$r**"
                    row+=" $(nsop "$f" "$w" "$t") | $r |"
                done
                echo "$row"
            done
        done
    done
    echo
    echo "The same ratios at $THREADS threads side by side, with in parentheses the"
    echo "speed-up the CPython sources quote, N × ratio (ftscalingbench's"
    echo "\"x faster/slower\": N threads each running the work against one thread"
    echo "running it once; perfect = ${THREADS}×, below 1× = slower than one thread);"
    echo "then shared and immortal divided by private (the share of the private"
    echo "object's scaling that sharing keeps; it cancels a core taken by another"
    echo "program):"
    echo
    echo "| operation | flavor | private | shared | immortal | shared / private | immortal / private |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    for op in "${OPS[@]}"; do
        for f in "${FLAVORS[@]}"; do
            row="| $op | $f |"
            rs=()
            for v in "${VARIANTS[@]}"; do
                w=$(workload "$op" "$v")
                rs+=("$(ratio "$(med "$f" "$w" 1)" "$(med "$f" "$w" "$THREADS")")")
                row+=" ${rs[-1]} ($(awk -v r="${rs[-1]}" -v n="$THREADS" 'BEGIN { printf "%.2f", r * n }')×) |"
            done
            row+=" $(ratio "${rs[1]}" "${rs[0]}") | $(ratio "${rs[2]}" "${rs[0]}") |"
            echo "$row"
        done
    done
    echo
    echo "![scaling ratio per variant](scaling.png)"
    echo
    echo "Raw: \`raw-<flavor>-r<round>.json\` (ftbench/1), medians in \`medians.tsv\`."
} | paper_append

# Chart data: one row per (operation, variant), one column per flavor.
{
    echo "# label ${FLAVORS[*]}"
    for op in "${OPS[@]}"; do
        for v in "${VARIANTS[@]}"; do
            w=$(workload "$op" "$v")
            row="\"$op $v\""
            for f in "${FLAVORS[@]}"; do
                row+=" $(ratio "$(med "$f" "$w" 1)" "$(med "$f" "$w" "$THREADS")")"
            done
            echo "$row"
        done
    done
} >"$OUT/scaling.dat"
echo "$THREADS" >"$OUT/threads.txt"
paper_plot scaling.gp
paper_finish
