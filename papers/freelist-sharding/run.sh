#!/usr/bin/env bash
# papers/freelist-sharding/run.sh — Leijen, Zorn, de Moura, "Mimalloc: Free
# List Sharding in Action" (MSR-TR-2019-18, APLAS 2019): per-page, per-thread
# free lists keep single-threaded churn as fast as the best allocators and
# make cross-thread (producer -> consumer) frees much faster (README.md).
#
#   (a) inside ftlab: ftbench-alloc-{nogil,gil}, every call through
#       ft_malloc/ft_free, backends obmalloc / mimalloc / glibc malloc;
#       single-thread scenarios and a producer -> consumer pair (nogil: the
#       frees are remote frees into per-thread pools; gil: the two threads
#       alternate). Flavors interleaved, round by round.
#   (b) outside ftlab: ftbench-malloc-churn, a plain C program that links
#       no ftlab, on glibc, LD_PRELOAD=libftmalloc.so (ftlab's nogil
#       allocator as the C malloc) and LD_PRELOAD=libmimalloc.so, plus
#       libjemalloc.so.2 and libtcmalloc_minimal.so.4 when installed (the
#       paper's thread-caching rivals; optional): churn on 1..--threads
#       threads, producer -> consumer pairs on 2..--threads; allocators
#       interleaved run by run, medians of all runs.
source "$(dirname "$0")/../lib.sh"
paper_init "$@"

