#!/usr/bin/env bash
# papers/gc-pauses/run.sh — cycle-collector pause times and peak RSS for a
# large cyclic heap with churn, gil vs nogil, first-generation thresholds
# 700 (CPython up to 3.12), 2000 (3.13 on) and 10000.
#
# One ftbench-gc process per configuration and round (--churn-only), so
# peak RSS is that configuration's; configurations interleaved, ROUNDS
# rounds; every number is the median over rounds. ftbench-gc's --summary
# line carries the numbers (key=value), so nothing here parses prose.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

# flavor:threshold0
CONFIGS=(gil:700 gil:2000 gil:10000 nogil:700 nogil:2000 nogil:10000 nogil-atomic:2000)
if [ "$QUICK" = 1 ]; then LIVE=250000 ROUNDS=2
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
    echo "nogil (one generation, as CPython's free-threaded build): every collection"
    echo "is full; it waits until new objects exceed a quarter of the survivors, so"
    echo "threshold 0 hardly matters at this heap size. Its p50 is a full collection:"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        [ "$f" = gil ] && continue
        echo "- $f, threshold $t: $(get "$c" full_n) collections, p50 $(fmt "$(get "$c" p50_ms)") ms," \
             "stop-the-world max $(fmt "$(get "$c" stw_max_ms)") ms, explicit full $(fmt "$(get "$c" explicit_full_ms)") ms"
    done
    echo
    echo "![pause percentiles](pauses.png)"
    echo "![peak RSS](rss.png)"
    echo
    echo "Raw: \`raw-<flavor>-t<threshold>-r<round>.txt\` (ftbench-gc output with its summary line)."
} | paper_append

{
    echo "# config p50 p90 p99 max rss"
    for c in "${CONFIGS[@]}"; do
        f=${c%%:*} t=${c#*:}
        echo "\"$f $t\" $(get "$c" p50_ms) $(get "$c" p90_ms) $(get "$c" p99_ms) $(get "$c" max_ms) $(get "$c" rss_mib)"
    done
} >"$OUT/pauses.dat"
paper_plot pauses.gp
paper_finish
