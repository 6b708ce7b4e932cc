#!/usr/bin/env bash
# papers/pep703-overhead/run.sh — PEP 703 (Gross, 2023): the free-threaded
# build's single-thread overhead, and where it comes from (README.md).
#
# The CPU-bound suite on one thread, gil vs nogil, and nogil with one
# component toggled at a time:
#   nogil-atomic          biased RC replaced by atomic RC (its alternative)
#   FT_GIL=1              the GIL switched on inside the nogil build
#   no object locks       a build with -DFT_NO_OBJECT_LOCKS=ON (critical
#                         sections compiled out; valid for one thread only)
#   GC off                FT_GC_THRESHOLD=0 in both flavors (no automatic
#                         collection: nogil's stop-the-world whole-heap
#                         collections vs gil's generational ones)
#   mimalloc              FT_MALLOC=mimalloc in both flavors (one allocator
#                         for both instead of obmalloc vs per-thread pools)
#   no locks + GC off     the two biggest toggles together
#   GC trigger 3.11       FT_GC_DEFER=0 in nogil: CPython 3.11's trigger
#                         (threshold 0 alone) instead of 3.14t's, which
#                         defers young collections while memory has not
#                         grown (docs/architecture.md, "The trigger")
# Every configuration runs once per round, rounds interleaved; a
# configuration's time is the median of all its timed runs. Then the same
# configurations on the Python suite (bench/py, ftbench's py:NAME
# workloads) with ftpy-gil and ftpy-nogil of the same builds.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

SUITE="bintrees nbody dictwords listsort str-concat str-join tuple-churn"
WORKLOADS=$(echo $SUITE | tr ' ' ,)
if [ "$SMOKE" = 1 ]; then
    ROUNDS=1 SIZE=--validate MICRO_MIN=0.01 REPEATS=1   # smallest sizes, once
elif [ "$QUICK" = 1 ]; then
    ROUNDS=2 SIZE=--quick MICRO_MIN=0.05 REPEATS=2
else
    ROUNDS=4 SIZE="" MICRO_MIN=0.2 REPEATS=3
fi

# The no-locks build also makes ftpy-nogil, for the Python suite. --smoke
# makes no extra build: the no-locks configurations are left out.
if [ "$SMOKE" = 1 ]; then
    NOLOCKS=""
else
    NOLOCKS=$(paper_build nolocks "-DFT_NO_OBJECT_LOCKS=ON" ftbench-nogil ftpy-nogil)
fi

# label  program  environment (what the label means is in the README)
CONFIGS=(
    "gil            $BENCH/ftbench-gil           -"
    "nogil          $BENCH/ftbench-nogil         -"
    "nogil-atomic   $BENCH/ftbench-nogil-atomic  -"
    "nogil-gil1     $BENCH/ftbench-nogil         FT_GIL=1"
    "nogil-nolocks  $NOLOCKS/ftbench-nogil       -"
    "gil-gcoff      $BENCH/ftbench-gil           FT_GC_THRESHOLD=0"
    "nogil-gcoff    $BENCH/ftbench-nogil         FT_GC_THRESHOLD=0"
    "gil-mimalloc   $BENCH/ftbench-gil           FT_MALLOC=mimalloc"
    "nogil-mimalloc $BENCH/ftbench-nogil         FT_MALLOC=mimalloc"
    "nogil-nolocks-gcoff $NOLOCKS/ftbench-nogil  FT_GC_THRESHOLD=0"
    "nogil-defer0   $BENCH/ftbench-nogil         FT_GC_DEFER=0"
)
if [ "$SMOKE" = 1 ]; then
    # gil, nogil and nogil-atomic: the claims' quantities; and the GC
    # trigger's row, which needs no extra build
    CONFIGS=("${CONFIGS[@]:0:3}" "${CONFIGS[10]}")
fi

