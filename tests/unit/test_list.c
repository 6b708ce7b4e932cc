/* test_list.c — lists: creation, append, get and set with Python's
 * negative indices, over-allocation seen through ft_sizeof, the references
 * a list holds, equality, the free list, and every error path. */
#include <limits.h>
#include <string.h>
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's failure injection */
#include "ft_test.h"
#include "internal/object.h"
#include "internal/qsbr.h"
#include "mem/backend.h"

/* Appends a fresh (heap, not small) int and drops the caller's reference. */
static void append_int(ft_object *l, int64_t v)
{
    ft_object *o = ft_int_from_i64(v);
    assert_int_equal(ft_list_append(l, o), 0);
    ft_decref(o);
}

static int64_t get_int(ft_object *l, ssize_t i)
{
    ft_object *o = ft_list_get(l, i);
    assert_non_null(o);
    int64_t v = ft_int_as_i64(o);
    ft_decref(o);
    return v;
}

static void test_new_append_get_set(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = ft_list_new(3);
    assert_non_null(l);
    assert_int_equal(ft_len(l), 3);
    for (ssize_t i = 0; i < 3; i++) {
        ft_object *o = ft_list_get(l, i);
        assert_ptr_equal(o, ft_none());
        ft_decref(o);
    }
    for (int64_t i = 0; i < 100; i++)
        append_int(l, 1000 + i);
    assert_int_equal(ft_len(l), 103);
    assert_int_equal(get_int(l, 3), 1000);
    assert_int_equal(get_int(l, 102), 1099);
    ft_object *x = ft_int_from_i64(-77777);
    assert_int_equal(ft_list_set(l, 0, x), 0);
    ft_decref(x);
    assert_int_equal(get_int(l, 0), -77777);
    assert_int_equal(ft_test_live_objects(), before + 1 + 101);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_negative_indices(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(0);
    for (int64_t i = 0; i < 5; i++)
        append_int(l, 2000 + i);
    assert_int_equal(get_int(l, -1), 2004);
    assert_int_equal(get_int(l, -5), 2000);
    ft_object *x = ft_int_from_i64(9999);
    assert_int_equal(ft_list_set(l, -2, x), 0);
    ft_decref(x);
    assert_int_equal(get_int(l, 3), 9999);
    assert_null(ft_list_get(l, -6));
    ft_test_expect_error(FT_ERR_INDEX);
    assert_null(ft_list_get(l, 5));
    ft_test_expect_error(FT_ERR_INDEX);
    ft_decref(l);
}

/* ft_sizeof grows in steps (over-allocation): it changes only at CPython's
 * capacities 4, 8, 16, 24, 32, 40, 52, 64, 76, ... not at every append. */
static void test_over_allocation(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(0);
    size_t empty = ft_sizeof(l), last = empty;
    ssize_t grew_at[16];
    int grows = 0;
    for (ssize_t n = 1; n <= 80; n++) {
        ft_list_append(l, ft_none());
        size_t s = ft_sizeof(l);
        assert_true(s >= last);
        if (s != last && grows < 16)
            grew_at[grows++] = n;
        last = s;
    }
    const ssize_t expect[] = { 1, 5, 9, 17, 25, 33, 41, 53, 65, 77 };
    assert_int_equal(grows, 10);
    for (int i = 0; i < grows; i++)
        assert_int_equal(grew_at[i], expect[i]);
    /* the last growth, at 77 items: (77 + 77/8 + 6) & ~3 = 92 slots, plus
     * the array's header (its capacity) */
    assert_int_equal(last - empty, sizeof(ssize_t) + 92 * sizeof(ft_object *));
    ft_object *exact = ft_list_new(80);   /* ft_list_new does not over-allocate */
    assert_int_equal(ft_sizeof(exact) - empty,
                     sizeof(ssize_t) + 80 * sizeof(ft_object *));
    ft_decref(exact);
    ft_decref(l);
}

static void test_refcounts(void **state)
{
    (void)state;
    ft_object *v = ft_int_from_i64(123456);
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_refcnt(v), 1);
    ft_list_append(l, v);
    ft_list_append(l, v);
    assert_int_equal(ft_refcnt(v), 3);    /* append increfs */
    ft_object *got = ft_list_get(l, 0);
    assert_ptr_equal(got, v);
    assert_int_equal(ft_refcnt(v), 4);    /* get returns a new reference */
    ft_decref(got);
    ft_object *w = ft_int_from_i64(654321);
    assert_int_equal(ft_list_set(l, 1, w), 0);
    assert_int_equal(ft_refcnt(v), 2);    /* the replaced value is released */
    assert_int_equal(ft_refcnt(w), 2);
    ft_decref(l);                          /* dealloc releases every item */
    assert_int_equal(ft_refcnt(v), 1);
    assert_int_equal(ft_refcnt(w), 1);
    ft_decref(v);
    ft_decref(w);
}

