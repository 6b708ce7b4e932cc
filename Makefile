# ftlab — thin wrapper over the CMake presets (CMakePresets.json).
# The real build lives in CMake; this file only sequences the presets.

SHELL        := /bin/bash
CMAKE        ?= cmake
CTEST        ?= ctest
JOBS         ?= 2
PRESETS      ?= release asan tsan
BENCH_FLAVORS ?= gil nogil nogil-atomic

.DEFAULT_GOAL := help
.PHONY: help deps build test bench clean

help:
	@echo "ftlab targets:"
	@echo "  make deps    check/install the Debian packages (scripts/deps.sh)"
	@echo "  make build   configure + build the release preset (build/release)"
	@echo "  make test    configure, build and ctest each preset: $(PRESETS)"
	@echo "               (override: make test PRESETS=\"release\")"
	@echo "  make bench   build release, run ftbench-smoke, -alloc, -micro and -gc for: $(BENCH_FLAVORS)"
	@echo "  make clean   rm -rf build"
	@echo "Variables: JOBS=$(JOBS) PRESETS=\"$(PRESETS)\" BENCH_FLAVORS=\"$(BENCH_FLAVORS)\""

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

bench: build
	@n=$(words $(BENCH_FLAVORS)); i=0; \
	for f in $(BENCH_FLAVORS); do \
	  i=$$((i + 1)); \
	  echo "== make bench: $$f ($$i of $$n) =="; \
	  ./build/release/bench/ftbench-smoke-$$f \
	    || { echo "== make bench: $$f FAILED =="; exit 1; }; \
	  ./build/release/bench/ftbench-alloc-$$f \
	    || { echo "== make bench: $$f (alloc) FAILED =="; exit 1; }; \
	  ./build/release/bench/ftbench-micro-$$f --benchmark_min_time=0.2 \
	    || { echo "== make bench: $$f (micro) FAILED =="; exit 1; }; \
	  ./build/release/bench/ftbench-gc-$$f \
	    || { echo "== make bench: $$f (gc) FAILED =="; exit 1; }; \
	done

clean:
	rm -rf build
