/* test_dict_cache.c — the two-dict version cache (ft_dict_lookup2_cached,
 * LOAD_GLOBAL's cache in ftpy): answers after every kind of mutation of
 * either dict, hits that probe nothing, one entry shared by two first
 * dicts, argument errors; and two threads reading through one entry
 * while a third rebinds the key (values never older than one seen, the
 * final one seen at the end). */
#include <stdlib.h>
#define FT_BUILD_CORE 1   /* white-box: the lock-free read counters */
#include "ft_test.h"
#include "internal/qsbr.h"

/* d[k] = v for int keys and values, dropping the caller's references. */
static void set_ii(ft_object *d, int64_t k, int64_t v)
{
    ft_object *ko = ft_int_from_i64(k), *vo = ft_int_from_i64(v);
    assert_int_equal(ft_dict_set(d, ko, vo), 0);
    ft_decref(ko);
    ft_decref(vo);
}

/* ---- Version caches (ft_dict_lookup2_cached) ------------------------------ */

/* No lock-free probe since c0 (a cache hit): seen where hits are counted
 * (statistics builds, internal/qsbr.h); no fallback to the lock in any. */
static void assert_no_probe(ft_lockfree_counts c0)
{
    if (_ft_lockfree_hits_counted())
        assert_int_equal(_ft_lockfree_counts.hits, c0.hits);
    assert_int_equal(_ft_lockfree_counts.fallbacks, c0.fallbacks);
}

/* Looks "name" up through the cache: the int found, 0 when missing. */
static int64_t cached_get(ft_object *d1, ft_object *d2, ft_object *key,
                          ft_dict_cache2 *c)
{
    ft_object *v = NULL;
    int r = ft_dict_lookup2_cached(d1, d2, key, c, &v);
    assert_true(r == 0 || r == 1);
    if (r == 0) {
        assert_null(v);
        return 0;
    }
    int64_t i = ft_int_as_i64(v);
    ft_decref(v);
    return i;
}

/* A key found in d1 or d2 through one cache entry: a repeated lookup is
 * answered by the entry without probing (no lock-free probe counted, in
 * nogil), and every kind of mutation of either dict is seen at once:
 * replace, shadow, delete, pop, popitem, setdefault, clear; a second d1
 * (the same entry, another globals dict) answers for itself; a dict
 * from the free list starts untracked. Wrong arguments are errors. */