static void test_list_of_lists(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *outer = ft_list_new(0);
    for (int i = 0; i < 10; i++) {
        ft_object *inner = ft_list_new(i);
        append_int(inner, 5000 + i);
        ft_list_append(outer, inner);
        ft_decref(inner);
    }
    ft_object *inner = ft_list_get(outer, -1);
    assert_int_equal(ft_len(inner), 10);
    assert_int_equal(get_int(inner, -1), 5009);
    ft_decref(inner);
    assert_int_equal(ft_test_live_objects(), before + 1 + 10 + 10);
    ft_decref(outer);   /* releases the inner lists and their items */
    assert_int_equal(ft_test_live_objects(), before);
}

static ft_object *int_list(int n, int64_t base)
{
    ft_object *l = ft_list_new(0);
    for (int i = 0; i < n; i++)
        append_int(l, base + i);
    return l;
}

static void test_equality(void **state)
{
    (void)state;
    ft_object *a = int_list(5, 1000), *b = int_list(5, 1000);
    ft_object *c = int_list(5, 1001), *d = int_list(4, 1000);
    assert_int_equal(ft_equal(a, b), 1);
    assert_int_equal(ft_equal(a, c), 0);
    assert_int_equal(ft_equal(a, d), 0);
    assert_int_equal(ft_equal(a, ft_none()), 0);
    ft_object *f = ft_float_from_double(1000.0);   /* [1000.0, ...] == [1000, ...] */
    ft_list_set(b, 0, f);
    ft_decref(f);
    assert_int_equal(ft_equal(a, b), 1);
    ft_object *e1 = ft_list_new(0), *e2 = ft_list_new(0);
    assert_int_equal(ft_equal(e1, e2), 1);
    ft_object *n1 = ft_list_new(0), *n2 = ft_list_new(0);   /* [[a]] == [[b]] */
    ft_list_append(n1, a);
    ft_list_append(n2, b);
    assert_int_equal(ft_equal(n1, n2), 1);
    ft_object *all[] = { a, b, c, d, e1, e2, n1, n2 };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
}

