/* micro.h — the C side of ftbench-micro-<flavor>, as seen by shim.cc.
 *
 * No ftlab header here: they use C11 _Atomic, which C++ cannot read. The
 * shim sees an opaque context and functions that each run FTM_BATCH
 * operations, so the benchmark loop's own cost (about a nanosecond) is
 * spread over a hundred of them.
 *
 * Contract: every function runs on the thread that called ftm_start (the
 * benchmark's main thread, attached to the runtime); ftm_stop aborts when
 * the runtime reports a leaked thread, block or object.
 */
#ifndef FTBENCH_MICRO_H
#define FTBENCH_MICRO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { FTM_BATCH = 100 };

typedef struct ftm_ctx ftm_ctx;

/* ft_init (FT_MALLOC etc. from the environment) and the objects the
 * benchmarks use; exits with a message on failure. */
ftm_ctx *ftm_start(void);
/* Releases them, joins the helper thread, ft_fini; aborts on leaks. */
void ftm_stop(ftm_ctx *c);

const char *ftm_flavor(void);
const char *ftm_allocator(void);
const char *ftm_commit(void);   /* git describe of the source tree */

/* One call = FTM_BATCH operations. */
void ftm_incref_decref_owned(ftm_ctx *c);
void ftm_incref_decref_shared(ftm_ctx *c);
void ftm_incref_decref_immortal(ftm_ctx *c);
void ftm_malloc_free(ftm_ctx *c, size_t size);
void ftm_int_new_free(ftm_ctx *c);
void ftm_float_new_free(ftm_ctx *c);
void ftm_checkpoint(ftm_ctx *c);

#ifdef __cplusplus
}
#endif

#endif /* FTBENCH_MICRO_H */
