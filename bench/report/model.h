/* model.h — what ftbench-compare knows: the runs it loaded and the tables
 * it computes from them, and the stages that pass them along.
 *
 *     FILE.json ...
 *         |  load.c           ftbench/1 and Google Benchmark JSON
 *         v
 *     cmp_runs                labels, their measurements and samples
 *         |  tables.c         medians, bootstrap ratios, geometric means
 *         v
 *     cmp_tables  <---------  judge.c: verdicts, from targets.h
 *         |
 *         +-- render_md.c     the terminal summary and report.md
 *         +-- render_plot.c   .dat files, report.gp, PNGs (gnuplot)
 *
 * Glossary
 *   label        one column of the report: a flavor, plus "/allocator" when
 *                that is not obmalloc ("gil", "nogil/mimalloc"). Every file
 *                of one label merges into one cmp_label (make bench writes
 *                one file per flavor and workload, run interleaved so that
 *                a shared machine's load drifts over all flavors alike).
 *                Python workloads run under ftpy-<flavor> join that
 *                flavor's label; under another interpreter (--python) the
 *                label is the interpreter's kind ("cpython"), the
 *                reference column of the Python tables.
 *   measurement  one workload at one thread count (and, for mixed
 *                workloads, one switch interval): its samples.
 *   baseline     the label single-thread times are relative to: --baseline,
 *                else "gil", else the first label.
 *   table        one section of the report, fully computed before anything
 *                is rendered: ratios, medians, geometric means, verdicts.
 *
 * The stages run in this order and each reads only what the ones before it
 * made: the renderers only format (a fraction may print as a percent), and
 * the judge compares the tables' numbers with targets.h and nothing else.
 */
#ifndef FTLAB_BENCH_REPORT_MODEL_H
#define FTLAB_BENCH_REPORT_MODEL_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "../bench_env.h"
#include "stats.h"
#include "targets.h"

#define CMP_PROG "ftbench-compare"

enum {
    CMP_MAX_LABELS = 16,        /* flavor/allocator combinations           */
    CMP_MAX_MICRO = 32,         /* microbenchmarks per label               */
    CMP_MAX_THREADS = 64,       /* largest thread count a table shows      */
    CMP_MAX_COUNTS = 16,        /* distinct thread counts a table shows    */
    CMP_MAX_WORKLOADS = 64,     /* rows of a workload table                */
    CMP_MAX_DOCS = 4096,        /* JSON documents loaded                   */
    CMP_CONVOY_CPU = 3,         /* convoy: alone, beside 1, beside 2       */
    CMP_CONVOY_INTERVALS = FTBENCH_CONVOY_INTERVALS,  /* ftbench's sweep */
};

/* "prog: message" on stderr, exit 1 (compare.c). */
__attribute__((format(printf, 1, 2), noreturn)) void cmp_fail(const char *fmt, ...);

/* ---- Loaded runs (load.c) ---------------------------------------------------- */

/* One measurement of ftbench/1. tput[i] = work / (samples_ns[i] / 1e9),
 * units per second, in file order; samples of zero or negative time are
 * dropped, and at most CMP_MAX_SAMPLES kept: 0 <= n <= CMP_MAX_SAMPLES. */
typedef struct cmp_meas {
    const char *workload, *kind, *mode, *unit;  /* kind: cpu, io, mixed   */
    int threads;                /* workers; mixed: CPU-bound threads       */
    long interval_us;           /* the GIL's switch interval               */
    double work;                /* units per run                           */
    double tput[CMP_MAX_SAMPLES];
    int n;
    json_t *metrics;            /* the measurement's "metrics", or NULL    */
} cmp_meas;

/* One microbenchmark: nanoseconds per operation, one sample per Google
 * Benchmark iteration entry; 1 <= n <= CMP_MAX_SAMPLES. */
typedef struct cmp_micro {
    const char *name;
    double ns[CMP_MAX_SAMPLES];
    int n;
} cmp_micro;

