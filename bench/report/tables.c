/* tables.c — every number of the report, computed from the loaded runs
 * before anything is rendered (the tables of model.h).
 *
 * The sections are computed in the order the report shows them, each
 * row by row and label by label: the bootstrap draws from one stream
 * (stats.h), so this order is what makes a report reproduce.
 */
#include <math.h>
#include <string.h>
#include "../bench_env.h"
#include "model.h"

bool cmp_is_snippet(const char *workload)
{
    return strncmp(workload, "py:scaling:", 11) == 0;
}

bool cmp_is_contention(const char *workload)
{
    return strncmp(workload, "shared-", 7) == 0 || strncmp(workload, "private-", 8) == 0;
}

/* Throughput of a over throughput of b. */
static cmp_ratio ratio_of(const cmp_meas *a, const cmp_meas *b)
{
    if (!a || !b)
        return cmp_ratio_none();
    return cmp_ratio_samples(a->tput, a->n, b->tput, b->n);
}

/* Appends the workloads of kind `kind` to t->work, in the order of the
 * first label that has them; returns how many. */
static int add_workloads(cmp_tables *t, const char *kind)
{
    const cmp_runs *runs = t->runs;
    int first = t->nwork;
    for (int l = 0; l < runs->n; l++)
        for (int i = 0; i < runs->labels[l].nm; i++) {
            const cmp_meas *m = &runs->labels[l].m[i];
            bool seen = false;
            for (int k = first; k < t->nwork; k++)
                seen |= strcmp(t->work[k], m->workload) == 0;
            if (!seen && strcmp(m->kind, kind) == 0 && t->nwork < CMP_MAX_WORKLOADS)
                t->work[t->nwork++] = m->workload;
        }
    return t->nwork - first;
}

/* ---- 1. Single-thread overhead ----------------------------------------------- */

static void overhead(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    const cmp_label *base = &runs->labels[runs->base];
    cmp_geomean g[CMP_MAX_LABELS] = { { 0 } };
    for (int w = 0; w < t->nwork; w++) {
        const cmp_meas *b = cmp_find(base, t->work[w], 1, 0);
        for (int l = 0; l < runs->n; l++) {
            cmp_ratio *q = &t->overhead.time[w][l];
            *q = cmp_ratio_none();
            if (l == runs->base)
                continue;
            *q = cmp_ratio_invert(ratio_of(cmp_find(&runs->labels[l], t->work[w], 1, 0), b));
            t->overhead.chart |= q->ok;
            if (q->ok && !cmp_is_contention(t->work[w]) && strcmp(b->kind, "cpu") == 0)
                cmp_geomean_add(&g[l], q->r);
        }
    }
    for (int l = 0; l < runs->n; l++) {
        t->overhead.geomean[l] = l == runs->base ? NAN : cmp_geomean_value(&g[l]);
        t->summary[l].overhead = l == runs->base ? 1.0 : t->overhead.geomean[l];
    }
}

/* ---- 2. Scaling ---------------------------------------------------------------- */

/* The thread counts of the cpu and io measurements, ascending. */
static void thread_counts(cmp_scaling *s, const cmp_runs *runs)
{
    bool seen[CMP_MAX_THREADS + 1] = { false };
    for (int l = 0; l < runs->n; l++)
        for (int i = 0; i < runs->labels[l].nm; i++) {
            const cmp_meas *m = &runs->labels[l].m[i];
            if ((strcmp(m->kind, "cpu") == 0 || strcmp(m->kind, "io") == 0) &&
                m->threads <= CMP_MAX_THREADS)
                seen[m->threads] = true;
        }
    for (int n = 1; n <= CMP_MAX_THREADS; n++)
        if (seen[n] && s->nthreads < CMP_MAX_COUNTS)
            s->threads[s->nthreads++] = n;
}

