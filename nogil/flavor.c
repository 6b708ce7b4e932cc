/* nogil/flavor.c — what only the nogil build decides at start-up.
 *
 * Free threading is the default; FT_GIL=1 (like CPython's PYTHON_GIL=1)
 * turns the GIL back on while keeping biased refcounts, per-object locks
 * and the stop-the-world collector, so one binary can separate the cost of
 * the nogil machinery from the effect of running threads in parallel.
 */
#include "internal/tstate.h"

int _ft_flavor_resolve_gil(ft_config *cfg)
{
    if (cfg->gil == -1)
        cfg->gil = 0;
    return 0;
}
