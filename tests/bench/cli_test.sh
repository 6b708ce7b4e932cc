#!/bin/sh
# ftbench's command line: bad options exit 2 with a message naming the
# problem; list names every workload with its kind; a run's JSON says its
# schema. The Python workloads: an unknown program or interpreter is a
# usage error (2), a failing program fails the run (1) with its status
# and stderr shown, its metric lines land in the JSON. Every check counts:
# the last line says how many passed and failed, and the exit status is 0
# only when none failed.
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

# expect_exit STATUS PATTERN ARGS...: the status and a stderr line matching
# (the stderr stays in $tmp/err for more checks).
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

# Python workloads: names, files and interpreters.
expect_exit 2 "unknown workload 'py:nosuch'" run --workload py:nosuch
expect_exit 2 "no Python program '$tmp/none.py'" run --workload "py:$tmp/none.py"
expect_exit 2 "python: no interpreter '$tmp/nopython'" run --workload py:nbody \
    --python "$tmp/nopython"
expect_exit 2 "give one" run --workload py:nbody --python python3 --ftpy python3
expect_exit 2 "needs a value" run --workload py:nbody --py-arg

# A program that fails: exit 1, its exit status and stderr shown (under
# this flavor's ftpy, found beside ftbench).
printf 'import sys\nsys.stderr.write("boom from the program\\n")\nsys.exit(3)\n' \
    >"$tmp/fail.py"
expect_exit 1 "FAILED with exit status 3" run --workload "py:$tmp/fail.py" --validate
grep -q "boom from the program" "$tmp/err"
check $? "a failing program's stderr is shown"

# Two programs of one basename in two folders are two workloads: each is
# named by its path relative to the working directory (given relative or
# absolute), so their runs do not merge under one name in the JSON.
mkdir -p "$tmp/a" "$tmp/b"
printf 'print("metric which 1")\n' >"$tmp/a/same.py"
printf 'print("metric which 2")\n' >"$tmp/b/same.py"
(cd "$tmp" && "$bin" run --workload "py:a/same.py,py:$tmp/b/same.py" --threads 1 \
    --quick --repeats 1 --warmup 0 --json "$tmp/same.json" >/dev/null 2>&1)
check $? "two programs of one basename run"
grep -q '"workload": "py:a/same.py"' "$tmp/same.json" 2>/dev/null
check $? "the first is named py:a/same.py"
grep -q '"workload": "py:b/same.py"' "$tmp/same.json" 2>/dev/null
check $? "the second, given by absolute path, is named py:b/same.py"
[ "$(grep -o '"workload": "py:[^"]*"' "$tmp/same.json" 2>/dev/null | sort -u | wc -l)" -eq 2 ]
check $? "the JSON names two different Python workloads"

if command -v python3 >/dev/null; then
    # Killed by a signal: exit 1, the signal named.
    printf 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n' >"$tmp/kill.py"
    expect_exit 1 "FAILED with signal 9" run --workload "py:$tmp/kill.py" --validate \
        --python python3
    # A metric line ftbench cannot read fails the run too.
    printf 'print("metric two words here and more")\n' >"$tmp/badmetric.py"
    expect_exit 1 "malformed metric line" run --workload "py:$tmp/badmetric.py" \
        --validate --python python3
    # A good one: its arguments, metrics and interpreter in the JSON.
    printf 'import sys\nprint("args", sys.argv[1:])\nprint("metric answer 42 widgets")\n' \
        >"$tmp/ok.py"
    "$bin" run --workload "py:$tmp/ok.py" --threads 2 --quick --repeats 2 --warmup 0 \
        --python python3 --py-arg extra --json "$tmp/py.json" >/dev/null 2>&1
    check $? "a Python program under python3 runs"
    grep -q '"kind": "cpython"' "$tmp/py.json" 2>/dev/null
    check $? "its JSON names the interpreter cpython"
    grep -q '"answer": 42' "$tmp/py.json" 2>/dev/null
    check $? "its JSON has the program's metric"
    grep -q '"answer": "widgets"' "$tmp/py.json" 2>/dev/null
    check $? "its JSON has the metric's unit"
    grep -q "\"check\": \"args \['--threads', '2', '--quick', 'extra'\]\"" "$tmp/py.json" 2>/dev/null
    check $? "the program got --threads 2 --quick and the --py-arg"
fi

"$bin" list >"$tmp/list"
check $? "ftbench list exits 0"
for kind in cpu io mixed py; do
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
