#!/usr/bin/env bash
# bench.sh — `make bench`: ftbench's default suite on every flavor, then
# ftbench-alloc --quick, ftbench-gc --quick and the microbenchmarks per
# flavor, then the comparison (report.md and charts) by ftbench-compare.
# It runs programs that are already built; `make bench` builds
# build/release first.
#
# The suite runs one workload at a time with the flavors interleaved (gil,
# nogil, nogil-atomic for each workload), so that the load of a shared
# machine drifts over all flavors alike. Files in BENCH_OUT:
#   ftbench.<flavor>.<workload>.json   each workload's samples (ftbench/1)
#   ftbench-<flavor>.log               ftbench's stdout, all workloads
#   alloc-<flavor>.json, gc-<flavor>.txt, micro-<flavor>.json
#                                      unless BENCH_ONLY_DRIVER is set
#   report.md and charts               ftbench-compare --report
# The files of an earlier run (ftbench.*.json, ftbench-*.json,
# ftbench-*.log, micro-*.json) are removed first.
#
# Settings, from the environment (make passes its variables of the same
# names):
#   BENCH_FLAVORS      flavors, space-separated (default "gil nogil nogil-atomic")
#   BENCH_ARGS         more `ftbench run` options, e.g. "--repeats 11 --threads 1,2,4"
#   BENCH_WORKLOADS    workloads, space-separated (default: all, as
#                      ftbench-<first flavor> list names them)
#   BENCH_OUT          where the results go (default build/bench-results)
#   BENCH_ONLY_DRIVER  non-empty: skip alloc, gc and micro
#   BENCH_BUILD        the build folder holding bench/ (default build/release)
# Relative paths are relative to the source tree. Exit status: 0, 1 when a
# program failed (the message names it and its log), 2 for bad usage.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

case "${1:-}" in
  "") ;;
  -h|--help) usage; exit 0 ;;
  *) echo "bench.sh: takes no arguments, only settings in the environment, not '$1'" >&2
     echo "(bench.sh --help for the settings)" >&2
     exit 2 ;;
esac

cd "$(dirname "$0")/.."
read -r -a flavors <<<"${BENCH_FLAVORS-gil nogil nogil-atomic}"
read -r -a args <<<"${BENCH_ARGS:-}"
read -r -a ws <<<"${BENCH_WORKLOADS:-}"
out=${BENCH_OUT:-build/bench-results}
only_driver=${BENCH_ONLY_DRIVER:-}
bin=${BENCH_BUILD:-build/release}/bench

# die MESSAGE: the failure line (on stdout, where the progress goes), then
# exit 1.
die() {
  echo "== make bench: $1 =="
  exit 1
}

if [ ${#flavors[@]} -eq 0 ]; then
  echo "bench.sh: BENCH_FLAVORS is empty: name at least one flavor" >&2
  exit 2
fi
for f in "${flavors[@]}"; do
  if [ ! -x "$bin/ftbench-$f" ]; then
    echo "bench.sh: no $bin/ftbench-$f: is '$f' a flavor, and is ${BENCH_BUILD:-build/release} built?" >&2
    exit 2
  fi
done

mkdir -p "$out"
rm -f "$out"/ftbench.*.json "$out"/ftbench-*.json "$out"/ftbench-*.log \
  "$out"/micro-*.json
if [ ${#ws[@]} -eq 0 ]; then
  list=$("$bin/ftbench-${flavors[0]}" list) || die "ftbench-${flavors[0]} list FAILED"
  mapfile -t ws < <(cut -d' ' -f1 <<<"$list")
fi

# The suite, flavors interleaved.
i=0
for w in "${ws[@]}"; do
  i=$((i + 1))
  echo "== make bench: $w ($i of ${#ws[@]} workloads) =="
  for f in "${flavors[@]}"; do
    "$bin/ftbench-$f" run --workload "$w" ${args[@]+"${args[@]}"} \
        --json "$out/ftbench.$f.$w.json" >>"$out/ftbench-$f.log" \
      || die "$f $w FAILED (see $out/ftbench-$f.log)"
  done
done

if [ -z "$only_driver" ]; then
  for f in "${flavors[@]}"; do
    echo "== make bench: $f: ftbench-alloc, ftbench-gc, ftbench-micro =="
    "$bin/ftbench-alloc-$f" --quick --json "$out/alloc-$f.json" \
      || die "$f (alloc) FAILED"
    "$bin/ftbench-gc-$f" --quick >"$out/gc-$f.txt" \
      || die "$f (gc) FAILED"
    "$bin/ftbench-micro-$f" --benchmark_min_time=0.1 \
        --benchmark_repetitions=5 --benchmark_display_aggregates_only=true \
        --benchmark_out="$out/micro-$f.json" --benchmark_out_format=json \
      || die "$f (micro) FAILED"
  done
fi

# The comparison: every workload's files in the suite's order, then the
# microbenchmarks.
inputs=()
for w in "${ws[@]}"; do
  for f in "${flavors[@]}"; do
    inputs+=("$out/ftbench.$f.$w.json")
  done
done
if [ -z "$only_driver" ]; then
  for f in "${flavors[@]}"; do
    inputs+=("$out/micro-$f.json")
  done
fi
"$bin/ftbench-compare" --report "$out" "${inputs[@]}" || die "compare FAILED"
echo "== make bench: results and report in $out (report.md) =="
