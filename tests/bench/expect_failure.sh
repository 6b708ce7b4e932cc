#!/bin/sh
# expect_failure.sh STATUS MESSAGE PROGRAM [ARGS...] — a test of a refusal:
# passes only when PROGRAM exits with exactly STATUS (a crash, a signal or
# another status fails it) and its stderr has a line containing MESSAGE
# (a fixed string). ctest's WILL_FAIL would pass on any failure at all.
set -u
[ $# -ge 3 ] || { echo "usage: expect_failure.sh STATUS MESSAGE PROGRAM [ARGS...]" >&2; exit 2; }
want=$1 message=$2
shift 2
err=$(mktemp) || exit 2
trap 'rm -f "$err"' EXIT
"$@" >/dev/null 2>"$err"
got=$?
ok=1
if [ "$got" -ne "$want" ]; then
    if [ "$got" -gt 128 ]; then
        echo "FAIL: $1 died by signal $((got - 128)), expected exit status $want" >&2
    else
        echo "FAIL: $1 exited with $got, expected $want" >&2
    fi
    ok=0
fi
if ! grep -qF -- "$message" "$err"; then
    echo "FAIL: $1 did not say: $message" >&2
    ok=0
fi
if [ "$ok" -eq 0 ]; then
    echo "its stderr:" >&2
    cat "$err" >&2
    exit 1
fi
echo "$1 refused as expected (exit $got): $message"
