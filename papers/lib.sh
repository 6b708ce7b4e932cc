# papers/lib.sh — what every papers/<slug>/run.sh shares. Source it, then
# call paper_init "$@" first thing.
#
# Every paper's run.sh takes the same options:
#   --quick        small sizes and few repeats (all seven under 5 minutes)
#   --smoke        smaller still: minimal sizes, one repeat, no extra
#                  builds (the papers/quick ctest: do the scripts run and
#                  emit a verdict? Its numbers mean nothing)
#   --threads N    the most threads a thread sweep goes to (default: the
#                  machine's cores, at least 2); someone with more cores
#                  reproduces the multi-thread results at their scale
#   --out DIR      where results go (default $PAPERS_OUT/<slug>, and
#                  PAPERS_OUT defaults to build/papers)
#   --save         also copy results.md, the charts, verdict.tsv and the
#                  raw data (raw.json[.gz]) into papers/<slug>/ and write
#                  the computed verdict into its README.md and the index of
#                  papers/README.md (how the committed numbers were made).
#                  Refused on a dirty working tree (exit 2): committed
#                  numbers name the commit that made them.
#
# and writes into $OUT:
#   results.md     the numbers this run measured, under a header with the
#                  date, commit, machine and mode (paper_results_header)
#   *.png          the charts (gnuplot, from the data files beside them)
#   raw files      every JSON / text output of the programs it ran
#   measured.tsv   the quantities the paper's claims are about (paper_quantity)
#   verdict.tsv    each claim of papers/<slug>/claims.json held or not, and
#                  the paper's verdict (papers/verdict.py; also in results.md)
#
# Conventions: progress goes to stderr as "[slug] ..."; a failed program
# stops the paper (set -e) with its output kept in $OUT; numbers in
# results.md come from the raw files of this run only.

set -euo pipefail

PAPERS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

paper_usage() {
    echo "usage: papers/$SLUG/run.sh [--quick|--smoke] [--threads N] [--out DIR] [--save]" >&2
    exit 2
}

# Sets SLUG, PAPER_DIR, OUT, QUICK (0|1; 1 for --quick and --smoke),
# SMOKE (0|1), THREADS, SAVE (0|1), BUILD (the release build with the
# default flavors' programs: $PAPERS_BUILD, default build/release), BENCH
# ($BUILD/bench), FTPY ($BUILD/ftpy: ftpy-<flavor>), CPYTHON (the CPython
# the Python parts compare with: $PAPERS_PYTHON, default python3 on PATH,
# resolved to its real path; empty when there is none).
paper_init() {
    PAPER_DIR=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
    SLUG=$(basename "$PAPER_DIR")
    QUICK=0 SMOKE=0 SAVE=0 OUT=""
    THREADS=$(nproc)
    [ "$THREADS" -ge 2 ] || THREADS=2
    while [ $# -gt 0 ]; do
        case "$1" in
            --quick) QUICK=1 ;;
            --smoke) QUICK=1 SMOKE=1 ;;
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
    if [ "$SAVE" = 1 ]; then
        [ "$SMOKE" = 0 ] ||
            { echo "$SLUG: --save with --smoke: smoke numbers are not results" >&2; exit 2; }
        local dirty
        dirty=$(paper_dirty) ||
            { echo "$SLUG: --save needs a git checkout (the results name their commit)" >&2; exit 2; }
        if [ -n "$dirty" ]; then
            echo "$SLUG: --save refused: the working tree is dirty (git status --porcelain):" >&2
            echo "$dirty" | head -20 | sed 's/^/  /' >&2
            echo "$SLUG: commit or stash first, so that results.md names the commit that made it" >&2
            exit 2
        fi
    fi
    if [ -z "$OUT" ]; then
        OUT=${PAPERS_OUT:-build/papers}/$SLUG
        # The default folder is the papers' own: clear the last run's files,
        # so that no table mixes two runs (a --out folder is left alone).
        if [ -d "$OUT" ]; then
            find "$OUT" -maxdepth 1 -type f \( -name '*.json' -o -name '*.json.gz' -o -name '*.jsonl' \
                -o -name '*.tsv' -o -name '*.txt' -o -name '*.log' -o -name '*.dat' \
                -o -name '*.png' -o -name results.md \) -delete
        fi
    fi
    mkdir -p "$OUT"
    OUT=$(cd "$OUT" && pwd)
    BUILD=${PAPERS_BUILD:-build/release}
    BENCH=$BUILD/bench
    [ -x "$BENCH/ftbench-gil" ] ||
        { echo "$SLUG: $BENCH/ftbench-gil is missing: run 'make build' first" >&2; exit 1; }
    FTPY=$BUILD/ftpy
    # The python3 that runs papers/verdict.py and pymetric.py, resolved
    # once: a version manager's shim on PATH costs ~0.1 s per call.
    PY3=$(python3 -c 'import sys; print(sys.executable)')
    CPYTHON=$(command -v "${PAPERS_PYTHON:-python3}" 2>/dev/null || true)
    if [ -n "$CPYTHON" ]; then
        # pyenv and similar put a shell script first on PATH: ask the
        # interpreter where it really is, so that ftbench times it alone.
        CPYTHON=$("$CPYTHON" -c 'import sys; print(sys.executable)' 2>/dev/null || true)
    fi
    PAPER_T0=$(date +%s)
    : >"$OUT/measured.tsv"
}