/* Everything loaded under one label. The environment comes from the first
 * ftbench/1 file of the label (a micro file only fills commit and date, and
 * only when it comes first); "?" when nothing said. */
typedef struct cmp_label {
    char label[64];
    const char *flavor, *allocator, *commit, *date, *cpu;
    const char *interp;         /* py runs: the interpreter's sys.version  */
    long cores;
    bool gil;                   /* the runs had a GIL                      */
    bool native;                /* has C workloads or microbenchmarks: a
                                   column of the C tables                  */
    cmp_meas *m;                /* nm measurements, in file order          */
    int nm;
    cmp_micro micro[CMP_MAX_MICRO];
    int nmicro;
    int nsources;               /* JSON files merged into this label       */
} cmp_label;

/* The loaded set, labels in the order their first file was named. The
 * strings point into docs[], which live until cmp_runs_free. */
typedef struct cmp_runs {
    cmp_label labels[CMP_MAX_LABELS];
    int n;
    int base;                   /* the baseline's index                    */
    json_t *docs[CMP_MAX_DOCS];
    int ndocs;
} cmp_runs;

/* Loads one ftbench/1 or Google Benchmark JSON file into runs (fails on
 * anything else). */
void cmp_load_file(cmp_runs *runs, const char *path);

void cmp_runs_free(cmp_runs *runs);

/* The measurement of l with these keys; interval 0 matches any. */
const cmp_meas *cmp_find(const cmp_label *l, const char *workload, int threads,
                         long interval_us);

/* The microbenchmark `name` of l, or NULL. */
const cmp_micro *cmp_find_micro(const cmp_label *l, const char *name);

/* The number m->metrics holds under k; NaN when m or the metric is missing. */
double cmp_metric(const cmp_meas *m, const char *k);

/* ftbench-alloc-<flavor>'s JSON ("benchmark": "ftbench-alloc"): one row
 * per scenario, pattern and backend, its median milliseconds. */
enum { CMP_MAX_ALLOC = 256 };
typedef struct cmp_alloc_row {
    const char *flavor, *scenario, *pattern, *backend;
    double median_ns;           /* nanoseconds per operation               */
} cmp_alloc_row;

/* ftbench-gc-<flavor>'s JSON ("benchmark": "ftbench-gc"): its results as
 * written (an array of flat objects), one table per file. */
enum { CMP_MAX_GC_FILES = 8 };
typedef struct cmp_extra {
    cmp_alloc_row alloc[CMP_MAX_ALLOC];
    int nalloc;
    const char *gc_flavor[CMP_MAX_GC_FILES];
    json_t *gc_results[CMP_MAX_GC_FILES];
    int ngc;
} cmp_extra;

/* The ftbench-alloc and ftbench-gc files loaded (load.c). */
extern cmp_extra cmp_extras;

/* ---- Computed tables (tables.c) --------------------------------------------- */

/* A target applied to one number: target NULL when none applies. */
typedef struct cmp_verdict {
    const ftbench_target *target;
    bool met;
} cmp_verdict;

/* 1. Single-thread time relative to the baseline, per cpu and io workload
 *    (time[w][l] = 1 / throughput ratio; time[w][base] is not ok). geomean:
 *    over the CPU-bound workloads outside the contention set, NaN when none
 *    was measured or for the baseline. chart: some ratio is ok. */
typedef struct cmp_overhead {
    cmp_ratio time[CMP_MAX_WORKLOADS][CMP_MAX_LABELS];
    double geomean[CMP_MAX_LABELS];
    cmp_verdict verdict[CMP_MAX_LABELS];
    bool chart;
} cmp_overhead;

/* 2. Throughput at threads[t] over throughput at threads[0], t >= 1; the
 *    thread counts are those of the cpu and io measurements, ascending.
 *    geomean[l][t] as in cmp_overhead; chart: more than one count. */
