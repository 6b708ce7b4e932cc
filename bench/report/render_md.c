/* render_md.c — the report's text: every table of cmp_tables as Markdown,
 * on the terminal and, with --report, in report.md (the same bytes).
 *
 * Nothing here computes: a ratio, a median or a verdict missing from the
 * tables is printed as a dash, never worked out here.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

static FILE *md;                /* report.md, or NULL                      */

/* Prints on the terminal and into report.md. */
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

/* "1.23× [1.10, 1.40]", or a dash when the ratio was not measured. */
static const char *fmt_ratio(cmp_ratio q, char *buf, size_t len)
{
    if (!q.ok)
        snprintf(buf, len, "—");
    else
        snprintf(buf, len, "%.2f× [%.2f, %.2f]", q.r, q.lo, q.hi);
    return buf;
}

/* v with `decimals` and `suffix`, or a dash when not measured (NaN). */
static const char *fmt_num(char *buf, size_t len, double v, int decimals,
                           const char *suffix)
{
    if (isnan(v))
        snprintf(buf, len, "—");
    else
        snprintf(buf, len, "%.*f%s", decimals, v, suffix);
    return buf;
}

/* " (target ≤ 1.05×: met)", or nothing when no target applies. */
static const char *fmt_verdict(cmp_verdict v, char *buf, size_t len)
{
    char bound[32];
    if (!v.target)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, " (target %s: %s)",
                 ftbench_target_bound(v.target, false, bound, sizeof bound),
                 v.met ? "met" : "NOT met");
    return buf;
}

static const cmp_label *label(const cmp_tables *t, int l)
{
    return &t->runs->labels[l];
}

static const char *base_name(const cmp_tables *t)
{
    return t->runs->labels[t->runs->base].label;
}

/* Whether label l is a column of the C tables: an interpreter that ran
 * only Python workloads (CPython) is not. */
static bool native(const cmp_tables *t, int l)
{
    return t->runs->labels[l].native;
}

/* How many native labels there are, the baseline left out when asked. */
static int native_count(const cmp_tables *t, bool without_base)
{
    int n = 0;
    for (int l = 0; l < t->runs->n; l++)
        n += native(t, l) && !(without_base && l == t->runs->base);
    return n;
}

/* "\n|---|" and `columns` more "---|", then the newline. */
static void rule(int columns)
{
    out("\n|---|");
    for (int c = 0; c < columns; c++)
        out("---|");
    out("\n");
}

static void header(const cmp_tables *t)
{
    out("# ftbench comparison\n\n");
    for (int l = 0; l < t->runs->n; l++) {
        const cmp_label *f = label(t, l);
        out("- %s: commit %s, %s, %s, %ld cores, GIL %s (%d file%s)", f->label,
            f->commit, f->date, f->cpu, f->cores, f->gil ? "on" : "off", f->nsources,
            f->nsources == 1 ? "" : "s");
        if (f->interp)
            out("; Python programs under %s", f->interp);
        out("\n");
    }
    out("\nRatios are of medians; the intervals are 95%% percentile-bootstrap "
        "confidence intervals (%d resamples of each side's runs).\n", CMP_BOOTSTRAP);
}

/* ---- 1. Single-thread overhead against the baseline ------------------------ */

static void overhead_section(const cmp_tables *t)
{
    const cmp_overhead *o = &t->overhead;
    int n = t->runs->n, base = t->runs->base;
    char buf[64];
    out("\n## Single-thread time relative to %s\n\n", base_name(t));
    out("Time of one thread's run over the baseline's (median ratio, 95%% "
        "bootstrap CI); above 1 is slower.\n\n| workload |");
    for (int l = 0; l < n; l++)
        if (l != base && native(t, l))
            out(" %s |", label(t, l)->label);
    rule(native_count(t, true));
    for (int w = 0; w < t->nwork; w++) {
        out("| %s |", t->work[w]);
        for (int l = 0; l < n; l++)
            if (l != base && native(t, l))
                out(" %s |", fmt_ratio(o->time[w][l], buf, sizeof buf));
        out("\n");
    }
    out("\nGeometric mean over the CPU-bound suite (the shared-object and "
        "private-object contention workloads left out: they measure one "
        "pathology each):");
    for (int l = 0; l < n; l++)
        if (!isnan(o->geomean[l]))
            out(" %s %.3f×%s;", label(t, l)->label, o->geomean[l],
                fmt_verdict(o->verdict[l], buf, sizeof buf));
    out("\n");
}