static void test_lookup2_cached(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_dict_cache2 c = { 0 };
    ft_object *g = ft_dict_new(), *b = ft_dict_new(), *g2 = ft_dict_new();
    ft_object *k = ft_str_from_utf8("name", -1), *other = ft_str_from_utf8("other", -1);
    ft_object *v = ft_int_from_i64(5);
    assert_int_equal(cached_get(g, b, k, &c), 0);      /* missing in both */
    assert_int_equal(ft_dict_set(b, k, v), 0);
    ft_decref(v);
    assert_int_equal(cached_get(g, b, k, &c), 5);      /* from d2: fills */
    ft_lockfree_counts c0 = _ft_lockfree_counts;
    assert_int_equal(cached_get(g, b, k, &c), 5);      /* a hit */
    assert_no_probe(c0);
    v = ft_int_from_i64(6);
    assert_int_equal(ft_dict_set(g, k, v), 0);         /* shadowed in d1 */
    ft_decref(v);
    assert_int_equal(cached_get(g, b, k, &c), 6);
    v = ft_int_from_i64(60);
    assert_int_equal(ft_dict_set(b, other, v), 0);     /* d2 changes: */
    ft_decref(v);
    assert_int_equal(cached_get(g, b, k, &c), 6);      /* d1's still wins */
    c0 = _ft_lockfree_counts;
    assert_int_equal(cached_get(g, b, k, &c), 6);      /* and is a hit */
    assert_no_probe(c0);
    set_ii(g, 1, 1);                                   /* unrelated key */
    assert_int_equal(cached_get(g, b, k, &c), 6);
    v = ft_int_from_i64(7);
    assert_int_equal(ft_dict_set(g, k, v), 0);         /* replaced */
    ft_decref(v);
    assert_int_equal(cached_get(g, b, k, &c), 7);
    assert_int_equal(ft_dict_del(g, k), 0);            /* back to d2's */
    assert_int_equal(cached_get(g, b, k, &c), 5);
    assert_int_equal(cached_get(g2, b, k, &c), 5);     /* another d1 */
    v = ft_int_from_i64(8);
    assert_int_equal(ft_dict_set(g2, k, v), 0);
    ft_decref(v);
    assert_int_equal(cached_get(g2, b, k, &c), 8);
    assert_int_equal(cached_get(g, b, k, &c), 5);
    ft_object *out = NULL;
    assert_int_equal(ft_dict_pop(b, k, &out), 1);      /* pop from d2 */
    ft_decref(out);
    assert_int_equal(cached_get(g, b, k, &c), 0);
    v = ft_int_from_i64(9);
    assert_int_equal(ft_dict_setdefault(b, k, v, &out), 1);
    ft_decref(out);
    ft_decref(v);
    assert_int_equal(cached_get(g, b, k, &c), 9);
    ft_object *pk = NULL, *pv = NULL;
    assert_int_equal(ft_dict_popitem(b, &pk, &pv), 1); /* the last: k */
    assert_int_equal(ft_equal(pk, k), 1);
    ft_decref(pk);
    ft_decref(pv);
    assert_int_equal(cached_get(g, b, k, &c), 0);
    v = ft_int_from_i64(10);
    assert_int_equal(ft_dict_set(g, k, v), 0);
    ft_decref(v);
    assert_int_equal(cached_get(g, b, k, &c), 10);
    assert_int_equal(ft_dict_clear(g), 0);
    assert_int_equal(cached_get(g, b, k, &c), 0);
    /* errors */
    assert_int_equal(ft_dict_lookup2_cached(k, b, k, &c, &out), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(out);
    assert_int_equal(ft_dict_lookup2_cached(g, NULL, k, &c, &out), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_lookup2_cached(g, b, k, NULL, &out), -1);
    ft_test_expect_error(FT_ERR_VALUE);
    assert_int_equal(ft_dict_lookup2_cached(g, b, k, &c, NULL), -1);
    ft_test_expect_error(FT_ERR_VALUE);
    ft_object *objs[] = { g, b, g2, k, other };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- Threads: readers through one entry, a writer rebinding ------------ */

enum { REBINDS = 20000 };

typedef struct shared_dicts {
    ft_object *g, *b, *key;
    ft_dict_cache2 *cache;
    _Atomic int xdone;
} shared_dicts;

/* Reads key through the shared entry until the writer is done: the values
 * never go back, and the last read after done is the final value. */
static void reader(void *arg)
{
    shared_dicts *s = arg;
    int64_t last = -1;
    for (int i = 0;; i++) {
        /* acquire: pairs with the writer's release; after it, the final
         * value must be what a read gives */
        bool done = atomic_load_explicit(&s->xdone, memory_order_acquire);
        ft_object *v = NULL;
        int r = ft_dict_lookup2_cached(s->g, s->b, s->key, s->cache, &v);
        if (!ft_worker_check(r == 1))
            return;
        int64_t n = ft_int_as_i64(v);
        ft_decref(v);
        if (n < last)
            ft_worker_fail("value went back: %lld after %lld", (long long)n,
                           (long long)last);
        last = n;
        if (done) {
            if (n != REBINDS)
                ft_worker_fail("final value %lld", (long long)n);
            return;
        }
        if (i % 64 == 0)
            ft_checkpoint();
    }
}

static void writer(void *arg)
{
    shared_dicts *s = arg;
    for (int64_t i = 1; i <= REBINDS; i++) {
        /* big ints: a fresh object each time, freed when replaced */
        ft_object *v = ft_int_from_i64(i);
        ft_worker_check(ft_dict_set(s->g, s->key, v) == 0);
        ft_decref(v);
        if (i % 64 == 0)
            ft_checkpoint();
    }
    /* release: the final value is stored before done is seen */
    atomic_store_explicit(&s->xdone, 1, memory_order_release);
}

static void test_lookup2_cached_threads(void **state)
{
    (void)state;
    ft_dict_cache2 c = { 0 };
    shared_dicts s = { ft_dict_new(), ft_dict_new(), ft_str_from_utf8("k", -1), &c, 0 };
    set_ii(s.b, 1, 1);
    ft_object *v = ft_int_from_i64(0);
    assert_int_equal(ft_dict_set(s.g, s.key, v), 0);
    ft_decref(v);
    ft_thread *r1 = ft_thread_start(reader, &s);
    ft_thread *w = ft_thread_start(writer, &s);
    reader(&s);
    assert_int_equal(ft_thread_join(r1), 0);
    assert_int_equal(ft_thread_join(w), 0);
    ft_test_assert_workers_ok();
    ft_decref(s.g);
    ft_decref(s.b);
    ft_decref(s.key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_lookup2_cached),
        T(test_lookup2_cached_threads),
    };
    return ft_test_run(tests);
}
