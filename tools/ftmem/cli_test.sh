#!/usr/bin/env bash
# cli_test.sh FTMEM — ftmem as a user meets it: help and list, every
# workload run to the end with its report and graph, and bad usage refused
# with exit status 2 and a message.
set -uo pipefail
ftmem=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS PATTERN ARGS...: exit status and a line of output.
expect() {
  local want=$1 pattern=$2; shift 2
  local out status
  out=$(cd "$work" && "$ftmem" "$@" 2>&1); status=$?
  [ "$status" -eq "$want" ] || fail "ftmem $*: exit $status, expected $want"
  grep -qE -- "$pattern" <<<"$out" || fail "ftmem $*: no line matching '$pattern' in:
$out"
}

expect 0 '^usage: ' --help
expect 0 '^leak ' list
expect 0 '^concat ' list
expect 2 'a command is needed' 
expect 2 'unknown command' frobnicate
expect 2 'which workload' run
expect 2 "no workload named 'nope'" run nope
expect 2 'expected 1\.\.64' run leak --frames 0
expect 2 'expected 1\.\.1000' run leak --top many
expect 2 'expected lineno, filename or traceback' run leak --key bytes
expect 2 'needs a value' run leak --dot
expect 2 "unknown option '--fast'" run leak --fast

for demo in concat cache leak; do
  expect 0 '^== Top 3 allocation sites' run "$demo" --top 3 --dot "$demo.dot"
  expect 0 '^== Memory per phase' run "$demo" --no-graph
  head -1 "$work/$demo.dot" | grep -q '^digraph ObjectGraph' || fail "$demo.dot is not DOT"
  if command -v dot > /dev/null; then
    [ -s "$work/$demo.png" ] || fail "$demo.png not rendered"
  fi
done
expect 0 'called from tools/ftmem/demos\.c' run leak --frames 4 --key traceback --no-graph
expect 0 '^Node +3000 *$' run leak --no-graph

echo "ftmem cli: $((failures == 0 ? 1 : 0)) passed, $((failures == 0 ? 0 : 1)) failed"
[ "$failures" -eq 0 ]
