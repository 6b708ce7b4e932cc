/* bench_env.h — what every ftlab benchmark reports about where it ran. */
#ifndef FTLAB_BENCH_ENV_H
#define FTLAB_BENCH_ENV_H

#include <stddef.h>

/* The source tree's commit at run time ("-dirty" when it has changes),
 * "unknown" outside a git checkout. Call before starting threads. */
void ftbench_read_commit(char *out, size_t len);

#endif /* FTLAB_BENCH_ENV_H */
