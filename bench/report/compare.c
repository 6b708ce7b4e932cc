/* compare.c — ftbench-compare: turns ftbench JSON files (schema ftbench/1,
 * see bench/ftbench.h) from different flavors or allocators into ratios,
 * a terminal summary, and with --report DIR a Markdown report with
 * gnuplot charts.
 *
 *   ftbench-compare [--baseline LABEL] [--report DIR] FILE.json...
 *
 * FILE.json is ftbench's (schema ftbench/1) or ftbench-micro's Google
 * Benchmark output (its context names the flavor): the microbenchmarks
 * get their own table, with the refcount targets of DESIGN.md §8.
 *
 * Each file belongs to a "label": its flavor, plus "/allocator" when that
 * is not obmalloc; files with the same label merge (make bench writes one
 * per flavor and workload, run interleaved so that a shared machine's
 * load drifts over all flavors alike). The baseline (default: gil, else
 * the first label) is what single-thread overheads are relative to.
 *
 * Statistics. Every ratio is a ratio of medians; its 95% confidence
 * interval comes from a percentile bootstrap: both sample sets are
 * resampled with replacement BOOTSTRAP times, the ratio of the resampled
 * medians taken each time, and the 2.5th and 97.5th percentiles reported.
 * With the 3 to 11 runs a measurement has, the interval is coarse (it
 * cannot be narrower than the spread of the runs themselves) but honest
 * about noise on a shared machine.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "../bench_env.h"

#define PROG "ftbench-compare"

enum { MAX_FILES = 16, MAX_SAMPLES = 1000, MAX_THREADS = 64, MAX_MICRO = 32,
       BOOTSTRAP = 2000 };

static __attribute__((format(printf, 1, 2), noreturn)) void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ftbench_vfail(PROG, fmt, ap);
}

/* ---- Loaded results ------------------------------------------------------- */

typedef struct meas {
    const char *workload, *kind, *mode, *unit;
    int threads;
    long interval_us;
    double work;
    double tput[MAX_SAMPLES];   /* units per second, one per sample       */
    int n;
    json_t *metrics;
} meas;

/* One microbenchmark: ns per operation, one sample per repetition. */
typedef struct micro {
    const char *name;
    double ns[MAX_SAMPLES];
    int n;
} micro;

typedef struct file {
    char label[64];
    const char *flavor, *allocator, *commit, *date, *cpu;
    long cores;
    bool gil;
    meas *m;
    int nm;
    micro micro[MAX_MICRO];     /* from ftbench-micro files                */
    int nmicro;
    int nsources;               /* JSON files merged into this one        */
} file;

static file files[MAX_FILES];
static int nfiles;
static json_t *roots[4096];     /* every loaded document: meas points in  */
static int nroots;

static const char *get_str(json_t *o, const char *k, const char *path)
{
    const char *s = json_string_value(json_object_get(o, k));
    if (!s)
        fail("%s: missing string \"%s\"", path, k);
    return s;
}

static double get_num(json_t *o, const char *k, const char *path)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        fail("%s: missing number \"%s\"", path, k);
    return json_number_value(v);
}

static void load_meas(meas *m, json_t *r, const char *path)
{
    m->workload = get_str(r, "workload", path);
    m->kind = get_str(r, "kind", path);
    m->mode = get_str(r, "mode", path);
    m->unit = get_str(r, "unit", path);
    m->threads = (int)get_num(r, "threads", path);
    m->interval_us = (long)get_num(r, "switch_interval_us", path);
    m->work = get_num(r, "work", path);
    m->metrics = json_object_get(r, "metrics");
    json_t *s = json_object_get(r, "samples_ns"), *v;
    size_t i;
    if (!json_is_array(s) || json_array_size(s) == 0)
        fail("%s: %s has no samples_ns", path, m->workload);
    json_array_foreach(s, i, v) {
        if (i < MAX_SAMPLES && json_number_value(v) > 0)
            m->tput[m->n++] = m->work / (json_number_value(v) / 1e9);
    }
}

/* The entry for a flavor and allocator: an existing one (files of one
 * flavor and allocator merge, e.g. one file per workload) or a new one,
 * whose other fields the caller fills. */
