/* stress_introspect.c — looking at the heap while it changes.
 *
 *   mutators (2): each owns a slot range of one shared list and, in
 *                 bursts, replaces its slots with new containers (a dict
 *                 holding a list, a tuple, a self-referencing list: a
 *                 cycle left for the collector), appends to and trims a
 *                 shared dict, and drops what it replaced.
 *   inspector (1): in turn, ft_gc_get_objects (every object it returns
 *                 must be alive and of a known type), get_referents and
 *                 get_referrers of the shared list and of what it holds,
 *                 ft_gc_collect, an objgraph export (show_refs and
 *                 show_backrefs to a scratch file, most_common_types) and
 *                 a tracemalloc snapshot with statistics: the statistics
 *                 add up to the snapshot's total, which is at most the
 *                 peak (the current figure moves on after the snapshot).
 *
 * Everything runs while tracing. The run lasts RUN_MS (FT_TEST_RUN_MS) and
 * until both floors are met (up to FT_TEST_MAX_MS): MIN_ROUNDS
 * inspections (every one of them taking all the steps) and MIN_MUTATIONS
 * mutations. Workers
 * record failures with ft_worker_check; seeds come from ft_test_seed
 * (FT_TEST_SEED replays). At the end, with the shared containers dropped
 * and a collection run, nothing the test made is left: no object, no
 * traced byte. */
#include <stdio.h>
#include <stdlib.h>
#include "ft_test.h"

enum { RUN_MS = 600, MIN_ROUNDS = 40, MIN_MUTATIONS = 4000, MUTATORS = 2,
       SLOTS = 48, BURST = 16, KEY_BASE = 5000000 };

static _Atomic int xstop;
static _Atomic uint64_t xrounds;      /* inspections done: the run's ops */
static _Atomic uint64_t xmutations;

typedef struct shared {
    ft_object *list;                 /* MUTATORS * SLOTS items           */
    ft_object *dict;                 /* int keys of both mutators        */
} shared;

typedef struct mutator_arg {
    shared *sh;
    int id;
    unsigned seed;
} mutator_arg;

/* One of the containers a slot may hold, or NULL with an error. */
static ft_object *new_item(unsigned *seed)
{
    ft_object *l = ft_list_new(0);
    if (!l)
        return NULL;
    switch (rand_r(seed) % 3) {
    case 0: {                        /* a dict holding the list */
        ft_object *d = ft_dict_new(), *k = ft_int_from_i64(1);
        int rc = d && k ? ft_dict_set(d, k, l) : -1;
        ft_xdecref(k);
        ft_decref(l);
        if (rc < 0) {
            ft_xdecref(d);
            return NULL;
        }
        return d;
    }
    case 1: {                        /* a tuple holding the list */
        ft_object *t = ft_tuple_new(1);
        if (!t) {
            ft_decref(l);
            return NULL;
        }
        ft_tuple_set_steal(t, 0, l);
        return t;
    }
    default:                         /* a list holding itself: a cycle */
        if (ft_list_append(l, l) < 0) {
            ft_decref(l);
            return NULL;
        }
        return l;
    }
}

static void mutate_once(mutator_arg *a)
{
    int slot = a->id * SLOTS + (int)(rand_r(&a->seed) % SLOTS);
    ft_object *item = new_item(&a->seed);
    if (!ft_worker_check(item != NULL))
        return;
    ft_worker_check(ft_list_set(a->sh->list, slot, item) == 0);
    ft_decref(item);
    ft_object *k = ft_int_from_i64(KEY_BASE + a->id * SLOTS + (int)(rand_r(&a->seed) % SLOTS));
    if (!ft_worker_check(k != NULL))
        return;
    if (rand_r(&a->seed) % 2) {
        ft_worker_check(ft_dict_set(a->sh->dict, k, k) == 0);
    } else if (ft_dict_del(a->sh->dict, k) < 0) {
        ft_worker_check(ft_err_kind() == FT_ERR_KEY);   /* not there: fine */
        ft_err_clear();
    }
    ft_decref(k);
}