typedef struct cmp_scaling {
    int threads[CMP_MAX_COUNTS];
    int nthreads;
    cmp_ratio speedup[CMP_MAX_WORKLOADS][CMP_MAX_LABELS][CMP_MAX_COUNTS];
    double geomean[CMP_MAX_LABELS][CMP_MAX_COUNTS];
    cmp_verdict verdict[CMP_MAX_LABELS][CMP_MAX_COUNTS];
    bool chart;
} cmp_scaling;

/* 3. The convoy workload of one label at one switch interval. rate[c]: the
 *    median echo requests/s beside c CPU-bound threads, NaN if not run; the
 *    row is shown only when `alone` (c = 0) was measured. */
typedef struct cmp_convoy_cell {
    bool alone;
    double rate[CMP_CONVOY_CPU];
    cmp_ratio kept;             /* rate beside 1 over rate alone           */
    double cpu_mfloats;         /* the CPU thread's Mfloats/s beside 1     */
} cmp_convoy_cell;

/* The intervals are set always (the summary names them); any: some label
 * ran the convoy workload (else the section is left out, cells unset). */
typedef struct cmp_convoy {
    bool any;
    double interval_ms[CMP_CONVOY_INTERVALS];  /* ftbench's sweep, in ms */
    double per_interval[CMP_CONVOY_INTERVALS];  /* 1/interval, per second  */
    cmp_convoy_cell cell[CMP_CONVOY_INTERVALS][CMP_MAX_LABELS];
    const ftbench_target *nogil_kept;   /* stated under the table (judge.c) */
} cmp_convoy;

/* 4. One cpu workload of one label whose 1-thread run collected. */
typedef struct cmp_gc_row {
    const char *workload, *label;
    double collections;         /* per run                                 */
    double p50_us, p99_us, max_us;
} cmp_gc_row;

typedef struct cmp_gc {
    cmp_gc_row rows[CMP_MAX_WORKLOADS * CMP_MAX_LABELS];
    int n;
} cmp_gc;

/* 5. Microbenchmarks, rows in the order of the first label that has any
 *    (n = 0: no label has, and the section is left out). median_ns[i][l] is
 *    NaN where l lacks benchmark i; time[i][l] is its time over the
 *    baseline's, not ok for the baseline or when either lacks it. owned[l]:
 *    refcount/owned's time ratio, judged for the flavors with a target. */
typedef struct cmp_micro_table {
    const char *name[CMP_MAX_MICRO];
    int n;
    double median_ns[CMP_MAX_MICRO][CMP_MAX_LABELS];
    cmp_ratio time[CMP_MAX_MICRO][CMP_MAX_LABELS];
    double owned[CMP_MAX_LABELS];
    cmp_verdict owned_verdict[CMP_MAX_LABELS];
} cmp_micro_table;

/* 6. Each label's headline figures; NaN: not measured. */
typedef struct cmp_summary_row {
    double overhead;            /* 1-thread time / baseline; 1 for it      */
    double speedup2;            /* 2 threads over 1, CPU geomean           */
    double convoy[CMP_CONVOY_INTERVALS];  /* echo req/s beside 1 CPU thread */
} cmp_summary_row;

/* 7. The Python suite: every py workload but the scaling snippets, at 1
 *    thread. secs: median wall seconds per process (spawn to exit);
 *    work_s: median of the program's own `work_s` metric (the work
 *    without start-up); vs_ref: time over the reference's (CPython, the
 *    label "cpython"; ref -1 when none ran); vs_base: time over the
 *    baseline's (nogil ÷ gil); geometric means over the programs both
 *    sides ran; rss_mb: median peak RSS, rss_max_mb: the largest of a
 *    label over the suite. n = 0: no py workload loaded, section left out. */