# The mode's name, for logs and tables.
paper_mode() {
    if [ "$SMOKE" = 1 ]; then echo smoke; elif [ "$QUICK" = 1 ]; then echo quick; else echo full; fi
}

# paper_quantity NAME VALUE: one measured quantity that claims.json's
# claims test (papers/verdict.py). An empty or non-numeric VALUE (a part
# the mode skipped) is left out: its claims read "not measured".
paper_quantity() {
    local name=$1 value=${2:-}
    if [[ "$value" =~ ^-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$ ]]; then
        printf '%s\t%s\n' "$name" "$value" >>"$OUT/measured.tsv"
    else
        paper_log "quantity $name not measured${value:+ ($value)}"
    fi
}

# a / b with awk, empty when either is missing or b is 0.
paper_div() {
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
        num = "^-?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?$"
        if (a ~ num && b ~ num && b + 0 != 0) printf "%.6g", a / b }'
}

# True when ftbench runs Python programs (`--workload py:PATH`, with
# --python, --ftpy and --py-arg) and ftpy-<flavor> is built.
paper_have_py() {
    [ -x "$FTPY/ftpy-${1:-gil}" ] && grep -qa -- '--py-arg' "$BENCH/ftbench-${1:-gil}"
}

PAPER_PY_ENV=()
# paper_py NAME FLAVOR INTERP WORKLOAD [ftbench options] [-- program args]:
# one ftbench run of Python workloads (py:PATH.py, py:NAME, or a comma
# list of them) into $OUT/NAME.json (log NAME.log). Environment variables
# for the program go in the array PAPER_PY_ENV (VAR=VALUE ...).
# INTERP: ftpy (ftpy-FLAVOR of this build) or cpython ($CPYTHON, with
# ftbench-FLAVOR as the harness). Every program argument goes through
# --py-arg; ftbench adds --threads N and --quick itself.
paper_py() {
    local name=$1 flavor=$2 interp=$3 prog=$4 opts=() pyargs=()
    shift 4
    while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    for a in "$@"; do pyargs+=(--py-arg "$a"); done
    case $interp in
        ftpy) opts+=(--ftpy "$FTPY/ftpy-$flavor") ;;
        cpython) opts+=(--python "$CPYTHON") ;;
        *) echo "$SLUG: paper_py: interpreter ftpy or cpython, not $interp" >&2; exit 1 ;;
    esac
    env -u FT_GIL -u FT_GC_THRESHOLD -u FT_MALLOC -u PYTHON_GIL \
        ${PAPER_PY_ENV[@]+"${PAPER_PY_ENV[@]}"} \
        "$BENCH/ftbench-$flavor" run --workload "$prog" "${opts[@]}" \
        ${pyargs[@]+"${pyargs[@]}"} --json "$OUT/$name.json" >"$OUT/$name.log" 2>&1 ||
        { echo "$SLUG: ftbench-$flavor $(basename "$prog") failed (see $OUT/$name.log)" >&2; exit 1; }
    "$PY3" "$PAPERS_ROOT/papers/pymetric.py" --rows "$name" "$OUT/$name.json" >>"$OUT/py-runs.tsv"
}