static void mutator(void *p)
{
    mutator_arg *a = p;
    ft_trace_push("mutator", a->id);
    while (!atomic_load_explicit(&xstop, memory_order_relaxed)) {
        for (int i = 0; i < BURST; i++)
            mutate_once(a);
        /* relaxed: a count, read after the joins */
        atomic_fetch_add_explicit(&xmutations, BURST, memory_order_relaxed);
        ft_checkpoint();
    }
    ft_trace_pop();
}

/* ---- The inspector ---------------------------------------------------------- */

/* Every object of a gc_get_objects list: alive, with a type; the shared
 * containers among them. */
static void check_objects(shared *sh)
{
    ft_object *all = ft_gc_get_objects(-1);
    if (!ft_worker_check(all != NULL))
        return;
    ssize_t n = ft_len(all);
    bool list_seen = false, dict_seen = false;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *o = ft_list_get(all, i);
        if (!ft_worker_check(o != NULL))
            break;
        ft_worker_check(ft_refcnt(o) >= 2);   /* ours and the list's */
        ft_worker_check(ft_type_name(o) != NULL);
        list_seen |= o == sh->list;
        dict_seen |= o == sh->dict;
        ft_decref(o);
    }
    ft_worker_check(list_seen && dict_seen);
    ft_decref(all);
}

/* The referents of the shared list, taken with the world stopped:
 * ft_gc_get_referents runs tp_traverse without the container's lock, so
 * a writer could free an item it is about to return (as CPython's
 * free-threaded gc.get_referents does, the stop belongs inside it; until
 * then the caller stops the world). The items that mutators never change
 * once published need no stop. */
static void check_refs(shared *sh, unsigned *seed)
{
    ft_object *refs = ft_gc_get_referents(sh->list);
    if (!ft_worker_check(refs != NULL))
        return;
    ft_worker_check(ft_len(refs) <= MUTATORS * SLOTS);
    ft_decref(refs);
    ft_object *item = ft_list_get(sh->list, (ssize_t)(rand_r(seed) % (MUTATORS * SLOTS)));
    if (!ft_worker_check(item != NULL))
        return;
    ft_object *back = ft_gc_get_referrers(item);
    if (ft_worker_check(back != NULL)) {
        for (ssize_t i = 0; i < ft_len(back); i++) {
            ft_object *r = ft_list_get(back, i);
            ft_worker_check(r != NULL && ft_refcnt(r) >= 2);
            ft_xdecref(r);
        }
        ft_decref(back);
    }
    ft_object *inner = ft_gc_get_referents(item);
    ft_worker_check(inner != NULL);
    ft_xdecref(inner);
    ft_decref(item);
}

static void check_objgraph(shared *sh, FILE *scratch)
{
    rewind(scratch);
    ft_worker_check(ft_objgraph_show_refs(&sh->list, 1, 2, scratch) == 0);
    ft_object *item = ft_list_get(sh->list, 0);
    if (ft_worker_check(item != NULL)) {
        rewind(scratch);
        ft_worker_check(ft_objgraph_show_backrefs(item, 2, scratch) == 0);
        ft_decref(item);
    }
    ft_object *common = ft_objgraph_most_common_types(5);
    ft_worker_check(common != NULL && ft_len(common) >= 1);
    ft_xdecref(common);
}

static void check_snapshot(void)
{
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    if (!ft_worker_check(s != NULL))
        return;
    size_t total = 0, cur, peak;
    for (size_t i = 0; i < ft_snapshot_count(s); i++)
        total += ft_snapshot_trace(s, i)->size;
    ft_tracemalloc_get_traced_memory(&cur, &peak);
    ft_worker_check(total > 0 && total <= peak);
    ft_trace_stats *st = ft_snapshot_statistics(s, "lineno", false);
    ft_worker_check(st != NULL && st->n >= 1);
    size_t sum = 0;
    for (size_t i = 0; st && i < st->n; i++)
        sum += st->items[i].size;
    ft_worker_check(sum == total);
    ft_trace_stats_free(st);
    ft_snapshot_free(s);
}

typedef struct inspector_arg {
    shared *sh;
    unsigned seed;
    FILE *scratch;
} inspector_arg;

