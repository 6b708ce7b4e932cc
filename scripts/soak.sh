#!/usr/bin/env bash
# soak.sh — `make soak`: the stress mix of tests/soak/soak.c for minutes on
# every flavor, one flavor after another so that they do not disturb each
# other's RSS figures. Not part of `make test`.
#
# Time: SOAK_MINUTES (default 10) is the whole run, split evenly over the
# flavors (10 minutes: 200 s each for gil, nogil, nogil-atomic).
# SOAK_SECONDS, when set, is the time of each flavor instead (quick checks:
# SOAK_SECONDS=20 ./scripts/soak.sh).
#
# Each program prints a line per minute (elapsed, operations by kind,
# threads started, collections, RSS, live objects) and a summary; this
# script tees them into $SOAK_OUT/<flavor>.log and ends with one table:
# flavor, minutes, operations, RSS after warm-up and at the end, what
# ft_fini found left, verdict. Exit status 1 when any flavor failed (a
# check, the RSS rule, a leak, a crash), after running them all.
#
# Other settings, passed through to the programs: SOAK_SEED (replay a
# failure; each program prints its seed), SOAK_THREADS, SOAK_EPOCH_MS.
# SOAK_FLAVORS picks flavors (default "gil nogil nogil-atomic");
# SOAK_BUILD_DIR builds and runs in another folder than build/release
# (same release preset); JOBS the build's parallelism (default 2).
set -euo pipefail

cd "$(dirname "$0")/.."
flavors=${SOAK_FLAVORS:-gil nogil nogil-atomic}
minutes=${SOAK_MINUTES:-10}
build=${SOAK_BUILD_DIR:-build/release}
out=${SOAK_OUT:-$build/soak}
jobs=${JOBS:-2}

n=$(wc -w <<<"$flavors")
if [ -n "${SOAK_SECONDS:-}" ]; then
  seconds=$SOAK_SECONDS
else
  seconds=$(awk -v m="$minutes" -v n="$n" 'BEGIN {
    if (m !~ /^[0-9]+(\.[0-9]+)?$/ || m <= 0) exit 1; printf "%.0f", m * 60 / n }') \
    || { echo "soak: SOAK_MINUTES=$minutes: expected a positive number" >&2; exit 2; }
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "soak: $seconds s per flavor: expected a whole number >= 1" >&2
  exit 2
fi

targets=()
for f in $flavors; do targets+=("ftsoak-$f"); done
echo "== soak: building ${targets[*]} (release preset, $build) =="
if [ -n "${SOAK_BUILD_DIR:-}" ]; then
  cmake --preset release -B "$build" >/dev/null
  cmake --build "$build" -j "$jobs" --target "${targets[@]}"
else
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$jobs" --target "${targets[@]}"
fi

mkdir -p "$out"
echo "== soak: $seconds s per flavor: $flavors; logs in $out =="
failed=0
rows=()
for f in $flavors; do
  exe="$build/tests/soak/ftsoak-$f"
  log="$out/$f.log"
  echo "== soak: $f =="
  set +e
  SOAK_SECONDS=$seconds "$exe" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  line=$(grep '^SOAK ' "$log" | tail -1 || true)
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  if [ -z "$line" ]; then
    verdict="CRASH(exit $rc)"
    rows+=("$f|$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s / 60 }')|-|-|-|-|$verdict")
    failed=1
    continue
  fi
  verdict=$(field verdict)
  if [ "$rc" -ne 0 ] && [ "$verdict" = PASS ]; then verdict="FAIL(exit $rc)"; fi
  [ "$verdict" = PASS ] || failed=1
  rows+=("$f|$(awk -v s="$(field seconds)" 'BEGIN { printf "%.1f", s / 60 }')|$(field ops)|$(awk -v k="$(field rss_warm_kib)" 'BEGIN { printf "%.1f MiB", k / 1024 }')|$(awk -v k="$(field rss_end_kib)" 'BEGIN { printf "%.1f MiB", k / 1024 }')|$(field leaks_objects) obj, $(field leaks_blocks) blk, $(field leaks_bytes) B|$verdict (seed $(field seed))")
done

echo
echo "== soak: summary ($seconds s per flavor) =="
{
  echo "flavor|minutes|operations|RSS warm-up|RSS end|ft_fini leaks|verdict"
  for r in "${rows[@]}"; do echo "$r"; done
} | column -t -s '|'
if [ "$failed" -ne 0 ]; then
  echo "== soak: FAILED (see the logs in $out; replay a flavor with its SOAK_SEED) =="
  exit 1
fi
echo "== soak: passed =="