static file *file_for(const char *flavor, const char *allocator, bool *is_new)
{
    char label[64];
    bool ob = strcmp(allocator, "obmalloc") == 0;
    snprintf(label, sizeof label, "%s%s%s", flavor, ob ? "" : "/", ob ? "" : allocator);
    *is_new = false;
    for (int i = 0; i < nfiles; i++)
        if (strcmp(files[i].label, label) == 0)
            return &files[i];
    if (nfiles == MAX_FILES)
        fail("at most %d flavor/allocator combinations", MAX_FILES);
    file *f = &files[nfiles++];
    snprintf(f->label, sizeof f->label, "%s", label);
    f->flavor = flavor;
    f->allocator = allocator;
    f->commit = f->date = f->cpu = "?";
    f->gil = strcmp(flavor, "gil") == 0;
    *is_new = true;
    return f;
}

static void load_ftbench(json_t *root, const char *path)
{
    json_t *env = json_object_get(root, "env");
    bool is_new;
    file *f = file_for(get_str(env, "flavor", path), get_str(env, "allocator", path),
                       &is_new);
    if (is_new || strcmp(f->commit, "?") == 0) {
        f->commit = get_str(env, "commit", path);
        f->date = get_str(env, "date", path);
        f->cpu = get_str(env, "cpu_model", path);
        f->cores = (long)get_num(env, "cores", path);
        f->gil = json_is_true(json_object_get(env, "gil"));
    }
    f->nsources++;
    json_t *rs = json_object_get(root, "results"), *r;
    size_t i;
    f->m = realloc(f->m, (size_t)(f->nm + (int)json_array_size(rs) + 1) * sizeof *f->m);
    if (!f->m)
        fail("out of memory");
    json_array_foreach(rs, i, r) {
        f->m[f->nm] = (meas){ 0 };
        load_meas(&f->m[f->nm++], r, path);
    }
}

/* Google Benchmark's JSON from ftbench-micro-<flavor>: every iteration
 * entry is one sample of its benchmark, real_time per FTM_BATCH
 * operations (context "ftlab_batch"). */
static void load_micro(json_t *root, const char *path)
{
    json_t *ctx = json_object_get(root, "context");
    bool is_new;
    file *f = file_for(get_str(ctx, "ftlab_flavor", path),
                       get_str(ctx, "ftlab_allocator", path), &is_new);
    if (is_new) {
        f->commit = get_str(ctx, "ftlab_commit", path);
        f->date = get_str(ctx, "date", path);
    }
    f->nsources++;
    double batch = atof(get_str(ctx, "ftlab_batch", path));
    json_t *bs = json_object_get(root, "benchmarks"), *b;
    size_t i;
    json_array_foreach(bs, i, b) {
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (type && strcmp(type, "iteration") != 0)
            continue;
        const char *name = get_str(b, "name", path);
        const char *unit = get_str(b, "time_unit", path);
        double ns = get_num(b, "real_time", path) / batch *
                    (strcmp(unit, "us") == 0 ? 1e3 : strcmp(unit, "ms") == 0 ? 1e6 : 1);
        micro *mi = NULL;
        for (int k = 0; k < f->nmicro && !mi; k++)
            if (strcmp(f->micro[k].name, name) == 0)
                mi = &f->micro[k];
        if (!mi && f->nmicro < MAX_MICRO)
            mi = &f->micro[f->nmicro++], mi->name = name;
        if (mi && mi->n < MAX_SAMPLES)
            mi->ns[mi->n++] = ns;
    }
}

static void load_file(const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        fail("%s:%d: %s", path, err.line, err.text);
    if (nroots == (int)(sizeof roots / sizeof *roots))
        fail("too many files");
    roots[nroots++] = root;
    const char *schema = json_string_value(json_object_get(root, "schema"));
    if (schema && strcmp(schema, "ftbench/1") == 0)
        load_ftbench(root, path);
    else if (json_is_array(json_object_get(root, "benchmarks")))
        load_micro(root, path);
    else
        fail("%s: neither ftbench/1 nor ftbench-micro (Google Benchmark) JSON", path);
}

/* The measurement of `f` with these keys; interval 0 matches any. */
static const meas *find(const file *f, const char *workload, int threads,
                        long interval_us)
{
    for (int i = 0; i < f->nm; i++) {
        const meas *m = &f->m[i];
        if (strcmp(m->workload, workload) == 0 && m->threads == threads &&
            (!interval_us || m->interval_us == interval_us))
            return m;
    }
    return NULL;
}

