#!/bin/sh
# ftbench's command line: bad options exit 2 with a message naming the
# problem; list names every workload with its kind; a run's JSON says its
# schema. Usage: cli_test.sh path/to/ftbench-<flavor>
set -u
bin=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

# expect_exit STATUS PATTERN ARGS...: the status and a stderr line matching.
expect_exit() {
    want=$1 pattern=$2
    shift 2
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" "$tmp/err"; then
        echo "FAIL: ftbench $*: exit $got (want $want), stderr:" >&2
        cat "$tmp/err" >&2
        fails=$((fails + 1))
    fi
}

expect_exit 2 "unknown workload 'nosuch'" run --workload nosuch
expect_exit 2 "unknown workload 'cpu2'" run --workload bintrees,cpu2
expect_exit 2 "threads wants" run --threads 1,,2
expect_exit 2 "threads wants" run --threads 0
expect_exit 2 "threads wants" run --threads two
expect_exit 2 "mode is total or per-thread" run --mode both
expect_exit 2 "malloc is" run --malloc jemalloc
expect_exit 2 "switch-interval-us wants" run --switch-interval-us 0
expect_exit 2 "repeats wants" run --repeats -1
expect_exit 2 "needs a value" run --json
expect_exit 2 "unknown option" run --fast
expect_exit 2 "unknown command" bench

"$bin" list >"$tmp/list" || { echo "FAIL: list" >&2; fails=$((fails + 1)); }
for kind in cpu io mixed; do
    grep -q " $kind " "$tmp/list" ||
        { echo "FAIL: list shows no $kind workload" >&2; fails=$((fails + 1)); }
done

"$bin" run --workload sleep --threads 2 --mode per-thread --validate \
    --json "$tmp/r.json" 2>/dev/null >/dev/null &&
    grep -q '"schema": "ftbench/1"' "$tmp/r.json" &&
    grep -q '"mode": "per-thread"' "$tmp/r.json" ||
    { echo "FAIL: a per-thread run's JSON" >&2; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "ftbench command line: ok"
exit $((fails != 0))
