#!/usr/bin/env bash
# papers/gil-convoy — the GIL convoy effect (Beazley 2010, bpo-7946;
# measured by Skvortsov 2021): an echo server's request rate alone and
# beside CPU-bound threads, against the switch interval, gil vs nogil.
# Then the same in Python (echo.py): the server on ftpy-gil, ftpy-nogil
# and CPython, a CPython client in another process, switch intervals
# 5/1/0.1 ms set by sys.setswitchinterval, 0 and 1 CPU-bound threads.
# See README.md; options in papers/lib.sh.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

# 0.1 s, 10 ms, 5 ms, 1 ms, 0.1 ms, 10 us: Skvortsov's sweep.
INTERVALS=(100000 10000 5000 1000 100 10)
# nogil has no GIL, so the interval does nothing there: three points of
# the sweep show that, the rest would only cost time.
NOGIL_INTERVALS=" 100000 5000 10 "
# The client: back to back as in the published setup, and ftbench's
# default 200 us before each request (README: what the delay does).
DELAYS=(0 200)
CPU="0,$(paper_thread_list)"
if [ "$SMOKE" = 1 ]; then
    # the default interval only (the 1 ms claims read "not measured")
    INTERVALS=(5000) NOGIL_INTERVALS=" 5000 " DELAYS=(0)
    SIZE=(--quick --warmup 0 --repeats 1)
elif [ "$QUICK" = 1 ]; then
    SIZE=(--quick --warmup 0 --repeats 2)
else
    SIZE=(--warmup 0 --repeats 4)
fi

measure() {   # flavor interval delay
    local flavor=$1 iv=$2 d=$3
    "$BENCH/ftbench-$flavor" run --workload convoy --cpu-threads "$CPU" \
        --switch-interval-us "$iv" --client-delay-us "$d" "${SIZE[@]}" \
        --json "$OUT/$flavor-i$iv-d$d.json" >"$OUT/$flavor-i$iv-d$d.log" 2>&1 ||
        { echo "$SLUG: ftbench-$flavor failed (see $OUT/$flavor-i$iv-d$d.log)" >&2; exit 1; }
}

# Interleaved: every interval runs both flavors side by side.
for iv in "${INTERVALS[@]}"; do
    paper_log "switch interval $iv us: gil$([[ $NOGIL_INTERVALS == *" $iv "* ]] && echo " and nogil"), CPU threads $CPU, client delays ${DELAYS[*]} us"
    for d in "${DELAYS[@]}"; do
        measure gil "$iv" "$d"
        if [[ $NOGIL_INTERVALS == *" $iv "* ]]; then measure nogil "$iv" "$d"; fi
    done
done

# ---- The Python echo server (echo.py) ----------------------------------------
PY_INTERVALS=(5 1 0.1)            # ms, sys.setswitchinterval
paper_py_interps gil nogil
if [ "$SMOKE" = 1 ]; then
    PY_INTERVALS=(5) PY_SIZE=(--quick --warmup 0 --repeats 1) PY_SECONDS=0.1
elif [ "$QUICK" = 1 ]; then
    PY_SIZE=(--quick --warmup 0 --repeats 2) PY_SECONDS=0.3
else
    PY_SIZE=(--warmup 0 --repeats 5) PY_SECONDS=1
