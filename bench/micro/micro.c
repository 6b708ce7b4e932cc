/* micro.c — the operations ftbench-micro-<flavor> measures
 * (docs/architecture.md, "Benchmarks and papers").
 *
 * Compiled once per flavor against that flavor's headers, so the inline
 * refcount fast paths of ftlab/refcount.h are the ones under test; shim.cc
 * only times these functions with Google Benchmark.
 *
 * Objects under test
 *   owned     an int made by the benchmark (main) thread: in nogil the
 *             owner's relaxed load + store on ob_ref_local
 *   shared    an int made by a helper thread that stays alive, detached,
 *             until ftm_stop: in nogil the main thread is a non-owner and
 *             takes the atomic ob_ref_shared path (an add, then a CAS in
 *             _ft_decref_shared); the shared count never goes below zero,
 *             so nothing is queued to the helper
 *   immortal  None: skipped by every flavor
 *
 * Why a compiler barrier after each incref and decref. Both are inline
 * and, in the gil flavor, plain stores: without the barrier the compiler
 * may fold `++n; --n` to nothing and the whole batch to one load. Real
 * code has calls and other memory traffic between an incref and its
 * decref, so each store is forced out and each load redone, as there.
 * The barrier emits no instruction. The nogil flavors' relaxed atomics
 * would not be folded by GCC anyway; the barrier keeps the three flavors
 * compiled alike.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftlab.h>
#include "micro.h"
#include "../bench_env.h"

#define ftm_barrier() __asm__ volatile("" ::: "memory")

/* Above the small-int cache (-5..256), so each is a counted heap object. */
enum { OWNED_VALUE = 100000, SHARED_VALUE = 100001, CHURN_VALUE = 1000000 };

struct ftm_ctx {
    ft_object *owned;
    ft_object *shared;         /* the helper's reference; borrowed here   */
    ft_thread *helper;
    pthread_mutex_t lock;      /* guards shared_ready and stop            */
    pthread_cond_t cond;
    int shared_ready;          /* the helper published `shared`          */
    int stop;                  /* ftm_stop: the helper may release it    */
    char commit[64];
};

static ftm_ctx ctx = { .lock = PTHREAD_MUTEX_INITIALIZER,
                       .cond = PTHREAD_COND_INITIALIZER };

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "ftbench-micro-%s: %s: %s\n", FT_FLAVOR, what,
            ft_err_occurred() ? ft_err_message() : "failed");
    exit(1);
}

/* ---- The helper thread that owns `shared` ------------------------------ */

static void helper_main(void *arg)
{
    ftm_ctx *c = arg;
    ft_object *o = ft_int_from_i64(SHARED_VALUE);
    /* Detached while it waits: in the gil flavor it must not hold the GIL
     * the main thread runs the benchmarks under. */
    FT_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&c->lock);
    c->shared = o;
    c->shared_ready = 1;
    pthread_cond_broadcast(&c->cond);
    while (!c->stop)
        pthread_cond_wait(&c->cond, &c->lock);
    pthread_mutex_unlock(&c->lock);
    FT_END_ALLOW_THREADS
    ft_xdecref(o);
}

static void start_helper(ftm_ctx *c)
{
    if (!(c->helper = ft_thread_start(helper_main, c)))
        die("ft_thread_start");
    FT_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&c->lock);
    while (!c->shared_ready)
        pthread_cond_wait(&c->cond, &c->lock);
    pthread_mutex_unlock(&c->lock);
    FT_END_ALLOW_THREADS
    if (!c->shared)
        die("helper thread: ft_int_from_i64");
}

static void stop_helper(ftm_ctx *c)
{
    pthread_mutex_lock(&c->lock);
    c->stop = 1;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    if (ft_thread_join(c->helper) != 0)
        die("ft_thread_join");
}

/* ---- Start and stop ----------------------------------------------------- */

ftm_ctx *ftm_start(void)
{
    ftbench_read_commit(ctx.commit, sizeof ctx.commit);   /* before any thread */
    if (ft_init(NULL) != 0)
        die("ft_init");
    if (!(ctx.owned = ft_int_from_i64(OWNED_VALUE)))
        die("ft_int_from_i64");
    start_helper(&ctx);
    return &ctx;
}

void ftm_stop(ftm_ctx *c)
{
    ft_decref(c->owned);
    stop_helper(c);
    ft_fini_report rep;
    if (ft_fini(&rep) != 0)
        die("ft_fini");
    if (rep.threads || rep.blocks || rep.objects) {
        fprintf(stderr, "ftbench-micro-%s: ft_fini reports %zu threads, "
                "%lld blocks (%lld bytes), %lld objects still alive\n",
                FT_FLAVOR, rep.threads, (long long)rep.blocks,
                (long long)rep.bytes, (long long)rep.objects);
        abort();
    }
}

const char *ftm_flavor(void) { return ft_flavor(); }
const char *ftm_allocator(void) { return ft_allocator_name(); }
const char *ftm_commit(void) { return ctx.commit; }

/* ---- Measured operations: FTM_BATCH each -------------------------------- */

static void incref_decref_batch(ft_object *o)
{
    for (int i = 0; i < FTM_BATCH; i++) {
        ft_incref(o);
        ftm_barrier();
        ft_decref(o);
        ftm_barrier();
    }
}

void ftm_incref_decref_owned(ftm_ctx *c) { incref_decref_batch(c->owned); }
void ftm_incref_decref_shared(ftm_ctx *c) { incref_decref_batch(c->shared); }
void ftm_incref_decref_immortal(ftm_ctx *c)
{
    (void)c;
    incref_decref_batch(ft_none());
}

void ftm_malloc_free(ftm_ctx *c, size_t size)
{
    (void)c;
    for (int i = 0; i < FTM_BATCH; i++) {
        void *p = ft_malloc(size);
        if (!p)
            die("ft_malloc");
        ft_free(p);
    }
}

void ftm_int_new_free(ftm_ctx *c)
{
    (void)c;
    for (int i = 0; i < FTM_BATCH; i++) {
        ft_object *o = ft_int_from_i64(CHURN_VALUE);
        if (!o)
            die("ft_int_from_i64");
        ft_decref(o);
    }
}

void ftm_float_new_free(ftm_ctx *c)
{
    (void)c;
    for (int i = 0; i < FTM_BATCH; i++) {
        ft_object *o = ft_float_from_double(1.5);
        if (!o)
            die("ft_float_from_double");
        ft_decref(o);
    }
}

void ftm_checkpoint(ftm_ctx *c)
{
    (void)c;
    for (int i = 0; i < FTM_BATCH; i++)
        ft_checkpoint();
}
