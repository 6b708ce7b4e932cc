#!/bin/sh
# ftbench's command line: bad options exit 2 with a message naming the
# problem; list names every workload with its kind; a run's JSON says its
# schema. Every check counts: the last line says how many passed and
# failed, and the exit status is 0 only when none failed.
# Usage: cli_test.sh path/to/ftbench-<flavor>
set -u
bin=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0

# check OK DESCRIPTION: counts one check (OK is 0 when it held).
check() {
    if [ "$1" -eq 0 ]; then
        passes=$((passes + 1))
    else
        echo "FAIL: $2" >&2
        fails=$((fails + 1))
    fi
}

# expect_exit STATUS PATTERN ARGS...: the status and a stderr line matching.
expect_exit() {
    want=$1 pattern=$2
    shift 2
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" "$tmp/err"; then
        check 1 "ftbench $*: exit $got (want $want), no '$pattern' in stderr:"
        cat "$tmp/err" >&2
    else
        check 0 ""
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
expect_exit 2 "threads takes at most 16 values" run --threads 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
# Every usage error ends with the same hint (bench/cli.h).
expect_exit 2 "^(ftbench-.* --help for the options)$" run --warmup x

"$bin" list >"$tmp/list"
check $? "ftbench list exits 0"
for kind in cpu io mixed; do
    grep -q " $kind " "$tmp/list"
    check $? "list shows a $kind workload"
done

"$bin" run --workload sleep --threads 2 --mode per-thread --validate \
    --json "$tmp/r.json" 2>/dev/null >/dev/null
check $? "a per-thread run of sleep exits 0"
grep -q '"schema": "ftbench/1"' "$tmp/r.json" 2>/dev/null
check $? "its JSON says the schema ftbench/1"
grep -q '"mode": "per-thread"' "$tmp/r.json" 2>/dev/null
check $? "its JSON says the mode per-thread"

echo "ftbench cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