static void test_unhashable(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(1);
    assert_int_equal(ft_hash(l), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    ft_decref(l);
}

static void test_free_list_reuse(void **state)
{
    (void)state;
    ft_object *l = int_list(3, 7000);
    ft_decref(l);
    ft_object *m = ft_list_new(0);   /* the same block, as a fresh list */
    /* nogil parks only blocks of obmalloc's object pools (no collector
     * pre-header): not under FT_MALLOC=debug or another backend. */
    if (!FT_NOGIL || strcmp(ft_allocator_name(), "obmalloc") == 0)
        assert_ptr_equal(m, l);
    assert_int_equal(ft_refcnt(m), 1);
    assert_int_equal(ft_len(m), 0);
    assert_null(ft_list_get(m, 0));
    ft_test_expect_error(FT_ERR_INDEX);
    ft_decref(m);
}

static void test_errors(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *v = ft_int_from_i64(31337);
    assert_null(ft_list_new(-1));
    ft_test_expect_error(FT_ERR_VALUE);
    assert_null(ft_list_new((ssize_t)1 << 61));
    ft_test_expect_error(FT_ERR_MEMORY);
    assert_null(ft_list_new(SSIZE_MAX));
    ft_test_expect_error(FT_ERR_MEMORY);
    ft_object *l = ft_list_new(2);
    assert_int_equal(ft_list_set(l, 2, v), -1);
    ft_test_expect_error(FT_ERR_INDEX);
    assert_int_equal(ft_list_set(l, -3, v), -1);
    ft_test_expect_error(FT_ERR_INDEX);
    assert_int_equal(ft_refcnt(v), 1);          /* a failed set keeps nothing */
    assert_int_equal(ft_list_set(l, 0, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_list_append(l, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_list_append(NULL, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_list_append(v, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_list_get(NULL, 0));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_list_get(ft_none(), 0));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_list_set(ft_tuple_new(0), 0, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_len(l), 2);
    assert_int_equal(ft_refcnt(v), 1);
    ft_decref(l);
    ft_decref(v);
    assert_int_equal(ft_test_live_objects(), before);
}

/* A failed growth leaves the list as it was and keeps no reference. */
static void test_out_of_memory(void **state)
{
    (void)state;
    ft_object *l = int_list(4, 9000);   /* capacity 4: the next append grows */
    ft_object *v = ft_int_from_i64(424242);
    _ft_mem_fail_after(0);
    assert_int_equal(ft_list_append(l, v), -1);
    ft_test_expect_error(FT_ERR_MEMORY);
    assert_int_equal(ft_list_set(l, 0, v), 0);   /* no allocation needed */
    _ft_mem_fail_reset();
    assert_int_equal(ft_len(l), 4);
    assert_int_equal(ft_refcnt(v), 2);
    assert_int_equal(ft_list_append(l, v), 0);
    assert_int_equal(ft_len(l), 5);
    ft_decref(l);
    assert_int_equal(ft_refcnt(v), 1);
    ft_decref(v);
}

/* tp_traverse visits each item once; tp_clear empties the list and
 * releases its items, leaving a usable empty list. */
static int count_visit(ft_object *o, void *arg)
{
    (void)o;
    (*(int *)arg)++;
    return 0;
}

static void test_gc_slots(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = int_list(7, 8000);
    assert_true(ft_list_type.tp_flags & FT_TPFLAGS_GC);
    int visits = 0;
    assert_int_equal(ft_list_type.tp_traverse(l, count_visit, &visits), 0);
    assert_int_equal(visits, 7);
    assert_int_equal(ft_list_type.tp_clear(l), 0);
    assert_int_equal(ft_len(l), 0);
    assert_int_equal(ft_test_live_objects(), before + 1);
    append_int(l, 1);
    assert_int_equal(get_int(l, 0), 1);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

/* An empty list's array is NO_ITEMS, a static array of no slots that is
 * never freed (list.c): every way to an empty list — made empty, cleared,
 * emptied by a range edit, by the collector's tp_clear, taken by sort,
 * a slice of nothing — reads as empty (an IndexError, lock-free or
 * not), measures as an empty list, grows again, and dies without
 * freeing it (the debug allocator and ASan would report that). */
static void test_empty_lists(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *model = ft_list_new(0);
    size_t empty = ft_sizeof(model);
    ft_object *ls[6];
    for (int k = 0; k < 6; k++) {
        ls[k] = ft_list_new(k == 0 ? 0 : 3);
        if (k > 0)
            append_int(ls[k], 7);
    }
    assert_int_equal(ft_list_clear(ls[1]), 0);
    assert_int_equal(ft_list_set_slice(ls[2], 0, 4, NULL, 0), 0);
    assert_int_equal(ft_list_type.tp_clear(ls[3]), 0);
    ft_object **items;
    ssize_t n;
    assert_int_equal(ft_list_take_items(ls[4], &items, &n), 0);
    assert_int_equal(n, 4);
    for (ssize_t i = 0; i < n; i++)
        ft_decref(items[i]);
    ft_free(items);
    ft_decref(ls[5]);
    ls[5] = ft_list_slice(model, 0, 1, 0);
    for (int k = 0; k < 6; k++) {
        ft_object *l = ls[k];
        assert_int_equal(ft_len(l), 0);
        assert_int_equal(ft_sizeof(l), empty);
        assert_null(ft_list_get(l, 0));
        ft_test_expect_error(FT_ERR_INDEX);
        ft_object *t = ft_list_as_tuple(l);
        assert_int_equal(ft_len(t), 0);
        ft_decref(t);
        append_int(l, 40 + k);
        assert_int_equal(get_int(l, 0), 40 + k);
        ft_decref(l);
    }
    ft_decref(model);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- Reads without the lock (nogil) --------------------------------------- */

typedef struct other_reader {
    ft_object *list;
    int64_t sum;
    ft_lockfree_counts counts;
} other_reader;

static void read_all(void *arg)
{
    other_reader *r = arg;
    ft_lockfree_counts before = _ft_lockfree_counts;
    for (ssize_t i = 0; i < ft_len(r->list); i++) {
        ft_object *o = ft_list_get(r->list, i);   /* a worker: no get_int */
        if (!ft_worker_check(o != NULL))
            return;
        r->sum += ft_int_as_i64(o);
        ft_decref(o);
    }
    r->counts.hits = _ft_lockfree_counts.hits - before.hits;
    r->counts.fallbacks = _ft_lockfree_counts.fallbacks - before.fallbacks;
}

/* Another thread (not the items' owner) reads every item. Items the
 * owner stored into its private list may be unmarked
 * (_ft_object_mark_stored): the first read of each falls back to the lock
 * and marks it there, so a second pass reads every item without the
 * lock — no fallback, which every locked read counts (internal/qsbr.h;
 * hits only where counted). An index out of range is still an
 * IndexError. */
static void test_get_from_another_thread(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = ft_list_new(0);
    for (int64_t i = 0; i < 50; i++)
        append_int(l, 1000 + i);
    other_reader r = { .list = l };
    ft_thread *t = ft_thread_start(read_all, &r);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(r.sum, 50 * 1000 + 49 * 50 / 2);
    if (_ft_lockfree_hits_counted())
        assert_int_equal(r.counts.hits + r.counts.fallbacks,
                         _ft_qsbr_lockfree_reads() ? 50 : 0);
    assert_true(r.counts.fallbacks <= 50);
    other_reader r2 = { .list = l };
    t = ft_thread_start(read_all, &r2);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(r2.sum, r.sum);
    if (_ft_lockfree_hits_counted())
        assert_int_equal(r2.counts.hits, _ft_qsbr_lockfree_reads() ? 50 : 0);
    assert_int_equal(r2.counts.fallbacks, 0);
    assert_null(ft_list_get(l, 50));
    ft_test_expect_error(FT_ERR_INDEX);
    assert_null(ft_list_get(l, -51));
    ft_test_expect_error(FT_ERR_INDEX);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- The owner's private list (biased nogil) ----------------------------- */

/* Are sections elided in this build? Biased nogil with the expedited
 * membarrier (mutex.c): the calling thread registered on its first
 * elidable section. */
static bool elides(void)
{
    return FT_NOGIL && !FT_RC_ATOMIC && _ft_cs_elide_tls.registered;
}

typedef struct other_writer {
    ft_object *list;
    int rc;
} other_writer;

static void set_first(void *arg)
{
    other_writer *w = arg;
    ft_object *v = ft_int_from_i64(-7);
    w->rc = ft_list_set(w->list, 0, v);
    ft_decref(v);
}

static unsigned settle_from_another_thread(ft_object *l)
{
    other_writer w = { .list = l, .rc = -1 };
    ft_thread *t = ft_thread_start(set_first, &w);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(w.rc, 0);
    return _ft_object_elide_state(l);
}

/* The owner's ft_list_append and ft_list_set skip the lock on its own
 * list (FT_OBJ_ELIDED) until another thread locks the list: that thread
 * settles it (LOCKING, then SETTLED), and the owner locks from then on. */
static void test_owner_elides_until_settled(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = ft_list_new(0);
    assert_int_equal(_ft_object_elide_state(l), 0);   /* new: nothing yet */
    for (int64_t i = 0; i < 3; i++)
        append_int(l, 10 + i);
    assert_int_equal(_ft_object_elide_state(l), elides() ? FT_OBJ_ELIDED : 0);
    unsigned settled = FT_NOGIL && !FT_RC_ATOMIC ? FT_OBJ_LOCKING | FT_OBJ_SETTLED : 0;
    assert_int_equal(settle_from_another_thread(l),
                     settled | (elides() ? FT_OBJ_ELIDED : 0u));
    append_int(l, 13);   /* the owner now locks: same results */
    int64_t want[] = { -7, 11, 12, 13 };
    for (ssize_t i = 0; i < 4; i++)
        assert_int_equal(get_int(l, i), want[i]);
    ft_decref(l);

    /* Never elided (only created): settled in one step. */
    ft_object *m = ft_list_new(2);
    assert_int_equal(settle_from_another_thread(m), settled);
    assert_int_equal(get_int(m, 0), -7);
    ft_decref(m);
    assert_int_equal(ft_test_live_objects(), before);
}

/* The range edits run in elidable sections too (list.c, "Range
 * edits"): each on a list only created (never elided, never locked)
 * leaves it ELIDED in biased nogil, with the thread out of every elided
 * section afterwards; appends that grow the array go on in the section
 * ft_list_append began (list_append_grow) and end it. Once another
 * thread settled the list, the same edits lock and give the same
 * results. */
static void edit_all_ways(ft_object *l)
{
    ft_object *v[3] = { ft_int_from_i64(1), ft_int_from_i64(2), ft_int_from_i64(3) };
    assert_int_equal(ft_list_clear(l), 0);
    for (int64_t i = 0; i < 20; i++)   /* grows at 1, 5, 9, 17 */
        append_int(l, 100 + i);
    assert_false(_ft_cs_in_elided_section());
    assert_int_equal(ft_list_insert(l, 0, v[0]), 0);
    ft_object *p = ft_list_pop(l, -1);
    assert_int_equal(ft_int_as_i64(p), 119);
    ft_decref(p);
    assert_int_equal(ft_list_set_slice(l, 1, 3, v, 3), 0);   /* 1 1 2 3 102 ... */
    assert_int_equal(ft_list_extend_array(l, v + 2, 1), 0);
    assert_int_equal(ft_list_reverse(l), 0);
    ft_object **items;
    ssize_t n;
    assert_int_equal(ft_list_take_items(l, &items, &n), 0);
    assert_int_equal(n, 22);
    assert_int_equal(ft_list_put_items_steal(l, items, n), 0);
    assert_false(_ft_cs_in_elided_section());
    int64_t want[] = { 3, 118, 117 }, tail[] = { 102, 3, 2, 1, 1 };
    for (int i = 0; i < 3; i++)
        assert_int_equal(get_int(l, i), want[i]);
    for (int i = 0; i < 5; i++)
        assert_int_equal(get_int(l, 17 + i), tail[i]);
    for (int i = 0; i < 3; i++)
        ft_decref(v[i]);
}

static void test_range_edits_elide(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = ft_list_new(2);
    edit_all_ways(l);
    assert_int_equal(_ft_object_elide_state(l), elides() ? FT_OBJ_ELIDED : 0);
    unsigned settled = FT_NOGIL && !FT_RC_ATOMIC ? FT_OBJ_LOCKING | FT_OBJ_SETTLED : 0;
    assert_int_equal(settle_from_another_thread(l),
                     settled | (elides() ? FT_OBJ_ELIDED : 0u));
    edit_all_ways(l);   /* the owner locks now */
    ft_decref(l);
    /* Each edit alone on a list only created: ELIDED by that edit. */
    for (int k = 0; k < 3; k++) {
        ft_object *m = ft_list_new(4), *x = ft_int_from_i64(9);
        if (k == 0)
            assert_int_equal(ft_list_insert(m, 1, x), 0);
        else if (k == 1)
            ft_decref(ft_list_pop(m, 0));
        else
            assert_int_equal(ft_list_set_slice(m, 0, 2, &x, 1), 0);
        assert_int_equal(_ft_object_elide_state(m), elides() ? FT_OBJ_ELIDED : 0);
        ft_decref(x);
        ft_decref(m);
    }
    assert_int_equal(ft_test_live_objects(), before);
}

/* _ft_object_mark_stored: an item the owner stores into its private list
 * stays unmarked when its memory is type-stable (its death then needs no
 * merge); stored into a list other threads reach, it is marked; a
 * non-owner's read through the lock marks it. */
static void test_store_marks(void **state)
{
    (void)state;
    ft_object *priv = ft_list_new(0), *pub = ft_list_new(0);
    _ft_object_set_shared(pub);   /* as if stored where others find it */
    ft_object *a = ft_int_from_i64(1000001), *b = ft_int_from_i64(1000002);
    assert_int_equal(ft_list_append(priv, a), 0);
    assert_int_equal(ft_list_append(pub, b), 0);
    bool skips = FT_NOGIL && !FT_RC_ATOMIC && _ft_obmalloc_type_stable(a);
    assert_int_equal(_ft_shared_mark_needed(a), skips);
    assert_false(_ft_shared_mark_needed(b));
    other_reader r = { .list = priv };
    ft_thread *t = ft_thread_start(read_all, &r);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_false(_ft_shared_mark_needed(a));   /* marked by the reader */
    ft_decref(a);
    ft_decref(b);
    ft_decref(priv);
    ft_decref(pub);
}

/* Does o's header say its block is type-stable (FT_OBJ_TYPE_STABLE)? */
static bool header_says_stable(ft_object *o)
{
    return _ft_object_stable_flags(false, o) != 0;   /* its bit; 0 in gil */
}

/* The header's type-stable bit (internal/object.h, _ft_object_type_stable),
 * which spares the stores into private lists their radix lookup: never
 * set on an object outside type-stable memory, and (biased nogil) set on
 * a small non-GC object from the pools, fresh or from a free list, so that
 * such an item stored into a private list stays unmarked without the
 * lookup. */
static void test_type_stable_bit(void **state)
{
    (void)state;
    bool biased = FT_NOGIL && !FT_RC_ATOMIC;
    ft_object *f = ft_float_from_double(0.5);
    ft_object *g = ft_float_from_double(1.5);
    ft_decref(f);   /* parked on the float free list */
    f = ft_float_from_double(2.5);   /* unparked */
    ft_object *objs[] = { f, g };
    for (int k = 0; k < 2; k++) {
        ft_object *o = objs[k];
        bool stable = _ft_obmalloc_type_stable(o);
        assert_true(!header_says_stable(o) || stable);   /* never a lie */
        assert_int_equal(header_says_stable(o), biased && stable);
        assert_int_equal(_ft_object_type_stable(o), stable);
    }
    /* A GC object has no bit, but one from the GC heap's pools (no
     * pre-header), fresh or from the list free list, stored into a
     * private list stays unmarked too (_ft_object_type_stable_unmarked). */
    ft_object *l1 = ft_list_new(0), *l2 = ft_list_new(0);
    ft_decref(l1);
    l1 = ft_list_new(0);
    ft_object *holder = ft_list_new(0);
    ft_object *lists[] = { l1, l2 };
    for (int k = 0; k < 2; k++) {
        ft_object *o = lists[k];
        assert_false(header_says_stable(o));
        assert_int_equal(_ft_object_type_stable_unmarked(o), _ft_obmalloc_type_stable(o));
        assert_int_equal(ft_list_append(holder, o), 0);
        assert_int_equal(ft_list_set(holder, k, o), 0);
        assert_int_equal(_ft_shared_mark_needed(o),
                         biased && _ft_obmalloc_type_stable(o));
    }
    ft_decref(holder);
    ft_decref(l1);
    ft_decref(l2);
    /* Too large for the pools: the general allocator's block. */
    char big[4096];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ft_object *s = ft_str_from_utf8(big, (ssize_t)strlen(big));
    assert_non_null(s);
    assert_false(header_says_stable(s));
    assert_int_equal(_ft_object_type_stable(s), _ft_obmalloc_type_stable(s));
    /* The bit spares the mark, as the lookup did. */
    ft_object *priv = ft_list_new(0);
    assert_int_equal(ft_list_append(priv, f), 0);
    assert_int_equal(_ft_shared_mark_needed(f),
                     biased && _ft_obmalloc_type_stable(f));
    ft_decref(priv);
    ft_decref(s);
    ft_decref(f);
    ft_decref(g);
}

/* ---- Python's list operations (ftpy) --------------------------------------- */

/* The list's items as ints, into out (at most 64); returns the length. */
static ssize_t list_ints(ft_object *l, int64_t *out)
{
    ssize_t n = ft_len(l);
    assert_true(n <= 64);
    for (ssize_t i = 0; i < n; i++)
        out[i] = get_int(l, i);
    return n;
}

static void assert_list_is(ft_object *l, const int64_t *want, ssize_t n)
{
    int64_t got[64];
    assert_int_equal(list_ints(l, got), n);
    for (ssize_t i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

static ft_object **int_array(int n, int64_t base)
{
    ft_object **a = ft_malloc((size_t)n * sizeof *a);
    for (int i = 0; i < n; i++)
        a[i] = ft_int_from_i64(base + i);
    return a;
}

static void free_int_array(ft_object **a, int n)
{
    for (int i = 0; i < n; i++)
        ft_decref(a[i]);
    ft_free(a);
}

/* Slice assignment that grows in place, grows into a new array, shrinks
 * in place and shrinks into a smaller array; clamping; del; clear. */
static void test_set_slice(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = int_list(5, 1000);                 /* capacity 8 */
    ft_object **x = int_array(3, 2000);
    assert_int_equal(ft_list_set_slice(l, 1, 2, x, 2), 0);   /* in place */
    assert_list_is(l, (int64_t[]){ 1000, 2000, 2001, 1002, 1003, 1004 }, 6);
    assert_int_equal(ft_list_set_slice(l, 0, 0, x, 3), 0);   /* new array */
    assert_list_is(l, (int64_t[]){ 2000, 2001, 2002, 1000, 2000, 2001,
                                   1002, 1003, 1004 }, 9);
    assert_int_equal(ft_refcnt(x[0]), 3);
    assert_int_equal(ft_list_set_slice(l, 2, 7, NULL, 0), 0);   /* del */
    assert_list_is(l, (int64_t[]){ 2000, 2001, 1003, 1004 }, 4);
    assert_int_equal(ft_refcnt(x[0]), 2);             /* released */
    assert_int_equal(ft_list_set_slice(l, 3, -5, x, 1), 0);   /* hi < lo: insert */
    assert_list_is(l, (int64_t[]){ 2000, 2001, 1003, 2000, 1004 }, 5);
    assert_int_equal(ft_list_set_slice(l, 99, 100, x + 2, 1), 0);  /* clamped */
    assert_list_is(l, (int64_t[]){ 2000, 2001, 1003, 2000, 1004, 2002 }, 6);
    assert_int_equal(ft_list_extend_array(l, x, 3), 0);
    assert_int_equal(ft_len(l), 9);
    assert_int_equal(ft_list_clear(l), 0);
    assert_int_equal(ft_len(l), 0);
    ft_object *fresh = ft_list_new(0);
    assert_int_equal(ft_sizeof(l), ft_sizeof(fresh));      /* array freed */
    ft_decref(fresh);
    assert_int_equal(ft_refcnt(x[0]), 1);
    free_int_array(x, 3);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

/* l.extend(l): the items array may be the list's own snapshot. */
static void test_extend_from_itself(void **state)
{
    (void)state;
    ft_object *l = int_list(3, 3000);
    ft_object *t = ft_list_as_tuple(l);
    assert_int_equal(ft_len(t), 3);
    ft_object *items[3];
    for (int i = 0; i < 3; i++)
        items[i] = ft_tuple_get_borrow(t, i);
    assert_int_equal(ft_list_extend_array(l, items, 3), 0);
    assert_list_is(l, (int64_t[]){ 3000, 3001, 3002, 3000, 3001, 3002 }, 6);
    ft_decref(t);
    ft_decref(l);
}

static void test_insert_pop_reverse(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = ft_list_new(0);
    ft_object *v = ft_int_from_i64(4242);
    assert_int_equal(ft_list_insert(l, 0, v), 0);          /* [v] */
    append_int(l, 1);
    append_int(l, 2);                                      /* [v, 1, 2] */
    assert_int_equal(ft_list_insert(l, -1, v), 0);         /* [v, 1, v, 2] */
    assert_int_equal(ft_list_insert(l, 100, v), 0);        /* [v, 1, v, 2, v] */
    assert_int_equal(ft_list_insert(l, -100, v), 0);       /* [v, v, 1, v, 2, v] */
    assert_list_is(l, (int64_t[]){ 4242, 4242, 1, 4242, 2, 4242 }, 6);
    assert_int_equal(ft_refcnt(v), 5);
    ft_object *p = ft_list_pop(l, -1);
    assert_ptr_equal(p, v);
    assert_int_equal(ft_refcnt(v), 5);      /* the list's reference moved to us */
    ft_decref(p);
    p = ft_list_pop(l, 2);
    assert_int_equal(ft_int_as_i64(p), 1);
    ft_decref(p);
    assert_int_equal(ft_list_reverse(l), 0);
    assert_list_is(l, (int64_t[]){ 2, 4242, 4242, 4242 }, 4);
    assert_null(ft_list_pop(l, 4));
    assert_string_equal(ft_err_message(), "pop index out of range");
    ft_test_expect_error(FT_ERR_INDEX);
    assert_int_equal(ft_list_clear(l), 0);
    assert_null(ft_list_pop(l, -1));
    assert_string_equal(ft_err_message(), "pop from empty list");
    ft_test_expect_error(FT_ERR_INDEX);
    assert_int_equal(ft_list_reverse(l), 0);               /* empty: fine */
    assert_int_equal(ft_refcnt(v), 1);
    ft_decref(v);
    assert_int_equal(ft_list_insert(l, 0, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_list_pop(ft_none(), 0));
    ft_test_expect_error(FT_ERR_TYPE);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_as_tuple_and_slice(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = int_list(10, 5000);
    ft_object *t = ft_list_as_tuple(l);
    assert_int_equal(ft_len(t), 10);
    assert_int_equal(ft_int_as_i64(ft_tuple_get_borrow(t, 9)), 5009);
    ft_object *s = ft_list_slice(l, 1, 3, 3);              /* l[1::3] */
    assert_list_is(s, (int64_t[]){ 5001, 5004, 5007 }, 3);
    ft_decref(s);
    s = ft_list_slice(l, 9, -2, 5);                        /* l[::-2] */
    assert_list_is(s, (int64_t[]){ 5009, 5007, 5005, 5003, 5001 }, 5);
    ft_decref(s);
    s = ft_list_slice(l, 8, 1, 5);                         /* past the end: skipped */
    assert_list_is(s, (int64_t[]){ 5008, 5009 }, 2);
    ft_decref(s);
    s = ft_list_slice(l, 0, 1, 0);
    assert_int_equal(ft_len(s), 0);
    ft_decref(s);
    assert_null(ft_list_slice(l, 0, 0, 1));
    ft_test_expect_error(FT_ERR_VALUE);
    ft_object *e = ft_list_new(0);
    ft_object *et = ft_list_as_tuple(e);
    assert_int_equal(ft_len(et), 0);
    ft_decref(et);
    ft_decref(e);
    ft_decref(t);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

/* list.sort's take/put: the list is empty in between; a change made in
 * between is reported and dropped. */
static void test_take_put_items(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = int_list(4, 6000);
    ft_object **items;
    ssize_t n;
    assert_int_equal(ft_list_take_items(l, &items, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(ft_len(l), 0);
    ft_object *x = items[0];                               /* reverse them */
    items[0] = items[3];
    items[3] = x;
    assert_int_equal(ft_list_put_items_steal(l, items, n), 0);
    assert_list_is(l, (int64_t[]){ 6003, 6001, 6002, 6000 }, 4);
    assert_int_equal(ft_list_take_items(l, &items, &n), 0);
    append_int(l, 7777);                                   /* modified meanwhile */
    assert_int_equal(ft_list_put_items_steal(l, items, n), 1);
    assert_list_is(l, (int64_t[]){ 6003, 6001, 6002, 6000 }, 4);
    ft_object *e = ft_list_new(0);
    assert_int_equal(ft_list_take_items(e, &items, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(ft_list_put_items_steal(e, items, n), 0);
    ft_decref(e);
    ft_decref(l);
    assert_int_equal(ft_test_live_objects(), before);
}

/* A failed growth of a range edit leaves the list as it was. */
static void test_set_slice_out_of_memory(void **state)
{
    (void)state;
    ft_object *l = int_list(4, 9000);
    ft_object **x = int_array(20, 9100);
    _ft_mem_fail_after(0);
    assert_int_equal(ft_list_set_slice(l, 0, 1, x, 20), -1);
    ft_test_expect_error(FT_ERR_MEMORY);
    _ft_mem_fail_reset();
    assert_list_is(l, (int64_t[]){ 9000, 9001, 9002, 9003 }, 4);
    assert_int_equal(ft_refcnt(x[0]), 1);
    free_int_array(x, 20);
    ft_decref(l);
}

typedef struct churn {
    ft_object *list;
    int rounds;
} churn;

/* Inserts at the front and pops from the back: the list's length stays
 * near 100 while its items move under the readers. */
static void churn_list(void *arg)
{
    churn *c = arg;
    for (int i = 0; i < c->rounds; i++) {
        ft_object *v = ft_int_from_i64(100000 + i);
        ft_worker_check(ft_list_insert(c->list, 0, v) == 0);
        ft_decref(v);
        ft_object *p = ft_list_pop(c->list, -1);
        if (!ft_worker_check(p != NULL))
            return;
        int64_t x = ft_int_as_i64(p);
        if (!(x >= 100000 || (x >= 0 && x < 100)))
            ft_worker_fail("popped %lld, neither a first item nor an insert",
                           (long long)x);
        ft_decref(p);
        if (i % 64 == 0)
            ft_checkpoint();
    }
}

/* One thread edits ranges while this one reads items and snapshots: every
 * item read is a live int, every snapshot has the length it says. */
static void test_edits_while_reading(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(0);
    for (int i = 0; i < 100; i++)
        append_int(l, i);
    churn c = { l, 20000 };
    ft_thread *t = ft_thread_start(churn_list, &c);
    for (int i = 0; i < 20000; i++) {
        ft_object *v = ft_list_get(l, i % 100);
        if (v) {
            assert_true(ft_type_of(v) == &ft_int_type);
            ft_decref(v);
        } else {
            ft_test_expect_error(FT_ERR_INDEX);   /* between an insert and a pop */
        }
        if (i % 256 == 0) {
            ft_object *s = ft_list_as_tuple(l);
            assert_true(ft_len(s) >= 99 && ft_len(s) <= 101);
            ft_decref(s);
            ft_checkpoint();
        }
    }
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(ft_len(l), 100);
    ft_decref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_new_append_get_set),
        T(test_negative_indices),
        T(test_over_allocation),
        T(test_refcounts),
        T(test_list_of_lists),
        T(test_equality),
        T(test_unhashable),
        T(test_free_list_reuse),
        T(test_errors),
        T(test_out_of_memory),
        T(test_gc_slots),
        T(test_empty_lists),
        T(test_get_from_another_thread),
        T(test_owner_elides_until_settled),
        T(test_range_edits_elide),
        T(test_store_marks),
        T(test_type_stable_bit),
        T(test_set_slice),
        T(test_extend_from_itself),
        T(test_insert_pop_reverse),
        T(test_as_tuple_and_slice),
        T(test_take_put_items),
        T(test_set_slice_out_of_memory),
        T(test_edits_while_reading),
    };
    return ft_test_run(tests);
}
