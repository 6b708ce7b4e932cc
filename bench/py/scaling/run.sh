#!/usr/bin/env bash
# bench/py/scaling/run.sh — the scaling table (run.py: every snippet of
# scaling.py, 1 and 2 threads, under ftpy-gil, ftpy-nogil,
# ftpy-nogil-atomic, ftpy-nogil -X gil=1 and CPython). Options are run.py's:
#   run.sh [--build DIR] [--python PATH] [--threads N] [--scale S]
#          [--repeat R] [--out FILE] [--cpu] [snippet ...]
#
# `make bench` measures the same snippets as ftbench workloads
# (py:scaling:NAME: one process per run, timed from outside, with the
# parallel part's own time as the `parallel_s` metric); this table is the
# in-process view, for looking closer. Why the snippets time themselves
# here (the project's rule is one outside timer for whole programs,
# ftbench, as make bench and bench/py/run.sh use). run.py times
# nothing: it runs each interpreter once and tabulates what scaling.py
# prints. scaling.py measures inside the program, with time.perf_counter
# and time.thread_time, only the interval in which the worker threads run
# at once: it starts them, lets them wait on one Event, and stops the
# clock at the last join. That interval is the quantity a scaling ratio is
# about, and a whole-process time (hyperfine's) cannot isolate it: it adds
# start-up, imports, thread creation and the exit's teardown (in nogil the
# unsharding stop-the-world and the final collection), which differ
# between ftpy and CPython and between 1 and N threads, and it has no
# per-thread CPU time (cpu_ratio, the figure a busy machine distorts
# least). CPython's Tools/ftscalingbench measures the same way. The pairs
# (1 thread, N threads) alternate in one process, so slow drift of the
# machine's load hits both halves of a ratio alike.
#
# The cross-check from outside stays possible: scaling.py --once K runs
# each chosen snippet once in K threads and times nothing, e.g.
#   hyperfine -N -w 2 -r 10 \
#     'build/release/ftpy/ftpy-nogil bench/py/scaling/scaling.py --once 0 thread_local' \
#     'build/release/ftpy/ftpy-nogil bench/py/scaling/scaling.py --once 1 thread_local' \
#     'build/release/ftpy/ftpy-nogil bench/py/scaling/scaling.py --once 2 thread_local'
# gives start-up (K=0), T1 and T2 per process; 2*(T1-T0)/(T2-T0) is the
# whole-process ratio, which should agree with the table's within noise.
#
# The machine may be shared: look at `uptime` before and after; a load
# above ~1.5 on a 2-core machine makes the wall ratios meaningless.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$here/run.py" "$@"
