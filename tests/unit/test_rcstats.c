/* test_rcstats.c — the refcount path counters (ftlab/refcount.h). In an
 * FT_RC_STATS build (the asan preset) every operation is counted by the
 * path it took: owner/GIL ("fast"), atomic, immortal; in nogil also the
 * decrefs handed to the owner's queue. Other builds report that they do
 * not count. */
#include "ft_test.h"

static ft_rc_stats delta(const ft_rc_stats *a, const ft_rc_stats *b)
{
    return (ft_rc_stats){ b->fast - a->fast, b->atomic - a->atomic,
                          b->immortal - a->immortal, b->queued - a->queued,
                          b->merged - a->merged };
}

static ft_rc_stats measure_pairs(ft_object *o, int n)
{
    ft_rc_stats before, after;
    ft_rc_get_stats(&before);
    for (int i = 0; i < n; i++) {
        ft_incref(o);
        ft_decref(o);
    }
    ft_rc_get_stats(&after);
    return delta(&before, &after);
}

static void test_paths_counted(void **state)
{
    (void)state;
    ft_rc_stats s;
    if (!FT_RC_STATS) {
        assert_false(ft_rc_get_stats(&s));
        assert_int_equal(s.fast + s.atomic + s.immortal + s.queued + s.merged, 0);
        return;
    }
    ft_rc_reset_stats();
    assert_true(ft_rc_get_stats(&s));
    ft_object *o = ft_int_from_i64(123456);
    ft_rc_stats d = measure_pairs(o, 1000);
    /* ours: the owner's plain path, except in nogil-atomic */
    assert_int_equal(FT_RC_ATOMIC ? d.atomic : d.fast, 2000);
    assert_int_equal(FT_RC_ATOMIC ? d.fast : d.atomic, 0);
    d = measure_pairs(ft_none(), 1000);
    assert_int_equal(d.immortal, 2000);
    assert_int_equal(d.fast + d.atomic, 0);
    ft_decref(o);
}

typedef struct handoff {
    ft_object *o;
    int pairs;
} handoff;

static void other_thread(void *arg)
{
    handoff *h = arg;
    for (int i = 0; i < h->pairs; i++) {
        ft_incref(h->o);
        ft_decref(h->o);
    }
    ft_decref(h->o);   /* the reference the main thread handed over */
}

static void test_other_threads_and_queue(void **state)
{
    (void)state;
    if (!FT_RC_STATS)
        skip();
    ft_object *o = ft_int_from_i64(654321);
    ft_incref(o);   /* handed to the other thread */
    handoff h = { o, 500 };
    ft_rc_stats before, after;
    ft_rc_get_stats(&before);
    ft_thread *t = ft_thread_start(other_thread, &h);
    assert_non_null(t);
    assert_int_equal(ft_thread_join(t), 0);
    ft_checkpoint();   /* the owner merges what was queued to it */
    ft_rc_get_stats(&after);   /* the exited thread's counts are kept */
    ft_rc_stats d = delta(&before, &after);
    if (FT_NOGIL) {
        assert_true(d.atomic >= 1001);       /* a non-owner's operations */
        if (!FT_RC_ATOMIC)
            assert_true(d.queued >= 1);      /* its last decref went below 0 */
    } else {
        assert_true(d.fast >= 1001);         /* under the GIL: plain adds */
    }
    assert_int_equal(ft_refcnt(o), 1);
    ft_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_paths_counted),
        T(test_other_threads_and_queue),
    };
    return ft_test_run(tests);
}