/* ---- 2. Scaling: throughput at N threads over 1 thread --------------------- */

static void scaling_section(const cmp_tables *t)
{
    const cmp_scaling *s = &t->scaling;
    int n = t->runs->n;
    char buf[64];
    out("\n## Speed-up over one thread\n\nThroughput at N threads over "
        "throughput at 1 (median ratio, 95%% bootstrap CI), mode as run "
        "(total: the same work split; per-thread: N times the work).\n\n"
        "| workload |");
    for (int l = 0; l < n; l++)
        for (int k = 1; k < s->nthreads && native(t, l); k++)
            out(" %s %d thr. |", label(t, l)->label, s->threads[k]);
    rule(s->nthreads > 1 ? native_count(t, false) * (s->nthreads - 1) : 0);
    for (int w = 0; w < t->nwork; w++) {
        out("| %s |", t->work[w]);
        for (int l = 0; l < n; l++)
            for (int k = 1; k < s->nthreads && native(t, l); k++)
                out(" %s |", fmt_ratio(s->speedup[w][l][k], buf, sizeof buf));
        out("\n");
    }
    out("\nGeometric mean over the CPU-bound suite (shared-object workloads "
        "left out):\n\n");
    for (int l = 0; l < n; l++)
        for (int k = 1; k < s->nthreads; k++)
            if (!isnan(s->geomean[l][k]))
                out("- %s, %d threads: %.2f×%s\n", label(t, l)->label, s->threads[k],
                    s->geomean[l][k], fmt_verdict(s->verdict[l][k], buf, sizeof buf));
}

/* ---- 3. The convoy effect ------------------------------------------------------ */

static void convoy_row(const cmp_tables *t, int k, int l)
{
    const cmp_convoy *c = &t->convoy;
    const cmp_convoy_cell *cell = &c->cell[k][l];
    char buf[64];
    out("| %s | %.1f ms | %.0f | %.0f | %.0f | %s | %.0f | %.1f |\n",
        label(t, l)->label, c->interval_ms[k], cell->rate[0], cell->rate[1],
        cell->rate[2], fmt_ratio(cell->kept, buf, sizeof buf), c->per_interval[k],
        cell->cpu_mfloats);
}

static void convoy_section(const cmp_tables *t)
{
    const cmp_convoy *c = &t->convoy;
    if (!c->any)
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
    for (int k = 0; k < CMP_CONVOY_INTERVALS; k++)
        for (int l = 0; l < t->runs->n; l++)
            if (c->cell[k][l].alone)
                convoy_row(t, k, l);
    out("\nTargets (docs/architecture.md, \"Benchmarks and papers\"): gil beside "
        "one CPU thread ≈ 1/(2 × interval) (between that and 1/interval here); "
        "nogil keeps %s %g%% of its rate alone.\n",
        ftbench_target_sign(c->nogil_kept, false), c->nogil_kept->threshold * 100);
}

/* ---- 4. GC pauses ------------------------------------------------------------------- */

static void gc_section(const cmp_tables *t)
{
    out("\n## Cycle-collector pauses\n\nPer measurement with any collection "
        "(1 thread): collections per run and pause percentiles (from the "
        "runtime's histogram: within 19%%).\n\n"
        "| workload | flavor | collections/run | p50 µs | p99 µs | max µs |\n"
        "|---|---|---|---|---|---|\n");
    for (int i = 0; i < t->gc.n; i++) {
        const cmp_gc_row *r = &t->gc.rows[i];
        out("| %s | %s | %.0f | %.1f | %.1f | %.1f |\n", r->workload, r->label,
            r->collections, r->p50_us, r->p99_us, r->max_us);
    }
}

/* ---- 5. Microbenchmarks ---------------------------------------------------------- */

static void micro_row(const cmp_tables *t, int i)
{
    const cmp_micro_table *mt = &t->micro;
    char buf[64];
    out("| %s |", mt->name[i]);
    for (int l = 0; l < t->runs->n; l++) {
        if (!native(t, l))
            continue;
        if (isnan(mt->median_ns[i][l])) {
            out(" — |");
            continue;
        }
        out(" %.2f", mt->median_ns[i][l]);
        if (mt->time[i][l].ok)
            out(" (%s)", fmt_ratio(mt->time[i][l], buf, sizeof buf));
        out(" |");
    }
    out("\n");
}