static double metric(const meas *m, const char *k)
{
    json_t *v = m ? json_object_get(m->metrics, k) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- Statistics ------------------------------------------------------------------ */

static uint64_t rng = 0x853c49e6748fea9bull;   /* fixed: reports reproduce */

static uint64_t next_rand(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static int cmp_boot(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double resampled_median(const double *v, int n)
{
    double s[MAX_SAMPLES];
    for (int i = 0; i < n; i++)
        s[i] = v[next_rand() % (uint64_t)n];
    return ftbench_median(s, n);
}

typedef struct ratio {
    double r, lo, hi;           /* median(a)/median(b) and its 95% CI      */
    bool ok;
} ratio;

/* median(a) / median(b), bootstrapped. */
static ratio ratio_samples(const double *a, int na, const double *b, int nb)
{
    ratio q = { NAN, NAN, NAN, false };
    if (!na || !nb)
        return q;
    static double boot[BOOTSTRAP];
    for (int i = 0; i < BOOTSTRAP; i++)
        boot[i] = resampled_median(a, na) / resampled_median(b, nb);
    qsort(boot, BOOTSTRAP, sizeof *boot, cmp_boot);
    q.r = ftbench_median(a, na) / ftbench_median(b, nb);
    q.lo = boot[(int)(BOOTSTRAP * 0.025)];
    q.hi = boot[(int)(BOOTSTRAP * 0.975) - 1];
    q.ok = true;
    return q;
}

/* Throughput of a over throughput of b. */
static ratio ratio_of(const meas *a, const meas *b)
{
    if (!a || !b)
        return (ratio){ NAN, NAN, NAN, false };
    return ratio_samples(a->tput, a->n, b->tput, b->n);
}

/* 1/q: a throughput ratio read as a time ratio. */
static ratio invert(ratio q)
{
    return (ratio){ 1 / q.r, 1 / q.hi, 1 / q.lo, q.ok };
}

static const char *fmt_ratio(ratio q, char *buf, size_t len)
{
    if (!q.ok)
        snprintf(buf, len, "—");
    else
        snprintf(buf, len, "%.2f× [%.2f, %.2f]", q.r, q.lo, q.hi);
    return buf;
}

/* ---- Output: a table both on the terminal and in report.md ---------------- */

static FILE *md;                /* report.md, or NULL                     */

static __attribute__((format(printf, 1, 2))) void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (md) {
        va_start(ap, fmt);
        vfprintf(md, fmt, ap);
        va_end(ap);
    }
}

static __attribute__((format(printf, 1, 2))) void md_only(const char *fmt, ...)
{
    if (!md)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(md, fmt, ap);
    va_end(ap);
}

/* The workloads of kind `kind` in the order of the first file that has
 * them; returns how many (at most max). */
static int workloads_of(const char *kind, const char **names, int max)
{
    int n = 0;
    for (int f = 0; f < nfiles; f++)
        for (int i = 0; i < files[f].nm; i++) {
            const meas *m = &files[f].m[i];
            bool seen = false;
            for (int k = 0; k < n; k++)
                seen |= strcmp(names[k], m->workload) == 0;
            if (!seen && strcmp(m->kind, kind) == 0 && n < max)
                names[n++] = m->workload;
        }
    return n;
}

/* The CPU-bound workloads, then the I/O-bound ones (at most 64). */
static int cpu_and_io_workloads(const char **names)
{
    int n = workloads_of("cpu", names, 64);
    return n + workloads_of("io", names + n, 64 - n);
}

/* The contention workloads (shared-*, and their private-* controls) measure
 * one pathology each, not general CPU-bound work: the suite's geometric
 * means leave them out. */
static bool is_shared(const char *workload)
{
    return strncmp(workload, "shared-", 7) == 0 || strncmp(workload, "private-", 8) == 0;
}

/* ---- 1. Single-thread overhead against the baseline ------------------------ */

/* Which charts have data (set by the sections that write it). */
enum { CHART_SCALING, CHART_CONVOY, CHART_OVERHEAD, CHART_GC, N_CHARTS };
static bool chart_data[N_CHARTS];

/* The headline figures of each label, filled by the sections below and
 * printed last as the summary. NAN: not measured. */
static struct {
    double overhead;            /* 1-thread time / baseline, CPU geomean  */
    double speedup2;            /* 2 threads over 1, CPU geomean          */
    double convoy[3];           /* echo req/s beside 1 CPU thread         */
} summary[MAX_FILES];

static int base;                /* index of the baseline file             */
static char outdir[512];

static FILE *data_file(const char *name)
{
    if (!md)
        return NULL;
    char path[600];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fail("cannot write %s: %s", path, strerror(errno));
    return f;
}

static void data_close(FILE *dat)
{
    if (dat && fclose(dat) != 0)
        fail("cannot write a data file in %s: %s", outdir, strerror(errno));
}

static void overhead_section(void)
{
    const char *names[64];
    int n = cpu_and_io_workloads(names);
    out("\n## Single-thread time relative to %s\n\n", files[base].label);
    out("Time of one thread's run over the baseline's (median ratio, 95%% "
        "bootstrap CI); above 1 is slower.\n\n| workload |");
    for (int f = 0; f < nfiles; f++)
        if (f != base)
            out(" %s |", files[f].label);
    out("\n|---|");
    for (int f = 1; f < nfiles; f++)
        out("---|");
    out("\n");
    FILE *dat = data_file("overhead.dat");
    double logsum[MAX_FILES] = { 0 };
    int count[MAX_FILES] = { 0 };
    for (int w = 0; w < n; w++) {
        const meas *b = find(&files[base], names[w], 1, 0);
        out("| %s |", names[w]);
        if (dat)
            fprintf(dat, "\"%s\"", names[w]);
        for (int f = 0; f < nfiles; f++) {
            if (f == base)
                continue;
            ratio q = invert(ratio_of(find(&files[f], names[w], 1, 0), b));
            char buf[64];
            out(" %s |", fmt_ratio(q, buf, sizeof buf));
            if (dat)
                fprintf(dat, " %g", q.ok ? q.r : NAN);
            chart_data[CHART_OVERHEAD] |= q.ok;
            if (q.ok && !is_shared(names[w]) &&
                strcmp(find(&files[base], names[w], 1, 0)->kind, "cpu") == 0)
                logsum[f] += log(q.r), count[f]++;
        }
        out("\n");
        if (dat)
            fprintf(dat, "\n");
    }
    data_close(dat);
    out("\nGeometric mean over the CPU-bound suite (the shared-object and "
        "private-object contention workloads left out: they measure one "
        "pathology each):");
    for (int f = 0; f < nfiles; f++)
        if (f != base && count[f])
            summary[f].overhead = exp(logsum[f] / count[f]);
    for (int f = 0; f < nfiles; f++)
        if (f != base && count[f])
            out(" %s %.3f×%s;", files[f].label, exp(logsum[f] / count[f]),
                strcmp(files[f].flavor, "nogil") == 0
                    ? (exp(logsum[f] / count[f]) <= 1.05 ? " (target ≤ 1.05×: met)"
                                                         : " (target ≤ 1.05×: NOT met)")
                    : "");
    out("\n");
}

/* ---- 2. Scaling: throughput at N threads over 1 thread --------------------- */

/* The thread counts of the cpu and io measurements, ascending. */
static int thread_counts(int *counts)
{
    bool seen[MAX_THREADS + 1] = { false };
    for (int f = 0; f < nfiles; f++)
        for (int i = 0; i < files[f].nm; i++)
            if (strcmp(files[f].m[i].kind, "mixed") != 0 &&
                files[f].m[i].threads <= MAX_THREADS)
                seen[files[f].m[i].threads] = true;
    int n = 0;
    for (int t = 1; t <= MAX_THREADS; t++)
        if (seen[t] && n < 16)
            counts[n++] = t;
    return n;
}

static void scaling_section(void)
{
    int tc[16], ntc = thread_counts(tc);
    const char *names[64];
    int n = cpu_and_io_workloads(names);
    out("\n## Speed-up over one thread\n\nThroughput at N threads over "
        "throughput at 1 (median ratio, 95%% bootstrap CI), mode as run "
        "(total: the same work split; per-thread: N times the work).\n\n"
        "| workload |");
    for (int f = 0; f < nfiles; f++)
        for (int t = 1; t < ntc; t++)
            out(" %s %d thr. |", files[f].label, tc[t]);
    out("\n|---|");
    for (int f = 0; f < nfiles; f++)
        for (int t = 1; t < ntc; t++)
            out("---|");
    out("\n");
    double logsum[MAX_FILES][16] = { { 0 } };
    int count[MAX_FILES][16] = { { 0 } };
    for (int w = 0; w < n; w++) {
        out("| %s |", names[w]);
        for (int f = 0; f < nfiles; f++)
            for (int t = 1; t < ntc; t++) {
                const meas *one = find(&files[f], names[w], tc[0], 0);
                const meas *m = find(&files[f], names[w], tc[t], 0);
                ratio q = ratio_of(m, one);
                char buf[64];
                out(" %s |", fmt_ratio(q, buf, sizeof buf));
                if (q.ok && !is_shared(names[w]) && strcmp(m->kind, "cpu") == 0)
                    logsum[f][t] += log(q.r), count[f][t]++;
            }
        out("\n");
    }
    out("\nGeometric mean over the CPU-bound suite (shared-object workloads "
        "left out):\n\n");
    FILE *dat = data_file("scaling.dat");
    chart_data[CHART_SCALING] = ntc > 1;
    for (int t = 0; t < ntc && dat; t++) {
        fprintf(dat, "%d", tc[t]);
        for (int f = 0; f < nfiles; f++)
            fprintf(dat, " %g", t == 0 ? 1.0 : count[f][t] ? exp(logsum[f][t] / count[f][t]) : NAN);
        fprintf(dat, "\n");
    }
    data_close(dat);
    for (int f = 0; f < nfiles; f++)
        for (int t = 1; t < ntc; t++) {
            if (!count[f][t])
                continue;
            double g = exp(logsum[f][t] / count[f][t]);
            if (tc[t] == 2)
                summary[f].speedup2 = g;
            const char *target = "";
            if (tc[t] == 2 && files[f].gil)
                target = g <= 1.05 ? " (target ≤ 1.05×: met)" : " (target ≤ 1.05×: NOT met)";
            else if (tc[t] == 2)
                target = g >= 1.9 ? " (target ≥ 1.9×: met)" : " (target ≥ 1.9×: NOT met)";
            out("- %s, %d threads: %.2f×%s\n", files[f].label, tc[t], g, target);
        }
}

/* ---- 3. The convoy effect ------------------------------------------------------ */

static const long convoy_intervals[] = { 5000, 1000, 100 };

static void convoy_section(void)
{
    bool any = false;
    for (int f = 0; f < nfiles; f++)
        any |= find(&files[f], "convoy", 0, 0) != NULL;
    if (!any)
        return;
    out("\n## Convoy: echo requests per second beside CPU-bound threads\n\n"
        "Loopback echo rate (median) alone and beside 1 and 2 CPU-bound "
        "threads; \"kept\" is the rate beside 1 thread over the rate alone "
        "(95%% bootstrap CI). Under a GIL the echo server waits a switch "
        "interval each time it re-attaches while a CPU thread holds the GIL: "
        "beside one, about 1/interval requests per second with one wait per "
        "request, 1/(2 × interval) with two. \"CPU "
        "Mfloats/s\" is what the one CPU thread got done meanwhile: under the "
        "GIL a high echo rate with a low CPU rate means the CPU thread was "
        "the one kept waiting.\n\n"
        "| flavor | interval | alone | beside 1 | beside 2 | kept (1) | "
        "1/interval | CPU Mfloats/s (beside 1) |\n"
        "|---|---|---|---|---|---|---|---|\n");
    FILE *dat = data_file("convoy.dat");
    chart_data[CHART_CONVOY] = true;
    for (int k = 0; k < 3; k++) {
        if (dat)
            fprintf(dat, "%g", convoy_intervals[k] / 1000.0);
        for (int f = 0; f < nfiles; f++) {
            const meas *m[3];
            double rate[3];
            for (int c = 0; c < 3; c++) {
                m[c] = find(&files[f], "convoy", c, convoy_intervals[k]);
                rate[c] = m[c] ? ftbench_median(m[c]->tput, m[c]->n) : NAN;
                if (dat)
                    fprintf(dat, " %g", rate[c]);
            }
            summary[f].convoy[k] = rate[1];
            if (!m[0])
                continue;
            char buf[64];
            out("| %s | %.1f ms | %.0f | %.0f | %.0f | %s | %.0f | %.1f |\n",
                files[f].label, convoy_intervals[k] / 1000.0, rate[0], rate[1],
                rate[2], fmt_ratio(ratio_of(m[1], m[0]), buf, sizeof buf),
                1e6 / (double)convoy_intervals[k],
                metric(m[1], "cpu_floats_per_s") / 1e6);
        }
        if (dat)
            fprintf(dat, "\n");
    }
    data_close(dat);
    out("\nTargets (DESIGN.md §8): gil beside one CPU thread ≈ 1/(2 × interval) "
        "(between that and 1/interval here); nogil keeps ≥ 50%% of its rate "
        "alone.\n");
}

/* ---- 4. GC pauses ------------------------------------------------------------------- */

static void gc_section(void)
{
    out("\n## Cycle-collector pauses\n\nPer measurement with any collection "
        "(1 thread): collections per run and pause percentiles (from the "
        "runtime's histogram: within 19%%).\n\n"
        "| workload | flavor | collections/run | p50 µs | p99 µs | max µs |\n"
        "|---|---|---|---|---|---|\n");
    FILE *dat = data_file("gc.dat");
    const char *names[64];
    int n = workloads_of("cpu", names, 64);
    for (int w = 0; w < n; w++)
        for (int f = 0; f < nfiles; f++) {
            const meas *m = find(&files[f], names[w], 1, 0);
            if (!m || isnan(metric(m, "gc_pause_max_ns")))
                continue;
            double p50 = metric(m, "gc_pause_p50_ns") / 1e3;
            double p99 = metric(m, "gc_pause_p99_ns") / 1e3;
            out("| %s | %s | %.0f | %.1f | %.1f | %.1f |\n", names[w], files[f].label,
                metric(m, "gc_collections"), p50, p99,
                metric(m, "gc_pause_max_ns") / 1e3);
            if (dat)
                fprintf(dat, "\"%s %s\" %g %g\n", names[w], files[f].label, p50, p99);
            chart_data[CHART_GC] = true;
        }
    data_close(dat);
}

/* ---- 5. Microbenchmarks ---------------------------------------------------------- */

static const micro *find_micro(const file *f, const char *name)
{
    for (int i = 0; i < f->nmicro; i++)
        if (strcmp(f->micro[i].name, name) == 0)
            return &f->micro[i];
    return NULL;
}

static void micro_target(const char *label, const char *flavor, ratio q)
{
    if (!q.ok)
        return;
    if (strcmp(flavor, "nogil") == 0)
        out("- %s owned incref+decref: %.2f× %s (target ≤ 1.5×: %s)\n", label,
            q.r, files[base].label, q.r <= 1.5 ? "met" : "NOT met");
    else if (strcmp(flavor, "nogil-atomic") == 0)
        out("- %s owned incref+decref: %.2f× %s (target ≥ 2×: %s)\n", label,
            q.r, files[base].label, q.r >= 2 ? "met" : "NOT met");
}

static void micro_section(void)
{
    const file *ref = NULL;
    for (int f = 0; f < nfiles && !ref; f++)
        ref = files[f].nmicro ? &files[f] : NULL;
    if (!ref)
        return;
    out("\n## Microbenchmarks (ftbench-micro)\n\nNanoseconds per operation "
        "(median over repetitions), and the time ratio to %s with its 95%% "
        "bootstrap CI.\n\n| benchmark |", files[base].label);
    for (int f = 0; f < nfiles; f++)
        out(" %s |", files[f].label);
    out("\n|---|");
    for (int f = 0; f < nfiles; f++)
        out("---|");
    out("\n");
    for (int i = 0; i < ref->nmicro; i++) {
        const char *name = ref->micro[i].name;
        const micro *b = find_micro(&files[base], name);
        out("| %s |", name);
        for (int f = 0; f < nfiles; f++) {
            const micro *m = find_micro(&files[f], name);
            char buf[64];
            if (!m) {
                out(" — |");
                continue;
            }
            out(" %.2f", ftbench_median(m->ns, m->n));
            if (f != base && b)
                out(" (%s)", fmt_ratio(ratio_samples(m->ns, m->n, b->ns, b->n),
                                       buf, sizeof buf));
            out(" |");
        }
        out("\n");
    }
    out("\n");
    const micro *b = find_micro(&files[base], "refcount/owned");
    for (int f = 0; f < nfiles; f++) {
        const micro *m = find_micro(&files[f], "refcount/owned");
        if (f != base && m && b)
            micro_target(files[f].label, files[f].flavor,
                         ratio_samples(m->ns, m->n, b->ns, b->n));
    }
}

/* ---- 6. Summary ------------------------------------------------------------------ */

/* v with `decimals` and `suffix`, or a dash when not measured (NAN). */
static void fmt_num(char *out_buf, size_t len, double v, int decimals,
                    const char *suffix)
{
    if (isnan(v))
        snprintf(out_buf, len, "—");
    else
        snprintf(out_buf, len, "%.*f%s", decimals, v, suffix);
}

static void summary_section(void)
{
    out("\n## Summary\n\n| flavor | 1-thread time vs %s (CPU suite) | "
        "2-thread speed-up (CPU suite) | echo req/s beside 1 CPU thread at "
        "5 / 1 / 0.1 ms |\n|---|---|---|---|\n", files[base].label);
    for (int f = 0; f < nfiles; f++) {
        char a[32], b[32], c[3][32];
        fmt_num(a, sizeof a, f == base ? 1.0 : summary[f].overhead, 2, "×");
        fmt_num(b, sizeof b, summary[f].speedup2, 2, "×");
        for (int k = 0; k < 3; k++)
            fmt_num(c[k], sizeof c[k], summary[f].convoy[k], 0, "");
        out("| %s | %s | %s | %s / %s / %s |\n", files[f].label, a, b, c[0], c[1],
            c[2]);
    }
}

/* ---- Charts ------------------------------------------------------------------ */

static void titles(FILE *gp)
{
    for (int f = 0; f < nfiles; f++)
        fprintf(gp, "%s\"%s\"", f ? ", " : "", files[f].label);
}

static void chart_scaling(FILE *gp)
{
    fprintf(gp, "set output 'scaling.png'\nset title 'Speed-up over 1 thread "
                "(geomean, CPU-bound suite)'\nset xlabel 'threads'\n"
                "set ylabel 'throughput / throughput at 1 thread'\nset xtics 1\n"
                "plot for [i=1:%d] 'scaling.dat' using 1:(column(i+1)) with "
                "linespoints lw 2 title L[i], x with lines dt 2 lc 'gray' title 'linear'\n",
            nfiles);
}

static void chart_convoy(FILE *gp)
{
    fprintf(gp, "set output 'convoy.png'\nset title 'Echo requests/s (median) by "
                "switch interval'\nset xlabel 'switch interval (ms)'\nset ylabel "
                "'requests per second'\nset logscale xy\nset xtics (0.1, 1, 5)\n"
                "plot for [i=1:%d] 'convoy.dat' using 1:(column(3*i)) with "
                "linespoints lw 2 title L[i].' beside 1 CPU thread', "
                "for [i=1:%d] 'convoy.dat' using 1:(column(3*i-1)) with "
                "linespoints dt 2 title L[i].' alone', "
                "'convoy.dat' using 1:(1000/$1) with lines lc 'black' dt 2 "
                "title '1/interval', "
                "'convoy.dat' using 1:(1000/(2*$1)) with lines lc 'black' dt 3 "
                "title '1/(2 x interval)'\nunset logscale\nset xtics auto\n",
            nfiles, nfiles);
}

static void chart_overhead(FILE *gp)
{
    fprintf(gp, "set output 'overhead.png'\nset title 'Single-thread time relative "
                "to %s'\nset xlabel ''\nset ylabel 'time / %s time'\n"
                "set style data histograms\nset style histogram clustered\n"
                "set style fill solid 0.8\nset xtics rotate by -45\n"
                "set logscale y\nset yrange [0.1:*]\n"
                "plot ", files[base].label, files[base].label);
    for (int f = 0, col = 2; f < nfiles; f++) {
        if (f == base)
            continue;
        fprintf(gp, "%s'overhead.dat' using %d:xtic(1) title '%s'",
                col == 2 ? "" : ", ", col, files[f].label);
        col++;
    }
    fprintf(gp, ", 1 with lines lc 'black' dt 2 notitle\n"
                "unset logscale\nset yrange [*:*]\nset xtics norotate\n");
}

static void chart_gc(FILE *gp)
{
    fprintf(gp, "set output 'gc_pauses.png'\nset title 'Cycle-collector pauses "
                "(1 thread)'\nset ylabel 'microseconds'\nset logscale y\n"
                "set style data histograms\nset style histogram clustered\n"
                "set style fill solid 0.8\n"
                "plot 'gc.dat' using 2:xtic(1) title 'p50', '' using 3 title 'p99'\n");
}

/* The charts, each drawn only when its section found data. */
static const struct chart {
    const char *png, *alt;
    void (*draw)(FILE *gp);
} chart_list[N_CHARTS] = {
    [CHART_SCALING] = { "scaling.png", "speed-up", chart_scaling },
    [CHART_CONVOY] = { "convoy.png", "convoy", chart_convoy },
    [CHART_OVERHEAD] = { "overhead.png", "single-thread overhead", chart_overhead },
    [CHART_GC] = { "gc_pauses.png", "GC pauses", chart_gc },
};

/* Writes report.gp beside the data and runs gnuplot on it; returns true
 * when the PNGs were made. */
static bool charts(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/report.gp", outdir);
    FILE *gp = fopen(path, "w");
    if (!gp)
        fail("cannot write %s: %s", path, strerror(errno));
    fprintf(gp, "# Made by " PROG "; run `gnuplot report.gp` in this folder.\n"
                "set terminal pngcairo size 900,540 noenhanced\n"
                "set grid\nset key below\n"
                "array L[%d] = [", nfiles);
    titles(gp);
    fprintf(gp, "]\n");
    for (int c = 0; c < N_CHARTS; c++)
        if (chart_data[c])
            chart_list[c].draw(gp);
    fclose(gp);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot report.gp", outdir);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, PROG ": gnuplot failed or is missing (status %d): the "
                        "report has tables but no charts\n", rc);
    return rc == 0;
}

/* ---- Main ------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " [--baseline LABEL] [--report DIR] FILE.json...\n"
               "  FILE.json        ftbench-<flavor> run --json output (schema "
               "ftbench/1),\n"
               "                   or ftbench-micro-<flavor> --benchmark_out "
               "(Google Benchmark)\n"
               "  --baseline LABEL the file single-thread times are relative to "
               "(a flavor,\n"
               "                   or flavor/allocator; default gil)\n"
               "  --report DIR     also write DIR/report.md, its data and PNG "
               "charts\n");
}

static void header(void)
{
    out("# ftbench comparison\n\n");
    for (int f = 0; f < nfiles; f++)
        out("- %s: commit %s, %s, %s, %ld cores, GIL %s (%d file%s)\n",
            files[f].label, files[f].commit, files[f].date, files[f].cpu,
            files[f].cores, files[f].gil ? "on" : "off", files[f].nsources,
            files[f].nsources == 1 ? "" : "s");
    out("\nRatios are of medians; the intervals are 95%% percentile-bootstrap "
        "confidence intervals (%d resamples of each side's runs).\n", BOOTSTRAP);
}

int main(int argc, char **argv)
{
    const char *baseline = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--baseline") == 0 && i + 1 < argc) {
            baseline = argv[++i];
        } else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc) {
            snprintf(outdir, sizeof outdir, "%s", argv[++i]);
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            usage(stderr);
            return 2;
        } else {
            load_file(argv[i]);
        }
    }
    if (nfiles < 1) {
        usage(stderr);
        return 2;
    }
    for (int f = 0; f < MAX_FILES; f++)
        summary[f].overhead = summary[f].speedup2 = summary[f].convoy[0] =
            summary[f].convoy[1] = summary[f].convoy[2] = NAN;
    base = 0;
    for (int f = 0; f < nfiles; f++)
        if (strcmp(files[f].label, baseline ? baseline : "gil") == 0)
            base = f;
    if (baseline && strcmp(files[base].label, baseline) != 0)
        fail("no file is labelled '%s'", baseline);
    if (outdir[0]) {
        char path[600];
        if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
            fail("cannot make %s: %s", outdir, strerror(errno));
        snprintf(path, sizeof path, "%s/report.md", outdir);
        if (!(md = fopen(path, "w")))
            fail("cannot write %s: %s", path, strerror(errno));
    }
    header();
    overhead_section();
    scaling_section();
    convoy_section();
    gc_section();
    micro_section();
    summary_section();
    if (md) {
        bool ok = charts();
        md_only("\n## Charts\n\n");
        for (int c = 0; ok && c < N_CHARTS; c++)
            if (chart_data[c])
                md_only("![%s](%s)\n\n", chart_list[c].alt, chart_list[c].png);
        if (!ok)
            md_only("(gnuplot failed: no charts; the data is in the .dat files)\n");
        fclose(md);
        printf("\nreport: %s/report.md\n", outdir);
    }
    for (int f = 0; f < nfiles; f++)
        free(files[f].m);
    for (int i = 0; i < nroots; i++)
        json_decref(roots[i]);
    return 0;
}
