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
# rounds' medians. Then the same three operations in Python
# (contention.py) on ftpy's flavors and CPython.
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
# --smoke: the smallest sizes (--validate) and one run, nogil only.
if [ "$SMOKE" = 1 ]; then REPEATS=1 SIZE=(--validate) FLAVORS=(nogil); fi

for r in $(seq 1 "$ROUNDS"); do
    for f in "${FLAVORS[@]}"; do
        paper_log "round $r/$ROUNDS: $f, threads $TLIST"
        "$BENCH/ftbench-$f" run "${SIZE[@]}" --mode per-thread --threads "$TLIST" \
            --repeats "$REPEATS" --workload "$WLS" --json "$OUT/raw-$f-r$r.json" \
            >"$OUT/raw-$f-r$r.log" 2>&1 ||
            { echo "$SLUG: ftbench-$f failed (see $OUT/raw-$f-r$r.log)" >&2; exit 1; }
    done
done

# ---- The same in Python (contention.py) -----------------------------------------
PY_OPS=(incref:private incref:shared incref:immortal dict:private dict:shared
        attr:private attr:shared)
paper_py_interps
if [ "$SMOKE" = 1 ]; then
    # ftpy-nogil and the claims' objects only
    PY_INTERPS=(${PY_INTERPS[@]/#ftpy-gil}) PY_INTERPS=(${PY_INTERPS[@]/#cpython})
    PY_INTERPS=(${PY_INTERPS[@]/ftpy-nogil-atomic})
    PY_OPS=(incref:private incref:shared incref:immortal dict:shared)
    PY_SIZE=(--quick --warmup 0 --repeats 1) PY_ITERS=(--iters=20000)
elif [ "$QUICK" = 1 ]; then
    PY_SIZE=(--quick --warmup 0 --repeats 3) PY_ITERS=()
else
    PY_SIZE=(--warmup 1 --repeats 5) PY_ITERS=()
fi
for ov in "${PY_OPS[@]}"; do
    op=${ov%%:*} v=${ov#*:}
    paper_log "Python $op, $v object: ${PY_INTERPS[*]}, threads $TLIST"
    for in in "${PY_INTERPS[@]}"; do
        paper_py_as "py-$in-$op-$v" "$in" "py:$PAPER_DIR/contention.py" \
            --threads "$TLIST" "${PY_SIZE[@]}" -- --op="$op" --variant="$v" \
            ${PY_ITERS[@]+"${PY_ITERS[@]}"}
    done
done
# The scaling snippets of bench/py/scaling (ftbench's py:scaling: module
# functions, classes, globals, constants every thread shares, as real code
# does), 1 and THREADS threads; not in --smoke.
if [ "$SMOKE" = 0 ]; then
    for in in "${PY_INTERPS[@]}"; do
        paper_log "Python scaling snippets: $in, threads 1,$THREADS"
        # (their --quick size always: twelve snippets x every interpreter)
        paper_py_as "py-$in-snippets" "$in" py:scaling --threads "1,$THREADS" \
            --quick --warmup 0 --repeats "$([ "$QUICK" = 1 ] && echo 1 || echo 3)"
    done
fi
snippet_ratio() {   # interpreter snippet -> parallel time at 1 / at THREADS threads
    paper_div "$(paper_py_metric "$OUT/py-$1-snippets.json" parallel_s 1 "py:scaling:$2")" \
              "$(paper_py_metric "$OUT/py-$1-snippets.json" parallel_s "$THREADS" "py:scaling:$2")"
}

pyratio() {   # interpreter op variant -> t(1 thread) / t(THREADS threads), or nothing
    if [ -e "$OUT/py-$1-$2-$3.json" ]; then
        paper_div "$(paper_py_metric "$OUT/py-$1-$2-$3.json" seconds 1)" \
                  "$(paper_py_metric "$OUT/py-$1-$2-$3.json" seconds "$THREADS")"
    fi
}

# One line per (flavor, workload, threads): the median over rounds of the
# run's median seconds, ns per operation per thread, and the median CPU
# seconds one worker thread used per run.
for f in "${FLAVORS[@]}"; do
    for r in $(seq 1 "$ROUNDS"); do
        jq -r --arg f "$f" '.results[] |
            [$f, .workload, .threads, .value_median, (.work / .threads),
             (.metrics.thread_cpu_s / .threads)] | @tsv' \
            "$OUT/raw-$f-r$r.json"
    done
done >"$OUT/all.tsv"
median_col() {   # column -> "flavor workload threads median" lines
    sort -t"$(printf '\t')" -k1,1 -k2,2 -k3,3n "$OUT/all.tsv" | awk -F'\t' -v c="$1" '
        function flush() { if (n) print key FS ((n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2); n = 0 }
        { k = $1 FS $2 FS $3
          if (k != key) { flush(); key = k }
          x = $c + 0; i = ++n; while (i > 1 && v[i - 1] > x) { v[i] = v[i - 1]; i-- } v[i] = x }
        END { flush() }'
}
median_col 4 >"$OUT/med-wall.tsv"
median_col 6 >"$OUT/med-cpu.tsv"
units_of() { awk -F'\t' -v w="$1" '$2 == w { print $5; exit }' "$OUT/all.tsv"; }

med() {   # flavor workload threads -> seconds (wall, median run)
    awk -F'\t' -v f="$1" -v w="$2" -v t="$3" '$1 == f && $2 == w && $3 == t { print $4 }' "$OUT/med-wall.tsv"
}
cpu() {   # flavor workload threads -> CPU seconds of one worker thread
    awk -F'\t' -v f="$1" -v w="$2" -v t="$3" '$1 == f && $2 == w && $3 == t { print $4 }' "$OUT/med-cpu.tsv"
}
nsop() {
    awk -v s="$(med "$1" "$2" "$3")" -v u="$(units_of "$2")" -v ops=$CONTENTION_OPS \
        'BEGIN { printf "%.3f", s * 1e9 / (u * ops) }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The Python section (paper_py_section): per interpreter, the ratio 1 thread
# ÷ THREADS threads and in parentheses the speed-up, of each operation and
# object, then (not in --smoke) of each scaling snippet.
speedup() {   # ratio -> "ratio (speed-up×)", or – when not measured
    awk -v r="$1" -v n="$THREADS" 'BEGIN { if (r != "") printf "%.2f (%.2f×)", r, r * n; else printf "–" }'
}
op_cell() { speedup "$(pyratio "$1" "$2" "$3")"; }        # interpreter op variant
snippet_cell() { speedup "$(snippet_ratio "$1" "$2")"; }  # interpreter snippet
py_section() {
    echo "Every thread runs the same loop on its own (private), one shared, or an"
    echo "immortal object (None): \`x = obj\` loads (incref), \`d[k]\` reads, \`o.value = i\`"
    echo "writes. Ratio = time of 1 thread ÷ time of $THREADS threads, each thread doing"
    echo "the same work (1.00 = perfect, 1/$THREADS = none); in parentheses the speed-up"
    echo "$THREADS × ratio. \`ftbench-<flavor> run --workload py:papers/shared-contention/contention.py"
    echo "--threads $TLIST ${PY_SIZE[*]}\`; raw: \`py-<interpreter>-<op>-<variant>.json\`."
    echo
    paper_py_table_head '| operation | object |' '|---|---|' ' %s |' '---:|'
    for ov in "${PY_OPS[@]}"; do
        paper_py_table_row "${ov%%:*} | ${ov#*:}" op_cell "${ov%%:*}" "${ov#*:}"
    done
    [ "$SMOKE" = 0 ] || return 0
    echo
    echo "The scaling snippets of bench/py/scaling (\`--workload py:scaling\`): small loops"
    echo "that touch what every thread shares in real code (a module function, a class,"
    echo "a global, code constants, a threading.local); the same ratio, from each"
    echo "program's own timing of its parallel part (\`parallel_s\`). Raw:"
    echo "\`py-<interpreter>-snippets.json\`."
    echo
    paper_py_table_head '| snippet |' '|---|' ' %s |' '---:|'
    for sn in $(awk -F'\t' '$1 ~ /-snippets$/ { sub("^py:scaling:", "", $2); print $2 }' "$OUT/py-runs.tsv" | awk '!seen[$0]++'); do
        paper_py_table_row "$sn" snippet_cell "$sn"
    done
}

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
    echo "CPU time instead of wall time: CPU seconds one worker thread used at 1"
    echo "thread / at $THREADS threads, each doing the same work (1.00 = no slowdown"
    echo "per operation). Unlike the wall clock it does not fall when another"
    echo "program takes a core, so on a busy machine it still shows contention;"
    echo "it does not show a GIL (a thread waiting for it sleeps), so gil reads ~1."
    echo
    echo "| operation | flavor | private | shared | immortal |"
    echo "|---|---|---:|---:|---:|"
    for op in "${OPS[@]}"; do
        for f in "${FLAVORS[@]}"; do
            row="| $op | $f |"
            for v in "${VARIANTS[@]}"; do
                w=$(workload "$op" "$v")
                row+=" $(ratio "$(cpu "$f" "$w" 1)" "$(cpu "$f" "$w" "$THREADS")") |"
            done
            echo "$row"
        done
    done
    echo
    echo "![scaling ratio per variant](scaling.png)"
    echo
    echo "Raw: \`raw-<flavor>-r<round>.json\` (ftbench/1), medians in \`med-wall.tsv\` and \`med-cpu.tsv\`."
    echo
    paper_py_section "Python: contention.py on ftpy and CPython" "${#PY_INTERPS[@]}" py_section
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
# (the chart has a column per flavor; --smoke measures nogil only)
[ "$SMOKE" = 1 ] || paper_plot scaling.gp

# ---- The quantities the claims test (claims.json) -------------------------------
speedup() { awk -v r="${1:-}" -v n="$THREADS" 'BEGIN { if (r != "") printf "%.6g", r * n }'; }
c_ratio() { paper_div "$(med "$1" "$2" 1)" "$(med "$1" "$2" "$THREADS")"; }
for op in "${OPS[@]}"; do
    paper_quantity "c_nogil_${op}_shared_speedup" "$(speedup "$(c_ratio nogil "shared-$op")")"
    paper_quantity "c_nogil_${op}_private_speedup" "$(speedup "$(c_ratio nogil "private-$op")")"
    paper_quantity "c_nogil_${op}_immortal_over_private" \
        "$(paper_div "$(c_ratio nogil "shared-$op-immortal")" "$(c_ratio nogil "private-$op")")"
done
for in in "${PY_INTERPS[@]}"; do
    q=${in//-/_}
    for ov in "${PY_OPS[@]}"; do
        op=${ov%%:*} v=${ov#*:}
        paper_quantity "py_${q}_${op}_${v}_speedup" "$(speedup "$(pyratio "$in" "$op" "$v")")"
    done
    paper_quantity "py_${q}_incref_immortal_over_private" \
        "$(paper_div "$(pyratio "$in" incref immortal)" "$(pyratio "$in" incref private)")"
done
paper_finish
