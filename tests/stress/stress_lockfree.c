/* stress_lockfree.c — lock-free ft_list_get and ft_dict_get (nogil)
 * against writers that replace, delete, re-insert and resize, for a
 * bounded time per case.
 *
 *   list: a holder list's slot 0 points at the current list. A resizer
 *         keeps making a new list, publishing it in the holder and
 *         appending to it (every append may move the item array); a
 *         replacer overwrites random items of the current list. Readers
 *         fetch the current list and read random items without pause.
 *   dict: writers set, delete and re-insert str keys k0..k63 and churn
 *         extra keys in and out (resizes). Readers look keys up with the
 *         writers' key objects (pointer-equal) or their own (equal bytes),
 *         and now and then with an int key (the locked path).
 *
 * Items come in several kinds and sizes — ints, floats, short and long
 * (over 512 bytes) strings, small and big (over 512 bytes) tuples — so
 * freed items' memory is recycled across size classes and allocators,
 * and long keys die under readers that compare them. Every item encodes
 * the slot or key it was stored under; a reader checks that what it got
 * is alive, of a known kind, and encodes the slot or key it asked for.
 * Worker threads never assert (cmocka is not thread-safe): they record
 * with ft_worker_check/ft_worker_fail and the main thread asserts after
 * joining. The lock-free hit and fallback counts are printed (nogil: most
 * reads must go without the lock). Each case runs RUN_MS (FT_TEST_RUN_MS) and at least
 * MIN_READS reads (a loaded release build does about 800,000 in 500 ms;
 * the floor is an eighth of that, divided by the sanitizers' slowdown);
 * seeds come from ft_test_seed (FT_TEST_SEED replays a run). Run under
 * TSan and ASan by `make test`, and with FT_MALLOC=mimalloc and malloc.
 */
#define FT_BUILD_CORE 1   /* white-box: internal/qsbr.h's counters */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"
#include "internal/qsbr.h"

enum { RUN_MS = 500, MIN_READS = 100000, LIST_MAX = 200, NKEYS = 64, CHURN = 24, LONG = 600,
       BIG_TUPLE = 80, READERS = 2 };

static _Atomic int xstop;
static _Atomic long xmisses;
static _Atomic uint64_t xreads, xhits, xretries, xfallbacks;

static void checkpoint_every(long i)
{
    if (i % 32 == 0)
        ft_checkpoint();
}

/* ---- Items that encode a tag --------------------------------------------- */

static ft_object *make_str(const char *prefix, int tag, bool is_long, char fill)
{
    char buf[LONG + 32];
    int n = snprintf(buf, sizeof buf, "%s%d:", prefix, tag);
    if (is_long) {
        memset(buf + n, fill, LONG);
        n += LONG;
    }
    return ft_str_from_utf8(buf, n);
}

static ft_object *make_tuple(int tag, ssize_t n)
{
    ft_object *t = ft_tuple_new(n);
    for (ssize_t i = 0; t && i < n; i++)
        ft_tuple_set_steal(t, i, ft_int_from_i64(tag));
    return t;
}

/* An item of a random kind that encodes tag. */
static ft_object *make_item(int tag, unsigned *seed)
{
    switch (rand_r(seed) % 6) {
    case 0: return ft_int_from_i64((int64_t)tag * 1000 + rand_r(seed) % 1000);
    case 1: return ft_float_from_double(tag + 0.5);
    case 2: return make_str("t", tag, false, 0);
    case 3: return make_str("t", tag, true, 'x');
    case 4: return make_tuple(tag, 3);
    default: return make_tuple(tag, BIG_TUPLE);
    }
}

static bool str_has_tag(ft_object *v, int tag)
{
    ssize_t size;
    const char *s = ft_str_utf8_borrow(v, &size);
    char head[32];
    int n = snprintf(head, sizeof head, "t%d:", tag);
    if (size != n && size != n + LONG)
        return false;
    for (ssize_t i = n; i < size; i++)
        if (s[i] != 'x')
            return false;
    return memcmp(s, head, (size_t)n) == 0;
}

static bool tuple_has_tag(ft_object *v, int tag)
{
    ssize_t n = ft_len(v);
    if (n != 3 && n != BIG_TUPLE)
        return false;
    for (ssize_t i = 0; i < n; i++)
        if (ft_int_as_i64(ft_tuple_get_borrow(v, i)) != tag)
            return false;
    return true;
}

/* Is v alive, of a known kind, and does it encode tag? A freed object has
 * no type in debug builds, and no count. */
static bool has_tag(ft_object *v, int tag)
{
    if (!v || ft_refcnt(v) < 1)
        return false;
    ft_type *t = ft_type_of(v);
    if (t == &ft_int_type)
        return ft_int_as_i64(v) / 1000 == tag;
    if (t == &ft_float_type)
        return ft_float_as_double(v) == tag + 0.5;
    if (t == &ft_str_type)
        return str_has_tag(v, tag);
    return t == &ft_tuple_type && tuple_has_tag(v, tag);
}

/* ---- Running threads ----------------------------------------------------- */

