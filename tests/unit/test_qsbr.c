/* test_qsbr.c — deferred frees wait for every attached thread to pass a
 * quiescent state, and only for attached threads (nogil); the gil build
 * frees at once. */
#define FT_BUILD_CORE 1   /* white-box: internal/qsbr.h */
#include "ft_test.h"
#include "internal/qsbr.h"

static int64_t live_blocks(void)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    return st.live_blocks;
}

/* Waits (detached) up to timeout_ms for the live-block count to reach
 * `want`. */
static bool blocks_reach(int64_t want, unsigned timeout_ms)
{
    bool ok = false;
    FT_BEGIN_ALLOW_THREADS
    for (unsigned i = 0; i < timeout_ms && !ok; i++) {
        ok = live_blocks() == want;
        if (!ok)
            ft_test_sleep_ms(1);
    }
    FT_END_ALLOW_THREADS
    return ok;
}

static void test_deferred_free_happens(void **state)
{
    (void)state;
    int64_t before = live_blocks();
    for (int i = 0; i < 100; i++)
        _ft_qsbr_free(ft_malloc(64));
    _ft_qsbr_barrier();
    assert_int_equal(live_blocks(), before);
    _ft_qsbr_free(NULL);   /* allowed, like ft_free(NULL) */
}

typedef struct reader {
    _Atomic int started, release, done;
} reader;

/* An attached thread that does not pass a checkpoint until released. */
static void slow_reader(void *arg)
{
    reader *r = arg;
    atomic_store(&r->started, 1);
    while (!atomic_load(&r->release))
        ;   /* a long read-side section: no checkpoint */
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    atomic_store(&r->done, 1);
}

static void test_grace_period_waits_for_attached_reader(void **state)
{
    (void)state;
    if (!FT_NOGIL)
        skip();   /* the gil build frees at once: no readers to wait for */
    reader r = { 0 };
    ft_thread *t = ft_thread_start(slow_reader, &r);
    while (!atomic_load(&r.started))
        ft_checkpoint();
    int64_t before = live_blocks();
    void *block = ft_malloc(64);
    _ft_qsbr_free(block);
    /* Our own quiescent states, as many as it takes: still not enough,
     * the reader has not passed one. */
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    assert_false(blocks_reach(before, 100));
    atomic_store(&r.release, 1);
    assert_true(blocks_reach(before, 5000));   /* it passed one: freed */
    assert_int_equal(ft_thread_join(t), 0);
}

static void sleeper(void *arg)
{
    reader *r = arg;
    FT_BEGIN_ALLOW_THREADS
    atomic_store(&r->started, 1);
    while (!atomic_load(&r->release))
        ft_test_sleep_ms(1);
    FT_END_ALLOW_THREADS
}

static void test_detached_thread_does_not_delay(void **state)
{
    (void)state;
    reader r = { 0 };
    ft_thread *t = ft_thread_start(sleeper, &r);
    while (!atomic_load(&r.started))
        ft_checkpoint();
    int64_t before = live_blocks();
    _ft_qsbr_free(ft_malloc(64));
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    assert_true(blocks_reach(before, 5000));   /* the sleeper is offline */
    atomic_store(&r.release, 1);
    assert_int_equal(ft_thread_join(t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, ft_test_setup, ft_test_teardown)
        T(test_deferred_free_happens),
        T(test_grace_period_waits_for_attached_reader),
        T(test_detached_thread_does_not_delay),
#undef T
    };
    return ft_test_run(tests);
}