static void scaling(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    cmp_scaling *s = &t->scaling;
    thread_counts(s, runs);
    cmp_geomean g[CMP_MAX_LABELS][CMP_MAX_COUNTS] = { { { 0 } } };
    for (int w = 0; w < t->nwork; w++)
        for (int l = 0; l < runs->n; l++)
            for (int k = 1; k < s->nthreads; k++) {
                const cmp_label *lab = &runs->labels[l];
                const cmp_meas *one = cmp_find(lab, t->work[w], s->threads[0], 0);
                const cmp_meas *m = cmp_find(lab, t->work[w], s->threads[k], 0);
                cmp_ratio q = ratio_of(m, one);
                s->speedup[w][l][k] = q;
                if (q.ok && !cmp_is_contention(t->work[w]) && strcmp(m->kind, "cpu") == 0)
                    cmp_geomean_add(&g[l][k], q.r);
            }
    for (int l = 0; l < runs->n; l++)
        for (int k = 0; k < s->nthreads; k++) {
            s->geomean[l][k] = k == 0 ? 1.0 : cmp_geomean_value(&g[l][k]);
            if (k > 0 && s->threads[k] == 2 && g[l][k].n)
                t->summary[l].speedup2 = s->geomean[l][k];
        }
    s->chart = s->nthreads > 1;
}

/* ---- 3. The convoy effect ----------------------------------------------------- */

static void convoy_cell(cmp_convoy_cell *c, const cmp_label *lab, long interval_us)
{
    const cmp_meas *m[CMP_CONVOY_CPU];
    for (int n = 0; n < CMP_CONVOY_CPU; n++) {
        m[n] = cmp_find(lab, "convoy", n, interval_us);
        c->rate[n] = m[n] ? ftbench_median(m[n]->tput, m[n]->n) : NAN;
    }
    c->alone = m[0] != NULL;
    c->kept = c->alone ? ratio_of(m[1], m[0]) : cmp_ratio_none();
    c->cpu_mfloats = cmp_metric(m[1], "cpu_floats_per_s") / 1e6;
}

static void convoy(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    cmp_convoy *c = &t->convoy;
    for (int k = 0; k < CMP_CONVOY_INTERVALS; k++) {
        c->interval_ms[k] = ftbench_convoy_intervals_us[k] / 1000.0;
        c->per_interval[k] = 1e6 / (double)ftbench_convoy_intervals_us[k];
    }
    for (int l = 0; l < runs->n; l++)
        c->any |= cmp_find(&runs->labels[l], "convoy", 0, 0) != NULL;
    if (!c->any)
        return;
    for (int k = 0; k < CMP_CONVOY_INTERVALS; k++) {
        for (int l = 0; l < runs->n; l++) {
            convoy_cell(&c->cell[k][l], &runs->labels[l], ftbench_convoy_intervals_us[k]);
            t->summary[l].convoy[k] = c->cell[k][l].rate[1];
        }
    }
}

/* ---- 4. GC pauses --------------------------------------------------------------- */

static void gc(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    for (int w = 0; w < t->ncpu; w++)
        for (int l = 0; l < runs->n; l++) {
            const cmp_meas *m = cmp_find(&runs->labels[l], t->work[w], 1, 0);
            if (!m || isnan(cmp_metric(m, "gc_pause_max_ns")))
                continue;
            t->gc.rows[t->gc.n++] = (cmp_gc_row){
                .workload = t->work[w],
                .label = runs->labels[l].label,
                .collections = cmp_metric(m, "gc_collections"),
                .p50_us = cmp_metric(m, "gc_pause_p50_ns") / 1e3,
                .p99_us = cmp_metric(m, "gc_pause_p99_ns") / 1e3,
                .max_us = cmp_metric(m, "gc_pause_max_ns") / 1e3,
            };
        }
}

/* ---- 5. Microbenchmarks --------------------------------------------------------- */

/* The first label with microbenchmarks, or NULL. */
static const cmp_label *micro_reference(const cmp_runs *runs)
{
    for (int l = 0; l < runs->n; l++)
        if (runs->labels[l].nmicro)
            return &runs->labels[l];
    return NULL;
}

/* l's time for `name` over the baseline's; not ok for the baseline itself
 * or when either lacks the benchmark. */
