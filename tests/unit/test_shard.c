/* test_shard.c — sharded reference counts (ftlab/refcount.h,
 * nogil/shard.c): exact counts across threads, threads that exit
 * with counters of their own (positive and negative), objects that die at
 * ft_object_unshard_all, optimistic increfs, the refusals, and the gil
 * build where sharding does not apply. */
#define FT_BUILD_CORE 1   /* white-box: _ft_try_incref */
#include "ft_test.h"
#include "internal/object.h"

typedef struct job {
    ft_object *obj;
    int rounds;
    int keep;      /* references this thread keeps (> 0) or drops (< 0) */
} job;

static void hammer(void *arg)
{
    job *j = arg;
    for (int i = 0; i < j->rounds; i++) {
        ft_incref(j->obj);
        ft_decref(j->obj);
        if (i % 1024 == 0)
            ft_checkpoint();
    }
    for (int i = 0; i < j->keep; i++)
        ft_incref(j->obj);   /* kept: handed back to the main thread */
    for (int i = 0; i < -j->keep; i++)
        ft_decref(j->obj);   /* drops references the main thread made */
}

/* Two threads count on one sharded object; one exits holding 3 more
 * references than it took back, the other having dropped 2 it was given:
 * after unsharding, the count is exact. */
static void test_exact_across_threads(void **state)
{
    (void)state;
    ft_object *o = ft_int_from_i64(123456789);
    bool sharded = ft_object_shard(o);
    assert_int_equal(sharded, FT_NOGIL != 0);
    assert_int_equal(ft_object_is_sharded(o), FT_NOGIL != 0);
    assert_false(ft_object_shard(o));   /* already */
    ft_incref(o);
    ft_incref(o);                       /* two for the second thread to drop */
    job a = { .obj = o, .rounds = 100000, .keep = 3 };
    job b = { .obj = o, .rounds = 100000, .keep = -2 };
    ft_thread *ta = ft_thread_start(hammer, &a);
    ft_thread *tb = ft_thread_start(hammer, &b);
    assert_non_null(ta);
    assert_non_null(tb);
    assert_int_equal(ft_thread_join(ta), 0);
    assert_int_equal(ft_thread_join(tb), 0);
    size_t n = ft_object_unshard_all();
    assert_int_equal(n, FT_NOGIL ? 1 : 0);
    assert_false(ft_object_is_sharded(o));
    assert_int_equal(ft_refcnt(o), 4);   /* 1 + 2 - 2 + 3 */
    int64_t before = ft_test_live_objects();
    for (int i = 0; i < 4; i++)
        ft_decref(o);
    assert_int_equal(ft_test_live_objects(), before - 1);
}

/* Counts still held by live threads are summed too (world stopped). */
typedef struct holder {
    ft_object *obj;
    _Atomic int xphase;   /* 1: took its references; 2: may exit */
} holder;

static void hold_then_wait(void *arg)
{
    holder *h = arg;
    ft_incref(h->obj);
    ft_incref(h->obj);
    ft_decref(h->obj);
    atomic_store(&h->xphase, 1);
    while (atomic_load(&h->xphase) != 2)
        ft_checkpoint();   /* parks here for the stop-the-world */
    ft_decref(h->obj);     /* an ordinary (merged) decref by now */
}

static void test_live_thread_counters(void **state)
{
    (void)state;
    holder h = { .obj = ft_float_from_double(2.5) };
    ft_object_shard(h.obj);
    ft_thread *t = ft_thread_start(hold_then_wait, &h);
    while (atomic_load(&h.xphase) != 1)
        ft_checkpoint();
    ft_object_unshard_all();
    assert_int_equal(ft_refcnt(h.obj), 2);
    atomic_store(&h.xphase, 2);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(ft_refcnt(h.obj), 1);
    ft_decref(h.obj);
}

/* A sharded object whose last reference went while sharded dies when it
 * is unsharded, not before. */
static void test_dies_at_unshard(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *o = ft_list_new(0);
    ft_object *item = ft_int_from_i64(777777);
    assert_int_equal(ft_list_append(o, item), 0);
    ft_decref(item);                    /* the list holds it */
    ft_object_shard(o);
    ft_decref(o);                       /* the last reference */
    assert_int_equal(ft_test_live_objects(), FT_NOGIL ? before + 2 : before);
    ft_object_unshard_all();
    assert_int_equal(ft_test_live_objects(), before);
}

/* Runs on a worker and on the main thread: it records, never asserts. */
static void try_many(void *arg)
{
    ft_object *o = arg;
    for (int i = 0; i < 1000; i++) {
        if (!ft_worker_check(_ft_try_incref(o)))
            return;
        ft_decref(o);
    }
}

static void test_try_incref_sharded(void **state)
{
    (void)state;
    ft_object *o = ft_int_from_i64(31337);
    _ft_object_set_shared(o);
    ft_object_shard(o);
    ft_thread *t = ft_thread_start(try_many, o);
    try_many(o);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    ft_object_unshard_all();
    assert_int_equal(ft_refcnt(o), 1);
    ft_decref(o);
}

/* Immortal objects and another thread's objects are refused. */
static void make_one(void *arg)
{
    ft_object **out = arg;
    *out = ft_int_from_i64(5555555);
    ft_incref(*out);
    ft_decref(*out);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_false(ft_object_shard(ft_none()));
    assert_false(ft_object_shard(ft_int_from_i64(5)));
    assert_false(ft_object_is_sharded(ft_none()));
    /* An object made by a thread that has exited: merged (no owner) and
     * shardable when its heap was walked at the exit, refused when it
     * still carries the dead owner's id; either way its count stays. */
    ft_object *o = NULL;
    ft_thread *t = ft_thread_start(make_one, &o);
    assert_int_equal(ft_thread_join(t), 0);
    assert_non_null(o);
    bool sharded = ft_object_shard(o);   /* refused if still owned */
    if (!FT_NOGIL)
        assert_false(sharded);
    ft_object_unshard_all();
    assert_int_equal(ft_refcnt(o), 1);
    ft_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_exact_across_threads),
        T(test_live_thread_counters),
        T(test_dies_at_unshard),
        T(test_try_incref_sharded),
        T(test_refusals),
    };
    return ft_test_run(tests);
}
