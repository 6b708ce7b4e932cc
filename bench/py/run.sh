#!/usr/bin/env bash
# bench/py/run.sh — `make bench-py`: the Python suite alone, ftpy's flavors
# against CPython, timed by ftbench (its py workloads, bench/workloads/py.c)
# through scripts/bench.sh, then every interpreter's self-check output
# compared with CPython's.
#
# Usage: bench/py/run.sh [options] [program ...]
#   --runs N        timed runs per program and interpreter (default 5)
#   --quick         3 runs at the programs' --quick sizes (0.2-1 s each; make
#                   bench runs these)
#   --out DIR       where the JSON files and report.md go (default build/bench-py)
#   --build DIR     the build tree with bench/ftbench-<flavor> and
#                   ftpy/ftpy-<flavor> (default build/release)
#   --python PATH   the reference interpreter (default python3)
#   -h, --help      this text
#   program ...     a subset: ftbench's names with or without "py:", e.g.
#                   `run.sh nbody scaling:closure` (default: every program and
#                   scaling snippet `ftbench-gil list` names)
#
# Without --quick the programs run at their full sizes (pyperformance's
# scale: seconds to tens of seconds each under ftpy). Each program's
# process is timed from spawn to exit, with its CPU time and peak RSS;
# ftbench-compare's report.md has the times with CPython as a column, the
# ratios and their geometric means, nogil ÷ gil, the scaling snippets' 1 →
# 2 thread table and peak RSS. ftbench replaced hyperfine here: one timer
# for the Python suite, in `make bench` and in `make bench-py` alike.
#
# The output check: ftbench keeps each run's self-check text (stdout
# without its metric lines) as "check" in the JSON; every ftpy flavor's
# must equal CPython's for the same program and thread count, else this
# script names the program and exits 1 after the report.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=5
quick=0
out="$root/build/bench-py"
build="$root/build/release"
python=python3
selected=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:-}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --out) out="${2:-}"; shift 2 ;;
    --build) build="${2:-}"; shift 2 ;;
    --python) python="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (run.sh --help for the options)" >&2; exit 2 ;;
    *) selected+=("py:${1#py:}"); shift ;;
  esac
done
if [[ $quick -eq 1 ]]; then runs=3; fi
if ! [[ "$runs" =~ ^[0-9]+$ ]] || [[ "$runs" -lt 1 ]]; then
  echo "run.sh: --runs needs a positive integer" >&2; exit 2
fi
command -v jq >/dev/null || { echo "run.sh: jq is missing (apt-get install -y jq)" >&2; exit 2; }

args="--warmup 0 --repeats $runs"
[[ $quick -eq 1 ]] && args="--quick $args"
BENCH_WORKLOADS=none BENCH_ONLY_DRIVER=1 BENCH_PY="${selected[*]:-}" \
  BENCH_PY_ARGS="$args" BENCH_PYTHON="$python" BENCH_OUT="$out" \
  BENCH_BUILD="$build" "$root/scripts/bench.sh"

# The output check: every ftpy flavor's self-check text against CPython's.
[[ "$python" == none ]] && exit 0
bad=0
for ref in "$out"/ftbench.cpython.py-*.json; do
  w=${ref#"$out"/ftbench.cpython.}
  for got in "$out"/ftbench.*."$w"; do
    [[ "$got" == "$ref" ]] && continue
    if ! diff <(jq -S '[.results[] | {workload, threads, check}]' "$ref") \
              <(jq -S '[.results[] | {workload, threads, check}]' "$got") >/dev/null; then
      echo "run.sh: ${w%.json}: $(basename "$got") prints other than CPython:" >&2
      diff <(jq -r '.results[] | .check' "$ref") <(jq -r '.results[] | .check' "$got") \
        | head -10 >&2 || true
      bad=1
    fi
  done
done
[[ $bad -eq 0 ]] && echo "== bench-py: every interpreter printed what CPython printed =="
exit $bad
