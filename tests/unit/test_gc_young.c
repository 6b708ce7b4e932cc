/* test_gc_young.c — young collections (generation 0) on every flavor
 * (docs/architecture.md, "The cycle collector"): a young cycle that an old
 * object points at survives a young collection, and is found by a full
 * one once the old object lets go; a young cycle that is garbage is freed
 * by the young collection itself, with its weak references cleared and
 * its finalizers run; young objects of a thread that has exited are still
 * found, and young objects freed by another thread than their maker's
 * leave nothing behind for the collector to trip on; a long run of
 * allocations without collections (gc.disable()) leaves the young set
 * exact; objects of the middle generation that die, their blocks taken
 * by new young objects while the logs compact, leave the generations
 * exact; a generation-1 collection analysed in partitions (a thread
 * parked to help) still frees a cycle of one thread's that is half in the
 * middle; the survivors of a generation-0 collection analysed in
 * partitions are in generation 1, its atomic tuples untracked. gil's
 * generation-0 collection and nogil's young collection must
 * give the same results. */
#define FT_BUILD_CORE 1   /* white-box: internal/gc.h's test hooks */
#include <stdatomic.h>
#include <stdlib.h>
#include "ft_graph.h"
#include "ft_test.h"
#include "internal/gc.h"

static bool is_dead(ft_object *wr)
{
    ft_object *o = ft_weakref_get(wr);
    bool dead = o == ft_none();
    ft_decref(o);
    return dead;
}

static int finalized;
static void count_finalizer(ft_object *self)
{
    (void)self;
    finalized++;
}

static ft_type *node_class(void)
{
    ft_type *cls = ft_class_new("Node", ft_test_node_slots);
    assert_non_null(cls);
    assert_int_equal(ft_class_set_finalizer(cls, count_finalizer, false), 0);
    finalized = 0;
    return cls;
}

static uint64_t collections_of(int gen)
{
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    return st[gen].collections;
}

/* old --> [a <-> b]: old made old by a full collection, the pair young.
 * The young collection counts old's reference as external: the pair
 * survives (and is old itself from then on, as in gil's generation 1 or
 * nogil's old set), so a second young collection after old lets go does
 * not see it either; the full one frees it. */