FTMALLOC=$BUILD/shim/libftmalloc.so
CHURN=$BENCH/ftbench-malloc-churn
# (awk reads to the end: an early exit would SIGPIPE ldconfig, and with
# pipefail stop the script)
lib_path() { ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n && !found { print $NF; found = 1 }'; }
MIMALLOC=$(lib_path libmimalloc.so.2)
[ -n "$MIMALLOC" ] ||
    MIMALLOC=$(dpkg -L libmimalloc2.0 2>/dev/null | grep -m1 '/libmimalloc\.so\.2$' || true)
for f in "$FTMALLOC" "$CHURN" "$BENCH/ftbench-alloc-nogil" "$BENCH/ftbench-alloc-gil"; do
    [ -e "$f" ] || { echo "$SLUG: $f is missing: run 'make build' first" >&2; exit 1; }
done
[ -n "$MIMALLOC" ] && [ -e "$MIMALLOC" ] ||
    { echo "$SLUG: libmimalloc.so.2 not found (apt-get install libmimalloc2.0)" >&2; exit 1; }

if [ "$SMOKE" = 1 ]; then
    ROUNDS=1 ALLOC_ARGS="--quick --repeats 1" RUNS=1 OPS=20000
elif [ "$QUICK" = 1 ]; then
    ROUNDS=1 ALLOC_ARGS="--quick" RUNS=3 OPS=300000
else
    ROUNDS=3 ALLOC_ARGS="" RUNS=7 OPS=4000000
fi
declare -A PRELOAD=([ftmalloc]=$FTMALLOC [mimalloc]=$MIMALLOC [glibc]="")
ALLOCS="ftmalloc mimalloc glibc"
for x in "jemalloc libjemalloc.so.2" "tcmalloc libtcmalloc_minimal.so.4"; do
    read -r name lib <<<"$x"
    path=$(lib_path "$lib")
    if [ -n "$path" ]; then
        PRELOAD[$name]=$path
        ALLOCS+=" $name"
    else
        paper_log "$lib not installed: (b) runs without $name"
    fi
done

# ---- (a) inside ftlab --------------------------------------------------------
# Producer->consumer thread counts beyond the default pair: the even ones
# of paper_thread_list from 4 on (4, 8, 16, ..., THREADS).
XFER_MORE=""
[ "$SMOKE" = 1 ] || for t in $(paper_thread_list | tr , ' '); do
    [ "$t" -ge 4 ] && [ $((t % 2)) = 0 ] && XFER_MORE+=" $t"
done
for r in $(seq "$ROUNDS"); do
    for f in nogil gil; do
        paper_log "(a) ftbench-alloc-$f round $r/$ROUNDS"
        "$BENCH/ftbench-alloc-$f" $ALLOC_ARGS --json "$OUT/alloc-$f-r$r.json" \
            >"$OUT/alloc-$f-r$r.txt"
        for t in $XFER_MORE; do
            paper_log "(a) ftbench-alloc-$f round $r/$ROUNDS: $t producer->consumer threads"
            "$BENCH/ftbench-alloc-$f" $ALLOC_ARGS --xfer-only --xfer-threads "$t" \
                --json "$OUT/alloc-$f-t$t-r$r.json" >"$OUT/alloc-$f-t$t-r$r.txt"
        done
    done
done
# flavor|scenario@threads|pattern|backend sample-ns  (every timed run of
# every round)
for f in nogil gil; do
    cat "$OUT"/alloc-$f-*r*.json | jq -r --arg f "$f" '.results[]
        | "\($f)|\(.scenario)@\(.threads)|\(.pattern | gsub(" "; "_"))|\(.allocator) \(.samples[])"'
done | paper_medians_by_key >"$OUT/alloc-medians.txt"
for f in nogil gil; do
    cat "$OUT"/alloc-$f-*r*.json | jq -r --arg f "$f" '.results[]
        | "\($f)|\(.scenario)@\(.threads)|\(.pattern | gsub(" "; "_"))|\(.allocator) \(.cpu_per_wall)"'
done | paper_medians_by_key >"$OUT/alloc-par.txt"
apar() { awk -v k="$1|$2|$3|$4" '$1 == k { print $2 }' "$OUT/alloc-par.txt"; }
# a flavor scenario@threads pattern backend -> "median min"
a() { awk -v k="$1|$2|$3|$4" '$1 == k { print $2, $3 }' "$OUT/alloc-medians.txt"; }
amed() { a "$@" | cut -d' ' -f1; }

# ---- (b) outside ftlab: one C program, three allocators ----------------------
# The cases: "scenario threads size". Single thread and one pair, both
# sizes; then the thread sweep (churn 2..N, pairs 4..N) on mixed sizes.
CASES=("churn 1 64" "churn 1 mixed" "xfer 2 64" "xfer 2 mixed")
for t in $(paper_thread_list | tr , ' '); do
    [ "$t" -gt 1 ] && CASES+=("churn $t mixed")
done
for t in $XFER_MORE; do CASES+=("xfer $t mixed"); done

: >"$OUT/preload.jsonl"
for r in $(seq "$RUNS"); do
    paper_log "(b) ftbench-malloc-churn run $r/$RUNS (${#CASES[@]} cases x allocators $ALLOCS)"
    for c in "${CASES[@]}"; do
        read -r scen t size <<<"$c"
        for al in $ALLOCS; do
            LD_PRELOAD=${PRELOAD[$al]} "$CHURN" --scenario "$scen" \
                --threads "$t" --size "$size" --ops "$OPS" --expect "$al" \
                >>"$OUT/preload.jsonl"
        done
    done
done
# scenario|threads|size|allocator ns  and  ...|allocator rss
jq -r '"\(.scenario)|\(.threads)|\(.size | gsub(" "; "_"))|\(.allocator) \(.ns_per_block)"' \
    "$OUT/preload.jsonl" | paper_medians_by_key >"$OUT/preload-ns.txt"
jq -r '"\(.scenario)|\(.threads)|\(.size | gsub(" "; "_"))|\(.allocator) \(.peak_rss_kib)"' \
    "$OUT/preload.jsonl" | paper_medians_by_key >"$OUT/preload-rss.txt"
jq -r '"\(.scenario)|\(.threads)|\(.size | gsub(" "; "_"))|\(.allocator) \(.cpu_per_wall)"' \
    "$OUT/preload.jsonl" | paper_medians_by_key >"$OUT/preload-par.txt"
p() { awk -v k="$1|$2|$3|$4" '$1 == k { print $2, $3 }' "$OUT/preload-ns.txt"; }
pmed() { p "$@" | cut -d' ' -f1; }
prss() { awk -v k="$1|$2|$3|$4" '$1 == k { print $2 }' "$OUT/preload-rss.txt"; }
ppar() { awk -v k="$1|$2|$3|$4" '$1 == k { print $2 }' "$OUT/preload-par.txt"; }
# A table of one number per (case, allocator): column $1 SCEN T SIZE ALLOC.
case_table() {
    echo "| scenario | threads | size |$(for al in $ALLOCS; do printf ' %s |' "$al"; done)"
    echo "|---|---:|---|$(for al in $ALLOCS; do printf -- '---:|'; done)"
    local c scen t size sk row al
    for c in "${CASES[@]}"; do
        read -r scen t size <<<"$c"
        sk=$(size_key "$size")
        row="| $scen | $t | ${sk//_/ } |"
        for al in $ALLOCS; do row+=" $($1 "$scen" "$t" "$sk" "$al") |"; done
        echo "$row"
    done
}
size_key() { [ "$1" = mixed ] && echo "mixed_1-512" || echo "${1}_B"; }

# ---- results.md ----------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cell() { awk -v m="$1" -v n="$2" 'BEGIN { printf "%.1f (%.1f)", m, n }'; }

paper_results_header "Free-list sharding (Leijen, Zorn, de Moura 2019)"
n_alloc=$(find "$OUT" -maxdepth 1 -name 'alloc-nogil-r*.json' | wc -l)
reps=$(jq '.environment.repeats' "$OUT/alloc-nogil-r1.json")
{
    echo "## (a) Inside ftlab: ft_malloc with each backend (ftbench-alloc)"
    echo
    echo "ns per alloc+free, median of all timed runs ($n_alloc round(s) x $reps runs; min in parentheses)."
    echo "Every call goes through ft_malloc/ft_free: obmalloc's small blocks take ft_malloc's"
    echo "inline fast path, mimalloc and glibc go through the backend table and a"
    echo "usable-size call for leak accounting (see README). CPU / wall: process CPU time"
    echo "over wall time while timed, i.e. how many threads really ran at once (2 for a"
    echo "producer->consumer pair on a quiet 2-core machine; near 1 or below: they took turns)."
    echo
    for f in nogil gil; do
        echo "### $f flavor"
        echo
        echo "| scenario | threads | size | obmalloc | mimalloc | glibc malloc | obmalloc / mimalloc | glibc / obmalloc | CPU / wall (ob, mi, glibc) |"
        echo "|---|---:|---|---:|---:|---:|---:|---:|---|"
        for sc in pairs@1 batch-lifo@1 batch-fifo@1 producer-consumer@2 \
                  $(for t in $XFER_MORE; do echo producer-consumer@$t; done); do
            for pat in 64_B mixed_1-512; do
                read -r om on <<<"$(a $f $sc $pat obmalloc)"
                read -r mm mn <<<"$(a $f $sc $pat mimalloc)"
                read -r gm gn <<<"$(a $f $sc $pat malloc)"
                par="$(apar $f $sc $pat obmalloc), $(apar $f $sc $pat mimalloc), $(apar $f $sc $pat malloc)"
                echo "| ${sc%@*} | ${sc#*@} | ${pat//_/ } | $(cell $om $on) | $(cell $mm $mn) | $(cell $gm $gn) | $(ratio $om $mm)x | $(ratio $gm $om)x | $par |"
            done
        done
        # geometric means over the 21 single-thread scenarios
        awk -v f="$f" -F'[| ]' '$1 == f && $2 !~ /^producer-consumer/ { m[$2 "|" $3 "|" $4] = $5 }
            END {
                for (k in m) { split(k, p, "|"); if (p[3] == "obmalloc") {
                    s1 += log(m[k] / m[p[1] "|" p[2] "|mimalloc"])
                    s2 += log(m[p[1] "|" p[2] "|malloc"] / m[k]); n++ } }
                printf "\nSingle thread, all %d scenarios (pairs, batch LIFO/FIFO x 7 sizes): geometric mean obmalloc / mimalloc **%.2fx**, glibc / obmalloc **%.2fx**.\n\n", n, exp(s1 / n), exp(s2 / n) }' \
            "$OUT/alloc-medians.txt"
    done
    echo "Full per-size tables: \`alloc-<flavor>-r<round>.txt\`."
    echo
    echo "## (b) Outside ftlab: one C program, the allocator preloaded (ftbench-malloc-churn)"
    echo
    echo "ns per block (one malloc + one free; wall time / blocks, all threads together),"
    echo "median of $RUNS runs (min in parentheses); $OPS blocks per thread (churn) or per"
    echo "pair (xfer) per run. ftmalloc = \`LD_PRELOAD=libftmalloc.so\` (ftlab's nogil"
    echo "allocator), mimalloc = \`LD_PRELOAD=$(basename "$MIMALLOC")\` (Debian's), glibc = no"
    echo "preload; jemalloc, tcmalloc = Debian's libjemalloc.so.2, libtcmalloc_minimal.so.4"
    echo "where installed. Ratios are to mimalloc, as the paper reports them (> 1: slower)."
    echo
    others=$(echo $ALLOCS | tr ' ' '\n' | grep -vx mimalloc)
    echo "| scenario | threads | size |$(for al in $ALLOCS; do printf ' %s |' "$al"; done)$(for al in $others; do printf ' %s / mimalloc |' "$al"; done)"
    echo "|---|---:|---|$(for al in $ALLOCS $others; do printf -- '---:|'; done)"
    for c in "${CASES[@]}"; do
        read -r scen t size <<<"$c"
        sk=$(size_key "$size")
        mi=$(pmed $scen $t $sk mimalloc)
        row="| $scen | $t | ${sk//_/ } |"
        for al in $ALLOCS; do row+=" $(cell $(p $scen $t $sk $al)) |"; done
        for al in $others; do row+=" $(ratio $(pmed $scen $t $sk $al) $mi)x |"; done
        echo "$row"
    done
    echo
    echo "churn: each thread frees a random one of its 1024 live blocks and allocates a"
    echo "new one (all frees local). xfer: threads/2 producer -> consumer pairs through a"
    echo "1024-slot ring (every free is of another thread's block). Every block's tag is"
    echo "checked at its free; the program fails on a wrong tag, a wrong tag sum or the"
    echo "wrong allocator."
    echo
    echo "How many threads really ran at once: the timed threads' CPU time / wall time"
    echo "(median over runs). On a quiet machine a 2-thread case is near 2; near 1 or"
    echo "below, other processes held the cores and the two threads mostly took turns"
    echo "on one, a different regime (see README)."
    echo
    case_table ppar
    echo
    echo "Peak RSS (KiB, median over runs; the whole process, program included):"
    echo
    case_table prss
    echo
    echo "![ns per block by allocator, single thread vs cross-thread](sharding.png)"
    echo
} | paper_append

# ---- chart data ---------------------------------------------------------------
{
    echo "# group obmalloc mimalloc glibc (ns, medians)"
    for g in "pairs@1 mixed_1-512 1T alloc+free" \
             "batch-fifo@1 mixed_1-512 1T batch FIFO" \
             "producer-consumer@2 64_B 2T xfer 64 B" \
             "producer-consumer@2 mixed_1-512 2T xfer mixed"; do
        read -r sc pat label <<<"$g"
        echo "\"$label\" $(amed nogil $sc $pat obmalloc) $(amed nogil $sc $pat mimalloc) $(amed nogil $sc $pat malloc)"
    done
} >"$OUT/inftlab.dat"
{
    echo "\"group\"$(for al in $ALLOCS; do
        [ "$al" = ftmalloc ] && printf ' "%s"' "libftmalloc (ftlab nogil)" || printf ' "%s"' "$al"; done)"
    for g in "churn 1 64_B 1T churn 64 B" "churn 1 mixed_1-512 1T churn mixed" \
             "xfer 2 64_B 2T xfer 64 B" "xfer 2 mixed_1-512 2T xfer mixed"; do
        read -r scen t sk label <<<"$g"
        echo "\"$label\"$(for al in $ALLOCS; do printf ' %s' "$(pmed $scen $t $sk $al)"; done)"
    done
} >"$OUT/preload.dat"
paper_plot sharding.gp

# ---- The quantities the claims test (claims.json) -------------------------------
# (b), outside ftlab, ratios to mimalloc: single-thread churn and one
# producer -> consumer pair, 64-byte blocks.
for al in $ALLOCS; do
    [ "$al" = mimalloc ] && continue
    paper_quantity "b_${al}_over_mimalloc_churn1" "$(paper_div "$(pmed churn 1 64_B "$al")" "$(pmed churn 1 64_B mimalloc)")"
    paper_quantity "b_${al}_over_mimalloc_xfer2" "$(paper_div "$(pmed xfer 2 64_B "$al")" "$(pmed xfer 2 64_B mimalloc)")"
done
paper_finish
