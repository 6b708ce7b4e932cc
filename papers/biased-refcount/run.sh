#!/usr/bin/env bash
# papers/biased-refcount/run.sh — Choi, Shull, Torrellas, "Biased Reference
# Counting", PACT 2018: the owner's RC operation is much cheaper than an
# atomic one, and that shows in whole programs (README.md).
#
#   (a) per operation: incref+decref of an owned, a non-owner ("shared") and
#       an immortal object, ftbench-micro-{gil,nogil,nogil-atomic}
#   (b) whole workloads: ftbench-{gil,nogil,nogil-atomic} on the CPU-bound
#       suite and the shared-object workloads, 1 and --threads threads,
#       flavors interleaved round by round, medians of all samples
#   (c) which path every RC operation took: the same workloads once on an
#       FT_RC_STATS build (counts only; its times are not used)
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

FLAVORS="gil nogil nogil-atomic"
SUITE="bintrees nbody dictwords listsort str-concat str-join tuple-churn"
SHARED="shared-incref shared-dict shared-attr"
WORKLOADS=$(echo $SUITE $SHARED | tr ' ' ,)
# (--smoke: the CPU suite only, one thread)
if [ "$SMOKE" = 1 ]; then SHARED="" WORKLOADS=$(echo $SUITE | tr ' ' ,); fi
THREAD_ARG=1
[ "$THREADS" -gt 1 ] && THREAD_ARG="1,$THREADS"
REPEATS=3   # timed runs per invocation; ROUNDS invocations per flavor
if [ "$SMOKE" = 1 ]; then
    ROUNDS=1 SIZE=--validate MICRO_MIN=0.01 REPEATS=1 THREAD_ARG=1   # smallest sizes, once
elif [ "$QUICK" = 1 ]; then
    ROUNDS=1 SIZE=--quick MICRO_MIN=0.05
else
    ROUNDS=3 SIZE="" MICRO_MIN=0.2
fi

# ---- (a) per-operation cost ------------------------------------------------
for r in $(seq "$ROUNDS"); do
    for f in $FLAVORS; do
        paper_log "micro round $r/$ROUNDS: $f"
        "$BENCH/ftbench-micro-$f" --benchmark_filter='^refcount/' \
            --benchmark_repetitions=3 --benchmark_min_time=$MICRO_MIN \
            --benchmark_out="$OUT/micro-$f-r$r.json" --benchmark_out_format=json \
            >"$OUT/micro-$f-r$r.txt" 2>&1
    done
done
# flavor|object ns-per-pair
for f in $FLAVORS; do
    for r in $(seq "$ROUNDS"); do cat "$OUT/micro-$f-r$r.json"; done |
        jq -r --arg f "$f" '.benchmarks[] | select(.run_type == "iteration")
        | "\($f)|\(.name | sub("refcount/"; "")) \(.per_op * 1e9)"'
done | paper_medians_by_key >"$OUT/micro-medians.txt"
micro() { awk -v k="$1|$2" '$1 == k { print $2 }' "$OUT/micro-medians.txt"; }

# ---- (b) whole workloads, flavors interleaved --------------------------------
for r in $(seq "$ROUNDS"); do
    for f in $FLAVORS; do
        paper_log "workloads round $r/$ROUNDS: $f (threads $THREAD_ARG)"
        "$BENCH/ftbench-$f" run --workload "$WORKLOADS" --threads "$THREAD_ARG" \
            --repeats $REPEATS $SIZE --json "$OUT/ftbench-$f-r$r.json" \
            >"$OUT/ftbench-$f-r$r.txt" 2>&1
    done
done
# flavor|workload|threads median-seconds
for f in $FLAVORS; do
    for r in $(seq "$ROUNDS"); do cat "$OUT/ftbench-$f-r$r.json"; done |
        jq -r --arg f "$f" '.results[] | . as $r | .samples_ns[] | "\($f)|\($r.workload)|\($r.threads) \(. / 1e9)"'
done | tee "$OUT/workload-samples.txt" | paper_medians_by_key >"$OUT/workload-medians.txt"
# The fastest run of each, a second view that a busy machine disturbs less.
sort -k1,1 -k2,2g "$OUT/workload-samples.txt" | awk '$1 != k { k = $1; print }' \
    >"$OUT/workload-minima.txt"

# ---- (c) the path of every RC operation (FT_RC_STATS build) -----------------
# (--smoke makes no extra build: (c) is left out)
[ "$SMOKE" = 1 ] || RCB=$(paper_build rcstats "-DFT_RC_STATS=ON" ftbench-nogil ftbench-nogil-atomic)
[ "$SMOKE" = 1 ] || for f in nogil nogil-atomic; do
    paper_log "RC path counts: $f (FT_RC_STATS build)"
    "$RCB/ftbench-$f" run --workload "$WORKLOADS" --threads "$THREAD_ARG" \
        --repeats 1 $SIZE --json "$OUT/rcstats-$f.json" >"$OUT/rcstats-$f.txt" 2>&1
