#!/usr/bin/env bash
# papers/gil-cpu-scaling — CPU-bound threads do not scale under a GIL, and
# a tiny switch interval makes them slower (Beazley 2010; Skvortsov 2021):
# a fixed countdown split over 1..N threads, gil vs nogil, by interval.
# Then Beazley's countdown in Python (countdown.py): twice on one thread
# vs once on each of two threads, on ftpy's flavors and CPython.
# See README.md; options in papers/lib.sh.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

# ftlab's default (CPython's 5 ms), 100 us, and Skvortsov's 1 us.
INTERVALS=(5000 100 1)
THREAD_LIST=$(paper_thread_list)
if [ "$SMOKE" = 1 ]; then
    INTERVALS=(5000 1)
    SIZE=(--validate --warmup 0 --repeats 1)   # the smallest size, once
elif [ "$QUICK" = 1 ]; then
    SIZE=(--quick --warmup 1 --repeats 3)
else
    SIZE=(--warmup 1 --repeats 5)
fi

# measure NAME INTERVAL FLAVOR [ENV=VALUE] -- [ftbench options]: one
# ftbench run of the countdown into OUT/NAME-iINTERVAL.json.
measure() {
    local name=$1 iv=$2 flavor=$3 envs=()
    shift 3
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    env "${envs[@]}" "$BENCH/ftbench-$flavor" run --workload countdown --mode total \
        --threads "$THREAD_LIST" --switch-interval-us "$iv" "$@" \
        --json "$OUT/$name-i$iv.json" >"$OUT/$name-i$iv.log" 2>&1 ||
        { echo "$SLUG: ftbench-$flavor failed (see $OUT/$name-i$iv.log)" >&2; exit 1; }
}

# Interleaved: at each interval the GIL builds side by side; the GIL-free
# builds (for which the interval does nothing) once, between them.
for iv in "${INTERVALS[@]}"; do
    paper_log "switch interval $iv us: countdown on threads $THREAD_LIST"
    measure gil "$iv" gil -- "${SIZE[@]}"
    [ "$SMOKE" = 1 ] || measure nogil-gil1 "$iv" nogil FT_GIL=1 -- "${SIZE[@]}"
    if [ "$iv" = 5000 ]; then
        measure nogil "$iv" nogil -- "${SIZE[@]}"
        [ "$SMOKE" = 1 ] || measure nogil-atomic "$iv" nogil-atomic -- "${SIZE[@]}"
    fi
done
for f in "$OUT"/nogil-gil1-i*.json; do
    [ -e "$f" ] || continue   # --smoke runs no FT_GIL=1 build
    [ "$(jq .env.gil "$f")" = true ] ||
        { echo "$SLUG: FT_GIL=1 did not turn the GIL on in $f" >&2; exit 1; }
done
# Diagnostic (README: why 1 us costs little here): the same 1 us interval
# with the kernel's 50 us timer slack taken away, so the GIL's timed waits
# really last 1 us. Quick size and one run in both modes: it can be slow.
if [ "$SMOKE" = 0 ]; then
    paper_log "diagnostic: 1 us interval with 1 ns timer slack"
    measure diag-slack1 1 gil -- --quick --warmup 0 --repeats 1 --timer-slack-ns 1 --threads 1,2
    mv "$OUT/diag-slack1-i1.json" "$OUT/diag-slack1.json"
fi

# ---- Beazley's countdown in Python (countdown.py) ------------------------------
# Each interpreter: `--sequential` (count C twice on the main thread) and
# threaded (count C once on each of 2 threads), interleaved; the GIL
# interpreters also at Skvortsov's 1 us interval.
paper_py_interps
PY_INTERVALS=(5 0.001)
if [ "$SMOKE" = 1 ]; then
    # the default interval, no nogil-atomic (their claims read "not measured")
    PY_INTERVALS=(5)
    PY_INTERPS=(${PY_INTERPS[@]/ftpy-nogil-atomic})
    PY_SIZE=(--quick --warmup 0 --repeats 1) PY_COUNT=(--count=300000)
elif [ "$QUICK" = 1 ]; then
    PY_SIZE=(--quick --warmup 0 --repeats 3) PY_COUNT=()
