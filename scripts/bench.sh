#!/usr/bin/env bash
# bench.sh — `make bench`: ftbench's C suite on every flavor, the Python
# suite (bench/py: the programs at 1 thread, the scaling snippets at 1 and
# 2) under every ftpy flavor and CPython, then ftbench-alloc --quick,
# ftbench-gc --quick and the microbenchmarks per flavor, then the
# comparison (report.md and charts) by ftbench-compare. It runs programs
# that are already built; `make bench` builds build/release first.
#
# Each suite runs one workload at a time with the interpreters interleaved
# (gil, nogil, nogil-atomic, then CPython for each workload), so that the
# load of a shared machine drifts over all of them alike. Files in
# BENCH_OUT:
#   ftbench.<flavor>.<workload>.json   each C workload's samples (ftbench/1)
#   ftbench.<label>.py-<name>.json     each Python workload's (py:NAME, ':'
#                                      written '-'); label: a flavor, or
#                                      cpython (run by ftbench-<first
#                                      flavor> --python BENCH_PYTHON)
#   ftbench-<label>.log                ftbench's output, all workloads
#   alloc-<flavor>.json, gc-<flavor>.txt and gc-<flavor>.json (its
#   --summary line as JSON), micro-<flavor>.json
#                                      unless BENCH_ONLY_DRIVER is set
#   report.md and charts               ftbench-compare --report
# The files of an earlier run (ftbench.*.json, ftbench-*.json,
# ftbench-*.log, micro-*.json, gc-*.json) are removed first.
#
# About 8-10 minutes on 2 shared cores (8 min 13 s at a load of 4-7: the
# C suite 4 1/4, the Python suite 3 1/4, alloc, gc and micro 3/4); each
# Python run takes 0.2-0.5 s of CPU at --quick sizes.
#
# Settings, from the environment (make passes its variables of the same
# names):
#   BENCH_FLAVORS      flavors, space-separated (default "gil nogil nogil-atomic")
#   BENCH_ARGS         more `ftbench run` options for the C suite, e.g.
#                      "--repeats 11 --threads 1,2,4"
#   BENCH_WORKLOADS    C workloads, space-separated (default: all, as
#                      ftbench-<first flavor> list names them; "none": no
#                      C suite)
#   BENCH_PY           Python workloads, space-separated (default: every
#                      py:NAME of `list`; "none": no Python suite)
#   BENCH_PY_ARGS      `ftbench run` options for them (default "--quick
#                      --warmup 0 --repeats 3": each run is a fresh process,
#                      with nothing in it to warm up)
#   BENCH_PY_THREADS   thread counts of the scaling snippets (default 1,2;
#                      the programs run at 1)
#   BENCH_PYTHON       the reference interpreter (default python3; "none":
#                      ftpy only)
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
read -r -a pys <<<"${BENCH_PY:-}"
read -r -a py_args <<<"${BENCH_PY_ARGS:---quick --warmup 0 --repeats 3}"
py_threads=${BENCH_PY_THREADS:-1,2}
python=${BENCH_PYTHON:-python3}
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

if [ "$python" != none ] && ! command -v "$python" >/dev/null; then
  echo "bench.sh: no interpreter '$python' (BENCH_PYTHON; \"none\" runs ftpy only)" >&2
  exit 2
fi

mkdir -p "$out"
rm -f "$out"/ftbench.*.json "$out"/ftbench-*.json "$out"/ftbench-*.log \
  "$out"/micro-*.json "$out"/gc-*.json
list=$("$bin/ftbench-${flavors[0]}" list) || die "ftbench-${flavors[0]} list FAILED"
if [ "${ws[*]:-}" = none ]; then
  ws=()