# ---- The measurements, interleaved -------------------------------------------
for r in $(seq "$ROUNDS"); do
    for c in "${CONFIGS[@]}"; do
        read -r label prog envs <<<"$c"
        paper_log "round $r/$ROUNDS: $label"
        [ "$envs" = - ] && envs=""
        # FT_* variables the caller set must not leak into other configurations.
        env -u FT_GIL -u FT_GC_THRESHOLD -u FT_MALLOC -u FT_GC_DEFER $envs \
            "$prog" run --workload "$WORKLOADS" --threads 1 --repeats $REPEATS $SIZE \
            --json "$OUT/$label-r$r.json" >"$OUT/$label-r$r.txt" 2>&1
    done
done
# The owned-object incref+decref pair, for the per-operation view of biased RC.
for f in gil nogil; do
    "$BENCH/ftbench-micro-$f" --benchmark_filter='^refcount/owned$' \
        --benchmark_repetitions=3 --benchmark_min_time=$MICRO_MIN \
        --benchmark_out="$OUT/micro-$f.json" --benchmark_out_format=json \
        >"$OUT/micro-$f.txt" 2>&1
done

# ---- The Python suite: the same configurations with ftpy ---------------------
PY_SUITE="nbody fannkuch spectral_norm float richards nqueens generators unpack_sequence chaos deltablue go raytrace"
if [ "$SMOKE" = 1 ]; then
    PY_SUITE="nbody richards" PY_SIZE=(--validate --warmup 0 --repeats 1) PY_ROUNDS=1
elif [ "$QUICK" = 1 ]; then
    PY_SIZE=(--quick --warmup 0 --repeats 1) PY_ROUNDS=1
else
    # The programs' --quick sizes here too (0.1-0.5 s a run): ten
    # configurations x twelve programs at their default sizes would take
    # most of an hour; start-up (~20 ms, in every configuration) stays a
    # small part, and the README says so.
    PY_SIZE=(--quick --warmup 0 --repeats 3) PY_ROUNDS=2