static void micro_section(const cmp_tables *t)
{
    const cmp_micro_table *mt = &t->micro;
    int n = t->runs->n;
    char buf[64];
    if (!mt->n)
        return;
    out("\n## Microbenchmarks (ftbench-micro)\n\nNanoseconds per operation "
        "(median over repetitions), and the time ratio to %s with its 95%% "
        "bootstrap CI.\n\n| benchmark |", base_name(t));
    for (int l = 0; l < n; l++)
        if (native(t, l))
            out(" %s |", label(t, l)->label);
    rule(native_count(t, false));
    for (int i = 0; i < mt->n; i++)
        micro_row(t, i);
    out("\n");
    for (int l = 0; l < n; l++)
        if (mt->owned_verdict[l].target)
            out("- %s owned incref+decref: %.2f× %s%s\n", label(t, l)->label,
                mt->owned[l], base_name(t),
                fmt_verdict(mt->owned_verdict[l], buf, sizeof buf));
}

/* ---- 6. Summary ------------------------------------------------------------------ */

/* Its last column names ftbench's three convoy intervals. */
_Static_assert(CMP_CONVOY_INTERVALS == 3, "the summary shows three intervals");

static void summary_section(const cmp_tables *t)
{
    const double *ms = t->convoy.interval_ms;
    out("\n## Summary\n\n| flavor | 1-thread time vs %s (CPU suite) | "
        "2-thread speed-up (CPU suite) | echo req/s beside 1 CPU thread at "
        "%g / %g / %g ms |\n|---|---|---|---|\n", base_name(t), ms[0], ms[1], ms[2]);
    for (int l = 0; l < t->runs->n; l++) {
        const cmp_summary_row *s = &t->summary[l];
        char a[32], b[32], c[CMP_CONVOY_INTERVALS][32];
        if (!native(t, l))
            continue;
        for (int k = 0; k < CMP_CONVOY_INTERVALS; k++)
            fmt_num(c[k], sizeof c[k], s->convoy[k], 0, "");
        out("| %s | %s | %s | %s / %s / %s |\n", label(t, l)->label,
            fmt_num(a, sizeof a, s->overhead, 2, "×"),
            fmt_num(b, sizeof b, s->speedup2, 2, "×"), c[0], c[1], c[2]);
    }
}

/* ---- 7. The Python suite -------------------------------------------------------- */

/* The Python labels: those that ran any program of the suite. */
static bool py_label(const cmp_tables *t, int l)
{
    for (int w = 0; w < t->py.n; w++)
        if (!isnan(t->py.secs[w][l]))
            return true;
    return false;
}

static void py_times(const cmp_tables *t)
{
    const cmp_py *p = &t->py;
    int n = t->runs->n, cols = 0;
    char a[32], b[32];
    out("Median wall time of one process in seconds, spawn to exit (start-up "
        "included), and in parentheses the program's own time of its work "
        "(`work_s`: the threads' run, without start-up and exit).\n\n| program |");
    for (int l = 0; l < n; l++)
        if (py_label(t, l))
            out(" %s |", label(t, l)->label), cols++;
    rule(cols);
    for (int w = 0; w < p->n; w++) {
        out("| %s |", p->prog[w] + 3);
        for (int l = 0; l < n; l++)
            if (py_label(t, l))
                out(" %s (%s) |", fmt_num(a, sizeof a, p->secs[w][l], 3, ""),
                    fmt_num(b, sizeof b, p->work_s[w][l], 3, ""));
        out("\n");
    }
}

