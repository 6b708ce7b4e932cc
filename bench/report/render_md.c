/* render_md.c — the report's text: every table of cmp_tables as Markdown,
 * on the terminal and, with --report, in report.md (the same bytes).
 *
 * Nothing here computes: a ratio, a median or a verdict missing from the
 * tables is printed as a dash, never worked out here.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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
        out("- %s: commit %s, %s, %s, %ld cores, GIL %s (%d file%s)\n", f->label,
            f->commit, f->date, f->cpu, f->cores, f->gil ? "on" : "off", f->nsources,
            f->nsources == 1 ? "" : "s");
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
        if (l != base)
            out(" %s |", label(t, l)->label);
    rule(n - 1);
    for (int w = 0; w < t->nwork; w++) {
        out("| %s |", t->work[w]);
        for (int l = 0; l < n; l++)
            if (l != base)
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
        for (int k = 1; k < s->nthreads; k++)
            out(" %s %d thr. |", label(t, l)->label, s->threads[k]);
    rule(s->nthreads > 1 ? n * (s->nthreads - 1) : 0);
    for (int w = 0; w < t->nwork; w++) {
        out("| %s |", t->work[w]);
        for (int l = 0; l < n; l++)
            for (int k = 1; k < s->nthreads; k++)
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
        out(" %s |", label(t, l)->label);
    rule(n);
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
        for (int k = 0; k < CMP_CONVOY_INTERVALS; k++)
            fmt_num(c[k], sizeof c[k], s->convoy[k], 0, "");
        out("| %s | %s | %s | %s / %s / %s |\n", label(t, l)->label,
            fmt_num(a, sizeof a, s->overhead, 2, "×"),
            fmt_num(b, sizeof b, s->speedup2, 2, "×"), c[0], c[1], c[2]);
    }
}

void cmp_render_md(const cmp_tables *t, FILE *report)
{
    md = report;
    header(t);
    overhead_section(t);
    scaling_section(t);
    convoy_section(t);
    gc_section(t);
    micro_section(t);
    summary_section(t);
    md = NULL;
}
