/* test_stw.c — stop-the-world parks attached threads at a checkpoint,
 * leaves detached threads running, and holds back a detached thread that
 * tries to attach until the world restarts; a thread freeing a long chain
 * of objects parks at a dealloc safe point, and collections run then free
 * what they should and nothing twice. */
#include "ft_test.h"

typedef struct world {
    _Atomic long xcount[2];       /* attached counters                   */
    _Atomic long xdetached_count; /* counts while detached               */
    _Atomic int xreattach;        /* tells the detached thread to attach */
    _Atomic int xreattached;
    _Atomic int xstop;
} world;

typedef struct counter_arg {
    world *w;
    int index;
} counter_arg;

static void attached_counter(void *arg)
{
    counter_arg *a = arg;
    while (!atomic_load(&a->w->xstop)) {
        atomic_fetch_add(&a->w->xcount[a->index], 1);
        ft_checkpoint();
    }
}

static void detached_counter(void *arg)
{
    world *w = arg;
    FT_BEGIN_ALLOW_THREADS
    while (!atomic_load(&w->xreattach)) {
        atomic_fetch_add(&w->xdetached_count, 1);
        ft_test_sleep_ms(1);
    }
    FT_END_ALLOW_THREADS
    atomic_store(&w->xreattached, 1);
    while (!atomic_load(&w->xstop))
        ft_checkpoint();
}

/* Sleeps without leaving the runtime: the world stays stopped. */
static void sleep_attached(unsigned ms) { ft_test_sleep_ms(ms); }

static void sleep_detached(unsigned ms)
{
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(ms);
    FT_END_ALLOW_THREADS
}