typedef struct cmp_py {
    const char *prog[CMP_MAX_WORKLOADS];
    int n, ref;
    double secs[CMP_MAX_WORKLOADS][CMP_MAX_LABELS];
    double work_s[CMP_MAX_WORKLOADS][CMP_MAX_LABELS];
    cmp_ratio vs_ref[CMP_MAX_WORKLOADS][CMP_MAX_LABELS];
    cmp_ratio vs_base[CMP_MAX_WORKLOADS][CMP_MAX_LABELS];
    double geo_ref[CMP_MAX_LABELS], geo_base[CMP_MAX_LABELS];
    double geo_work_base[CMP_MAX_LABELS];   /* work_s over the baseline's */
    double geo_work_ref[CMP_MAX_LABELS];    /* work_s over CPython's      */
    cmp_verdict verdict[CMP_MAX_LABELS];    /* geo_base, nogil            */
    double rss_mb[CMP_MAX_WORKLOADS][CMP_MAX_LABELS];
    double rss_max_mb[CMP_MAX_LABELS];
} cmp_py;

/* 8. The scaling snippets (py:scaling:*): throughput at threads[k] over
 *    1 thread, every thread the same work, so N is perfect and 1 none:
 *    of the whole process (proc, with its CI) and of the parallel part
 *    alone (inner = N p1 / pN from the snippets' `parallel_s` metric);
 *    geometric means over the snippets. n = 0: section left out. */
typedef struct cmp_pyscale {
    const char *snip[CMP_MAX_WORKLOADS];
    int n;
    int threads[CMP_MAX_COUNTS];
    int nthreads;
    cmp_ratio proc[CMP_MAX_WORKLOADS][CMP_MAX_LABELS][CMP_MAX_COUNTS];
    double inner[CMP_MAX_WORKLOADS][CMP_MAX_LABELS][CMP_MAX_COUNTS];
    double geo_proc[CMP_MAX_LABELS][CMP_MAX_COUNTS];
    double geo_inner[CMP_MAX_LABELS][CMP_MAX_COUNTS];
} cmp_pyscale;

/* Everything the report shows. work[]: the ncpu cpu workloads, then the
 * io ones, each in the order of the first label that has them. */
typedef struct cmp_tables {
    const cmp_runs *runs;
    const char *work[CMP_MAX_WORKLOADS];
    int nwork, ncpu;
    cmp_overhead overhead;
    cmp_scaling scaling;
    cmp_convoy convoy;
    cmp_gc gc;
    cmp_micro_table micro;
    cmp_py py;
    cmp_pyscale pyscale;
    cmp_summary_row summary[CMP_MAX_LABELS];
} cmp_tables;

/* Fills t from runs (bootstrapping in a fixed order: see stats.h). */
void cmp_tables_compute(cmp_tables *t, const cmp_runs *runs);

/* Whether w is a scaling snippet ("py:scaling:NAME"). */
bool cmp_is_snippet(const char *workload);

/* The workloads of the contention set (shared-*, private-*) measure one
 * pathology each, not general CPU-bound work: geometric means leave them
 * out. */
bool cmp_is_contention(const char *workload);

/* ---- Verdicts (judge.c) ------------------------------------------------------ */

/* Sets every verdict of t from targets.h. */
void cmp_judge(cmp_tables *t);

/* ---- Rendering (render_md.c, render_plot.c) --------------------------------- */

/* The terminal summary, and with a report folder report.md beside it. */
void cmp_render_md(const cmp_tables *t, FILE *md);

/* The charts' data files in dir (every section's, as the tables have them). */
void cmp_write_data(const cmp_tables *t, const char *dir);

/* Writes dir/report.gp and runs gnuplot on it; true when the PNGs were made. */
bool cmp_draw_charts(const cmp_tables *t, const char *dir);

/* The charts section of report.md: an image per chart drawn, or a note. */
void cmp_render_chart_links(const cmp_tables *t, FILE *md, bool drawn);

#endif /* FTLAB_BENCH_REPORT_MODEL_H */