typedef struct worker {
    ft_object *target;        /* the holder list, or the dict            */
    ft_object **keys;         /* the dict's shared key objects           */
    unsigned seed;
    int id;
} worker;

static void count_lockfree(ft_lockfree_counts before)
{
    atomic_fetch_add(&xhits, _ft_lockfree_counts.hits - before.hits);
    atomic_fetch_add(&xretries, _ft_lockfree_counts.retries - before.retries);
    atomic_fetch_add(&xfallbacks, _ft_lockfree_counts.fallbacks - before.fallbacks);
}

/* Runs the workers until RUN_MS have passed and the readers did MIN_READS. */
static void run_threads(void (*fns[])(void *), worker *args, int n)
{
    void *argp[8];
    for (int i = 0; i < n; i++)
        argp[i] = &args[i];
    ft_test_run_threads_ops(fns, argp, n, ft_test_run_ms(RUN_MS), &xstop, &xreads,
                            FT_TEST_MIN_OPS(MIN_READS));
    ft_test_assert_workers_ok();
}

static void reset_counts(void)
{
    atomic_store(&xreads, 0);
    atomic_store(&xmisses, 0);
    atomic_store(&xhits, 0);
    atomic_store(&xretries, 0);
    atomic_store(&xfallbacks, 0);
}

/* Hits are counted only in statistics builds (internal/qsbr.h); every
 * read that takes the lock counts a fallback in every build, so reads
 * against fallbacks says as much. */
static void report(const char *what)
{
    uint64_t r = atomic_load(&xreads);
    uint64_t h = atomic_load(&xhits), f = atomic_load(&xfallbacks);
    char hits[32] = "not counted";
    if (_ft_lockfree_hits_counted())
        snprintf(hits, sizeof hits, "%llu", (unsigned long long)h);
    printf("[%s] %s: %llu reads (%ld missing keys), lock-free %s (%llu "
           "tries again), fell back to the lock %llu\n", ft_flavor(), what,
           (unsigned long long)r, atomic_load(&xmisses), hits,
           (unsigned long long)atomic_load(&xretries), (unsigned long long)f);
    if (_ft_qsbr_lockfree_reads()) {
        assert_true(r > 10 * f);   /* the lock is the exception */
        if (_ft_lockfree_hits_counted())
            assert_true(h > 10 * f);
    } else {
        assert_true(h == 0 && f == 0);
    }
}

/* ---- The list ------------------------------------------------------------ */

/* Publishes new lists and grows each by appends (the array moves). */
static void resizer(void *p)
{
    worker *w = p;
    for (long i = 0; !atomic_load(&xstop); i++) {
        ft_object *l = ft_list_new(0);
        ft_worker_check(l && ft_list_set(w->target, 0, l) == 0);
        for (int j = 0; l && j < LIST_MAX && !atomic_load(&xstop); j++) {
            ft_object *v = make_item(j, &w->seed);
            ft_worker_check(v && ft_list_append(l, v) == 0);
            ft_xdecref(v);
            checkpoint_every(j);
        }
        ft_xdecref(l);
        checkpoint_every(i);
    }
}

/* The current list of the holder (a new reference), or NULL. */
static ft_object *current_list(ft_object *holder)
{
    ft_object *l = ft_list_get(holder, 0);
    if (l && ft_type_of(l) == &ft_list_type)
        return l;
    ft_xdecref(l);   /* None before the first list */
    return NULL;
}

static void replacer(void *p)
{
    worker *w = p;
    for (long i = 0; !atomic_load(&xstop); i++) {
        ft_object *l = current_list(w->target);
        ssize_t n = l ? ft_len(l) : 0;
        if (n > 0) {
            int j = (int)(rand_r(&w->seed) % n);
            ft_object *v = make_item(j, &w->seed);
            ft_worker_check(v && ft_list_set(l, j, v) == 0);
            ft_xdecref(v);
        }
        ft_xdecref(l);
        checkpoint_every(i);
    }
}

static void list_reader(void *p)
{
    worker *w = p;
    ft_lockfree_counts before = _ft_lockfree_counts;
    for (long i = 0; !atomic_load(&xstop); i++) {
        ft_object *l = current_list(w->target);
        ssize_t n = l ? ft_len(l) : 0;
        for (int k = 0; k < 8 && n > 0; k++) {
            int j = (int)(rand_r(&w->seed) % n);
            ft_object *v = ft_list_get(l, j);
            if (!has_tag(v, j))
                ft_worker_fail("list item %d: not a live item tagged %d", j, j);
            ft_xdecref(v);
            atomic_fetch_add_explicit(&xreads, 1, memory_order_relaxed);
        }
        ft_xdecref(l);
        checkpoint_every(i);
    }
    count_lockfree(before);
}

static void test_list_readers_under_resize_and_replace(void **state)
{
    (void)state;
    int64_t objects = ft_test_live_objects();
    reset_counts();
    ft_object *holder = ft_list_new(1);
    assert_non_null(holder);
    void (*fns[])(void *) = { resizer, replacer, list_reader, list_reader };
    uint64_t seed = ft_test_seed();
    worker w[4];
    for (int i = 0; i < 4; i++)
        w[i] = (worker){ .target = holder, .seed = (unsigned)(seed + 17u * i), .id = i };
    run_threads(fns, w, 4);
    report("list");
    ft_decref(holder);
    assert_int_equal(ft_test_live_objects(), objects);
}