static void py_ratios(const cmp_tables *t)
{
    const cmp_py *p = &t->py;
    int n = t->runs->n, cols = 0, base = t->runs->base;
    char buf[64], g[32];
    out("\nTime over %s%s's (median ratio, 95%% bootstrap CI); above 1 is "
        "slower. The last row is the geometric mean over the programs.\n\n"
        "| program |", p->ref >= 0 ? "CPython's and over " : "", base_name(t));
    for (int l = 0; l < n; l++)
        if (py_label(t, l) && l != p->ref && p->ref >= 0)
            out(" %s ÷ %s |", label(t, l)->label, label(t, p->ref)->label), cols++;
    for (int l = 0; l < n; l++)
        if (py_label(t, l) && l != base && l != p->ref)
            out(" %s ÷ %s |", label(t, l)->label, base_name(t)), cols++;
    rule(cols);
    for (int w = 0; w <= p->n; w++) {
        bool geo = w == p->n;
        out(geo ? "| **geometric mean** |" : "| %s |", geo ? "" : p->prog[w] + 3);
        for (int l = 0; l < n; l++)
            if (py_label(t, l) && l != p->ref && p->ref >= 0)
                out(geo ? " **%s** |" : " %s |",
                    geo ? fmt_num(g, sizeof g, p->geo_ref[l], 3, "×")
                        : fmt_ratio(p->vs_ref[w][l], buf, sizeof buf));
        for (int l = 0; l < n; l++)
            if (py_label(t, l) && l != base && l != p->ref)
                out(geo ? " **%s** |" : " %s |",
                    geo ? fmt_num(g, sizeof g, p->geo_base[l], 3, "×")
                        : fmt_ratio(p->vs_base[w][l], buf, sizeof buf));
        out("\n");
    }
    if (p->ref >= 0) {
        out("\nWithout start-up (the geometric mean of `work_s` ÷ CPython's):");
        for (int l = 0; l < n; l++)
            if (py_label(t, l) && l != p->ref)
                out(" %s %s;", label(t, l)->label,
                    fmt_num(g, sizeof g, p->geo_work_ref[l], 3, "×"));
        out("\n");
    }
    out("\nOne thread, %s ÷ %s over the Python suite (the geometric mean of "
        "the process times; of `work_s`, without start-up, in parentheses):",
        "each flavor", base_name(t));
    for (int l = 0; l < n; l++)
        if (py_label(t, l) && l != base && l != p->ref && !isnan(p->geo_base[l]))
            out(" %s %.3f× (%s)%s;", label(t, l)->label, p->geo_base[l],
                fmt_num(g, sizeof g, p->geo_work_base[l], 3, "×"),
                fmt_verdict(p->verdict[l], buf, sizeof buf));
    out("\n");
}

static void py_rss(const cmp_tables *t)
{
    const cmp_py *p = &t->py;
    int n = t->runs->n, cols = 0;
    char a[32];
    out("\nPeak RSS in MiB (the child's rusage maximum, median over the runs); "
        "the last row is the largest of each interpreter over the suite.\n\n"
        "| program |");
    for (int l = 0; l < n; l++)
        if (py_label(t, l))
            out(" %s |", label(t, l)->label), cols++;
    rule(cols);
    for (int w = 0; w <= p->n; w++) {
        bool top = w == p->n;
        out(top ? "| **largest** |" : "| %s |", top ? "" : p->prog[w] + 3);
        for (int l = 0; l < n; l++)
            if (py_label(t, l))
                out(top ? " **%s** |" : " %s |",
                    fmt_num(a, sizeof a, top ? p->rss_max_mb[l] : p->rss_mb[w][l], 1, ""));
        out("\n");
    }
}

static void py_section(const cmp_tables *t)
{
    if (!t->py.n)
        return;
    out("\n## Python programs (bench/py), one thread\n\n");
    py_times(t);
    py_ratios(t);
    py_rss(t);
}

/* ---- 8. The scaling snippets ------------------------------------------------------ */

static void pyscale_section(const cmp_tables *t)
{
    const cmp_pyscale *s = &t->pyscale;
    int n = t->runs->n, cols = 0;
    char buf[64], a[32];
    if (!s->n || s->nthreads < 2)
        return;
    out("\n## Python scaling snippets (bench/py/scaling)\n\nEvery thread runs "
        "the same loop, so N threads over 1 is the speed-up (N: perfect, 1: "
        "none, below 1: contention). Each cell: the ratio of whole-process "
        "throughputs (95%% bootstrap CI), then that of the parallel part alone "
        "(N × p1 / pN, from the snippet's own `parallel_s`).\n\n| snippet |");
    for (int l = 0; l < n; l++)
        for (int k = 1; k < s->nthreads; k++)
            out(" %s %d thr. |", label(t, l)->label, s->threads[k]), cols++;
    rule(cols);
    for (int w = 0; w <= s->n; w++) {
        bool geo = w == s->n;
        out(geo ? "| **geometric mean** |" : "| %s |", geo ? "" : s->snip[w] + 11);
        for (int l = 0; l < n; l++)
            for (int k = 1; k < s->nthreads; k++) {
                if (geo)
                    out(" **%s** /", fmt_num(a, sizeof a, s->geo_proc[l][k], 2, "×"));
                else
                    out(" %s /", fmt_ratio(s->proc[w][l][k], buf, sizeof buf));
                out(" %s |", fmt_num(a, sizeof a, geo ? s->geo_inner[l][k]
                                                     : s->inner[w][l][k], 2, "×"));
            }
        out("\n");
    }
}