static cmp_ratio micro_time(const cmp_runs *runs, int l, const char *name)
{
    const cmp_micro *m = cmp_find_micro(&runs->labels[l], name);
    const cmp_micro *b = cmp_find_micro(&runs->labels[runs->base], name);
    if (l == runs->base || !m || !b)
        return cmp_ratio_none();
    return cmp_ratio_samples(m->ns, m->n, b->ns, b->n);
}

static void micro(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    cmp_micro_table *mt = &t->micro;
    const cmp_label *ref = micro_reference(runs);
    for (int i = 0; ref && i < ref->nmicro; i++) {
        mt->name[mt->n] = ref->micro[i].name;
        for (int l = 0; l < runs->n; l++) {
            const cmp_micro *m = cmp_find_micro(&runs->labels[l], mt->name[mt->n]);
            mt->median_ns[mt->n][l] = m ? ftbench_median(m->ns, m->n) : NAN;
            mt->time[mt->n][l] = micro_time(runs, l, mt->name[mt->n]);
        }
        mt->n++;
    }
    for (int l = 0; ref && l < runs->n; l++)
        mt->owned[l] = micro_time(runs, l, "refcount/owned").r;
}

/* ---- 7. The Python suite ------------------------------------------------------- */

/* The py workloads, snippets or not, in the order of the first label that
 * has them. */
static int py_workloads(const cmp_runs *runs, bool snippets, const char **out)
{
    int n = 0;
    for (int l = 0; l < runs->n; l++)
        for (int i = 0; i < runs->labels[l].nm; i++) {
            const cmp_meas *m = &runs->labels[l].m[i];
            bool seen = false;
            for (int k = 0; k < n; k++)
                seen |= strcmp(out[k], m->workload) == 0;
            if (!seen && strcmp(m->kind, "py") == 0 &&
                cmp_is_snippet(m->workload) == snippets && n < CMP_MAX_WORKLOADS)
                out[n++] = m->workload;
        }
    return n;
}

static int label_named(const cmp_runs *runs, const char *name)
{
    for (int l = 0; l < runs->n; l++)
        if (strcmp(runs->labels[l].label, name) == 0)
            return l;
    return -1;
}

static double median_secs(const cmp_meas *m)
{
    return m ? m->work / ftbench_median(m->tput, m->n) : NAN;
}

/* Adds a / b to g when both are measured. */
static void add_quotient(cmp_geomean *g, double a, double b)
{
    if (!isnan(a) && !isnan(b) && a > 0 && b > 0)
        cmp_geomean_add(g, a / b);
}

static void py_row(cmp_py *p, const cmp_runs *runs, int w, cmp_geomean *g_ref,
                   cmp_geomean *g_base, cmp_geomean *g_work, cmp_geomean *g_work_ref)
{
    const cmp_meas *ref = p->ref >= 0 ? cmp_find(&runs->labels[p->ref], p->prog[w], 1, 0)
                                      : NULL;
    const cmp_meas *base = cmp_find(&runs->labels[runs->base], p->prog[w], 1, 0);
    for (int l = 0; l < runs->n; l++) {
        const cmp_meas *m = cmp_find(&runs->labels[l], p->prog[w], 1, 0);
        p->secs[w][l] = median_secs(m);
        p->work_s[w][l] = cmp_metric(m, "work_s");
        p->rss_mb[w][l] = cmp_metric(m, "max_rss_kb") / 1024;
        if (p->rss_mb[w][l] > p->rss_max_mb[l] || isnan(p->rss_max_mb[l]))
            p->rss_max_mb[l] = p->rss_mb[w][l];
        p->vs_ref[w][l] = l == p->ref ? cmp_ratio_none()
                                      : cmp_ratio_invert(ratio_of(m, ref));
        p->vs_base[w][l] = l == runs->base ? cmp_ratio_none()
                                           : cmp_ratio_invert(ratio_of(m, base));
        if (p->vs_ref[w][l].ok)
            cmp_geomean_add(&g_ref[l], p->vs_ref[w][l].r);
        if (p->vs_base[w][l].ok)
            cmp_geomean_add(&g_base[l], p->vs_base[w][l].r);
        if (l != runs->base)
            add_quotient(&g_work[l], p->work_s[w][l], cmp_metric(base, "work_s"));
        if (l != p->ref)
            add_quotient(&g_work_ref[l], p->work_s[w][l], cmp_metric(ref, "work_s"));
    }
}

