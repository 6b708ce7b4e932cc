/* targets.h — every performance target the benchmarks judge, defined
 * once, as data: ftbench-compare's verdicts (bench/report/judge.c) and
 * ftbench-alloc's targets block (bench/alloc.c) both read this table, so a
 * threshold changes in one place (docs/architecture.md, "Benchmarks and
 * papers", lists them).
 *
 * A target says that a measured ratio `value` stands in a relation to a
 * `threshold`:
 *
 *     FTBENCH_AT_MOST    value <= threshold   (a time ratio: not slower than)
 *     FTBENCH_AT_LEAST   value >= threshold   (a speed-up: at least this fast)
 *     FTBENCH_ABOVE      value >  threshold   (strictly better than)
 *
 * `value` is always a ratio of medians (or their geometric mean over a
 * suite); what it divides by what is the row's `what`. The thresholds are
 * ftlab's own goals; `source` names the published result each one is set
 * against (papers/ reproduces most of them).
 *
 * Header only, so that every benchmark program can use it without linking
 * anything: the table lives inside one static inline accessor.
 */
#ifndef FTLAB_BENCH_TARGETS_H
#define FTLAB_BENCH_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum ftbench_relation {
    FTBENCH_AT_MOST,
    FTBENCH_AT_LEAST,
    FTBENCH_ABOVE,
} ftbench_relation;

typedef struct ftbench_target {
    const char *key;            /* stable name (ftbench-alloc's JSON key)  */
    const char *what;           /* the ratio measured, numerator first     */
    ftbench_relation rel;       /* how value must stand to threshold       */
    double threshold;
    const char *source;         /* the published number it is set against */
} ftbench_target;

typedef enum ftbench_target_id {
    /* ftbench-compare, from ftbench-<flavor> runs */
    FTBENCH_T_NOGIL_OVERHEAD,   /* nogil's 1-thread time, C CPU suite      */
    FTBENCH_T_NOGIL_PY_OVERHEAD,/* nogil's 1-thread time, Python suite     */
    FTBENCH_T_GIL_SCALING,      /* a GIL build's 2-thread speed-up         */
    FTBENCH_T_NOGIL_SCALING,    /* a free-threaded build's 2-thread speed-up */
    FTBENCH_T_NOGIL_CONVOY,     /* nogil's echo rate kept beside a CPU thread */
    /* ftbench-compare, from ftbench-micro-<flavor> runs */
    FTBENCH_T_NOGIL_OWNED_RC,   /* biased RC: the owner's incref+decref    */
    FTBENCH_T_ATOMIC_OWNED_RC,  /* all-atomic RC: the same operations      */
    /* ftbench-alloc-<flavor> */
    FTBENCH_T_OBMALLOC_VS_MIMALLOC,
    FTBENCH_T_OBMALLOC_VS_GLIBC,
    FTBENCH_T_CROSS_THREAD,
    FTBENCH_N_TARGETS
} ftbench_target_id;