else
    PY_SIZE=(--warmup 1 --repeats 5) PY_COUNT=()
fi
pycount() {   # interpreter interval-ms mode(seq|thr)
    local in=$1 iv=$2 mode=$3 args=()
    [ "$mode" = seq ] && args+=(--sequential)
    paper_py_as "py-$in-i$iv-$mode" "$in" "py:$PAPER_DIR/countdown.py" \
        --threads 2 "${PY_SIZE[@]}" -- --interval-ms="$iv" ${PY_COUNT[@]+"${PY_COUNT[@]}"} \
        ${args[@]+"${args[@]}"}
}
for iv in "${PY_INTERVALS[@]}"; do
    for in in "${PY_INTERPS[@]}"; do
        # the interval does nothing without a GIL: nogil flavors at 5 ms only
        [ "$iv" = 5 ] || [ "$in" = ftpy-gil ] || [ "$in" = cpython ] || continue
        paper_log "Python countdown, interval $iv ms: $in, sequential and 2 threads"
        pycount "$in" "$iv" seq
        pycount "$in" "$iv" thr
    done
done
pysec() {   # interpreter interval-ms mode -> median seconds, or nothing
    if [ -e "$OUT/py-$1-i$2-$3.json" ]; then paper_py_metric "$OUT/py-$1-i$2-$3.json" seconds; fi
}

# One row per measurement: build interval threads median-s handovers-per-run.
jq -r '(input_filename | sub(".*/"; "") | sub("-i[0-9]+\\.json$"; "")) as $n |
       .results[] | [$n, .switch_interval_us, .threads, .value_median,
                     .metrics.gil_handovers] | @tsv' $(ls "$OUT"/*-i*.json | grep -v '/py-') |
    sort -k1,1 -k2,2nr -k3,3n >"$OUT/countdown.tsv"

# Chart data: one file per (build, interval): threads vs seconds.
rm -f "$OUT"/series-*.dat
awk -F'\t' -v out="$OUT" '{
    iv = $1 == "gil" || $1 == "nogil-gil1" ? ($2 >= 1000 ? $2 / 1000 " ms" : $2 " µs") : ""
    name = $1 == "nogil-gil1" ? "nogil FT_GIL=1" : $1
    f = sprintf("%s/series-%s-i%07d.dat", out, $1, $2)
    if (!(f in seen)) { printf "# %s%s\n", name, (iv == "" ? "" : ", " iv) > f; seen[f] = 1 }
    printf "%s\t%s\n", $3, $4 >> f }' "$OUT/countdown.tsv"
paper_plot countdown.gp

# The Python section (paper_py_section): a row per interpreter and interval.
py_section() {
    echo "Beazley's \`count(n): while n > 0: n -= 1\` in Python: sequential = count"
    echo "twice on the main thread, 2 threads = count once on each of two threads at"
    echo "once (the same work). Seconds (median of the runs; \`ftbench-<flavor> run"
    echo "--workload py:papers/gil-cpu-scaling/countdown.py --threads 2 ${PY_SIZE[*]}\`,"
    echo "interval by \`sys.setswitchinterval\`). Raw: \`py-<interpreter>-i<ms>-<seq|thr>.json\`."
    echo
    echo "| interpreter | interval | sequential s | 2 threads s | 2 threads ÷ sequential |"
    echo "|---|---:|---:|---:|---:|"
    for iv in 5 0.001; do
        for in in "${PY_INTERPS[@]}"; do
            [ -e "$OUT/py-$in-i$iv-seq.json" ] || continue
            a=$(pysec "$in" "$iv" seq) b=$(pysec "$in" "$iv" thr)
            echo "| $in | $([ "$iv" = 5 ] && echo "5 ms" || echo "1 µs") | $a | $b | $(paper_div "$b" "$a") |"
        done
    done
}