elif [ ${#ws[@]} -eq 0 ]; then
  mapfile -t ws < <(cut -d' ' -f1 <<<"$list" | grep -v '^py:')
fi
if [ "${pys[*]:-}" = none ]; then
  pys=()
elif [ ${#pys[@]} -eq 0 ]; then
  mapfile -t pys < <(cut -d' ' -f1 <<<"$list" | grep '^py:' | grep -v '^py:PATH$')
fi
labels=("${flavors[@]}")
[ "$python" = none ] || labels+=(cpython)

# The C suite, flavors interleaved.
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

# py_file LABEL WORKLOAD: the JSON file of one Python measurement.
py_file() {
  echo "$out/ftbench.$1.${2//:/-}.json"
}

# The Python suite, interpreters interleaved: each ftpy flavor through its
# own ftbench, CPython through the first flavor's (--python).
i=0
for w in "${pys[@]}"; do
  i=$((i + 1))
  threads=1
  case "$w" in py:scaling:*) threads=$py_threads ;; esac
  echo "== make bench: $w ($i of ${#pys[@]} Python workloads) =="
  for l in "${labels[@]}"; do
    f=$l interp=()
    if [ "$l" = cpython ]; then
      f=${flavors[0]} interp=(--python "$python")
    fi
    "$bin/ftbench-$f" run --workload "$w" --threads "$threads" \
        ${interp[@]+"${interp[@]}"} "${py_args[@]}" --json "$(py_file "$l" "$w")" \
        >>"$out/ftbench-$l.log" 2>&1 \
      || die "$l $w FAILED (see $out/ftbench-$l.log)"
  done
done

# gc_json FLAVOR: ftbench-gc's `summary key=value ...` line (stdin) as the
# JSON ftbench-compare reads: numbers as numbers, the rest as strings.
gc_json() {
  awk -v flavor="$1" '
    $1 == "summary" {
      printf "{\"benchmark\": \"ftbench-gc\", \"flavor\": \"%s\", \"summary\": {", flavor
      for (i = 2; i <= NF; i++) {
        k = substr($i, 1, index($i, "=") - 1); v = substr($i, index($i, "=") + 1)
        if (v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) v = "\"" v "\""
        printf "%s\"%s\": %s", (i > 2 ? ", " : ""), k, v
      }
      print "}}"; found = 1
    }
    END { exit !found }'
}

if [ -z "$only_driver" ]; then
  for f in "${flavors[@]}"; do
    echo "== make bench: $f: ftbench-alloc, ftbench-gc, ftbench-micro =="
    "$bin/ftbench-alloc-$f" --quick --json "$out/alloc-$f.json" \
      || die "$f (alloc) FAILED"
    "$bin/ftbench-gc-$f" --quick --summary >"$out/gc-$f.txt" \
      || die "$f (gc) FAILED"
    gc_json "$f" <"$out/gc-$f.txt" >"$out/gc-$f.json" \
      || die "$f (gc): no summary line in $out/gc-$f.txt"
    "$bin/ftbench-micro-$f" --benchmark_min_time=0.1 \
        --benchmark_repetitions=5 --benchmark_display_aggregates_only=true \
        --benchmark_out="$out/micro-$f.json" --benchmark_out_format=json \
      || die "$f (micro) FAILED"
  done
fi

# The comparison: every workload's files in the suite's order, the
# Python suite's, then the microbenchmarks, ftbench-alloc and ftbench-gc.
inputs=()
for w in "${ws[@]}"; do
  for f in "${flavors[@]}"; do
    inputs+=("$out/ftbench.$f.$w.json")
  done
done
for w in "${pys[@]}"; do
  for l in "${labels[@]}"; do
    inputs+=("$(py_file "$l" "$w")")
  done
done
if [ -z "$only_driver" ]; then
  for f in "${flavors[@]}"; do
    inputs+=("$out/micro-$f.json" "$out/alloc-$f.json" "$out/gc-$f.json")
  done
fi
"$bin/ftbench-compare" --report "$out" "${inputs[@]}" || die "compare FAILED"
echo "== make bench: results and report in $out (report.md) =="
