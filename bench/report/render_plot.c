/* render_plot.c — the report's charts: one gnuplot data file per chart
 * (written straight from the tables), report.gp that draws them, and the
 * gnuplot run that makes the PNGs.
 *
 *   overhead.dat   "workload" then one time ratio per non-baseline label
 *   scaling.dat    threads, then each label's CPU-suite speed-up (1 at the
 *                  first count)
 *   convoy.dat     interval in ms, then per label the echo rate alone,
 *                  beside 1 and beside 2 CPU threads (only with convoy runs)
 *   gc.dat         "workload label" p50 p99, in µs
 *
 * A value that was not measured is written as nan, which gnuplot skips.
 * report.gp keeps the labels in an array L so the plot commands stay the
 * same whatever the number of labels. The charts are of the C suite: a
 * label with Python workloads only (CPython) has no column in them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

/* The report's charts, each drawn only when its table has data. */
enum { CMP_CHART_SCALING, CMP_CHART_CONVOY, CMP_CHART_OVERHEAD, CMP_CHART_GC,
       CMP_N_CHARTS };

static const char *base_name(const cmp_tables *t)
{
    return t->runs->labels[t->runs->base].label;
}

static bool native(const cmp_tables *t, int l)
{
    return t->runs->labels[l].native;
}

/* The labels the charts show. */
static int native_count(const cmp_tables *t)
{
    int n = 0;
    for (int l = 0; l < t->runs->n; l++)
        n += native(t, l);
    return n;
}

/* ---- Data files ------------------------------------------------------------------ */

static FILE *data_open(const char *dir, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        cmp_fail("cannot write %s: %s", path, strerror(errno));
    return f;
}

static void data_close(FILE *dat, const char *dir)
{
    if (fclose(dat) != 0)
        cmp_fail("cannot write a data file in %s: %s", dir, strerror(errno));
}

static void overhead_data(const cmp_tables *t, const char *dir)
{
    FILE *dat = data_open(dir, "overhead.dat");
    for (int w = 0; w < t->nwork; w++) {
        fprintf(dat, "\"%s\"", t->work[w]);
        for (int l = 0; l < t->runs->n; l++) {
            cmp_ratio q = t->overhead.time[w][l];
            if (l != t->runs->base && native(t, l))
                fprintf(dat, " %g", q.ok ? q.r : NAN);
        }
        fprintf(dat, "\n");
    }
    data_close(dat, dir);
}

static void scaling_data(const cmp_tables *t, const char *dir)
{
    const cmp_scaling *s = &t->scaling;
    FILE *dat = data_open(dir, "scaling.dat");
    for (int k = 0; k < s->nthreads; k++) {
        fprintf(dat, "%d", s->threads[k]);
        for (int l = 0; l < t->runs->n; l++)
            if (native(t, l))
                fprintf(dat, " %g", s->geomean[l][k]);
        fprintf(dat, "\n");
    }
    data_close(dat, dir);
}

static void convoy_data(const cmp_tables *t, const char *dir)
{
    const cmp_convoy *c = &t->convoy;
    if (!c->any)
        return;
    FILE *dat = data_open(dir, "convoy.dat");
    for (int k = 0; k < CMP_CONVOY_INTERVALS; k++) {
        fprintf(dat, "%g", c->interval_ms[k]);
        for (int l = 0; l < t->runs->n; l++)
            for (int n = 0; n < CMP_CONVOY_CPU && native(t, l); n++)
                fprintf(dat, " %g", c->cell[k][l].rate[n]);
        fprintf(dat, "\n");
    }
    data_close(dat, dir);
}

static void gc_data(const cmp_tables *t, const char *dir)
{
    FILE *dat = data_open(dir, "gc.dat");
    for (int i = 0; i < t->gc.n; i++) {
        const cmp_gc_row *r = &t->gc.rows[i];
        fprintf(dat, "\"%s %s\" %g %g\n", r->workload, r->label, r->p50_us, r->p99_us);
    }
    data_close(dat, dir);
}

void cmp_write_data(const cmp_tables *t, const char *dir)
{
    overhead_data(t, dir);
    scaling_data(t, dir);
    convoy_data(t, dir);
    gc_data(t, dir);
}

/* ---- report.gp ----------------------------------------------------------------- */

static void chart_scaling(const cmp_tables *t, FILE *gp)
{
    fprintf(gp, "set output 'scaling.png'\nset title 'Speed-up over 1 thread "
                "(geomean, CPU-bound suite)'\nset xlabel 'threads'\n"
                "set ylabel 'throughput / throughput at 1 thread'\nset xtics 1\n"
                "plot for [i=1:%d] 'scaling.dat' using 1:(column(i+1)) with "
                "linespoints lw 2 title L[i], x with lines dt 2 lc 'gray' title 'linear'\n",
            native_count(t));
}