# paper_py_metric FILE METRIC [THREADS|-] [WORKLOAD]: the median over the
# timed runs of a program's `metric METRIC` (or wall_s, cpu_s, rss_mib)
# in the ftbench JSON file $OUT/NAME.json that paper_py wrote, for one
# thread count and workload or all; nothing when no run has it. Read from
# $OUT/py-runs.tsv (papers/pymetric.py --rows), which paper_py fills.
paper_py_metric() {
    local name
    name=$(basename "$1" .json)
    [ -e "$OUT/py-runs.tsv" ] || return 0
    awk -F'\t' -v n="$name" -v m="$2" -v t="${3:--}" -v w="${4:-}" '
        $1 == n && $4 == m && (t == "-" || $3 == t) && (w == "" || $2 == w) { print $5 }' \
        "$OUT/py-runs.tsv" | sort -g | awk '{ v[NR] = $1 } END {
            if (NR) printf "%.6g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- A paper's Python part: its interpreters, runs and results.md section -------
# Every paper with a Python part names its interpreters the same way
# (ftpy-<flavor>, cpython), runs each through paper_py_as, and writes one
# section "## Python: ..." whose tables have a column, or a row, per
# interpreter.

# paper_py_interps [FLAVOR ...]: sets PY_INTERPS to ftpy-FLAVOR for every
# FLAVOR (default: gil nogil nogil-atomic) whose ftpy ftbench can run
# (paper_have_py), then cpython when there is one and ftbench-gil can be
# its harness.
paper_py_interps() {
    local f
    [ $# -gt 0 ] || set -- gil nogil nogil-atomic
    PY_INTERPS=()
    for f in "$@"; do paper_have_py "$f" && PY_INTERPS+=("ftpy-$f"); done
    [ -n "$CPYTHON" ] && paper_have_py gil && PY_INTERPS+=(cpython)
    return 0
}

# paper_py_as NAME INTERP WORKLOAD [ftbench options] [-- program args]:
# paper_py under one interpreter of PY_INTERPS — ftpy-FLAVOR with
# ftbench-FLAVOR, cpython with ftbench-gil as the harness.
paper_py_as() {
    local name=$1 in=$2
    shift 2
    case $in in
        ftpy-*) paper_py "$name" "${in#ftpy-}" ftpy "$@" ;;
        cpython) paper_py "$name" gil cpython "$@" ;;
        *) echo "$SLUG: paper_py_as: interpreter ftpy-<flavor> or cpython, not $in" >&2; exit 1 ;;
    esac
}

# paper_py_section TITLE COUNT WRITER: the results.md section "## TITLE"
# of the Python part, on stdout (inside the block piped to paper_append).
# COUNT is how many interpreters (or configurations) ran: WRITER, a
# function of run.sh, writes the section's text and tables when it is
# above 0; at 0 one line says why nothing was measured.
paper_py_section() {
    echo "## $1"
    echo
    if [ "$2" -gt 0 ]; then
        "$3"
    else
        echo "Not measured: this build's ftbench runs no Python workloads, or ftpy is not built."
    fi
}

# paper_py_table_head HEAD RULE CELLS CELL_RULE: the first two lines of a
# table with columns per interpreter: HEAD ("| operation | object |") and
# its RULE ("|---|---|"), then for each of PY_INTERPS its CELLS (every %s
# in them is the interpreter: " %s alone | %s, 1 CPU |") and CELL_RULE.
paper_py_table_head() {
    local head=$1 rule=$2 in
    for in in "${PY_INTERPS[@]}"; do head+=${3//%s/$in}; rule+=$4; done
    echo "$head"
    echo "$rule"
}

# paper_py_table_row FIRST CELL [ARG ...]: one row of such a table:
# "| FIRST |" (FIRST may hold several cells, "a | b"), then for each of
# PY_INTERPS " $(CELL interpreter ARG ...) |".
paper_py_table_row() {
    local row="| $1 |" cell=$2 in
    shift 2
    for in in "${PY_INTERPS[@]}"; do row+=" $("$cell" "$in" "$@") |"; done
    echo "$row"
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
    commit=$(paper_commit)
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    {
        echo "# $title — measured"
        echo
        echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
        echo "- commit: $commit"
        echo "- machine: ${cpu:-unknown}, $(nproc) cores, $(uname -sr)"
        echo "- mode: $(case $(paper_mode) in smoke) echo "--smoke (minimal sizes, one repeat: the numbers mean nothing)" ;;
                       quick) echo "--quick (small sizes, few repeats)" ;; *) echo full ;; esac), threads up to $THREADS"
        echo "- interpreters: ftpy-<flavor> of this build; CPython: ${CPYTHON:-none} ($([ -n "$CPYTHON" ] && "$CPYTHON" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo -))"
        echo "- command: \`papers/$SLUG/run.sh$([ "$QUICK" = 1 ] && echo " --$(paper_mode)")$([ "$THREADS" != "$(nproc)" ] && echo " --threads $THREADS")\`"
        echo
    } >"$OUT/results.md"
}