static void inspector(void *p)
{
    inspector_arg *a = p;
    while (!atomic_load_explicit(&xstop, memory_order_relaxed)) {
        check_objects(a->sh);
        check_refs(a->sh, &a->seed);
        ft_worker_check(ft_gc_collect(-1) >= 0);
        check_objgraph(a->sh, a->scratch);
        check_snapshot();
        /* relaxed: a count the runner polls (any value will do) */
        atomic_fetch_add_explicit(&xrounds, 1, memory_order_relaxed);
        ft_checkpoint();
    }
}

/* ---- The test ---------------------------------------------------------------- */

/* How many of the two floors the workers have reached. */
static uint64_t floors_met(void)
{
    return (uint64_t)(atomic_load(&xrounds) >= MIN_ROUNDS) +
           (uint64_t)(atomic_load(&xmutations) >= MIN_MUTATIONS);
}

/* Runs the three workers for RUN_MS and until both floors are met: either
 * side can lag the other (under FT_GC_STRESS, a collection at every
 * allocation, the mutators once did a fifth of their usual mutations
 * while the inspector reached its floor), so waiting for one count alone
 * would fail the other on a slow machine. */
static void run_workers(void (*const fns[])(void *), void *const args[])
{
    enum { WORKERS = MUTATORS + 1 };
    ft_thread *t[WORKERS];
    atomic_store(&xstop, 0);
    for (int i = 0; i < WORKERS; i++)
        assert_non_null(t[i] = ft_thread_start(fns[i], args[i]));
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    uint64_t start = ft_test_now_ns();
    FT_BEGIN_ALLOW_THREADS
    while (ft_test_keep_running(start, run_ms, floors_met(), 2))
        ft_test_sleep_ms(10);
    atomic_store(&xstop, 1);
    FT_END_ALLOW_THREADS
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    ft_test_assert_ops("inspections", atomic_load(&xrounds), MIN_ROUNDS);
    ft_test_assert_ops("mutations", atomic_load(&xmutations), MIN_MUTATIONS);
}

static void test_introspection_while_mutating(void **state)
{
    (void)state;
    uint64_t seed = ft_test_seed();
    atomic_store(&xstop, 0);
    atomic_store(&xrounds, 0);
    atomic_store(&xmutations, 0);
    assert_int_equal(ft_tracemalloc_start(2), 0);
    int64_t objects_before = ft_test_live_objects();
    size_t traced_before, peak;
    ft_tracemalloc_get_traced_memory(&traced_before, &peak);

    shared sh = { ft_list_new(MUTATORS * SLOTS), ft_dict_new() };
    assert_non_null(sh.list);
    assert_non_null(sh.dict);
    for (ssize_t i = 0; i < MUTATORS * SLOTS; i++)
        assert_int_equal(ft_list_set(sh.list, i, ft_none()), 0);
    mutator_arg m[MUTATORS];
    for (int i = 0; i < MUTATORS; i++)
        m[i] = (mutator_arg){ &sh, i, (unsigned)(seed + (uint64_t)i) };
    inspector_arg in = { &sh, (unsigned)(seed >> 7), tmpfile() };
    assert_non_null(in.scratch);

    void (*const fns[])(void *) = { mutator, mutator, inspector };
    void *const args[] = { &m[0], &m[1], &in };
    run_workers(fns, args);
    printf("%s: %llu inspections, %llu mutations\n", ft_flavor(),
           (unsigned long long)atomic_load(&xrounds),
           (unsigned long long)atomic_load(&xmutations));
    fclose(in.scratch);

    ft_decref(sh.list);
    ft_decref(sh.dict);
    assert_true(ft_gc_collect(-1) >= 0);   /* the cycles left behind */
    assert_int_equal(ft_test_live_objects(), objects_before);
    size_t traced_after;
    ft_tracemalloc_get_traced_memory(&traced_after, &peak);
    assert_int_equal(traced_after, traced_before);
    ft_tracemalloc_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_introspection_while_mutating),
    };
    return ft_test_run(tests);
}
