/* stats.c — bootstrap ratios and geometric means (see stats.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "../bench_env.h"
#include "stats.h"

/* xorshift64, fixed seed: reports reproduce from the same files. */
static uint64_t rng = 0x853c49e6748fea9bull;

static uint64_t next_rand(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values drawn from v with replacement. */
static double resampled_median(const double *v, int n)
{
    double s[CMP_MAX_SAMPLES];
    for (int i = 0; i < n; i++)
        s[i] = v[next_rand() % (uint64_t)n];
    return ftbench_median(s, n);
}

cmp_ratio cmp_ratio_none(void)
{
    return (cmp_ratio){ NAN, NAN, NAN, false };
}

cmp_ratio cmp_ratio_samples(const double *a, int na, const double *b, int nb)
{
    if (!na || !nb)
        return cmp_ratio_none();
    static double boot[CMP_BOOTSTRAP];
    for (int i = 0; i < CMP_BOOTSTRAP; i++)
        boot[i] = resampled_median(a, na) / resampled_median(b, nb);
    qsort(boot, CMP_BOOTSTRAP, sizeof *boot, cmp_double);
    return (cmp_ratio){
        .r = ftbench_median(a, na) / ftbench_median(b, nb),
        .lo = boot[(int)(CMP_BOOTSTRAP * 0.025)],
        .hi = boot[(int)(CMP_BOOTSTRAP * 0.975) - 1],
        .ok = true,
    };
}

cmp_ratio cmp_ratio_invert(cmp_ratio q)
{
    return (cmp_ratio){ 1 / q.r, 1 / q.hi, 1 / q.lo, q.ok };
}

void cmp_geomean_add(cmp_geomean *g, double value)
{
    g->logsum += log(value);
    g->n++;
}

double cmp_geomean_value(const cmp_geomean *g)
{
    return g->n ? exp(g->logsum / g->n) : NAN;
}