fi
PY_WLS=$(for w in $PY_SUITE; do printf 'py:%s,' "$w"; done | sed 's/,$//')
PY_DONE=0
if paper_have_py gil && paper_have_py nogil; then
    PY_DONE=1
    for r in $(seq "$PY_ROUNDS"); do
        for c in "${CONFIGS[@]}"; do
            read -r label prog envs <<<"$c"
            [ "$envs" = - ] && envs=""
            flavor=$(basename "$prog"); flavor=${flavor#ftbench-}
            # ftpy-<flavor> of the same build as the C configuration
            ftpy=$(dirname "$(dirname "$prog")")/ftpy/ftpy-$flavor
            paper_log "Python suite, round $r/$PY_ROUNDS: $label"
            read -r -a PAPER_PY_ENV <<<"$envs"
            # ftpy turns its GIL on from PYTHON_GIL (CPython's variable)
            [[ $envs == *FT_GIL=1* ]] && PAPER_PY_ENV+=(PYTHON_GIL=1)
            BUILD_SAVE=$FTPY FTPY=$(dirname "$ftpy")
            paper_py "py-$label-r$r" "$flavor" ftpy "$PY_WLS" --threads 1 "${PY_SIZE[@]}"
            FTPY=$BUILD_SAVE PAPER_PY_ENV=()
        done
    done
    # label|workload median-seconds over every timed run of every round
    for c in "${CONFIGS[@]}"; do
        read -r label _ <<<"$c"
        for r in $(seq "$PY_ROUNDS"); do cat "$OUT/py-$label-r$r.json"; done |
            jq -r --arg l "$label" '.results[] | . as $r | .samples_ns[] | "\($l)|\($r.workload | sub("^py:"; "")) \(. / 1e9)"'
    done | tee "$OUT/py-samples.txt" | paper_medians_by_key >"$OUT/py-medians.txt"
else
    paper_log "no Python suite: ftbench without py: workloads or no ftpy in $FTPY"
fi

# label|workload median-seconds; label|workload gc-collections pause-p50-ns
for c in "${CONFIGS[@]}"; do
    read -r label _ <<<"$c"
    for r in $(seq "$ROUNDS"); do cat "$OUT/$label-r$r.json"; done | jq -r --arg l "$label" '.results[] | . as $r
        | .samples_ns[] | "\($l)|\($r.workload) \(. / 1e9)"'
done | tee "$OUT/samples.txt" | paper_medians_by_key >"$OUT/medians.txt"
# The fastest run of each, a second view that a busy machine disturbs less.
sort -k1,1 -k2,2g "$OUT/samples.txt" | awk '$1 != k { k = $1; print }' >"$OUT/minima.txt"
for label in gil nogil; do
    for r in $(seq "$ROUNDS"); do cat "$OUT/$label-r$r.json"; done | jq -r --arg l "$label" '.results[]
        | "\($l)|\(.workload) \(.metrics.gc_collections) \(.metrics.gc_pause_p50_ns // 0)"'
done | awk '{ n[$1]++; c[$1] += $2; p[$1] += $3 }
    END { for (k in n) print k, c[k] / n[k], p[k] / n[k] }' | sort >"$OUT/gc.txt"

# (nan: a configuration --smoke left out, so that every line of times()
# keeps its columns)
t() { awk -v k="$1|$2" '$1 == k { print $2; f = 1 } END { if (!f) print "nan" }' "${TIMES:-$OUT/medians.txt}"; }
gc() { awk -v k="$1|$2" -v f="$3" '$1 == k { print $f }' "$OUT/gc.txt"; }

# One line per workload: the times every ratio needs, in a fixed order.
#   1 workload 2 gil 3 nogil 4 atomic 5 gil1 6 nolocks 7 gil-gcoff
#   8 nogil-gcoff 9 gil-mi 10 nogil-mi 11 nolocks-gcoff 12 nogil-defer0
times() {
    for w in ${TIMES_SUITE:-$SUITE}; do
        echo "$w $(t gil $w) $(t nogil $w) $(t nogil-atomic $w) $(t nogil-gil1 $w)" \
             "$(t nogil-nolocks $w) $(t gil-gcoff $w) $(t nogil-gcoff $w)" \
             "$(t gil-mimalloc $w) $(t nogil-mimalloc $w) $(t nogil-nolocks-gcoff $w)" \
             "$(t nogil-defer0 $w)"
    done
}
# workload, then the eight ratios (vs the gil run with the same environment;
# gil has no trigger to switch, so FT_GC_DEFER=0's is over plain gil)
ratios() { awk 'function r(a, b) { return (a == "nan" || b == "nan" || b + 0 == 0) ? "nan" : a / b }
    { print $1, r($3, $2), r($4, $2), r($5, $2), r($6, $2), r($8, $7), r($10, $9), r($11, $7), r($12, $2) }'; }
geomean() {   # a configuration left out (nan) gives nan
    awk -v name="$1" '{ for (i = 2; i <= 9; i++) if ($i == "nan" || $i <= 0) bad[i] = 1; else s[i] += log($i); n++ }
        END { printf "%s", name; for (i = 2; i <= 9; i++) if (bad[i] || !n) printf " nan"; else printf " %.6f", exp(s[i] / n); print "" }'
}
times >"$OUT/times.txt"
ratios <"$OUT/times.txt" >"$OUT/ratios.dat"
geomean geomean <"$OUT/ratios.dat" >"$OUT/geomean.dat"
TIMES=$OUT/minima.txt times | ratios | geomean best-runs >"$OUT/geomean-min.dat"
if [ "$PY_DONE" = 1 ]; then
    TIMES=$OUT/py-medians.txt TIMES_SUITE=$PY_SUITE times >"$OUT/py-times.txt"
    ratios <"$OUT/py-times.txt" >"$OUT/py-ratios.dat"
    geomean geomean <"$OUT/py-ratios.dat" >"$OUT/py-geomean.dat"
fi

# ---- results.md ----------------------------------------------------------------
# The Python suite's section (paper_py_section).
py_section() {
    echo "bench/py's programs as ftbench workloads (\`ftbench-<flavor> run --workload py:NAME"
    echo "--threads 1 ${PY_SIZE[*]}\`, $PY_ROUNDS round(s), configurations interleaved), each"
    echo "under the ftpy of the same build and environment as the C column above"
    echo "(FT_GIL=1 is \`PYTHON_GIL=1\` for ftpy). Median of all timed runs; a run is a"
    echo "whole process, start-up included. Raw: \`py-<configuration>-r<N>.json\`."
    echo
    echo "| program | ftpy-gil (s) | nogil | nogil-atomic | nogil FT_GIL=1 | no object locks | GC off (both) | mimalloc (both) | no locks + GC off | nogil, 3.11 GC trigger |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    paste -d' ' "$OUT/py-ratios.dat" <(awk '{ print $2 }' "$OUT/py-times.txt") | awk '
        function c(x) { return x == "nan" ? "–" : sprintf("%.3f", x) }
        { printf "| %s | %.4f |", $1, $10; for (i = 2; i <= 9; i++) printf " %s |", c($i); print "" }'
    awk 'function c(x) { return x == "nan" ? "–" : sprintf("%.3f", x) }
        { printf "| **geomean** | |"; for (i = 2; i <= 9; i++) printf " **%s** |", c($i); print "" }' \
        "$OUT/py-geomean.dat"
    echo
    echo "Against the published overheads (geomeans over pyperformance): PEP 703 5–6 %"
    echo "on one thread (nogil-3.12), Python 3.14's free-threaded build about 8 % on"
    echo "x86-64 Linux. Here: C suite $(awk '{ printf "%+.1f %%", 100 * ($2 - 1) }' "$OUT/geomean.dat"),"
    echo "Python suite $(awk '{ printf "%+.1f %%", 100 * ($2 - 1) }' "$OUT/py-geomean.dat")."
}

paper_results_header "PEP 703's single-thread overhead (Gross, 2023)"
{
    echo "## Time relative to gil, one thread (median of $((ROUNDS * REPEATS)) runs each)"
    echo
    echo "Each column is nogil with one change, divided by the gil build with the same"
    echo "environment (GC off and mimalloc change both flavors). ftbench-<flavor> run"
    echo "--threads 1 --repeats $REPEATS${SIZE:+ $SIZE}, $ROUNDS rounds, configurations interleaved."
    echo
    echo "| workload | gil (s) | nogil | nogil-atomic | nogil FT_GIL=1 | no object locks | GC off (both) | mimalloc (both) | no locks + GC off | nogil, 3.11 GC trigger |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    paste -d' ' "$OUT/ratios.dat" <(awk '{ print $2 }' "$OUT/times.txt") | awk '
        { printf "| %s | %.4f |", $1, $10; for (i = 2; i <= 9; i++) printf " %.3f |", $i; print "" }'
    awk '{ printf "| **geomean** | |"; for (i = 2; i <= 9; i++) printf " **%.3f** |", $i; print "" }' \
        "$OUT/geomean.dat"
    awk '{ printf "| geomean of the fastest runs | |"; for (i = 2; i <= 9; i++) printf " %.3f |", $i; print "" }' \
        "$OUT/geomean-min.dat"
    echo
    echo "The last row takes each configuration's fastest run instead of its median:"
    echo "other processes only ever add time, so when the two rows disagree the machine"
    echo "was busy and the medians are the less trustworthy."
    echo
    echo "Raw: \`<configuration>-r<N>.json\` (configurations: gil, nogil, nogil-atomic,"
    echo "nogil-gil1, nogil-nolocks, gil-gcoff, nogil-gcoff, gil-mimalloc, nogil-mimalloc,"
    echo "nogil-nolocks-gcoff, nogil-defer0)."
    echo
    echo "## What each toggle recovers (geomean, points of overhead vs gil)"
    echo
    echo "Overhead = geomean ratio − 1. \"Recovers\" = nogil's overhead minus the"
    echo "toggled configuration's: positive means the component costs that much."
    echo "Interactions are not additive, so the rows do not sum to the total."
    echo
    echo "| component | toggle | overhead with toggle | recovers |"
    echo "|---|---|---:|---:|"
    awk '{ base = $2 - 1
        row("(none: nogil as built)", "—", $2, 0)
        row("biased RC vs atomic RC", "nogil-atomic (negative: what BRC saves)", $3, 1)
        row("per-object locking", "-DFT_NO_OBJECT_LOCKS=ON", $5, 1)
        row("stop-the-world GC", "FT_GC_THRESHOLD=0 in both", $6, 1)
        row("allocator (per-thread pools)", "FT_MALLOC=mimalloc in both", $7, 1)
        row("the GIL itself", "FT_GIL=1", $4, 1)
        row("locks + GC together", "both toggles", $8, 1)
        row("GC trigger: CPython 3.11\047s rule in nogil", "FT_GC_DEFER=0 in nogil (negative: what 3.14t\047s trigger saves)", $9, 1) }
        function row(what, how, r, rec) {
            if (rec) printf "| %s | %s | %+.1f%% | %+.1f |\n", what, how, 100 * (r - 1), 100 * (base - (r - 1))
            else printf "| %s | %s | %+.1f%% | |\n", what, how, 100 * (r - 1) }' "$OUT/geomean.dat"
    echo
    echo "## Garbage collection per run"
    echo
    echo "| workload | gil collections | gil p50 pause (µs) | nogil collections (stop-the-world) | nogil p50 pause (µs) | nogil pauses × p50 ÷ run time | nogil 1 − GC off ÷ on |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for w in $SUITE; do
        echo "$w $(gc gil $w 2) $(gc gil $w 3) $(gc nogil $w 2) $(gc nogil $w 3) $(t nogil $w) $(t nogil-gcoff $w)"
    done | awk '{ printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f%% | %.1f%% |\n", $1, $2, $3 / 1e3,
                  $4, $5 / 1e3, 100 * $4 * $5 / 1e9 / $6, 100 * (1 - $7 / $6) }'
    echo
    echo "## Biased RC per operation (ftbench-micro, owned object)"
    echo
    g=$(jq '[.benchmarks[] | select(.run_type == "iteration") | .per_op * 1e9] | sort | .[length / 2 | floor]' "$OUT/micro-gil.json")
    n=$(jq '[.benchmarks[] | select(.run_type == "iteration") | .per_op * 1e9] | sort | .[length / 2 | floor]' "$OUT/micro-nogil.json")
    awk -v g="$g" -v n="$n" 'BEGIN {
        print "| flavor | ns per incref+decref pair |"; print "|---|---:|"
        printf "| gil | %.2f |\n| nogil (owner path) | %.2f |\n| ratio | %.2f× |\n", g, n, n / g }'
    echo
    paper_py_section "Python suite: ftpy, time relative to ftpy-gil, one thread" "$PY_DONE" \
        py_section
    echo
    echo "## Chart"
    echo
    echo "![time relative to gil per configuration](overhead.png)"
} | paper_append

