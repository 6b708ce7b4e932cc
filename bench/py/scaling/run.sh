#!/usr/bin/env bash
# bench/py/scaling/run.sh — the scaling table (run.py: every snippet of
# scaling.py, 1 and 2 threads, under ftpy-gil, ftpy-nogil,
# ftpy-nogil-atomic, ftpy-nogil -X gil=1 and CPython). Options are run.py's:
#   run.sh [--build DIR] [--python PATH] [--threads N] [--scale S]
#          [--repeat R] [--out FILE] [--cpu] [snippet ...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$here/run.py" "$@"
