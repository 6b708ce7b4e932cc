# papers/lib.sh — what every papers/<slug>/run.sh shares. Source it, then
# call paper_init "$@" first thing.
#
# Every paper's run.sh takes the same options:
#   --quick        small sizes and few repeats (all seven under 5 minutes)
#   --threads N    the most threads a thread sweep goes to (default: the
#                  machine's cores, at least 2); someone with more cores
#                  reproduces the multi-thread results at their scale
#   --out DIR      where results go (default $PAPERS_OUT/<slug>, and
#                  PAPERS_OUT defaults to build/papers)
#   --save         also copy results.md and the charts into papers/<slug>/
#                  (how the committed numbers were made)
#
# and writes into $OUT:
#   results.md     the numbers this run measured, under a header with the
#                  date, commit, machine and mode (paper_results_header)
#   *.png          the charts (gnuplot, from the data files beside them)
#   raw files      every JSON / text output of the programs it ran
#
# Conventions: progress goes to stderr as "[slug] ..."; a failed program
# stops the paper (set -e) with its output kept in $OUT; numbers in
# results.md come from the raw files of this run only.

set -euo pipefail

PAPERS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

paper_usage() {
    echo "usage: papers/$SLUG/run.sh [--quick] [--threads N] [--out DIR] [--save]" >&2
    exit 2
}

# Sets SLUG, PAPER_DIR, OUT, QUICK (0|1), THREADS, SAVE (0|1), BUILD
# (the release build with the default flavors' programs: $PAPERS_BUILD,
# default build/release), BENCH ($BUILD/bench).
paper_init() {
    PAPER_DIR=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
    SLUG=$(basename "$PAPER_DIR")
    QUICK=0 SAVE=0 OUT=""
    THREADS=$(nproc)
    [ "$THREADS" -ge 2 ] || THREADS=2
    while [ $# -gt 0 ]; do
        case "$1" in
            --quick) QUICK=1 ;;
            --save) SAVE=1 ;;
            --threads)
                [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] ||
                    { echo "$SLUG: --threads needs a positive integer" >&2; exit 2; }
                THREADS=$2; shift ;;
            --out)
                [ $# -ge 2 ] || paper_usage
                OUT=$2; shift ;;
            *) paper_usage ;;
        esac
        shift
    done
    cd "$PAPERS_ROOT"
    [ -n "$OUT" ] || OUT=${PAPERS_OUT:-build/papers}/$SLUG
    mkdir -p "$OUT"
    OUT=$(cd "$OUT" && pwd)
    BUILD=${PAPERS_BUILD:-build/release}
    BENCH=$BUILD/bench
    [ -x "$BENCH/ftbench-gil" ] ||
        { echo "$SLUG: $BENCH/ftbench-gil is missing: run 'make build' first" >&2; exit 1; }
    PAPER_T0=$(date +%s)
}

# "[slug] message" on stderr.
paper_log() { echo "[$SLUG] $*" >&2; }

# The thread counts 1, 2, 4, ... up to $THREADS (always ending at $THREADS).
paper_thread_list() {
    local t=1 list=""
    while [ "$t" -lt "$THREADS" ]; do list+="$t,"; t=$((t * 2)); done
    echo "${list}$THREADS"
}

# Builds extra programs with CMake options the release preset lacks, in
# build/papers-<name>, and prints that build's bench directory:
#   dir=$(paper_build rcstats "-DFT_RC_STATS=ON" ftbench-nogil ftbench-nogil-atomic)
# Configured once; later calls only rebuild what changed.
paper_build() {
    local name=$1 opts=$2; shift 2
    local dir=build/papers-$name
    paper_log "building $* in $dir ($opts)"
    # shellcheck disable=SC2086
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release $opts >"$OUT/build-$name.log" 2>&1 ||
        { echo "$SLUG: configuring $dir failed (see $OUT/build-$name.log)" >&2; exit 1; }
    local targets=()
    for t in "$@"; do targets+=(--target "$t"); done
    cmake --build "$dir" -j "$(nproc)" "${targets[@]}" >>"$OUT/build-$name.log" 2>&1 ||
        { echo "$SLUG: building $dir failed (see $OUT/build-$name.log)" >&2; exit 1; }
    echo "$dir/bench"
}

# The header of results.md: where and when these numbers were measured.
paper_results_header() {
    local title=$1
    local commit cpu
    commit=$(git -C "$PAPERS_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    {
        echo "# $title — measured"
        echo
        echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
        echo "- commit: $commit"
        echo "- machine: ${cpu:-unknown}, $(nproc) cores, $(uname -sr)"
        echo "- mode: $([ "$QUICK" = 1 ] && echo "--quick (small sizes, few repeats)" || echo full), threads up to $THREADS"
        echo "- command: \`papers/$SLUG/run.sh$([ "$QUICK" = 1 ] && echo " --quick")$([ "$THREADS" != "$(nproc)" ] && echo " --threads $THREADS")\`"
        echo
    } >"$OUT/results.md"
}

# Appends stdin to results.md.
paper_append() { cat >>"$OUT/results.md"; }

# The median of the numbers on stdin, one per line.
paper_median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) exit 1
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "key value" lines on stdin -> "key median minimum" lines, one per key,
# sorted by key: the medians of many runs, tabulated by key.
paper_medians_by_key() {
    sort -k1,1 -k2,2g | awk '
        function out() { print k, (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2), v[1] }
        NR > 1 && $1 != k { out() }
        $1 != k { k = $1; n = 0 }
        { v[++n] = $2 }
        END { if (NR) out() }'
}

# Runs gnuplot on papers/<slug>/<script>.gp with OUT set to $OUT (the
# script reads its data files from OUT and writes OUT/<name>.png).
paper_plot() {
    local gp=$PAPER_DIR/$1
    gnuplot -e "OUT='$OUT'" "$gp" >"$OUT/gnuplot-$(basename "$1" .gp).log" 2>&1 ||
        { echo "$SLUG: gnuplot $1 failed (see $OUT/gnuplot-$(basename "$1" .gp).log)" >&2; exit 1; }
}

# Last call of every run.sh: the run's time, and --save.
paper_finish() {
    echo >>"$OUT/results.md"
    echo "_This run took $(( $(date +%s) - PAPER_T0 )) s._" >>"$OUT/results.md"
    if [ "$SAVE" = 1 ]; then
        cp "$OUT/results.md" "$PAPER_DIR/results.md"
        find "$OUT" -maxdepth 1 -name '*.png' -exec cp {} "$PAPER_DIR/" \;
        paper_log "saved results.md and charts into papers/$SLUG/"
    fi
    paper_log "done in $(( $(date +%s) - PAPER_T0 )) s: $OUT/results.md"
}