/* The target `id`. */
static inline const ftbench_target *ftbench_target_get(ftbench_target_id id)
{
    static const ftbench_target targets[FTBENCH_N_TARGETS] = {
        [FTBENCH_T_NOGIL_OVERHEAD] = {
            "nogil_overhead_le_1.10x",
            "nogil's single-thread time over the baseline's, geometric mean "
            "over the C CPU-bound suite (contention workloads left out)",
            FTBENCH_AT_MOST, 1.10,
            "CPython 3.14t costs one thread 8-10% on x86-64; C workloads "
            "spend a larger share of their time in refcounts and locks than "
            "Python programs do (papers/pep703-overhead)" },
        [FTBENCH_T_NOGIL_PY_OVERHEAD] = {
            "nogil_py_overhead_le_1.05x",
            "nogil's single-thread process time over the baseline's, "
            "geometric mean over the Python suite (bench/py)",
            FTBENCH_AT_MOST, 1.05,
            "PEP 703: the free-threaded build costs one thread 5-6% on "
            "pyperformance (papers/pep703-overhead)" },
        [FTBENCH_T_GIL_SCALING] = {
            "gil_2_threads_le_1.05x",
            "throughput at 2 threads over 1, work split, geometric mean over "
            "the CPU-bound suite, in a build with a GIL",
            FTBENCH_AT_MOST, 1.05,
            "Beazley 2010: fixed CPU-bound work takes as long on 2 threads as "
            "on 1 under a GIL (papers/gil-cpu-scaling)" },
        [FTBENCH_T_NOGIL_SCALING] = {
            "nogil_2_threads_ge_1.9x",
            "the same speed-up in a build without a GIL",
            FTBENCH_AT_LEAST, 1.9,
            "without a GIL the same work halves on 2 threads "
            "(papers/gil-cpu-scaling)" },
        [FTBENCH_T_NOGIL_CONVOY] = {
            "nogil_convoy_keeps_ge_50pct",
            "nogil's echo requests/s beside one CPU-bound thread over its "
            "rate alone",
            FTBENCH_AT_LEAST, 0.5,
            "Beazley 2010; Skvortsov 2021: under a GIL the rate falls to "
            "about 1/switch interval (papers/gil-convoy)" },
        [FTBENCH_T_NOGIL_OWNED_RC] = {
            "nogil_owned_rc_le_1.5x",
            "nogil's owned incref+decref time over the baseline's "
            "(ftbench-micro refcount/owned)",
            FTBENCH_AT_MOST, 1.5,
            "Choi, Shull, Torrellas, PACT 2018: biased RC keeps the owner's "
            "operations cheap (papers/biased-refcount)" },
        [FTBENCH_T_ATOMIC_OWNED_RC] = {
            "atomic_owned_rc_ge_2x",
            "nogil-atomic's owned incref+decref time over the baseline's",
            FTBENCH_AT_LEAST, 2,
            "Choi, Shull, Torrellas, PACT 2018: atomic RC operations cost "
            "more than twice the plain ones (papers/biased-refcount)" },
        [FTBENCH_T_OBMALLOC_VS_MIMALLOC] = {
            "obmalloc_le_1.2x_mimalloc",
            "obmalloc's single-thread time over mimalloc's, geometric mean "
            "over the pairs and batch scenarios",
            FTBENCH_AT_MOST, 1.2,
            "Leijen, Zorn, de Moura, mimalloc, 2019: on one thread the best "
            "allocators are close (papers/freelist-sharding)" },
        [FTBENCH_T_OBMALLOC_VS_GLIBC] = {
            "obmalloc_ge_1.5x_faster_than_malloc",
            "glibc malloc's single-thread time over obmalloc's, the same "
            "scenarios",
            FTBENCH_AT_LEAST, 1.5,
            "ftlab's own goal for a size-class allocator against glibc's "
            "general-purpose one (papers/freelist-sharding)" },
        [FTBENCH_T_CROSS_THREAD] = {
            "cross_thread_faster_than_malloc",
            "glibc malloc's producer->consumer time over obmalloc's, 64 B and "
            "mixed sizes, every block's tag checked",
            FTBENCH_ABOVE, 1.0,
            "mimalloc, 2019: with sharded thread-free lists, cross-thread "
            "frees win clearly (papers/freelist-sharding)" },
    };
    return &targets[id];
}

/* Whether `value` meets target t (a NaN meets none). */
static inline bool ftbench_target_met(const ftbench_target *t, double value)
{
    switch (t->rel) {
    case FTBENCH_AT_MOST:
        return value <= t->threshold;
    case FTBENCH_AT_LEAST:
        return value >= t->threshold;
    case FTBENCH_ABOVE:
        return value > t->threshold;
    }
    return false;
}

/* The relation's sign: "≤", "≥", ">" (ascii: "<=", ">=", ">"). */
static inline const char *ftbench_target_sign(const ftbench_target *t, bool ascii)
{
    switch (t->rel) {
    case FTBENCH_AT_MOST:
        return ascii ? "<=" : "≤";
    case FTBENCH_AT_LEAST:
        return ascii ? ">=" : "≥";
    case FTBENCH_ABOVE:
        return ">";
    }
    return "?";
}

/* The bound as reports print it, "≤ 1.05×" (ascii: "<= 1.2x"); returns buf. */
static inline const char *ftbench_target_bound(const ftbench_target *t, bool ascii,
                                               char *buf, size_t len)
{
    snprintf(buf, len, "%s %g%s", ftbench_target_sign(t, ascii), t->threshold,
             ascii ? "x" : "×");
    return buf;
}

#endif /* FTLAB_BENCH_TARGETS_H */
