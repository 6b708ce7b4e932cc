#!/usr/bin/env bash
# papers/gc-pauses/run.sh — cycle-collector pause times and peak RSS for a
# large cyclic heap with churn, gil vs nogil, first-generation thresholds
# 700 (CPython up to 3.12), 2000 (3.13 on) and 10000.
#
# One ftbench-gc process per configuration and round (--churn-only), so
# peak RSS is that configuration's; configurations interleaved, ROUNDS
# rounds; every number is the median over rounds. ftbench-gc's --summary
# line carries the numbers (key=value), so nothing here parses prose.
# Then pyperformance's gc_collect and gc_traversal in Python (gc_collect.py,
# gc_traversal.py) on every ftpy flavor and CPython.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

# flavor:threshold0
CONFIGS=(gil:700 gil:2000 gil:10000 nogil:700 nogil:2000 nogil:10000 nogil-atomic:2000)
if [ "$SMOKE" = 1 ]; then LIVE=20000 ROUNDS=1
    CONFIGS=(gil:700 gil:2000 nogil:2000)
elif [ "$QUICK" = 1 ]; then LIVE=250000 ROUNDS=2
else LIVE=1000000 ROUNDS=5; fi
CYCLES=$((3 * LIVE))   # enough promoted survivors for gil to run full collections

for r in $(seq 1 "$ROUNDS"); do
    paper_log "round $r/$ROUNDS: ${#CONFIGS[@]} configurations, live heap $LIVE, $CYCLES cycles"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        raw=$OUT/raw-$f-t$t-r$r.txt
        "$BENCH/ftbench-gc-$f" --churn-only --live "$LIVE" --cycles "$CYCLES" \
            --threshold "$t" --summary >"$raw" 2>&1 ||
            { echo "$SLUG: ftbench-gc-$f failed (see $raw)" >&2; exit 1; }
    done
done

# ---- pyperformance's gc_collect and gc_traversal in Python --------------------
paper_py_interps
if [ "$SMOKE" = 1 ]; then
    PY_SIZE=(--quick --warmup 0 --repeats 1) PY_ARGS=(--loops=2)
elif [ "$QUICK" = 1 ]; then
    PY_SIZE=(--quick --warmup 0 --repeats 2) PY_ARGS=()
else
    PY_SIZE=(--warmup 1 --repeats 5) PY_ARGS=()
fi
for prog in gc_collect gc_traversal; do
    for in in "${PY_INTERPS[@]}"; do
        paper_log "Python $prog: $in"
        paper_py_as "py-$prog-$in" "$in" "py:$PAPER_DIR/$prog.py" \
            --threads 1 "${PY_SIZE[@]}" -- ${PY_ARGS[@]+"${PY_ARGS[@]}"}
    done
done
pyms() {   # program interpreter metric -> median, or nothing
    if [ -e "$OUT/py-$1-$2.json" ]; then paper_py_metric "$OUT/py-$1-$2.json" "$3"; fi
}

# config key value, one line per summary field and round.
for c in "${CONFIGS[@]}"; do
    f=${c%%:*} t=${c#*:}
    for r in $(seq 1 "$ROUNDS"); do
        sed -n 's/^summary //p' "$OUT/raw-$f-t$t-r$r.txt" | tr ' ' '\n' |
            awk -F= -v c="$c" 'NF == 2 { print c, $1, $2 }'
    done
done >"$OUT/all.txt"

# The median over rounds of one key of one configuration.
get() {
    awk -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3 }' "$OUT/all.txt" | paper_median
}
fmt() { awk -v x="$1" 'BEGIN { if (x >= 10) printf "%.1f", x; else if (x >= 1) printf "%.2f", x; else printf "%.3f", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.0f×", a / b; else print "—" }'; }

# The Python section's text and table (paper_py_section).
py_section() {
    echo "One explicit \`gc.collect()\`, ms (median of each process's collections, then"
    echo "of the runs): gc_collect frees 100 rings of 21 Node instances (pyperformance's"
    echo "bm_gc_collect); gc_traversal walks a live structure of nested lists that it"
    echo "must not free (bm_gc_traversal; $([ "$QUICK" = 1 ] && echo "500 levels with --quick" || echo "1,000 levels"))."
    echo "\`ftbench-<flavor> run --workload py:papers/gc-pauses/<program>.py ${PY_SIZE[*]}\`;"
    echo "raw: \`py-<program>-<interpreter>.json\`."
    echo
    echo "| interpreter | gc_collect ms | min | max | gc_traversal ms | min | max | peak RSS MiB (traversal) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for in in "${PY_INTERPS[@]}"; do
        echo "| $in | $(pyms gc_collect "$in" collect_ms) | $(pyms gc_collect "$in" collect_min_ms) |" \
             "$(pyms gc_collect "$in" collect_max_ms) | $(pyms gc_traversal "$in" traversal_ms) |" \
             "$(pyms gc_traversal "$in" traversal_min_ms) | $(pyms gc_traversal "$in" traversal_max_ms) |" \
             "$(pyms gc_traversal "$in" rss_mib) |"
    done
}