static void test_stop_parks_attached_and_skips_detached(void **state)
{
    (void)state;
    world w = { 0 };
    counter_arg args[2] = { { &w, 0 }, { &w, 1 } };
    ft_thread *t[3];
    t[0] = ft_thread_start(attached_counter, &args[0]);
    t[1] = ft_thread_start(attached_counter, &args[1]);
    t[2] = ft_thread_start(detached_counter, &w);
    for (int i = 0; i < 3; i++)
        assert_non_null(t[i]);
    while (!atomic_load(&w.xcount[0]) || !atomic_load(&w.xcount[1]) ||
           !atomic_load(&w.xdetached_count))
        sleep_detached(5);

    assert_int_equal(ft_stop_the_world(), 0);
    long c0 = atomic_load(&w.xcount[0]), c1 = atomic_load(&w.xcount[1]);
    long d0 = atomic_load(&w.xdetached_count);
    sleep_attached(100);
    /* Attached threads are parked: their counters do not move. */
    assert_int_equal(atomic_load(&w.xcount[0]), c0);
    assert_int_equal(atomic_load(&w.xcount[1]), c1);
    /* The detached thread was left out: it kept running (given a core;
     * on a loaded machine wait a little longer for it). */
    for (int i = 0; i < 5000 && atomic_load(&w.xdetached_count) == d0; i++)
        sleep_attached(1);
    assert_true(atomic_load(&w.xdetached_count) > d0);

    /* ... but it cannot attach while the world is stopped. */
    atomic_store(&w.xreattach, 1);
    sleep_attached(100);
    assert_int_equal(atomic_load(&w.xreattached), 0);

    ft_stw_stats st;
    ft_stw_get_stats(&st);
    assert_int_equal(st.stops, 1);
    assert_int_equal(st.last_parked_attached + st.last_parked_detached, 3);
    if (!ft_gil_is_enabled()) {
        /* Free threading: both counters were running and parked at a
         * checkpoint. (Under a GIL they wait for the GIL, detached.) */
        assert_int_equal(st.last_parked_attached, 2);
    }
    ft_start_the_world();

    for (int i = 0; i < 5000 && !atomic_load(&w.xreattached); i++)
        sleep_detached(1);
    assert_int_equal(atomic_load(&w.xreattached), 1);
    /* Restarted, the counters move again (within seconds even on a
     * machine loaded by other programs). */
    for (int i = 0; i < 5000 && atomic_load(&w.xcount[0]) == c0 &&
                    atomic_load(&w.xcount[1]) == c1; i++)
        sleep_detached(1);
    assert_true(atomic_load(&w.xcount[0]) > c0 || atomic_load(&w.xcount[1]) > c1);

    atomic_store(&w.xstop, 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
}

static void test_stop_misuse(void **state)
{
    (void)state;
    assert_int_equal(ft_start_the_world(), -1);   /* not stopped by us */
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
    assert_int_equal(ft_stop_the_world(), 0);
    assert_int_equal(ft_stop_the_world(), -1);   /* no nesting */
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
    assert_int_equal(ft_start_the_world(), 0);
    assert_false(ft_err_occurred());
}

typedef struct stopper {
    world *w;
    _Atomic long xstops;
} stopper;

static void repeated_stopper(void *arg)
{
    stopper *s = arg;
    for (int i = 0; i < 50; i++) {
        if (ft_stop_the_world() != 0) {
            ft_worker_fail("stop %d of 50: %s", i, ft_err_message());
            return;
        }
        atomic_fetch_add(&s->xstops, 1);
        ft_start_the_world();
        ft_checkpoint();
    }
}

/* Two threads stop the world over and over while a third counts: one stop
 * at a time, nobody deadlocks. */
static void test_concurrent_stoppers(void **state)
{
    (void)state;
    world w = { 0 };
    stopper s = { .w = &w };
    counter_arg a = { &w, 0 };
    ft_thread *counter = ft_thread_start(attached_counter, &a);
    ft_thread *s1 = ft_thread_start(repeated_stopper, &s);
    ft_thread *s2 = ft_thread_start(repeated_stopper, &s);
    assert_non_null(counter);
    assert_non_null(s1);
    assert_non_null(s2);
    assert_int_equal(ft_thread_join(s1), 0);
    assert_int_equal(ft_thread_join(s2), 0);
    atomic_store(&w.xstop, 1);
    assert_int_equal(ft_thread_join(counter), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(atomic_load(&s.xstops), 100);
    ft_stw_stats st;
    ft_stw_get_stats(&st);
    assert_int_equal(st.stops, 100);
    assert_true(st.max_ns >= st.last_ns);
}

/* ---- A stop answered in the middle of a long deallocation ------------------
 * A worker frees CHAIN_LEN objects with one decref: no checkpoint runs
 * until it returns, only the dealloc safe points (internal/stw.h). Two
 * shapes: a flat list (a wide chain, depth 2) and lists nested CHAIN_LEN
 * deep (past the trashcan's depth: objects wait on the trash stack while
 * the worker is parked). Some items are self-referencing lists, which
 * the free turns into garbage cycles, so that a collection run while the
 * worker is parked mid-chain has garbage to free next to the half-freed
 * containers. */
enum { CHAIN_LEN = 100000, CHAIN_CYCLE_EVERY = 97 };

typedef struct chain {
    bool deep;
    _Atomic int xbuilt;     /* the structure exists                   */
    _Atomic int xgo;        /* the main thread wants the free to start */
    _Atomic int xattached;  /* the worker is attached, about to free  */
    _Atomic int xfreed;     /* the decref returned                    */
    _Atomic int xstop;
} chain;

/* Item i: a 1-tuple of i, or every CHAIN_CYCLE_EVERY-th a list that holds
 * itself; NULL with an error set. */
static ft_object *chain_item(long i)
{
    if (i % CHAIN_CYCLE_EVERY == 0) {
        ft_object *l = ft_list_new(0);
        if (l && ft_list_append(l, l) < 0) {
            ft_decref(l);
            return NULL;
        }
        return l;
    }
    ft_object *t = ft_tuple_new(1);
    ft_object *v = t ? ft_int_from_i64(i) : NULL;
    if (!v) {
        ft_xdecref(t);
        return NULL;
    }
    ft_tuple_set_steal(t, 0, v);
    return t;
}

/* flat: [item 0, item 1, ...]; deep: [item n-1, [item n-2, [...]]]. */
static ft_object *chain_build(bool deep)
{
    ft_object *top = deep ? NULL : ft_list_new(0);
    if (!deep && !top)
        return NULL;
    for (long i = 0; i < CHAIN_LEN; i++) {
        ft_object *item = chain_item(i);
        ft_object *into = deep ? ft_list_new(0) : top;
        bool ok = item && into && ft_list_append(into, item) == 0 &&
                  (!deep || !top || ft_list_append(into, top) == 0);
        ft_xdecref(item);
        if (deep) {
            ft_xdecref(top);   /* into holds it, or it is dropped on failure */
            top = into;
        }
        if (!ok) {
            ft_xdecref(top);
            return NULL;
        }
    }
    return top;
}

static void chain_freer(void *arg)
{
    chain *c = arg;
    ft_object *top = chain_build(c->deep);
    if (!top) {
        ft_worker_fail("cannot build the chain: %s", ft_err_message());
        return;
    }
    atomic_store(&c->xbuilt, 1);
    FT_BEGIN_ALLOW_THREADS
    while (!atomic_load(&c->xgo))
        ft_test_sleep_ms(1);
    FT_END_ALLOW_THREADS
    atomic_store(&c->xattached, 1);
    /* Attached, no checkpoint: the stop the main thread now asks for is
     * pending when the free begins. */
    ft_test_sleep_ms(20);
    ft_decref(top);
    atomic_store(&c->xfreed, 1);
    while (!atomic_load(&c->xstop))
        ft_checkpoint();
}

/* Starts a chain_freer and returns once it is attached and about to
 * free (the caller is attached, ready to stop the world). */
static ft_thread *chain_start(chain *c)
{
    ft_thread *t = ft_thread_start(chain_freer, c);
    assert_non_null(t);
    while (!atomic_load(&c->xbuilt) && !ft_test_workers_failed())
        sleep_detached(1);
    atomic_store(&c->xgo, 1);
    while (!atomic_load(&c->xattached) && !ft_test_workers_failed())
        sleep_detached(1);
    assert_false(ft_test_workers_failed());
    return t;
}

static void chain_finish(chain *c, ft_thread *t)
{
    atomic_store(&c->xstop, 1);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(atomic_load(&c->xfreed), 1);
    /* The cycles the chain left are collected; ft_fini (the teardown)
     * then checks that nothing leaked. */
    assert_true(ft_gc_collect(-1) >= 0);
}

static void stop_while_freeing(bool deep)
{
    chain c = { .deep = deep };
    ft_thread *t = chain_start(&c);
    assert_int_equal(ft_stop_the_world(), 0);
    ft_stw_stats st;
    ft_stw_get_stats(&st);
    int freed = atomic_load(&c.xfreed);
    /* Held stopped a while: the worker stays where it parked. */
    sleep_attached(20);
    int freed_later = atomic_load(&c.xfreed);
    assert_int_equal(ft_start_the_world(), 0);
    if (!ft_gil_is_enabled()) {
        /* The worker parked inside its decref, at a safe point of the
         * chain: attached, and the decref has not returned. */
        assert_int_equal(freed, 0);
        assert_int_equal(freed_later, 0);
        assert_int_equal(st.last_parked_attached, 1);
    } else {
        /* Under the GIL the stopper waited for it (the worker holds the
         * GIL until its next checkpoint, after the whole chain). */
        assert_int_equal(freed, 1);
    }
    chain_finish(&c, t);
}

static void test_stop_answered_while_freeing_a_wide_chain(void **state)
{
    (void)state;
    stop_while_freeing(false);
}

static void test_stop_answered_while_freeing_a_deep_chain(void **state)
{
    (void)state;
    stop_while_freeing(true);
}

/* Collections (young and full) stop the world while the worker is
 * mid-chain: the half-freed containers and those on the trash stack are
 * untracked, what they still hold is alive, the cycles already dropped
 * are garbage; nothing is freed twice (ASan) and nothing leaks (the
 * teardown). */
static void test_collect_while_freeing_a_chain(void **state)
{
    (void)state;
    for (int round = 0; round < 4; round++) {
        chain c = { .deep = round % 2 == 1 };
        ft_thread *t = chain_start(&c);
        for (int i = 0; i < 20 && !atomic_load(&c.xfreed); i++) {
            assert_true(ft_gc_collect(i % 3 == 2 ? -1 : i % 2) >= 0);
            sleep_detached(1);
        }
        chain_finish(&c, t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_stop_parks_attached_and_skips_detached),
        T(test_stop_misuse),
        T(test_concurrent_stoppers),
        T(test_stop_answered_while_freeing_a_wide_chain),
        T(test_stop_answered_while_freeing_a_deep_chain),
        T(test_collect_while_freeing_a_chain),
    };
    return ft_test_run(tests);
}
