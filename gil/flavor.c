/* gil/flavor.c — what only the gil build decides at start-up.
 *
 * The gil build's object header and refcount inlines assume that attached
 * threads are serialised, so its GIL cannot be turned off.
 */
#include "internal/tstate.h"

int _ft_flavor_resolve_gil(ft_config *cfg)
{
    if (cfg->gil == 0)
        return ft_err_set(FT_ERR_VALUE, "the gil build cannot run without its "
                          "GIL (FT_GIL=0 / ft_config.gil=0); use the nogil "
                          "build for free threading");
    cfg->gil = 1;
    return 0;
}
