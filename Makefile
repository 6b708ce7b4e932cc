# ftlab — thin wrapper over the CMake presets (CMakePresets.json).
# The real build lives in CMake; this file only sequences the presets.

SHELL        := /bin/bash
CMAKE        ?= cmake
CTEST        ?= ctest
JOBS         ?= 2
PRESETS      ?= release asan gcstress tsan fuzz
BENCH_FLAVORS ?= gil nogil nogil-atomic
BENCH_ARGS    ?=
BENCH_WORKLOADS ?=
BENCH_PY      ?=
BENCH_PYTHON  ?= python3
BENCH_OUT     ?= build/bench-results

.DEFAULT_GOAL := help
.PHONY: help deps build test bench bench-full bench-py papers soak clean

help:
	@echo "ftlab targets:"
	@echo "  make deps    check/install the Debian packages (scripts/deps.sh)"
	@echo "  make build   configure + build the release preset (build/release)"
	@echo "  make test    configure, build and ctest each preset: $(PRESETS)"
	@echo "               (override: make test PRESETS=\"release\")"
	@echo "  make bench   build release; run ftbench's C suite for: $(BENCH_FLAVORS), the"
	@echo "               Python suite (bench/py, --quick) under their ftpy and $(BENCH_PYTHON),"
	@echo "               -alloc --quick, -gc --quick and -micro; compare; report in"
	@echo "               $(BENCH_OUT) (scripts/bench.sh; --help lists its files; ~10 min)"
	@echo "               (some workloads: make bench BENCH_WORKLOADS=\"convoy sleep\""
	@echo "               BENCH_PY=\"py:nbody py:scaling:closure\"; none: BENCH_PY=none)"
	@echo "  make bench-full  the same with 11 repeats and 1, 2, 4 threads"
	@echo "  make bench-py  the Python suite alone (bench/py/run.sh: ftbench's py workloads"
	@echo "               at full sizes) on ftpy-gil, -nogil, -nogil-atomic and python3,"
	@echo "               interleaved: $(BENCH_PY_OUT)/report.md (BENCH_PY_ARGS=--quick)"
	@echo "  make papers  reproduce the published results in papers/ (papers/README.md);"
	@echo "               PAPERS_ARGS=\"--quick\" for the 5-minute version, \"--threads N\""
	@echo "  make soak    the stress mix on every flavor for SOAK_MINUTES (10) in total:"
	@echo "               RSS flat after warm-up, ft_fini clean (scripts/soak.sh)"
	@echo "  make clean   rm -rf build"
	@echo "Variables: JOBS=$(JOBS) PRESETS=\"$(PRESETS)\" BENCH_FLAVORS=\"$(BENCH_FLAVORS)\""
	@echo "           BENCH_ARGS=\"$(BENCH_ARGS)\" (ftbench run options) BENCH_WORKLOADS=\"$(BENCH_WORKLOADS)\""
	@echo "           BENCH_PY=\"$(BENCH_PY)\" BENCH_PYTHON=$(BENCH_PYTHON) (none: ftpy only)"
	@echo "           BENCH_OUT=$(BENCH_OUT) BENCH_ONLY_DRIVER=1 (skip alloc, gc and micro)"

deps:
	@./scripts/deps.sh

build: deps
	$(CMAKE) --preset release
	$(CMAKE) --build --preset release -j $(JOBS)

test: deps
	@n=$(words $(PRESETS)); i=0; \
	for p in $(PRESETS); do \
	  i=$$((i + 1)); \
	  echo "== make test: $$p ($$i of $$n) =="; \
	  $(CMAKE) --preset $$p \
	    || { echo "== make test: $$p: configure FAILED =="; exit 1; }; \
	  $(CMAKE) --build --preset $$p -j $(JOBS) \
	    || { echo "== make test: $$p: build FAILED =="; exit 1; }; \
	  $(CTEST) --preset $$p \
	    || { echo "== make test: $$p: tests FAILED =="; exit 1; }; \
	done; \
	echo "== make test: all $$n presets passed ($(PRESETS)) =="

# ftbench's C suite on every flavor (flavors interleaved per workload),
# the Python suite under every ftpy flavor and CPython (interleaved per
# program), ftbench-alloc --quick, ftbench-gc --quick and the
# microbenchmarks per flavor, then the comparison (report.md and charts):
# scripts/bench.sh, which says what it writes, on the release build.
# BENCH_PY_ARGS: ftbench options of the Python workloads (bench.sh's
# default: --quick --warmup 0 --repeats 3).
bench: build
	@BENCH_FLAVORS="$(BENCH_FLAVORS)" BENCH_ARGS="$(BENCH_ARGS)" \
	  BENCH_WORKLOADS="$(BENCH_WORKLOADS)" BENCH_OUT="$(BENCH_OUT)" \
	  BENCH_PY="$(BENCH_PY)" BENCH_PY_ARGS="$(BENCH_PY_ARGS)" \
	  BENCH_PY_THREADS="$(BENCH_PY_THREADS)" BENCH_PYTHON="$(BENCH_PYTHON)" \
	  BENCH_ONLY_DRIVER="$(BENCH_ONLY_DRIVER)" BENCH_BUILD=build/release \
	  ./scripts/bench.sh

# The full suite: more repeats and 1, 2 and 4 threads (about four times
# as long as `make bench`); the Python programs stay at --quick sizes
# (their full sizes are make bench-py's).
bench-full:
	$(MAKE) bench BENCH_ARGS="--repeats 11 --threads 1,2,4" \
	  BENCH_PY_ARGS="--quick --warmup 0 --repeats 11" BENCH_PY_THREADS=1,2,4

# The Python suite alone, at the programs' full sizes: ftbench's py
# workloads under each ftpy flavor and CPython, through scripts/bench.sh;
# then every program's self-check output compared with CPython's
# (bench/py/run.sh; BENCH_PY_ARGS are its options: --quick, --runs N,
# programs).
BENCH_PY_OUT  ?= build/bench-py
BENCH_PY_ARGS ?=
BENCH_PY_THREADS ?=
bench-py: build
	./bench/py/run.sh --out $(BENCH_PY_OUT) $(BENCH_PY_ARGS)

# Every result in papers/ (papers/run; under 30 minutes on 2 cores, under
# 5 with PAPERS_ARGS=--quick): build/papers/<slug>/results.md and charts.
papers: build
	./papers/run $(PAPERS_ARGS)

# The soak run (not part of `make test`): the stress mix on every flavor
# for SOAK_MINUTES (default 10, split over the flavors), RSS flat after
# warm-up and ft_fini clean; one line per minute (scripts/soak.sh).
soak: deps
	./scripts/soak.sh

clean:
	rm -rf build
