/* bench_env.c — see bench_env.h. */
#include <stdio.h>
#include <string.h>
#include "bench_env.h"

void ftbench_read_commit(char *out, size_t len)
{
    snprintf(out, len, "unknown");
    FILE *p = popen("git -C '" FTBENCH_SOURCE_DIR "' describe --always --dirty "
                    "--abbrev=12 2>/dev/null", "r");
    if (!p)
        return;
    if (fgets(out, (int)len, p))
        out[strcspn(out, "\n")] = '\0';
    if (pclose(p) != 0 || !out[0])
        snprintf(out, len, "unknown");
}
