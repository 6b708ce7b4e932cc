/* compare.c — ftbench-compare: turns ftbench JSON files (schema ftbench/1,
 * see bench/ftbench.h) from different flavors or allocators into ratios,
 * a terminal summary, and with --report DIR a Markdown report with
 * gnuplot charts.
 *
 *   ftbench-compare [--baseline LABEL] [--report DIR] FILE.json...
 *
 * FILE.json is ftbench's (schema ftbench/1) or ftbench-micro's Google
 * Benchmark output (its context names the flavor): the microbenchmarks
 * get their own table, with the refcount targets of bench/report/targets.h.
 *
 * Each file belongs to a "label": its flavor, plus "/allocator" when that
 * is not obmalloc; files with the same label merge. The baseline (default:
 * gil, else the first label) is what single-thread overheads are relative
 * to. Every ratio is a ratio of medians with a bootstrap interval
 * (stats.h; docs/architecture.md, "Benchmarks and papers").
 *
 * This file is the pipeline drawn in model.h: the options, then load.c,
 * tables.c, judge.c, render_md.c and render_plot.c, in that order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "../bench_env.h"
#include "../cli.h"
#include "model.h"

void cmp_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ftbench_vfail(CMP_PROG, fmt, ap);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: " CMP_PROG " [--baseline LABEL] [--report DIR] FILE.json...\n"
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

/* The index of label `name`, or -1. */
static int label_index(const cmp_runs *runs, const char *name)
{
    int found = -1;
    for (int l = 0; l < runs->n; l++)
        if (strcmp(runs->labels[l].label, name) == 0)
            found = l;
    return found;
}

/* --baseline's label (which must exist), else gil's, else the first. */
static int choose_base(const cmp_runs *runs, const char *baseline)
{
    int base = label_index(runs, baseline ? baseline : "gil");
    if (baseline && base < 0)
        cmp_fail("no file is labelled '%s'", baseline);
    return base < 0 ? 0 : base;
}

/* Makes dir and opens dir/report.md. */
static FILE *open_report(const char *dir)
{
    char path[600];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        cmp_fail("cannot make %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/report.md", dir);
    FILE *md = fopen(path, "w");
    if (!md)
        cmp_fail("cannot write %s: %s", path, strerror(errno));
    return md;
}

static cmp_runs runs;           /* large: the samples of every file        */
static cmp_tables tables;

int main(int argc, char **argv)
{
    const char *baseline = NULL;
    char outdir[512] = "";
    ftcli c = ftcli_start(CMP_PROG, usage, argc, argv, 1);
    while (ftcli_next(&c)) {
        if (ftcli_option(&c, "--baseline"))
            baseline = c.value;
        else if (ftcli_option(&c, "--report"))
            snprintf(outdir, sizeof outdir, "%s", c.value);
        else if (c.arg[0] == '-')
            ftcli_unknown(&c);
        else
            cmp_load_file(&runs, c.arg);
    }
    if (runs.n < 1)
        ftcli_error(&c, "no FILE.json given");
    runs.base = choose_base(&runs, baseline);
    FILE *md = outdir[0] ? open_report(outdir) : NULL;
    cmp_tables_compute(&tables, &runs);
    cmp_judge(&tables);
    cmp_render_md(&tables, md);
    if (md) {
        cmp_write_data(&tables, outdir);
        cmp_render_chart_links(&tables, md, cmp_draw_charts(&tables, outdir));
        fclose(md);
        printf("\nreport: %s/report.md\n", outdir);
    }
    cmp_runs_free(&runs);
    return 0;
}
