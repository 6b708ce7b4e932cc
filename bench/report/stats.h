/* stats.h — the statistics of ftbench-compare: ratios of medians with
 * percentile-bootstrap confidence intervals, and geometric means.
 *
 * Every ratio is median(a) / median(b). Its 95% confidence interval comes
 * from a percentile bootstrap: both sample sets are resampled with
 * replacement CMP_BOOTSTRAP times, the ratio of the resampled medians taken
 * each time, and the 2.5th and 97.5th percentiles reported. With the 3 to
 * 11 runs a measurement has, the interval is coarse (it cannot be narrower
 * than the spread of the runs themselves) but honest about noise on a
 * shared machine.
 *
 * The resampling draws from ONE pseudo-random stream with a fixed seed, so
 * a report reproduces exactly from the same files — as long as the ratios
 * are computed in the same order: the order of cmp_ratio_samples calls is
 * part of the output (bench/report/tables.c keeps it: section by section,
 * row by row, label by label).
 */
#ifndef FTLAB_BENCH_REPORT_STATS_H
#define FTLAB_BENCH_REPORT_STATS_H

#include <stdbool.h>

enum {
    CMP_MAX_SAMPLES = 1000,     /* samples one measurement keeps           */
    CMP_BOOTSTRAP = 2000,       /* resamples per ratio                     */
};

/* A ratio of medians and its interval. ok false: one side had no samples
 * (r, lo, hi are NaN). Otherwise lo <= hi, and usually lo <= r <= hi. */
typedef struct cmp_ratio {
    double r, lo, hi;
    bool ok;
} cmp_ratio;

/* median(a[0..na)) / median(b[0..nb)), bootstrapped; na, nb <= CMP_MAX_SAMPLES. */
cmp_ratio cmp_ratio_samples(const double *a, int na, const double *b, int nb);

/* The ratio that is not there: ok false. */
cmp_ratio cmp_ratio_none(void);

/* 1/q: a throughput ratio read as a time ratio (the interval flips). */
cmp_ratio cmp_ratio_invert(cmp_ratio q);

/* A geometric mean built one positive value at a time, in order. */
typedef struct cmp_geomean {
    double logsum;              /* sum of log(value) over the values added */
    int n;                      /* values added                            */
} cmp_geomean;

void cmp_geomean_add(cmp_geomean *g, double value);

/* exp(logsum / n), or NaN when nothing was added. */
double cmp_geomean_value(const cmp_geomean *g);

#endif /* FTLAB_BENCH_REPORT_STATS_H */