paper_results_header "GC pauses: generational collection, thresholds, gil vs nogil"
live_objs=$(get gil:2000 live)
{
    echo "A live heap of $live_objs objects (two-node cycles, all reachable) and a"
    echo "loop of $CYCLES iterations making a two-node cycle each; one in 8 lives"
    echo "about $LIVE allocations (promoted, then dies old), the rest die young;"
    echo "each iteration also makes a list that lives ~3,000 allocations and dies"
    echo "by reference count."
    echo "Pauses of every automatic collection during the loop (exact, from a gc"
    echo "callback); medians of $ROUNDS rounds, one process per configuration"
    echo "and round."
    echo
    echo "| flavor | threshold 0 | collections (young + full) | p50 ms | p90 ms | p99 ms | max ms | GC total ms | loop ms | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        echo "| $f | $t | $(get "$c" young_n) + $(get "$c" full_n) | $(fmt "$(get "$c" p50_ms)") |" \
             "$(fmt "$(get "$c" p90_ms)") | $(fmt "$(get "$c" p99_ms)") | $(fmt "$(get "$c" max_ms)") |" \
             "$(fmt "$(get "$c" gc_total_ms)") | $(fmt "$(get "$c" churn_ms)") | $(get "$c" rss_mib) |"
    done
    echo
    echo "What an incremental collector would buy (ftlab has none): the gil build's"
    echo "longest pause is its rare full collection; an incremental one splits that"
    echo "work into young-sized pieces, so its max pause would be near the young"
    echo "collections'. The ratio is the factor at stake."
    echo
    echo "| flavor | threshold 0 | young p50 ms | young max ms | full max ms (automatic) | explicit full ms (live heap only) | full max / young p50 | explicit full / young p50 |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        [ "$f" = gil ] || continue
        yp=$(get "$c" young_p50_ms) ym=$(get "$c" young_max_ms) fm=$(get "$c" full_max_ms)
        ef=$(get "$c" explicit_full_ms)
        echo "| $f | $t | $(fmt "$yp") | $(fmt "$ym") | $(fmt "$fm") | $(fmt "$ef") |" \
             "**$(ratio "$fm" "$yp")** | $(ratio "$ef" "$yp") |"
    done
    echo
    echo "(— : no automatic full collection in the loop, in the median round.)"
    echo
    echo "nogil: a young generation with gil's thresholds (CPython's free-threaded"
    echo "build has none), and a full collection only when the objects made old since"
    echo "the last one exceed a quarter of those it left, as gil's; every collection"
    echo "is a stop-the-world pause. Its full collections and longest pause:"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        [ "$f" = gil ] && continue
        echo "- $f, threshold $t: $(get "$c" full_n) full collections, p50 $(fmt "$(get "$c" p50_ms)") ms," \
             "stop-the-world max $(fmt "$(get "$c" stw_max_ms)") ms, explicit full $(fmt "$(get "$c" explicit_full_ms)") ms"
    done
    echo
    echo "![pause percentiles](pauses.png)"
    echo "![peak RSS](rss.png)"
    echo
    echo "Raw: \`raw-<flavor>-t<threshold>-r<round>.txt\` (ftbench-gc output with its summary line)."
    echo
    paper_py_section "Python: pyperformance's gc_collect and gc_traversal" \
        "${#PY_INTERPS[@]}" py_section
} | paper_append

# ---- The quantities the claims test (claims.json) -------------------------------
paper_quantity c_gil_young_700_over_2000 "$(paper_div "$(get gil:700 young_n)" "$(get gil:2000 young_n)")"
paper_quantity c_gil_gctime_2000_over_700 "$(paper_div "$(get gil:2000 gc_total_ms)" "$(get gil:700 gc_total_ms)")"
paper_quantity c_gil_p50_over_max_2000 "$(paper_div "$(get gil:2000 p50_ms)" "$(get gil:2000 max_ms)")"
for in in "${PY_INTERPS[@]}"; do
    q=${in//-/_}
    paper_quantity "py_${q}_gc_collect_ms" "$(pyms gc_collect "$in" collect_ms)"
    paper_quantity "py_${q}_gc_traversal_ms" "$(pyms gc_traversal "$in" traversal_ms)"
done

{
    echo "# config p50 p90 p99 max rss"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        echo "\"$f $t\" $(get "$c" p50_ms) $(get "$c" p90_ms) $(get "$c" p99_ms) $(get "$c" max_ms) $(get "$c" rss_mib)"
    done
} >"$OUT/pauses.dat"
paper_plot pauses.gp
paper_finish
