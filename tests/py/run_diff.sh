#!/usr/bin/env bash
# run_diff.sh ORACLE FTPY TEST.py [ARGS...] — runs one differential test: the same
# file under CPython (the oracle) and under an ftpy flavor, each in a fresh
# empty working directory, and compares what a user sees: stdout and the
# exit status must be identical, and so must the last line of stderr when
# the status is not 0. On a difference it prints both sides and fails.
set -uo pipefail
oracle=$1 ftpy=$2 test=$3
shift 3
args=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/cpython" "$work/ftpy"

# run NAME CMD... : stdout, stderr and status into $work/NAME.*
run() {
  local name=$1; shift
  (cd "$work/$name" && timeout 120 "$@" "$test" "${args[@]}" > "$work/$name.out" \
     2> "$work/$name.err" < /dev/null)
  echo $? > "$work/$name.status"
}

run cpython env PYTHONDONTWRITEBYTECODE=1 "$oracle" -E -s -B
run ftpy "$ftpy"

status_c=$(cat "$work/cpython.status") status_f=$(cat "$work/ftpy.status")
fail=0
if [ "$status_c" != "$status_f" ]; then
  echo "exit status: cpython $status_c, ftpy $status_f"
  fail=1
fi
if ! cmp -s "$work/cpython.out" "$work/ftpy.out"; then
  echo "stdout differs (- cpython, + ftpy):"
  diff -u "$work/cpython.out" "$work/ftpy.out" | head -60
  fail=1
fi
if [ "$status_c" != 0 ] || [ "$status_f" != 0 ]; then
  last_c=$(tail -n 1 "$work/cpython.err") last_f=$(tail -n 1 "$work/ftpy.err")
  if [ "$last_c" != "$last_f" ]; then
    echo "last line of stderr differs:"
    echo "  cpython: $last_c"
    echo "  ftpy:    $last_f"
    fail=1
  fi
fi
if [ "$fail" != 0 ]; then
  echo "--- ftpy stderr (tail) ---"
  tail -n 20 "$work/ftpy.err"
  exit 1
fi
echo "same output as CPython ($(wc -l < "$work/cpython.out") lines, exit $status_c)"