static void chart_convoy(const cmp_tables *t, FILE *gp)
{
    const double *ms = t->convoy.interval_ms;
    fprintf(gp, "set output 'convoy.png'\nset title 'Echo requests/s (median) by "
                "switch interval'\nset xlabel 'switch interval (ms)'\nset ylabel "
                "'requests per second'\nset logscale xy\nset xtics (%g, %g, %g)\n"
                "plot for [i=1:%d] 'convoy.dat' using 1:(column(3*i)) with "
                "linespoints lw 2 title L[i].' beside 1 CPU thread', "
                "for [i=1:%d] 'convoy.dat' using 1:(column(3*i-1)) with "
                "linespoints dt 2 title L[i].' alone', "
                "'convoy.dat' using 1:(1000/$1) with lines lc 'black' dt 2 "
                "title '1/interval', "
                "'convoy.dat' using 1:(1000/(2*$1)) with lines lc 'black' dt 3 "
                "title '1/(2 x interval)'\nunset logscale\nset xtics auto\n",
            ms[2], ms[1], ms[0], native_count(t), native_count(t));
}

static void chart_overhead(const cmp_tables *t, FILE *gp)
{
    fprintf(gp, "set output 'overhead.png'\nset title 'Single-thread time relative "
                "to %s'\nset xlabel ''\nset ylabel 'time / %s time'\n"
                "set style data histograms\nset style histogram clustered\n"
                "set style fill solid 0.8\nset xtics rotate by -45\n"
                "set logscale y\nset yrange [0.1:*]\n"
                "plot ", base_name(t), base_name(t));
    for (int l = 0, col = 2; l < t->runs->n; l++) {
        if (l == t->runs->base || !native(t, l))
            continue;
        fprintf(gp, "%s'overhead.dat' using %d:xtic(1) title '%s'",
                col == 2 ? "" : ", ", col, t->runs->labels[l].label);
        col++;
    }
    fprintf(gp, ", 1 with lines lc 'black' dt 2 notitle\n"
                "unset logscale\nset yrange [*:*]\nset xtics norotate\n");
}

static void chart_gc(const cmp_tables *t, FILE *gp)
{
    (void)t;
    fprintf(gp, "set output 'gc_pauses.png'\nset title 'Cycle-collector pauses "
                "(1 thread)'\nset ylabel 'microseconds'\nset logscale y\n"
                "set style data histograms\nset style histogram clustered\n"
                "set style fill solid 0.8\n"
                "plot 'gc.dat' using 2:xtic(1) title 'p50', '' using 3 title 'p99'\n");
}

/* The charts in the order report.gp draws them and report.md shows them. */
static const struct chart {
    const char *png, *alt;
    void (*draw)(const cmp_tables *t, FILE *gp);
} chart_list[CMP_N_CHARTS] = {
    [CMP_CHART_SCALING] = { "scaling.png", "speed-up", chart_scaling },
    [CMP_CHART_CONVOY] = { "convoy.png", "convoy", chart_convoy },
    [CMP_CHART_OVERHEAD] = { "overhead.png", "single-thread overhead", chart_overhead },
    [CMP_CHART_GC] = { "gc_pauses.png", "GC pauses", chart_gc },
};

/* Which charts have data. */
static void charts_with_data(const cmp_tables *t, bool has[CMP_N_CHARTS])
{
    has[CMP_CHART_SCALING] = t->scaling.chart;
    has[CMP_CHART_CONVOY] = t->convoy.any;
    has[CMP_CHART_OVERHEAD] = t->overhead.chart;
    has[CMP_CHART_GC] = t->gc.n > 0;
}

static void write_gp(const cmp_tables *t, FILE *gp)
{
    bool has[CMP_N_CHARTS];
    charts_with_data(t, has);
    fprintf(gp, "# Made by " CMP_PROG "; run `gnuplot report.gp` in this folder.\n"
                "set terminal pngcairo size 900,540 noenhanced\n"
                "set grid\nset key below\n"
                "array L[%d] = [", native_count(t));
    for (int l = 0, k = 0; l < t->runs->n; l++)
        if (native(t, l))
            fprintf(gp, "%s\"%s\"", k++ ? ", " : "", t->runs->labels[l].label);
    fprintf(gp, "]\n");
    for (int c = 0; c < CMP_N_CHARTS; c++)
        if (has[c])
            chart_list[c].draw(t, gp);
}

/* Whether any chart has data (a Python-only run has none). */
static bool any_chart(const cmp_tables *t)
{
    bool has[CMP_N_CHARTS], any = false;
    charts_with_data(t, has);
    for (int c = 0; c < CMP_N_CHARTS; c++)
        any |= has[c];
    return any;
}

bool cmp_draw_charts(const cmp_tables *t, const char *dir)
{
    char path[600];
    if (!any_chart(t))
        return true;
    snprintf(path, sizeof path, "%s/report.gp", dir);
    FILE *gp = fopen(path, "w");
    if (!gp)
        cmp_fail("cannot write %s: %s", path, strerror(errno));
    write_gp(t, gp);
    fclose(gp);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot report.gp", dir);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, CMP_PROG ": gnuplot failed or is missing (status %d): the "
                                 "report has tables but no charts\n", rc);
    return rc == 0;
}

void cmp_render_chart_links(const cmp_tables *t, FILE *md, bool drawn)
{
    bool has[CMP_N_CHARTS];
    charts_with_data(t, has);
    if (!any_chart(t))
        return;
    fprintf(md, "\n## Charts\n\n");
    for (int c = 0; drawn && c < CMP_N_CHARTS; c++)
        if (has[c])
            fprintf(md, "![%s](%s)\n\n", chart_list[c].alt, chart_list[c].png);
    if (!drawn)
        fprintf(md, "(gnuplot failed: no charts; the data is in the .dat files)\n");
}