/* ---- 9. ftbench-alloc and ftbench-gc ------------------------------------------ */

/* The distinct values of one field of the alloc rows (flavor or
 * backend, by offset), in first-seen order; returns how many. */
static int alloc_distinct(size_t field, const char **out_, int max)
{
    int n = 0;
    for (int i = 0; i < cmp_extras.nalloc; i++) {
        const char *v = *(const char *const *)((const char *)&cmp_extras.alloc[i] + field);
        bool seen = false;
        for (int k = 0; k < n; k++)
            seen |= strcmp(out_[k], v) == 0;
        if (!seen && n < max)
            out_[n++] = v;
    }
    return n;
}

/* The median of flavor f, backend b at row r's scenario and pattern;
 * NaN when not measured. */
static double alloc_find(const cmp_alloc_row *r, const char *f, const char *b)
{
    for (int i = 0; i < cmp_extras.nalloc; i++) {
        const cmp_alloc_row *x = &cmp_extras.alloc[i];
        if (strcmp(x->flavor, f) == 0 && strcmp(x->backend, b) == 0 &&
            strcmp(x->scenario, r->scenario) == 0 && strcmp(x->pattern, r->pattern) == 0)
            return x->median_ns;
    }
    return NAN;
}

/* One row per scenario and pattern (those of the first flavor and
 * backend), one column per flavor and backend. */
static void alloc_section(void)
{
    const char *fl[CMP_MAX_LABELS], *be[8];
    int nf = alloc_distinct(offsetof(cmp_alloc_row, flavor), fl, CMP_MAX_LABELS);
    int nb = alloc_distinct(offsetof(cmp_alloc_row, backend), be, 8);
    char a[32];
    if (!nf)
        return;
    out("\n## Allocators (ftbench-alloc --quick)\n\nMedian nanoseconds per "
        "operation, per flavor and backend.\n\n| scenario | pattern |");
    for (int f = 0; f < nf; f++)
        for (int b = 0; b < nb; b++)
            out(" %s %s |", fl[f], be[b]);
    out("\n|---|---|");
    for (int c = 0; c < nf * nb; c++)
        out("---|");
    out("\n");
    for (int i = 0; i < cmp_extras.nalloc; i++) {
        const cmp_alloc_row *r = &cmp_extras.alloc[i];
        if (strcmp(r->flavor, fl[0]) != 0 || strcmp(r->backend, be[0]) != 0)
            continue;
        out("| %s | %s |", r->scenario, r->pattern);
        for (int f = 0; f < nf; f++)
            for (int b = 0; b < nb; b++)
                out(" %s |", fmt_num(a, sizeof a, alloc_find(r, fl[f], be[b]), 1, ""));
        out("\n");
    }
}

/* One value of a gc summary: a number as given, a string as is. */
static void gc_cell(json_t *v)
{
    if (json_is_number(v))
        out(" %g |", json_number_value(v));
    else if (json_is_string(v))
        out(" %s |", json_string_value(v));
    else
        out(" — |");
}

static void gc_summary_section(void)
{
    if (!cmp_extras.ngc)
        return;
    out("\n## Collector beside a live heap (ftbench-gc --quick --summary)\n\n"
        "Part 3 of ftbench-gc: automatic collections while a loop makes short "
        "cycles beside a live heap (times in ms, RSS in MiB).\n\n| key |");
    for (int g = 0; g < cmp_extras.ngc; g++)
        out(" %s |", cmp_extras.gc_flavor[g]);
    rule(cmp_extras.ngc);
    const char *key;
    json_t *v;
    json_object_foreach(cmp_extras.gc_results[0], key, v) {
        if (strcmp(key, "flavor") == 0)
            continue;
        out("| %s |", key);
        for (int g = 0; g < cmp_extras.ngc; g++)
            gc_cell(json_object_get(cmp_extras.gc_results[g], key));
        out("\n");
    }
}

void cmp_render_md(const cmp_tables *t, FILE *report)
{
    /* A Python-only run (make bench-py) has no column for the C tables. */
    bool c_suite = native_count(t, false) > 0;
    md = report;
    header(t);
    if (c_suite) {
        overhead_section(t);
        scaling_section(t);
        convoy_section(t);
        gc_section(t);
        micro_section(t);
    }
    py_section(t);
    pyscale_section(t);
    alloc_section();
    gc_summary_section();
    if (c_suite)
        summary_section(t);
    md = NULL;
}
