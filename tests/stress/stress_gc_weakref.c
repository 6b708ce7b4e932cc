/* stress_gc_weakref.c — the real cycle collector running while weakref
 * callbacks fire on other threads.
 *
 * Worker threads keep making garbage: a ring of 2..4 instances (a cycle,
 * which only the collector frees) or, one time in four, a chain (freed by
 * reference counting on the worker's own thread at once). Each node gets
 * a weakref with a counting callback that the worker keeps, and the first
 * node also holds, inside the garbage, a weakref to the second with
 * another callback: a weakref that is itself garbage must never call back
 * (CPython's rule). A collector thread calls ft_gc_collect in a loop, and
 * the thresholds are low, so automatic collections run too, on whichever
 * thread crosses them; a worker whose ring of kept weakrefs is full
 * collects by itself. A callback sometimes makes a little garbage cycle
 * of its own, so collections are also scheduled from inside callbacks.
 *
 * Exact accounting: every kept weakref has an id; its callback must run
 * exactly once (xcalled[id] goes from 0 to 1, never further) and find its
 * weakref already dead. A worker releases a kept weakref only once it is
 * dead and its callback ran (then checks that it ran once, and recycles
 * the id), so no callback is lost by a weakref dying first. At the end
 * (one last collection on the main thread) every kept weakref is dead and
 * called back once, the number of calls equals the number of weakrefs
 * made, no garbage weakref called back, and the live-object count is
 * back where it started.
 *
 * The run lasts RUN_MS (FT_TEST_RUN_MS) and at least MIN_STEPS
 * collections of the collector thread that each followed new garbage.
 * Workers never assert: they record (ft_worker_check).
 */
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

enum { WORKERS = 3, RING = 1024, IDS = WORKERS * RING, MIN_STEPS = 50, RUN_MS = 500 };

static _Atomic int xstop;
static _Atomic uint64_t xsteps;
static _Atomic long xmade, xcalls, xgarbage_calls, xrounds, xcollections, xworker_collections;
static _Atomic unsigned char xcalled[IDS];
static ft_type *cls;
static ft_object *cb_garbage;

/* ---- Callbacks ----------------------------------------------------------- */

/* A small cycle nobody references: garbage made inside a callback. */
static void make_garbage_cycle(void)
{
    ft_object *a = ft_list_new(0), *b = ft_list_new(0);
    ft_worker_check(a && b && ft_list_append(a, b) == 0 && ft_list_append(b, a) == 0);
    ft_xdecref(a);
    ft_xdecref(b);
}

/* self: the kept weakref's id. */
static ft_object *on_death(ft_object *self, ft_object *args)
{
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    ft_worker_check(wr && ft_weakref_get(wr) == ft_none());
    int64_t id = ft_int_as_i64(self);
    if (ft_worker_check(id >= 0 && id < IDS))
        if (atomic_fetch_add(&xcalled[id], 1) != 0)
            ft_worker_fail("callback %lld ran twice", (long long)id);
    atomic_fetch_add(&xcalls, 1);
    if (id % 8 == 0)
        make_garbage_cycle();
    return ft_none();
}

static ft_object *on_garbage_death(ft_object *self, ft_object *args)
{
    (void)self;
    (void)args;
    atomic_fetch_add(&xgarbage_calls, 1);
    return ft_none();
}

/* ---- Workers ------------------------------------------------------------- */

typedef struct kept {
    ft_object *wr;
    int64_t id;
} kept;

/* A worker keeps n weakrefs; the ids of the others are free (a worker
 * owns RING ids: n + nfree == RING). */
typedef struct worker {
    unsigned seed;
    int n, nfree;
    kept ring[RING];
    int64_t free_ids[RING];
} worker;

/* Releases the kept weakrefs that are dead and called back (once), and
 * recycles their ids. */
static void sweep(worker *w)
{
    int j = 0;
    for (int i = 0; i < w->n; i++) {
        kept k = w->ring[i];
        ft_object *o = ft_weakref_get(k.wr);
        if (o == ft_none() && atomic_load(&xcalled[k.id]) != 0) {
            ft_decref(k.wr);
            ft_worker_check(atomic_exchange(&xcalled[k.id], 0) == 1);
            w->free_ids[w->nfree++] = k.id;
        } else {
            w->ring[j++] = k;
        }
        ft_xdecref(o == ft_none() ? NULL : o);
    }
    w->n = j;
}

/* Makes room for `need` more kept weakrefs: sweeps, and collects while
 * the ring stays too full (another thread's collection may be running:
 * then ours returns at once, and we wait for it at a checkpoint). */
static bool make_room(worker *w, int need)
{
    uint64_t t0 = ft_test_now_ns();
    for (;;) {
        if (w->n + need <= RING)
            return true;
        sweep(w);
        if (w->n + need <= RING / 2)
            return true;
        ft_worker_check(ft_gc_collect(-1) >= 0);
        atomic_fetch_add(&xworker_collections, 1);
        ft_checkpoint();
        if (ft_test_now_ns() - t0 > 30ull * 1000000000) {
            ft_worker_fail("kept weakrefs never died: %d of %d", w->n, RING);
            return false;
        }
    }
}