/* ---- The dict ------------------------------------------------------------ */

/* Key d: "k<d>:", long (over 512 bytes) for every eighth key. */
static ft_object *make_key(int d)
{
    return make_str("k", d, d % 8 == 7, 'y');
}

/* The writers' own key object half the time (fresh, dies soon), the
 * shared one otherwise (readers may hold the same pointer). */
static ft_object *writer_key(worker *w, int d)
{
    if (rand_r(&w->seed) % 2)
        return make_key(d);
    ft_incref(w->keys[d]);
    return w->keys[d];
}

/* Inserts CHURN extra keys and deletes them: deleted entries pile up and
 * the table is rebuilt every so often. */
static void churn(worker *w, long round)
{
    ft_object *extra[CHURN];
    for (int c = 0; c < CHURN; c++) {
        extra[c] = make_str(w->id ? "y" : "z", (int)(round % 1000) * CHURN + c,
                            false, 0);
        ft_object *v = make_item(c, &w->seed);
        ft_worker_check(extra[c] && v && ft_dict_set(w->target, extra[c], v) == 0);
        ft_xdecref(v);
    }
    for (int c = 0; c < CHURN; c++) {
        ft_worker_check(ft_dict_del(w->target, extra[c]) == 0);
        ft_xdecref(extra[c]);
    }
}

static void dict_writer(void *p)
{
    worker *w = p;
    for (long i = 0; !atomic_load(&xstop); i++) {
        int d = (int)(rand_r(&w->seed) % NKEYS);
        ft_object *k = writer_key(w, d);
        if (rand_r(&w->seed) % 3 == 0) {
            if (ft_dict_del(w->target, k) != 0) {
                ft_worker_check(ft_err_kind() == FT_ERR_KEY);   /* the other deleted it */
                ft_err_clear();
            }
        } else {
            ft_object *v = make_item(d, &w->seed);
            ft_worker_check(v && ft_dict_set(w->target, k, v) == 0);
            ft_xdecref(v);
        }
        ft_decref(k);
        if (i % 64 == 0)
            churn(w, i / 64);
        checkpoint_every(i);
    }
}

/* One lookup of key d with k; a missing key is a KeyError. */
static void lookup(ft_object *dict, ft_object *k, int d)
{
    ft_object *v = ft_dict_get(dict, k);
    if (v) {
        if (d >= 0 && !has_tag(v, d))
            ft_worker_fail("key %d: not a live value tagged %d", d, d);
        ft_decref(v);
    } else {
        ft_worker_check(ft_err_kind() == FT_ERR_KEY);
        ft_err_clear();
        atomic_fetch_add_explicit(&xmisses, 1, memory_order_relaxed);
    }
    atomic_fetch_add_explicit(&xreads, 1, memory_order_relaxed);
}

static void dict_reader(void *p)
{
    worker *w = p;
    ft_object *own[NKEYS];
    for (int d = 0; d < NKEYS; d++)
        own[d] = make_key(d);
    ft_object *int_key = ft_int_from_i64(12345);
    ft_lockfree_counts before = _ft_lockfree_counts;
    for (long i = 0; !atomic_load(&xstop); i++) {
        int d = (int)(rand_r(&w->seed) % NKEYS);
        lookup(w->target, i % 2 ? own[d] : w->keys[d], d);
        if (i % 256 == 0)
            lookup(w->target, int_key, -1);   /* not a str: the lock */
        checkpoint_every(i);
    }
    count_lockfree(before);
    for (int d = 0; d < NKEYS; d++)
        ft_decref(own[d]);
    ft_decref(int_key);
}

static void test_dict_readers_under_delete_and_resize(void **state)
{
    (void)state;
    int64_t objects = ft_test_live_objects();
    reset_counts();
    ft_object *dict = ft_dict_new(), *keys[NKEYS];
    assert_non_null(dict);
    for (int d = 0; d < NKEYS; d++)
        assert_non_null(keys[d] = make_key(d));
    void (*fns[])(void *) = { dict_writer, dict_writer, dict_reader, dict_reader };
    uint64_t seed = ft_test_seed();
    worker w[4];
    for (int i = 0; i < 4; i++)
        w[i] = (worker){ .target = dict, .keys = keys,
                         .seed = (unsigned)(seed + 31u * i), .id = i };
    run_threads(fns, w, 4);
    report("dict");
    assert_true((uint64_t)atomic_load(&xmisses) < atomic_load(&xreads));
    ft_decref(dict);
    for (int d = 0; d < NKEYS; d++)
        ft_decref(keys[d]);
    assert_int_equal(ft_test_live_objects(), objects);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_list_readers_under_resize_and_replace),
        T(test_dict_readers_under_delete_and_resize),
    };
    return ft_test_run(tests);
}