paper_results_header "CPU-bound threads under a GIL"
IFS=, read -r -a THREADS_ARR <<<"$THREAD_LIST"
{
    echo "Beazley's countdown (\`while n > 0: n -= 1\` on int objects, a checkpoint"
    echo "per step) with a fixed total split across the threads (\`--mode total\`)."
    echo "Seconds per run (median), the ratio to 1 thread of the same build and"
    echo "interval, and GIL hand-overs per run (and per second of run). nogil and"
    echo "nogil-atomic have no GIL, so they run at the default interval only;"
    echo "\`nogil FT_GIL=1\` is the nogil build with its GIL turned back on. Raw"
    echo "files: \`<build>-i<interval>.json\`; all rows in \`countdown.tsv\`."
    echo
    printf '| build | interval |'
    for t in "${THREADS_ARR[@]}"; do printf ' %s thr: s | ×1 thr | hand-overs (/s) |' "$t"; done
    echo
    printf '|---|---:|'
    for t in "${THREADS_ARR[@]}"; do printf -- '---:|---:|---:|'; done
    echo
    awk -F'\t' -v list="$THREAD_LIST" '
        BEGIN { n = split(list, th, ",") }
        { key = $1 SUBSEP $2; s[key, $3] = $4; h[key, $3] = $5
          if (!(key in order)) { order[key] = ++nk; keys[nk] = key } }
        END {
            for (k = 1; k <= nk; k++) {
                split(keys[k], p, SUBSEP)
                name = p[1] == "nogil-gil1" ? "nogil FT_GIL=1" : p[1]
                printf "| %s | %s |", name, (p[2] >= 1000 ? p[2] / 1000 " ms" : p[2] " µs")
                for (i = 1; i <= n; i++) {
                    t = th[i]; v = s[keys[k], t]
                    printf " %.3f | %.2f | %.0f (%.0f) |", v, v / s[keys[k], th[1]],
                           h[keys[k], t], h[keys[k], t] / v
                }
                printf "\n"
            } }' <(awk -F'\t' '{ o = $1 == "gil" ? 1 : $1 == "nogil-gil1" ? 2 : $1 == "nogil" ? 3 : 4
                                  print o "\t" $0 }' "$OUT/countdown.tsv" |
                   sort -k1,1n -k3,3nr -k4,4n | cut -f2-)
    [ "$SMOKE" = 1 ] || {
    echo
    echo "Diagnostic: gil at 1 µs with the kernel's timer slack cut from 50 µs to"
    echo "1 ns (\`--timer-slack-ns 1\`), so that a timed wait for the GIL can really"
    echo "end after 1 µs. Quick size (10 units), one run, its own 1-thread base:"
    echo
    printf '| threads | s | ×1 thr | hand-overs |\n|---:|---:|---:|---:|\n'
    jq -r '.results | .[0].value_median as $b | .[] |
           "| \(.threads) | \(.value_median * 1000 | round / 1000) | \(.value_median / $b * 100 | round / 100) | \(.metrics.gil_handovers | round) |"' \
        "$OUT/diag-slack1.json"
    }
    echo
    echo "![countdown time vs threads](countdown.png)"
    echo
    paper_py_section "Python: countdown.py on ftpy and CPython" "${#PY_INTERPS[@]}" py_section
} | paper_append

# ---- The quantities the claims test (claims.json) -------------------------------
cd_time() {   # build interval-us threads -> median s
    awk -F'\t' -v b="$1" -v i="$2" -v t="$3" '$1 == b && $2 == i && $3 == t { print $4 }' "$OUT/countdown.tsv"
}
paper_quantity c_gil_2thr_over_1thr_5ms "$(paper_div "$(cd_time gil 5000 2)" "$(cd_time gil 5000 1)")"
paper_quantity c_gil_2thr_over_1thr_1us "$(paper_div "$(cd_time gil 1 2)" "$(cd_time gil 1 1)")"
paper_quantity c_nogil_2thr_over_1thr "$(paper_div "$(cd_time nogil 5000 2)" "$(cd_time nogil 5000 1)")"
for in in "${PY_INTERPS[@]}"; do
    q=${in//-/_}
    paper_quantity "py_${q}_thr_over_seq_5ms" "$(paper_div "$(pysec "$in" 5 thr)" "$(pysec "$in" 5 seq)")"
    if [ -e "$OUT/py-$in-i0.001-seq.json" ]; then
        paper_quantity "py_${q}_thr_over_seq_1us" "$(paper_div "$(pysec "$in" 0.001 thr)" "$(pysec "$in" 0.001 seq)")"
    fi
done
paper_finish