fi
CLIENT_PID=""
stop_client() { [ -z "$CLIENT_PID" ] || kill "$CLIENT_PID" 2>/dev/null || true; }
trap stop_client EXIT
if [ ${#PY_INTERPS[@]} -gt 0 ]; then
    # The client: its own process (as Skvortsov's), CPython when there is
    # one, reconnecting for every run of the server.
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${CPYTHON:-$FTPY/ftpy-nogil}" "$PAPER_DIR/echo.py" --client --port="$PORT" \
        >"$OUT/py-client.log" 2>&1 &
    CLIENT_PID=$!
    for iv in "${PY_INTERVALS[@]}"; do
        paper_log "Python echo server, switch interval $iv ms: ${PY_INTERPS[*]}, CPU threads 0 and 1"
        for c in 0 1; do
            for in in "${PY_INTERPS[@]}"; do
                paper_py_as "py-$in-i$iv-c$c" "$in" "py:$PAPER_DIR/echo.py" \
                    --threads 1 "${PY_SIZE[@]}" -- --port="$PORT" \
                    --cpu-threads="$c" --interval-ms="$iv" --seconds="$PY_SECONDS"
            done
        done
    done
    stop_client
    CLIENT_PID=""
else
    paper_log "no Python part: ftbench without py: workloads or no ftpy in $FTPY"
fi
pyrate() {   # interpreter interval-ms cpu-threads -> req/s, or nothing
    if [ -e "$OUT/py-$1-i$2-c$3.json" ]; then paper_py_metric "$OUT/py-$1-i$2-c$3.json" echo_rate; fi
}

# One row per measurement: flavor delay interval cpu median slowest fastest
# server-waits-per-request handovers-per-run server-wait-us-per-request.
jq -r '.env as $e | .results[] | [$e.flavor, $e.client_delay_us,
        .switch_interval_us, .threads, .value_median,
        (.work * 1e9 / (.samples_ns | max)), (.work * 1e9 / (.samples_ns | min)),
        .metrics.server_gil_waits_per_req, .metrics.gil_handovers,
        .metrics.server_gil_wait_us_per_req] | @tsv' \
    "$OUT"/*-i*-d*.json | sort -k1,1 -k2,2n -k3,3nr -k4,4n >"$OUT/convoy.tsv"

# Chart data: one file per (delay, flavor, CPU threads), interval vs rate.
rm -f "$OUT"/series-*.dat
awk -F'\t' -v out="$OUT" '{
    f = sprintf("%s/series-d%d-%s-cpu%d.dat", out, $2, $1, $4)
    printf "%s\t%s\n", $3, $5 >> f }' "$OUT/convoy.tsv"
paper_plot convoy.gp

rate() {   # flavor delay interval cpu -> "median" or "-"
    awk -F'\t' -v f="$1" -v d="$2" -v i="$3" -v c="$4" '
        $1 == f && $2 == d && $3 == i && $4 == c { printf "%.0f", $5; found = 1 }
        END { if (!found) printf "–" }' "$OUT/convoy.tsv"
}
IFS=, read -r -a CPUS <<<"$CPU"

# The Python section (paper_py_section): one row per switch interval, per
# interpreter the rate alone, beside 1 CPU thread, and their ratio.
py_cells() {   # interpreter interval-ms
    local a b
    a=$(pyrate "$1" "$2" 0) b=$(pyrate "$1" "$2" 1)
    printf '%s | %s | %s' "$(printf '%.0f' "${a:-0}")" "$(printf '%.0f' "${b:-0}")" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.3f", b / a; else printf "–" }')"
}
py_section() {
    echo "Requests per second of echo.py's server thread (median of the runs;"
    echo "\`ftbench-<flavor> run --workload py:papers/gil-convoy/echo.py ${PY_SIZE[*]}\`,"
    echo "each run a fresh process serving ${PY_SECONDS} s), switch interval set by"
    echo "\`sys.setswitchinterval\`; the client is a separate ${CPYTHON:+CPython }process sending"
    echo "64-byte requests back to back. \`÷ alone\` = rate beside 1 CPU thread ÷ rate"
    echo "alone at the same interval. Raw: \`py-<interpreter>-i<ms>-c<CPU threads>.json\`."
    echo
    paper_py_table_head '| interval | 1/interval |' '|---:|---:|' \
        ' %s alone | %s, 1 CPU | ÷ alone |' '---:|---:|---:|'
    for iv in "${PY_INTERVALS[@]}"; do
        paper_py_table_row "$iv ms | $(awk -v i="$iv" 'BEGIN { printf "%.0f", 1000 / i }')" py_cells "$iv"
    done
}

