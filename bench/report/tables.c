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
            if (strcmp(m->kind, "mixed") != 0 && m->threads <= CMP_MAX_THREADS)
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
}
