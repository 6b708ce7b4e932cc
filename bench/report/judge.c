/* judge.c — the verdicts of the report: which target of targets.h applies
 * to which number of the tables, and whether it is met. Nothing else in
 * ftbench-compare names a threshold.
 *
 *   single-thread overhead (CPU geomean)   flavor nogil       NOGIL_OVERHEAD
 *   the same on the Python suite           flavor nogil       NOGIL_PY_OVERHEAD
 *     (PEP 703's 5-6% was measured on pyperformance: Python programs)
 *   speed-up at 2 threads (CPU geomean)    GIL on             GIL_SCALING
 *                                          GIL off            NOGIL_SCALING
 *   refcount/owned time over the baseline  flavor nogil       NOGIL_OWNED_RC
 *                                          flavor nogil-atomic ATOMIC_OWNED_RC
 *
 * The convoy target (NOGIL_CONVOY) is stated under its table for the reader
 * to hold the rates against; the report prints no verdict for it.
 */
#include <math.h>
#include <string.h>
#include "model.h"

/* The verdict of `value` against target id; no target for a NaN. */
static cmp_verdict judge(ftbench_target_id id, double value)
{
    if (isnan(value))
        return (cmp_verdict){ NULL, false };
    const ftbench_target *t = ftbench_target_get(id);
    return (cmp_verdict){ t, ftbench_target_met(t, value) };
}

static bool is_flavor(const cmp_label *l, const char *flavor)
{
    return strcmp(l->flavor, flavor) == 0;
}

static void judge_overhead(cmp_tables *t)
{
    for (int l = 0; l < t->runs->n; l++)
        if (is_flavor(&t->runs->labels[l], "nogil"))
            t->overhead.verdict[l] = judge(FTBENCH_T_NOGIL_OVERHEAD, t->overhead.geomean[l]);
}

static void judge_py(cmp_tables *t)
{
    for (int l = 0; l < t->runs->n; l++)
        if (is_flavor(&t->runs->labels[l], "nogil") && l != t->runs->base)
            t->py.verdict[l] = judge(FTBENCH_T_NOGIL_PY_OVERHEAD, t->py.geo_base[l]);
}

static void judge_scaling(cmp_tables *t)
{
    const cmp_scaling *s = &t->scaling;
    for (int l = 0; l < t->runs->n; l++)
        for (int k = 1; k < s->nthreads; k++)
            if (s->threads[k] == 2)
                t->scaling.verdict[l][k] =
                    judge(t->runs->labels[l].gil ? FTBENCH_T_GIL_SCALING
                                                 : FTBENCH_T_NOGIL_SCALING,
                          s->geomean[l][k]);
}

static void judge_micro(cmp_tables *t)
{
    for (int l = 0; l < t->runs->n; l++) {
        const cmp_label *lab = &t->runs->labels[l];
        if (is_flavor(lab, "nogil"))
            t->micro.owned_verdict[l] = judge(FTBENCH_T_NOGIL_OWNED_RC, t->micro.owned[l]);
        else if (is_flavor(lab, "nogil-atomic"))
            t->micro.owned_verdict[l] = judge(FTBENCH_T_ATOMIC_OWNED_RC, t->micro.owned[l]);
    }
}

void cmp_judge(cmp_tables *t)
{
    t->convoy.nogil_kept = ftbench_target_get(FTBENCH_T_NOGIL_CONVOY);
    judge_overhead(t);
    judge_scaling(t);
    judge_micro(t);
    judge_py(t);
}