cat "$OUT/ratios.dat" "$OUT/geomean.dat" >"$OUT/overhead.dat"
# (--smoke has no no-locks columns, which gnuplot cannot draw)
if [ -n "$NOLOCKS" ]; then paper_plot overhead.gp; fi

# ---- The quantities the claims test (claims.json) -------------------------------
col() { awk -v i="$2" '{ if ($i != "nan") print $i }' "$1"; }
paper_quantity c_nogil_over_gil "$(col "$OUT/geomean.dat" 2)"
paper_quantity c_atomic_over_gil "$(col "$OUT/geomean.dat" 3)"
paper_quantity c_nolocks_over_gil "$(col "$OUT/geomean.dat" 5)"
paper_quantity c_gcoff_nogil_over_gil "$(col "$OUT/geomean.dat" 6)"
paper_quantity c_mimalloc_nogil_over_gil "$(col "$OUT/geomean.dat" 7)"
if [ "$PY_DONE" = 1 ]; then
    paper_quantity py_nogil_over_gil "$(col "$OUT/py-geomean.dat" 2)"
    paper_quantity py_atomic_over_gil "$(col "$OUT/py-geomean.dat" 3)"
    paper_quantity py_atomic_over_nogil "$(paper_div "$(col "$OUT/py-geomean.dat" 3)" "$(col "$OUT/py-geomean.dat" 2)")"
    paper_quantity py_nolocks_over_gil "$(col "$OUT/py-geomean.dat" 5)"
    paper_quantity py_gcoff_nogil_over_gil "$(col "$OUT/py-geomean.dat" 6)"
fi
paper_quantity c_atomic_over_nogil "$(paper_div "$(col "$OUT/geomean.dat" 3)" "$(col "$OUT/geomean.dat" 2)")"
paper_finish