done
# workload|threads fast atomic immortal queued merged (per run)
if [ "$SMOKE" = 0 ]; then
jq -r '.results[] | .metrics as $m | "\(.workload)|\(.threads) \($m.rc_fast)
    \($m.rc_atomic) \($m.rc_immortal) \($m.rc_queued) \($m.rc_merged)" | gsub("\n *"; " ")' \
    "$OUT/rcstats-nogil.json" >"$OUT/rc-counts-nogil.txt"
jq -r '.results[] | "\(.workload)|\(.threads) \(.metrics.rc_atomic)"' \
    "$OUT/rcstats-nogil-atomic.json" >"$OUT/rc-counts-nogil-atomic.txt"
fi

# ---- results.md ----------------------------------------------------------------
paper_results_header "Biased reference counting (Choi, Shull, Torrellas, PACT 2018)"

OWN_ATOMIC=$(micro nogil-atomic owned) OWN_NOGIL=$(micro nogil owned)
{
    echo "## (a) Cost of one incref+decref pair (ns, median)"
    echo
    echo "ftbench-micro-<flavor>, Google Benchmark, $ROUNDS round(s) × 3 repetitions"
    echo "per flavor, flavors interleaved; raw: \`micro-<flavor>-r<N>.json\`."
    echo
    echo "| object | gil | nogil (biased) | nogil-atomic | nogil-atomic ÷ nogil | nogil ÷ gil |"
    echo "|---|---:|---:|---:|---:|---:|"
    for o in owned shared immortal; do
        awk -v o="$o" -v g="$(micro gil $o)" -v n="$(micro nogil $o)" \
            -v a="$(micro nogil-atomic $o)" 'BEGIN {
            printf "| %s | %.2f | %.2f | %.2f | %.1f× | %.2f× |\n", o, g, n, a, a / n, n / g }'
    done
    echo
    echo "owned: made by the benchmark thread (nogil: the owner's non-atomic path);"
    echo "shared: made by another live thread (nogil: the non-owner's atomic path;"
    echo "gil: an ordinary object under the GIL); immortal: None, skipped by all."
    echo
} | paper_append

# The suite's and the shared workloads' rows, with geomeans per thread count.
wtime() { awk -v k="$1|$2|$3" '$1 == k { print $2 }' "$OUT/workload-medians.txt"; }
wmin() { awk -v k="$1|$2|$3" '$1 == k { print $2 }' "$OUT/workload-minima.txt"; }
{
    echo "## (b) Whole workloads: median seconds per run"
    echo
    echo "ftbench-<flavor> run ${SIZE:+$SIZE }--repeats $REPEATS, $ROUNDS round(s), flavors interleaved;"
    echo "the median of all $((ROUNDS * REPEATS)) timed runs. \"saved\" = 1 − nogil ÷ nogil-atomic,"
    echo "the paper's \"reduction in execution time\" of BRC over atomic RC."
    echo
    echo "| workload | threads | gil | nogil | nogil-atomic | nogil-atomic ÷ nogil | saved |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for t in ${THREAD_ARG//,/ }; do
        for group in suite shared; do
            list=$SUITE; [ $group = shared ] && list=$SHARED
            for w in $list; do
                echo "$w $t $(wtime gil $w $t) $(wtime nogil $w $t) $(wtime nogil-atomic $w $t)"
            done | awk -v grp="$group" '
                { printf "| %s | %d | %.4f | %.4f | %.4f | %.2f× | %.1f%% |\n",
                      $1, $2, $3, $4, $5, $5 / $4, 100 * (1 - $4 / $5)
                  s += log($5 / $4); n++; t = $2 }
                END { g = exp(s / n)
                      printf "| **geomean, %s** | %d | | | | **%.2f×** | **%.1f%%** |\n",
                          grp == "suite" ? "CPU suite" : "shared objects", t, g, 100 * (1 - 1 / g) }'
            for w in $list; do
                echo "$(wmin nogil $w $t) $(wmin nogil-atomic $w $t)"
            done | awk -v t="$t" '{ s += log($2 / $1); n++ }
                END { g = exp(s / n)
                      printf "| geomean of the fastest runs | %d | | | | %.2f× | %.1f%% |\n", t, g, 100 * (1 - 1 / g) }'
        done
    done
    echo
    echo "\"fastest runs\" rows use each measurement's fastest run instead of its median:"
    echo "other processes only ever add time, so when they disagree with the medians the"
    echo "machine was busy."
    echo
    echo "Raw: \`ftbench-<flavor>-r<N>.json\`."
    echo
} | paper_append