static void test_old_points_at_young_cycle(void **state)
{
    (void)state;
    ft_type *cls = node_class();
    int64_t base = ft_test_live_objects();
    ft_object *old = ft_list_new(0);
    ft_gc_disable();
    ft_gc_collect(-1);
    ft_object *a = ft_test_pair(cls);
    ft_object *wr = ft_weakref_new(a, NULL);
    assert_int_equal(ft_list_append(old, a), 0);
    ft_decref(a);
    uint64_t young = collections_of(0), full = collections_of(2);
    assert_int_equal(ft_gc_collect(0), 0);
    assert_false(is_dead(wr));
    assert_int_equal(finalized, 0);
    assert_int_equal(collections_of(0), young + 1);
    assert_int_equal(collections_of(2), full);   /* it really was young */
    assert_int_equal(ft_list_clear(old), 0);
    assert_int_equal(ft_gc_collect(0), 0);   /* survivors are not young */
    assert_false(is_dead(wr));
    assert_true(ft_gc_collect(-1) >= 2);
    assert_true(is_dead(wr));
    assert_int_equal(finalized, 2);
    ft_gc_enable();
    ft_decref(wr);
    ft_decref(old);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* holder --> [a <-> b], all young: a generation-0 collection keeps the
 * pair (the holder is alive) and moves all three to generation 1. Once
 * the holder lets go, generation 0 no longer sees the pair — it is in
 * generation 1 —, a generation-1 collection frees it without a full one
 * (gil's generation 1; nogil's middle). */
static void test_middle_generation(void **state)
{
    (void)state;
    ft_type *cls = node_class();
    int64_t base = ft_test_live_objects();
    ft_gc_disable();
    ft_gc_collect(-1);
    finalized = 0;
    ft_object *holder = ft_list_new(0);
    ft_object *a = ft_test_pair(cls);
    ft_object *wr = ft_weakref_new(a, NULL);
    assert_int_equal(ft_list_append(holder, a), 0);
    ft_decref(a);
    assert_int_equal(ft_gc_collect(0), 0);
    ft_object *gen1 = ft_gc_get_objects(1);
    assert_true(ft_len(gen1) >= 3);   /* the holder, a, b */
    ft_decref(gen1);
    assert_int_equal(ft_list_clear(holder), 0);
    assert_int_equal(ft_gc_collect(0), 0);   /* in generation 1 now */
    assert_false(is_dead(wr));
    uint64_t full = collections_of(2);
    assert_int_equal(ft_gc_collect(1), 2);
    assert_int_equal(collections_of(2), full);
    assert_true(is_dead(wr));
    assert_int_equal(finalized, 2);
    ft_gc_enable();
    ft_decref(wr);
    ft_decref(holder);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* Old objects around, a young garbage cycle with a weakref callback and
 * finalizers: the young collection alone frees it, exactly as a full
 * collection would. */
static int callbacks;
static ft_object *on_death(ft_object *self, ft_object *args)
{
    (void)self;
    (void)args;
    callbacks++;
    return ft_none();
}

static void test_young_cycle_collected_young(void **state)
{
    (void)state;
    ft_type *cls = node_class();
    ft_object *cb = ft_cfunction_new("on_death", on_death, NULL);
    ft_object *keep = ft_test_pair(cls);   /* old, alive */
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    callbacks = 0;
    ft_object *a = ft_test_pair(cls);
    ft_object *wr = ft_weakref_new(a, cb);
    ft_object *self_loop = ft_list_new(0);
    assert_int_equal(ft_list_append(self_loop, self_loop), 0);
    ft_decref(self_loop);
    ft_decref(a);
    uint64_t full = collections_of(2);
    assert_int_equal(ft_gc_collect(0), 3);   /* a, b, the list */
    assert_int_equal(collections_of(2), full);
    assert_true(is_dead(wr));
    assert_int_equal(callbacks, 1);
    assert_int_equal(finalized, 2);
    ft_decref(wr);
    assert_int_equal(ft_test_live_objects(), base);
    ft_gc_enable();
    ft_decref(keep);
    ft_gc_collect(-1);
    ft_decref(cb);
    ft_decref(&cls->ob_base);
}

/* Generation-0 collections in a row, each after young objects died in
 * the order they were made (out of reach of the log's cancel window:
 * nogil logs them gone, and its collector cancels them through a hash it
 * keeps from one collection to the next) and a young cycle took their
 * blocks: each collection finds its cycle and only it, whatever the
 * earlier collections left in that hash. */
static void test_young_cycles_at_reused_addresses(void **state)
{
    (void)state;
    enum { ROUNDS = 40, TEMPS = 64 };
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    for (int round = 0; round < ROUNDS; round++) {
        ft_object *tmp[TEMPS];
        for (int i = 0; i < TEMPS; i++)
            assert_non_null(tmp[i] = ft_list_new(0));
        for (int i = 0; i < TEMPS; i++)
            ft_decref(tmp[i]);
        ft_object *a = ft_list_new(0), *b = ft_list_new(0);
        assert_int_equal(ft_list_append(a, b), 0);
        assert_int_equal(ft_list_append(b, a), 0);
        ft_decref(a);
        ft_decref(b);
        assert_int_equal(ft_gc_collect(0), 2);
    }
    assert_int_equal(ft_test_live_objects(), base);
    ft_gc_enable();
}

/* ---- Young objects and threads ------------------------------------------ */

typedef struct maker {
    ft_type *cls;
    ft_object *wr;         /* to the garbage pair the thread left       */
    ft_object *kept;       /* a list of new lists, handed to the caller */
} maker;

static void make_and_exit(void *arg)
{
    maker *m = arg;
    /* Not ft_test_pair: its cmocka asserts belong to the main thread. A
     * failure here leaves m->wr or m->kept NULL, which the caller checks. */
    ft_object *a = ft_instance_new(m->cls), *b = ft_instance_new(m->cls);
    if (!a || !b || ft_setattr(a, "other", b) < 0 || ft_setattr(b, "other", a) < 0)
        return;
    m->wr = ft_weakref_new(a, NULL);
    ft_decref(a);
    ft_decref(b);
    m->kept = ft_list_new(0);
    for (int i = 0; i < 1000; i++) {
        ft_object *l = ft_list_new(0);
        ft_list_append(m->kept, l);
        ft_decref(l);
    }
}

/* The thread's young pair is garbage after it exits, and its 1000 young
 * lists die on this thread: a young collection finds the pair and nothing
 * of the lists. Then the blocks are reused, and collected again. */
static void test_young_of_exited_thread(void **state)
{
    (void)state;
    ft_type *cls = node_class();
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    for (int round = 0; round < 3; round++) {
        maker m = { cls, NULL, NULL };
        ft_thread *t = ft_thread_start(make_and_exit, &m);
        assert_non_null(t);
        assert_int_equal(ft_thread_join(t), 0);
        assert_non_null(m.wr);
        assert_non_null(m.kept);
        ft_decref(m.kept);   /* 1001 young lists of the exited thread die here */
        for (int i = 0; i < 500; i++) {   /* reuse their blocks */
            ft_object *l = ft_list_new(0);
            assert_int_equal(ft_list_append(l, l), 0);
            ft_decref(l);
        }
        assert_int_equal(ft_gc_collect(0), 2 + 500);
        assert_true(is_dead(m.wr));
        ft_decref(m.wr);
        assert_int_equal(ft_test_live_objects(), base);
    }
    ft_gc_enable();
    ft_decref(&cls->ob_base);
}

/* A thread that made young objects of its own waits at checkpoints, so
 * this thread's collections have a parked helper and analyse in
 * partitions (nogil). a joins the middle in a generation-0 collection,
 * then a cycle a <-> b closes with a new b and is dropped: half of it is
 * in the middle, half young, both made here. The generation-1 collection
 * analyses the two halves in one partition (the middle is tagged with
 * the log each object came from) and frees the pair, as a serial one
 * does — and as gil's does. */
typedef struct waiter {
    _Atomic int xready, xstop;
    _Atomic unsigned xrounds;   /* its checkpoints passed */
    ft_object *kept;       /* its young lists, freed by it */
} waiter;

static void make_and_wait(void *arg)
{
    waiter *w = arg;
    w->kept = ft_list_new(0);
    for (int i = 0; w->kept && i < 100; i++) {
        ft_object *l = ft_list_new(0);
        if (l) {
            ft_list_append(w->kept, l);   /* a failure shows in ft_len */
            ft_decref(l);
        }
    }
    atomic_store(&w->xready, 1);
    while (!atomic_load(&w->xstop)) {
        ft_checkpoint();
        atomic_fetch_add(&w->xrounds, 1);
    }
    ft_xdecref(w->kept);
}

/* Until the waiter is back at its checkpoints (attached: a thread still
 * waking from the last stop is parked as detached, and does not help). */
static void wait_for_waiter(waiter *w)
{
    unsigned seen = atomic_load(&w->xrounds);
    while (atomic_load(&w->xrounds) < seen + 2)
        ft_checkpoint();
}

/* Starts a waiter thread and returns once it has made its objects. */
static ft_thread *start_waiter(waiter *w)
{
    ft_thread *t = ft_thread_start(make_and_wait, w);
    assert_non_null(t);
    while (!atomic_load(&w->xready))
        ft_checkpoint();
    assert_non_null(w->kept);
    return t;
}

static void stop_waiter(waiter *w, ft_thread *t)
{
    atomic_store(&w->xstop, 1);
    assert_int_equal(ft_thread_join(t), 0);
}

static void test_middle_cycle_with_helper(void **state)
{
    (void)state;
    ft_type *cls = node_class();
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    waiter w = { 0 };
    ft_thread *t = start_waiter(&w);
    assert_int_equal(ft_len(w.kept), 100);
    ft_object *holder = ft_list_new(0), *a = ft_instance_new(cls);
    assert_int_equal(ft_list_append(holder, a), 0);
    wait_for_waiter(&w);
    assert_int_equal(ft_gc_collect(0), 0);   /* a and holder: the middle */
    ft_object *b = ft_instance_new(cls), *wr = ft_weakref_new(a, NULL);
    assert_int_equal(ft_setattr(a, "other", b), 0);
    assert_int_equal(ft_setattr(b, "other", a), 0);
    ft_decref(b);
    ft_decref(a);
    assert_int_equal(ft_list_clear(holder), 0);
    uint64_t full = collections_of(2);
    wait_for_waiter(&w);
    assert_int_equal(ft_gc_collect(1), 2);
    assert_int_equal(collections_of(2), full);
    assert_true(is_dead(wr));
    assert_int_equal(finalized, 2);
    stop_waiter(&w, t);
    ft_gc_enable();
    ft_decref(wr);
    ft_decref(holder);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* Whether o is among the objects of the list l (by identity). */
static bool holds(ft_object *l, ft_object *o)
{
    bool found = false;
    for (ssize_t i = 0; !found && i < ft_len(l); i++) {
        ft_object *item = ft_list_get(l, i);
        found = item == o;
        ft_xdecref(item);
    }
    return found;
}

/* A generation-0 collection with a parked helper (nogil: analysed in
 * partitions, the survivors given their young bit back by the step that
 * leaves each partition, on the thread that runs it): the survivors of
 * both threads are in generation 1 afterwards, an atomic tuple among them
 * is untracked and in no generation, and a garbage cycle is freed — as
 * gil's generation-0 collection leaves them. */
static void test_survivors_with_helper(void **state)
{
    (void)state;
    ft_type *cls = node_class();
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    waiter w = { 0 };
    ft_thread *t = start_waiter(&w);
    ft_object *holder = ft_list_new(0), *a = ft_instance_new(cls);
    ft_object *atom = ft_tuple_new(2);
    assert_int_equal(ft_tuple_set_steal(atom, 0, ft_none()), 0);
    assert_int_equal(ft_tuple_set_steal(atom, 1, ft_none()), 0);
    assert_int_equal(ft_list_append(holder, a), 0);
    assert_int_equal(ft_list_append(holder, atom), 0);
    ft_object *pair = ft_test_pair(cls), *wr = ft_weakref_new(pair, NULL);
    ft_decref(pair);
    wait_for_waiter(&w);
    uint64_t full = collections_of(2);
    assert_int_equal(ft_gc_collect(0), 2);   /* the pair */
    assert_int_equal(collections_of(2), full);
    assert_true(is_dead(wr));
    assert_int_equal(finalized, 2);
    ft_object *gen1 = ft_gc_get_objects(1);
    assert_non_null(gen1);
    assert_true(holds(gen1, holder));
    assert_true(holds(gen1, a));
    assert_true(holds(gen1, w.kept));   /* the helper's own partition */
    assert_false(holds(gen1, atom));
    assert_false(ft_gc_is_tracked(atom));
    ft_decref(gen1);
    ft_object *gen2 = ft_gc_get_objects(2);
    assert_non_null(gen2);
    assert_false(holds(gen2, a));
    assert_false(holds(gen2, w.kept));
    ft_decref(gen2);
    stop_waiter(&w, t);
    ft_gc_enable();
    ft_decref(a);
    ft_decref(atom);
    ft_decref(wr);
    ft_decref(holder);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* gc.disable(), then many tracked objects made and freed: the young set
 * stays exact (only what is alive and young), whatever the logs did. */
static void test_long_run_without_collections(void **state)
{
    (void)state;
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    ft_object *cycle = ft_list_new(0);
    assert_int_equal(ft_list_append(cycle, cycle), 0);
    ft_object *alive = ft_list_new(0);
    for (int i = 0; i < 200000; i++) {
        ft_object *t = ft_list_new(0);
        if (i % 1000 == 0)
            assert_int_equal(ft_list_append(alive, t), 0);
        ft_decref(t);
    }
    ft_decref(cycle);
    assert_int_equal(ft_gc_collect(0), 1);
    ft_object *young = ft_gc_get_objects(0);
    assert_non_null(young);
    ft_decref(young);
    ft_decref(alive);
    assert_int_equal(ft_test_live_objects(), base);
    ft_gc_enable();
}

/* ---- The middle's dead and their blocks ---------------------------------- */

/* How many of l's items are in generation gen (ft_gc_get_objects). */
static ssize_t count_in_generation(ft_object *l, int gen)
{
    ft_object *objs = ft_gc_get_objects(gen);
    assert_non_null(objs);
    ssize_t n = ft_len(objs), hits = 0;
    ft_object **all = malloc((size_t)(n ? n : 1) * sizeof *all);
    assert_non_null(all);
    for (ssize_t i = 0; i < n; i++) {
        all[i] = ft_list_get(objs, i);
        ft_decref(all[i]);   /* objs holds it */
    }
    for (ssize_t k = 0; k < ft_len(l); k++) {
        ft_object *o = ft_list_get(l, k);
        for (ssize_t i = 0; i < n; i++)
            if (all[i] == o) {
                hits++;
                break;
            }
        ft_decref(o);
    }
    free(all);
    ft_decref(objs);
    return hits;
}

enum { MIDDLE_N = 3000 };

static void clear_list(void *arg)
{
    ft_list_clear(arg);
}

/* Lists in generation 1 (the middle) die — on this thread, or on another
 * one — and new young lists take their blocks, kept alive, while a churn
 * of short-lived lists (more than log_gone's window of them alive at a
 * time) makes this thread's log compact itself with both the middle's
 * gone entries and the new lists' born entries at the same addresses. The
 * new lists are generation 0, never 1; the middle's dead are not reported
 * anywhere; a generation-1 and a full collection find nothing, and
 * everything is freed. */
static void middle_dies_and_blocks_reused(bool die_on_other_thread)
{
    ft_gc_disable();
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    ft_object *holder = ft_list_new(0);
    for (int i = 0; i < MIDDLE_N; i++) {
        ft_object *l = ft_list_new(0);
        assert_int_equal(ft_list_append(holder, l), 0);
        ft_decref(l);
    }
    assert_int_equal(ft_gc_collect(0), 0);
    assert_int_equal(count_in_generation(holder, 1), MIDDLE_N);
    if (die_on_other_thread) {
        ft_thread *t = ft_thread_start(clear_list, holder);
        assert_non_null(t);
        assert_int_equal(ft_thread_join(t), 0);
    } else {
        assert_int_equal(ft_list_clear(holder), 0);
    }
    assert_int_equal(ft_len(holder), 0);
    ft_object *fresh = ft_list_new(0);
    enum { RING = 64 };
    ft_object *ring[RING] = { 0 };
    for (int i = 0; i < 8 * MIDDLE_N; i++) {
        ft_object *l = ft_list_new(0);
        if (i % 8 == 0)
            assert_int_equal(ft_list_append(fresh, l), 0);
        ft_xdecref(ring[i % RING]);   /* NULL at first */
        ring[i % RING] = l;
    }
    for (int i = 0; i < RING; i++)
        ft_decref(ring[i]);
    assert_int_equal(count_in_generation(fresh, 1), 0);
    assert_int_equal(count_in_generation(fresh, 0), MIDDLE_N);
    assert_int_equal(ft_gc_collect(1), 0);
    assert_int_equal(count_in_generation(fresh, 2), MIDDLE_N);
    assert_int_equal(ft_gc_collect(-1), 0);
    ft_decref(fresh);
    ft_decref(holder);
    assert_int_equal(ft_test_live_objects(), base);
    ft_gc_enable();
}

static void test_middle_dies_same_thread(void **state)
{
    (void)state;
    middle_dies_and_blocks_reused(false);
}

static void test_middle_dies_other_thread(void **state)
{
    (void)state;
    middle_dies_and_blocks_reused(true);
}

/* gc.freeze() leaves nothing young: a young collection after it sees no
 * frozen object, and unfrozen ones are old. */
static void test_freeze_and_young(void **state)
{
    (void)state;
    ft_gc_disable();
    ft_object *a = ft_list_new(0);
    assert_int_equal(ft_list_append(a, a), 0);
    assert_int_equal(ft_gc_freeze(), 0);
    ft_decref(a);
    assert_int_equal(ft_gc_collect(0), 0);   /* frozen: not examined */
    assert_int_equal(ft_gc_unfreeze(), 0);
    assert_int_equal(ft_gc_collect(0), 0);   /* thawed: old, not young */
    assert_true(ft_gc_collect(-1) >= 1);
    ft_gc_enable();
}

/* Lost logs (nogil/gc.c): the next collection is full whatever was
 * asked, and (Y) holds again after it. The loss is flagged as another
 * thread's failed append would: this thread's log still has room, so it
 * keeps logging on its fast path (pair y) until its room ends (the
 * lists), then stops (pair z: old at once). Old garbage (pair a) shows
 * that collect(0) was full; a pair made afterwards, that the young set
 * is exact again. gil keeps no logs: its collect(0) finds the young
 * pairs only. */
static void test_lost_logs_make_a_full_collection(void **state)
{
    (void)state;
    enum { LISTS = 20000 };   /* past any log's room after a collection */
    ft_type *cls = node_class();
    int64_t base = ft_test_live_objects();
    ft_object *old = ft_list_new(0), *keep = ft_list_new(0);
    assert_non_null(old);
    assert_non_null(keep);
    ft_gc_disable();
    ft_gc_collect(-1);
    ft_object *a = ft_test_pair(cls);
    ft_object *wa = ft_weakref_new(a, NULL);
    assert_int_equal(ft_list_append(old, a), 0);
    ft_decref(a);
    ft_gc_collect(-1);                          /* the pair is old */
    assert_int_equal(ft_list_clear(old), 0);    /* ... and garbage */
    _ft_gc_lose_logs();
    ft_object *y = ft_test_pair(cls);
    ft_object *wy = ft_weakref_new(y, NULL);
    ft_decref(y);
    for (int i = 0; i < LISTS; i++) {
        ft_object *l = ft_list_new(0);
        assert_non_null(l);
        assert_int_equal(ft_list_append(keep, l), 0);
        ft_decref(l);
    }
    ft_object *z = ft_test_pair(cls);
    ft_object *wz = ft_weakref_new(z, NULL);
    ft_decref(z);
    uint64_t full = collections_of(2);
    if (FT_NOGIL) {
        assert_int_equal(ft_gc_collect(0), 6);
        assert_int_equal(collections_of(2), full + 1);
        assert_true(is_dead(wa));
    } else {
        assert_int_equal(ft_gc_collect(0), 4);
        assert_int_equal(collections_of(2), full);
    }
    assert_true(is_dead(wy));
    assert_true(is_dead(wz));
    /* (Y) again: a young pair, found by a young collection. */
    ft_object *b = ft_test_pair(cls);
    ft_object *wb = ft_weakref_new(b, NULL);
    ft_decref(b);
    full = collections_of(2);
    assert_int_equal(ft_gc_collect(0), 2);
    assert_int_equal(collections_of(2), full);
    assert_true(is_dead(wb));
    assert_true(ft_gc_collect(-1) >= 0);        /* gil: pair a */
    assert_true(is_dead(wa));
    ft_gc_enable();
    ft_decref(wa);
    ft_decref(wy);
    ft_decref(wz);
    ft_decref(wb);
    ft_decref(old);
    ft_decref(keep);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_old_points_at_young_cycle),
        T(test_young_cycle_collected_young),
        T(test_young_cycles_at_reused_addresses),
        T(test_middle_generation),
        T(test_young_of_exited_thread),
        T(test_middle_cycle_with_helper),
        T(test_survivors_with_helper),
        T(test_long_run_without_collections),
        T(test_freeze_and_young),
        T(test_middle_dies_same_thread),
        T(test_middle_dies_other_thread),
        T(test_lost_logs_make_a_full_collection),
    };
    return ft_test_run(tests);
}
