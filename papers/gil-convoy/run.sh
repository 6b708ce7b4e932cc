#!/usr/bin/env bash
# papers/gil-convoy — the GIL convoy effect (Beazley 2010, bpo-7946;
# measured by Skvortsov 2021): an echo server's request rate alone and
# beside CPU-bound threads, against the switch interval, gil vs nogil.
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
if [ "$QUICK" = 1 ]; then
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
} | paper_append
paper_finish