[ "$SMOKE" = 1 ] || {
    echo "## (c) Which path the RC operations took (nogil, FT_RC_STATS build)"
    echo
    echo "Counts per run from one invocation of the FT_RC_STATS build (\`rcstats-nogil.json\`;"
    echo "its times are not used). owner = non-atomic fast path; non-owner = atomic"
    echo "add on ob_ref_shared; immortal = skipped. Operations on liburcu's call_rcu"
    echo "thread are not counted. \"predicted\" = owner ops × the per-op saving of (a)"
    printf "((%.2f − %.2f) ns per pair ÷ 2); \"measured\" = nogil-atomic − nogil\n" "$OWN_ATOMIC" "$OWN_NOGIL"
    echo "from (b)."
    echo
    echo "| workload | threads | RC ops/run | immortal | owner (of counted) | non-owner | queued | merged | atomic ops/run in nogil-atomic | predicted Δ ms | measured Δ ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for t in ${THREAD_ARG//,/ }; do
        for w in $SUITE $SHARED; do
            c=$(awk -v k="$w|$t" '$1 == k { print $2, $3, $4, $5, $6 }' "$OUT/rc-counts-nogil.txt")
            a=$(awk -v k="$w|$t" '$1 == k { print $2 }' "$OUT/rc-counts-nogil-atomic.txt")
            echo "$w $t $c $a $(wtime nogil $w $t) $(wtime nogil-atomic $w $t)"
        done
    done | awk -v pa="$OWN_ATOMIC" -v pn="$OWN_NOGIL" '
        { fast = $3; at = $4; imm = $5; tot = fast + at + imm; counted = fast + at
          pred = fast * (pa - pn) / 2 / 1e6
          printf "| %s | %d | %.3g | %.1f%% | **%.2f%%** | %.2f%% | %.0f | %.0f | %.3g | %.1f | %.1f |\n",
              $1, $2, tot, 100 * imm / tot, counted ? 100 * fast / counted : 0,
              counted ? 100 * at / counted : 0, $6, $7, $8, pred, ($10 - $9) * 1e3 }'
    echo
} | paper_append

# ---- charts -------------------------------------------------------------------
for o in owned shared immortal; do
    echo "$o $(micro gil $o) $(micro nogil $o) $(micro nogil-atomic $o)"
done >"$OUT/per-op.dat"
for w in $SUITE $SHARED; do
    echo "$w $(wtime gil $w 1) $(wtime nogil $w 1) $(wtime nogil-atomic $w 1)"
done | awk '{ print $1, $2 / $3, 1, $4 / $3 }' >"$OUT/workloads.dat"
[ "$SMOKE" = 1 ] || for t in ${THREAD_ARG//,/ }; do
    awk -F'[| ]' -v t="$t" '$2 == t { tot = $3 + $4 + $5
        print $1 "/" t, 100 * $3 / tot, 100 * $4 / tot, 100 * $5 / tot }' \
        "$OUT/rc-counts-nogil.txt"
done >"$OUT/rc-paths.dat"
paper_plot per-op.gp
paper_plot workloads.gp
[ "$SMOKE" = 1 ] || paper_plot rc-paths.gp
{
    echo "## Charts"
    echo
    echo "![per-operation cost](per-op.png)"
    echo "![workload time relative to nogil](workloads.png)"
    echo "![RC operations by path](rc-paths.png)"
} | paper_append

# ---- The quantities the claims test (claims.json) -------------------------------
paper_quantity c_atomic_over_owner_pair "$(paper_div "$OWN_ATOMIC" "$OWN_NOGIL")"
# 1 − nogil ÷ nogil-atomic over the CPU suite at 1 thread (geomean): the
# paper's "reduction in execution time"
paper_quantity c_saved_suite_1thr "$(for w in $SUITE; do echo "$(wtime nogil $w 1) $(wtime nogil-atomic $w 1)"; done |
    awk 'NF == 2 && $1 > 0 && $2 > 0 { s += log($2 / $1); n++ } END { if (n) printf "%.6f", 1 - exp(-s / n) }')"
if [ "$SMOKE" = 0 ]; then
    # the owner's share of the counted RC operations, all suite workloads at 1 thread
    paper_quantity c_owner_share_suite_1thr "$(for w in $SUITE; do
        awk -v k="$w|1" '$1 == k { print $2, $3 }' "$OUT/rc-counts-nogil.txt"; done |
        awk '{ f += $1; a += $2 } END { if (f + a > 0) printf "%.6f", f / (f + a) }')"
fi
paper_finish