paper_results_header "GIL convoy effect"
{
    echo "Requests per second of the echo server (median of the runs), by switch"
    echo "interval and CPU-bound threads beside it. \`1/interval\` is one switch"
    echo "interval's wait per request; CPython's published behaviour is about"
    echo "1/(2 × interval) with one CPU thread. nogil runs at three intervals only"
    echo "(it has no GIL). Raw files: \`<flavor>-i<interval>-d<delay>.json\`;"
    echo "all rows in \`convoy.tsv\`."
    for d in "${DELAYS[@]}"; do
        echo
        if [ "$d" = 0 ]; then
            echo "## Client back to back (--client-delay-us 0, as published)"
        else
            echo "## Client waits $d µs before each request (--client-delay-us $d, ftbench's default)"
        fi
        echo
        printf '| interval | 1/interval |'
        for fl in gil nogil; do for c in "${CPUS[@]}"; do printf ' %s, %s CPU |' "$fl" "$c"; done; done
        echo
        printf '|---:|---:|'
        for fl in gil nogil; do for c in "${CPUS[@]}"; do printf -- '---:|'; done; done
        echo
        for iv in "${INTERVALS[@]}"; do
            printf '| %s µs | %s |' "$iv" "$(awk -v i="$iv" 'BEGIN { printf "%.0f", 1e6 / i }')"
            for fl in gil nogil; do for c in "${CPUS[@]}"; do printf ' %s |' "$(rate "$fl" "$d" "$iv" "$c")"; done; done
            echo
        done
        echo
        echo "gil beside CPU threads: the spread of the runs (slowest–fastest req/s);"
        echo "how often the server waited for the GIL per request, and how long each"
        echo "wait lasted on average (ms); GIL hand-overs per run:"
        echo
        printf '| interval |'
        for c in "${CPUS[@]}"; do [ "$c" = 0 ] || printf ' %s CPU: runs | waits/req | ms/wait | hand-overs |' "$c"; done
        echo
        printf '|---:|'
        for c in "${CPUS[@]}"; do [ "$c" = 0 ] || printf -- '---:|---:|---:|---:|'; done
        echo
        for iv in "${INTERVALS[@]}"; do
            printf '| %s µs |' "$iv"
            for c in "${CPUS[@]}"; do
                [ "$c" = 0 ] && continue
                printf ' %s |' "$(awk -F'\t' -v f=gil -v d="$d" -v i="$iv" -v c="$c" '
                    $1 == f && $2 == d && $3 == i && $4 == c {
                        printf "%.0f–%.0f | %.2f | %s | %.0f", $6, $7, $8,
                               ($8 > 0 ? sprintf("%.3g", $10 / $8 / 1000) : "–"), $9 }' "$OUT/convoy.tsv")"
            done
            echo
        done
        echo
        echo "![rate vs switch interval, client delay $d µs](convoy-d$d.png)"
    done
    echo
    paper_py_section "Python: echo.py on ftpy and CPython" "${#PY_INTERPS[@]}" py_section
} | paper_append

# ---- The quantities the claims test (claims.json) -------------------------------
paper_quantity c_gil_cpu1_over_alone_5ms "$(paper_div "$(rate gil 0 5000 1)" "$(rate gil 0 5000 0)")"
paper_quantity c_gil_cpu2_over_cpu1_5ms "$(paper_div "$(rate gil 0 5000 2)" "$(rate gil 0 5000 1)")"
paper_quantity c_gil_cpu1_1ms_over_5ms "$(paper_div "$(rate gil 0 1000 1)" "$(rate gil 0 5000 1)")"
paper_quantity c_nogil_cpu1_over_alone_5ms "$(paper_div "$(rate nogil 0 5000 1)" "$(rate nogil 0 5000 0)")"
for in in "${PY_INTERPS[@]}"; do
    q=${in//-/_}
    paper_quantity "py_${q}_cpu1_over_alone_5ms" "$(paper_div "$(pyrate "$in" 5 1)" "$(pyrate "$in" 5 0)")"
    paper_quantity "py_${q}_cpu1_1ms_over_5ms" "$(paper_div "$(pyrate "$in" 1 1)" "$(pyrate "$in" 5 1)")"
done
paper_finish