# What differs from the commit (git status --porcelain lines); fails
# outside a git checkout. papers/run checks the tree once, before the
# first paper (PAPERS_SAVE_BASE = that commit): what the earlier papers'
# --save wrote may differ then, and does not count.
paper_dirty() {
    local dirty
    dirty=$(git -C "$PAPERS_ROOT" status --porcelain 2>/dev/null) || return 1
    if [ -n "${PAPERS_SAVE_BASE:-}" ] &&
       [ "$PAPERS_SAVE_BASE" = "$(git -C "$PAPERS_ROOT" rev-parse HEAD)" ]; then
        dirty=$(echo "$dirty" | grep -Ev '^ M papers/README\.md$|^(\?\?| M) papers/[a-z0-9-]+/(results\.md|verdict\.tsv|raw\.json(\.gz)?|README\.md|[^/]+\.png)$' || true)
    fi
    echo "$dirty"
}

# The commit the working tree is at (never "-dirty": --save refuses a
# dirty tree, and any other run says in words that the tree differs).
paper_commit() {
    local c
    c=$(git -C "$PAPERS_ROOT" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
    if [ -n "$(paper_dirty)" ]; then
        echo "$c, with uncommitted changes (not a result to commit)"
    else
        echo "$c"
    fi
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

# Last call of every run.sh: the verdict computed from claims.json and
# measured.tsv, the run's time, and --save.
paper_finish() {
    {
        echo
        "$PY3" "$PAPERS_ROOT/papers/verdict.py" compute "$PAPER_DIR/claims.json" \
            "$OUT/measured.tsv" "$OUT/verdict.tsv"
    } >>"$OUT/results.md" ||
        { echo "$SLUG: computing the verdict failed" >&2; exit 1; }
    echo >>"$OUT/results.md"
    echo "_This run took $(( $(date +%s) - PAPER_T0 )) s._" >>"$OUT/results.md"
    paper_log "verdict: $("$PY3" "$PAPERS_ROOT/papers/verdict.py" check "$OUT/verdict.tsv")"
    if [ "$SAVE" = 1 ]; then
        local commit raw
        commit=$(git -C "$PAPERS_ROOT" rev-parse --short HEAD)
        raw=$("$PY3" "$PAPERS_ROOT/papers/verdict.py" bundle "$OUT" "$OUT/raw.json" "$commit")
        rm -f "$PAPER_DIR/raw.json" "$PAPER_DIR/raw.json.gz"
        cp "$raw" "$PAPER_DIR/"
        cp "$OUT/results.md" "$OUT/verdict.tsv" "$PAPER_DIR/"
        find "$OUT" -maxdepth 1 -name '*.png' -exec cp {} "$PAPER_DIR/" \;
        "$PY3" "$PAPERS_ROOT/papers/verdict.py" readme "$PAPER_DIR/README.md" \
            "$PAPER_DIR/verdict.tsv" "$PAPER_DIR/claims.json" "$commit"
        paper_index
        paper_log "saved results.md, $(basename "$raw"), verdict.tsv and charts into papers/$SLUG/; verdict written into its README.md"
    fi
    paper_log "done in $(( $(date +%s) - PAPER_T0 )) s: $OUT/results.md"
}

# The index table of papers/README.md, from every paper's claims.json and
# saved verdict.tsv (papers/run's order).
paper_index() {
    "$PY3" "$PAPERS_ROOT/papers/verdict.py" index "$PAPERS_ROOT/papers/README.md" \
        "$PAPERS_ROOT/papers" gil-convoy gil-cpu-scaling biased-refcount pep703-overhead \
        shared-contention gc-pauses freelist-sharding
}