static void py_suite(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    cmp_py *p = &t->py;
    p->n = py_workloads(runs, false, p->prog);
    p->ref = label_named(runs, "cpython");
    cmp_geomean g_ref[CMP_MAX_LABELS] = { { 0 } }, g_base[CMP_MAX_LABELS] = { { 0 } },
                g_work[CMP_MAX_LABELS] = { { 0 } }, g_work_ref[CMP_MAX_LABELS] = { { 0 } };
    for (int l = 0; l < runs->n; l++)
        p->rss_max_mb[l] = NAN;
    for (int w = 0; w < p->n; w++)
        py_row(p, runs, w, g_ref, g_base, g_work, g_work_ref);
    for (int l = 0; l < runs->n; l++) {
        p->geo_ref[l] = cmp_geomean_value(&g_ref[l]);
        p->geo_base[l] = cmp_geomean_value(&g_base[l]);
        p->geo_work_base[l] = cmp_geomean_value(&g_work[l]);
        p->geo_work_ref[l] = cmp_geomean_value(&g_work_ref[l]);
    }
}

/* ---- 8. The scaling snippets ---------------------------------------------------- */

static void py_thread_counts(cmp_pyscale *s, const cmp_runs *runs)
{
    bool seen[CMP_MAX_THREADS + 1] = { false };
    for (int l = 0; l < runs->n; l++)
        for (int i = 0; i < runs->labels[l].nm; i++) {
            const cmp_meas *m = &runs->labels[l].m[i];
            if (cmp_is_snippet(m->workload) && m->threads <= CMP_MAX_THREADS)
                seen[m->threads] = true;
        }
    for (int n = 1; n <= CMP_MAX_THREADS; n++)
        if (seen[n] && s->nthreads < CMP_MAX_COUNTS)
            s->threads[s->nthreads++] = n;
}

static void py_scaling(cmp_tables *t)
{
    const cmp_runs *runs = t->runs;
    cmp_pyscale *s = &t->pyscale;
    s->n = py_workloads(runs, true, s->snip);
    py_thread_counts(s, runs);
    for (int l = 0; l < runs->n; l++)
        for (int k = 1; k < s->nthreads; k++) {
            cmp_geomean gp = { 0 }, gi = { 0 };
            for (int w = 0; w < s->n; w++) {
                const cmp_meas *one = cmp_find(&runs->labels[l], s->snip[w], s->threads[0], 0);
                const cmp_meas *m = cmp_find(&runs->labels[l], s->snip[w], s->threads[k], 0);
                s->proc[w][l][k] = ratio_of(m, one);
                /* Every thread does one's work: N p1 / pN. */
                s->inner[w][l][k] = s->threads[k] / (double)s->threads[0] *
                                    cmp_metric(one, "parallel_s") /
                                    cmp_metric(m, "parallel_s");
                if (s->proc[w][l][k].ok)
                    cmp_geomean_add(&gp, s->proc[w][l][k].r);
                if (!isnan(s->inner[w][l][k]) && s->inner[w][l][k] > 0)
                    cmp_geomean_add(&gi, s->inner[w][l][k]);
            }
            s->geo_proc[l][k] = cmp_geomean_value(&gp);
            s->geo_inner[l][k] = cmp_geomean_value(&gi);
        }
}

/* ---- All of them -------------------------------------------------------------------- */

void cmp_tables_compute(cmp_tables *t, const cmp_runs *runs)
{
    memset(t, 0, sizeof *t);
    t->runs = runs;
    for (int l = 0; l < CMP_MAX_LABELS; l++) {
        t->summary[l] = (cmp_summary_row){ NAN, NAN, { NAN, NAN, NAN } };
        t->micro.owned[l] = NAN;
    }
    t->ncpu = add_workloads(t, "cpu");
    add_workloads(t, "io");
    overhead(t);
    scaling(t);
    convoy(t);
    gc(t);
    micro(t);
    py_suite(t);
    py_scaling(t);
}
