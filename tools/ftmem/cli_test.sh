#!/usr/bin/env bash
# cli_test.sh FTMEM — ftmem as a user meets it: help and list, every
# workload run to the end with its report and graph, and bad usage refused
# with exit status 2 and a message. Every check counts: the last line says
# how many passed and failed, and the exit status is 0 only when none
# failed.
set -uo pipefail
ftmem=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passes=0 failures=0

pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS PATTERN ARGS...: exit status and a line of output (two
# checks).
expect() {
  local want=$1 pattern=$2; shift 2
  local out status
  out=$(cd "$work" && "$ftmem" "$@" 2>&1); status=$?
  if [ "$status" -eq "$want" ]; then pass; else fail "ftmem $*: exit $status, expected $want"; fi
  if grep -qE -- "$pattern" <<<"$out"; then pass; else fail "ftmem $*: no line matching '$pattern' in:
$out"; fi
}

expect 0 '^usage: ' --help
expect 0 '^leak ' list
expect 0 '^concat ' list
expect 2 'a command is needed' 
expect 2 'unknown command' frobnicate
expect 2 'which workload' run
expect 2 "no workload named 'nope'" run nope
expect 2 'frames wants a whole number in 1\.\.64' run leak --frames 0
expect 2 'top wants a whole number in 1\.\.1000' run leak --top many
expect 2 'key is lineno, filename or traceback' run leak --key bytes
expect 2 'needs a value' run leak --dot
expect 2 "unknown option '--fast'" run leak --fast

for demo in concat cache leak; do
  expect 0 '^== Top 3 allocation sites' run "$demo" --top 3 --dot "$demo.dot"
  expect 0 '^== Memory per phase' run "$demo" --no-graph
  if head -1 "$work/$demo.dot" | grep -q '^digraph ObjectGraph'; then pass; else fail "$demo.dot is not DOT"; fi
  if command -v dot > /dev/null; then
    if [ -s "$work/$demo.png" ]; then pass; else fail "$demo.png not rendered"; fi
  fi
done
expect 0 'called from tools/ftmem/demos\.c' run leak --frames 4 --key traceback --no-graph
expect 0 '^Node +3000 *$' run leak --no-graph

echo "ftmem cli: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