/* A weakref to o with the callback, kept under a free id (make_room). */
static void keep_weakref(worker *w, ft_object *o)
{
    int64_t id = w->free_ids[--w->nfree];
    ft_object *n = ft_int_from_i64(id), *cb = n ? ft_cfunction_new("on_death", on_death, n) : NULL;
    ft_object *wr = cb ? ft_weakref_new(o, cb) : NULL;
    ft_xdecref(cb);
    ft_xdecref(n);
    if (!ft_worker_check(wr != NULL)) {
        w->free_ids[w->nfree++] = id;
        return;
    }
    w->ring[w->n++] = (kept){ wr, id };
    atomic_fetch_add(&xmade, 1);
}

/* One piece of garbage: nodes linked by "next", closed into a ring
 * unless `chain`; a weakref kept for each node. Only a ring gets the
 * garbage weakref: a chain's first node, freed by its count, drops its
 * attributes in any order, and a weakref to the second one that outlives
 * it for a moment is not garbage and rightly calls back. */
static void make_garbage(worker *w, int len, bool chain)
{
    ft_object *nodes[4];
    for (int i = 0; i < len; i++)
        ft_worker_check((nodes[i] = ft_instance_new(cls)) != NULL);
    for (int i = 0; i + 1 < len; i++)
        ft_worker_check(ft_setattr(nodes[i], "next", nodes[i + 1]) == 0);
    if (!chain) {
        ft_worker_check(ft_setattr(nodes[len - 1], "next", nodes[0]) == 0);
        ft_object *inner = ft_weakref_new(nodes[1], cb_garbage);
        ft_worker_check(inner && ft_setattr(nodes[0], "w", inner) == 0);
        ft_xdecref(inner);
    }
    for (int i = 0; i < len; i++)
        keep_weakref(w, nodes[i]);
    for (int i = len - 1; i >= 0; i--)
        ft_decref(nodes[i]);   /* a chain dies here, on this thread */
}

static void worker_run(void *p)
{
    worker *w = p;
    while (!atomic_load(&xstop)) {
        int len = 2 + rand_r(&w->seed) % 3;
        if (!make_room(w, len))
            return;
        make_garbage(w, len, rand_r(&w->seed) % 4 == 0);
        atomic_fetch_add(&xrounds, 1);
        ft_checkpoint();
    }
}

/* ---- The collector thread -------------------------------------------------- */

static void collector_run(void *p)
{
    (void)p;
    long seen = 0;
    while (!atomic_load(&xstop)) {
        ft_worker_check(ft_gc_collect(rand() % 2 ? -1 : 0) >= 0);
        atomic_fetch_add(&xcollections, 1);
        long r = atomic_load(&xrounds);
        if (r > seen) {   /* a step: a collection after new garbage */
            seen = r;
            atomic_fetch_add(&xsteps, 1);
        }
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(1);
        FT_END_ALLOW_THREADS
    }
}

/* ---- The test ---------------------------------------------------------- */

static worker workers[WORKERS];

static void release_kept(void)
{
    for (int i = 0; i < WORKERS; i++) {
        for (int j = 0; j < workers[i].n; j++) {
            kept k = workers[i].ring[j];
            assert_ptr_equal(ft_weakref_get(k.wr), ft_none());
            if (atomic_load(&xcalled[k.id]) != 1)
                fail_msg("weakref %lld: callback ran %d times", (long long)k.id,
                         atomic_load(&xcalled[k.id]));
            ft_decref(k.wr);
        }
        workers[i].n = 0;
    }
}

static void test_collector_with_callbacks(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    uint64_t seed = ft_test_seed();
    srand((unsigned)seed);
    memset(xcalled, 0, sizeof xcalled);
    atomic_store(&xsteps, 0);
    ft_gc_set_threshold(200, 5, 5);
    assert_non_null(cls = ft_class_new("Node", NULL));
    assert_non_null(cb_garbage = ft_cfunction_new("on_garbage_death", on_garbage_death, NULL));
    void (*fns[WORKERS + 1])(void *);
    void *args[WORKERS + 1];
    for (int i = 0; i < WORKERS; i++) {
        worker *w = &workers[i];
        *w = (worker){ .seed = (unsigned)(seed >> 5) + 31u * (unsigned)i, .nfree = RING };
        for (int j = 0; j < RING; j++)
            w->free_ids[j] = (int64_t)i * RING + j;
        fns[i] = worker_run;
        args[i] = &workers[i];
    }
    fns[WORKERS] = collector_run;
    args[WORKERS] = NULL;
    ft_test_run_threads_ops(fns, args, WORKERS + 1, ft_test_run_ms(RUN_MS), &xstop,
                            &xsteps, MIN_STEPS);
    ft_test_assert_workers_ok();
    assert_true(ft_gc_collect(-1) >= 0);
    print_message("[%s] %ld rounds, %ld weakrefs, %ld calls, %ld collections "
                  "(+ %ld tries by full workers)\n", ft_flavor(), atomic_load(&xrounds),
                  atomic_load(&xmade), atomic_load(&xcalls), atomic_load(&xcollections),
                  atomic_load(&xworker_collections));
    ft_test_assert_workers_ok();   /* the last collection's callbacks */
    assert_true(atomic_load(&xmade) >= MIN_STEPS);
    assert_int_equal(atomic_load(&xcalls), atomic_load(&xmade));
    assert_int_equal(atomic_load(&xgarbage_calls), 0);
    release_kept();
    ft_decref(cb_garbage);
    ft_decref(&cls->ob_base);
    ft_gc_set_threshold(2000, 10, 10);
    assert_true(ft_gc_collect(-1) >= 0);   /* the callbacks' own garbage */
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_collector_with_callbacks),
    };
    return ft_test_run(tests);
}
