/* test_trace_flavors.c — figures that must not depend on the flavor.
 *
 * The nogil builds free a container's replaced arrays (and some dead
 * objects) after a QSBR grace period; the gil build frees them at once.
 * Memory the program freed must stop counting when the program frees it,
 * in every flavor: tracemalloc's current and peak, snapshots and their
 * statistics, and ft_mem_get_stats' live blocks, bytes and objects. So
 * every test here asserts figures that hold exactly, whatever the flavor,
 * right after the frees (no ft_mem_collect, no waiting): the same binary
 * assertions pass on gil, nogil and nogil-atomic.
 *
 * Free lists: a parked object stops counting when it is parked and is
 * traced again when reused (ftlab/tracemalloc.h; CPython keeps it
 * traced). Each test first fills the free lists it will touch with traced
 * blocks (warm_up), so that a round that takes from them and gives back
 * ends where it began.
 */
#include <string.h>
#include "ft_test.h"

enum {
    NINTS = 100000,
    BIG = 1000000,     /* past the small ints */
    FREE_INTS = 100,   /* the int free list's bound (mem/freelist.h) */
};

static const char INTS[] = "ints", ARRAY[] = "array", LIST[] = "list";

/* A list of n distinct ints outside the small-int range: the list object
 * is allocated under the frame LIST, the ints under INTS, the list's
 * arrays under ARRAY. */
static ft_object *list_of_ints(int n)
{
    ft_trace_push(LIST, 1);
    ft_object *l = ft_list_new(0);
    ft_trace_pop();
    assert_non_null(l);
    for (int i = 0; i < n; i++) {
        ft_trace_push(INTS, 1);
        ft_object *v = ft_int_from_i64(BIG + i);
        ft_trace_pop();
        assert_non_null(v);
        ft_trace_push(ARRAY, 1);
        int rc = ft_list_append(l, v);
        ft_trace_pop();
        assert_int_equal(rc, 0);
        ft_decref(v);
    }
    return l;
}

/* Fills the int free list (and the list free list) with blocks parked
 * while tracing, which get a trace when they are reused (one parked before
 * the start would be reused untraced): 3 * FREE_INTS ints, the newest
 * (fresh, not reused) dropped first; then a list object taken and given
 * back. */
static void warm_up(void)
{
    ft_object *v[3 * FREE_INTS];
    ft_trace_push(INTS, 1);
    for (int i = 0; i < 3 * FREE_INTS; i++)
        assert_non_null(v[i] = ft_int_from_i64(BIG + i));
    ft_trace_pop();
    for (int i = 3 * FREE_INTS - 1; i >= 0; i--)
        ft_decref(v[i]);
    ft_object *l = list_of_ints(10);
    ft_decref(l);
}

/* The size and count of the traces whose innermost frame is in file. */
typedef struct site { size_t size, count; } site;

static site site_of(const ft_snapshot *s, const char *file)
{
    ft_trace_stats *st = ft_snapshot_statistics(s, "filename", false);
    assert_non_null(st);
    site out = { 0, 0 };
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->items[i].traceback.frames[0].filename, file) == 0)
            out = (site){ st->items[i].size, st->items[i].count };
    ft_trace_stats_free(st);
    return out;
}

static size_t snapshot_total(const ft_snapshot *s)
{
    size_t sum = 0;
    for (size_t i = 0; i < ft_snapshot_count(s); i++)
        sum += ft_snapshot_trace(s, i)->size;
    return sum;
}

/* A snapshot now, whose total is what get_traced_memory says. */
static ft_snapshot *snapshot_agreeing(void)
{
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    assert_non_null(s);
    assert_int_equal(snapshot_total(s), ft_test_traced());
    return s;
}

/* The issue's scenario, cold: a list of 100,000 ints built and dropped
 * under tracing; the traced figure is back where it started at once. */
static void test_issue_scenario(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    size_t start = ft_test_traced();
    ft_object *l = list_of_ints(NINTS);
    assert_true(ft_test_traced() > start + NINTS * sizeof(ft_object *));
    ft_decref(l);
    assert_int_equal(ft_test_traced(), start);
    ft_snapshot_free(snapshot_agreeing());
    ft_tracemalloc_stop();
}

/* The same with every figure: while the list lives, only its current
 * array is traced (the replaced ones were freed by the program), so the
 * peak is the full figure plus at most one array (a grow holds two for a
 * moment); after the drop, the snapshot has none of its traces (the ints
 * parked on the free list are freed, for the program). */
static void test_list_of_ints_figures(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    warm_up();
    size_t start = ft_test_traced();
    ft_tracemalloc_reset_peak();

    ft_object *l = list_of_ints(NINTS);
    size_t full = ft_test_traced();
    ft_snapshot *s = snapshot_agreeing();
    site ints = site_of(s, INTS), array = site_of(s, ARRAY), list = site_of(s, LIST);
    ft_snapshot_free(s);
    assert_int_equal(ints.count, NINTS);
    assert_int_equal(ints.size % NINTS, 0);   /* every int the same size */
    assert_int_equal(array.count, 1);         /* the replaced ones are gone */
    assert_true(array.size >= NINTS * sizeof(void *));
    assert_int_equal(list.count, 1);
    assert_int_equal(full - start, ints.size + array.size + list.size);
    assert_true(ft_test_traced_peak() >= full);
    assert_true(ft_test_traced_peak() <= full + array.size);

    ft_decref(l);
    assert_int_equal(ft_test_traced(), start);
    s = snapshot_agreeing();
    assert_int_equal(site_of(s, ARRAY).count, 0);
    assert_int_equal(site_of(s, INTS).count, 0);
    assert_int_equal(site_of(s, LIST).count, 0);
    ft_snapshot_free(s);
    assert_true(ft_test_traced_peak() <= full + array.size);
    ft_tracemalloc_stop();
}

/* ft_mem_get_stats after frees: a list that holds one immortal small int
 * 100,000 times allocates nothing but its arrays; while it lives, one
 * array is live; once dropped, blocks, bytes and objects are back at the
 * baseline. No tracing here: the counts must not need it. */
static void test_mem_stats_after_frees(void **state)
{
    (void)state;
    warm_up();
    ft_object *seven = ft_int_from_i64(7);
    ft_mem_stats base = ft_test_mem_stats();
    ft_object *l = ft_list_new(0);
    assert_non_null(l);
    ft_mem_stats empty = ft_test_mem_stats();
    for (int i = 0; i < NINTS; i++)
        assert_int_equal(ft_list_append(l, seven), 0);
    ft_mem_stats full = ft_test_mem_stats();
    assert_int_equal(full.live_blocks - empty.live_blocks, 1);
    assert_true(full.live_bytes - empty.live_bytes >=
                (int64_t)(NINTS * sizeof(void *)));
    assert_int_equal(full.live_objects, empty.live_objects);
    ft_decref(l);
    ft_mem_stats after = ft_test_mem_stats();
    assert_int_equal(after.live_blocks, base.live_blocks);
    assert_int_equal(after.live_bytes, base.live_bytes);
    assert_int_equal(after.live_objects, base.live_objects);
    ft_decref(seven);
}

/* A dict that grows through several keys tables and loses entries:
 * while it lives, the blocks its stores allocated are counted and traced
 * alike (each replaced table stopped counting when it was replaced), and
 * its death brings every figure back. */
static void test_dict_tables_after_frees(void **state)
{
    (void)state;
    static const char DICT[] = "dict";
    assert_int_equal(ft_tracemalloc_start(1), 0);
    warm_up();
    ft_object *d = ft_dict_new();
    assert_non_null(d);
    ft_decref(d);   /* a traced dict on its free list, if it has one */
    size_t start = ft_test_traced();
    ft_mem_stats base = ft_test_mem_stats();
    assert_non_null(d = ft_dict_new());
    ft_mem_stats empty = ft_test_mem_stats();
    ft_trace_push(DICT, 1);
    for (int i = 0; i < 256; i++) {
        ft_object *k = ft_int_from_i64(i);   /* immortal: no allocation */
        assert_int_equal(ft_dict_set(d, k, k), 0);
        ft_decref(k);
    }
    ft_trace_pop();
    ft_mem_stats full = ft_test_mem_stats();
    ft_snapshot *s = snapshot_agreeing();
    site tables = site_of(s, DICT);
    ft_snapshot_free(s);
    assert_true(tables.count >= 1);
    assert_int_equal((int64_t)tables.count, full.live_blocks - empty.live_blocks);
    for (int i = 0; i < 256; i += 2) {
        ft_object *k = ft_int_from_i64(i);
        assert_int_equal(ft_dict_del(d, k), 0);
        ft_decref(k);
    }
    ft_decref(d);
    ft_mem_stats after = ft_test_mem_stats();
    assert_int_equal(after.live_blocks, base.live_blocks);
    assert_int_equal(after.live_bytes, base.live_bytes);
    assert_int_equal(after.live_objects, base.live_objects);
    assert_int_equal(ft_test_traced(), start);
    ft_snapshot_free(snapshot_agreeing());
    ft_tracemalloc_stop();
}

/* compare_to between a snapshot before and after a build-and-drop round:
 * no group changed, on every flavor. */
static void test_compare_to_after_round(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    warm_up();
    ft_snapshot *before = snapshot_agreeing();
    ft_object *l = list_of_ints(5000);
    ft_decref(l);
    ft_snapshot *after = snapshot_agreeing();
    ft_trace_stats *st = ft_snapshot_compare_to(after, before, "filename", false);
    assert_non_null(st);
    for (size_t i = 0; i < st->n; i++) {
        assert_int_equal(st->items[i].size_diff, 0);
        assert_int_equal(st->items[i].count_diff, 0);
    }
    ft_trace_stats_free(st);
    ft_snapshot_free(before);
    ft_snapshot_free(after);
    ft_tracemalloc_stop();
}

/* Another thread builds the list (its arrays and ints come from its heap
 * in nogil), the main thread drops it: remote frees and deferred frees
 * untraced at once, as in the gil build. */
typedef struct build_arg { ft_object *list; } build_arg;

static void build(void *p)
{
    build_arg *a = p;
    ft_object *l = ft_list_new(0);
    for (int i = 0; l && i < 20000; i++) {
        ft_object *v = ft_int_from_i64(2 * BIG + i);
        if (!ft_worker_check(v != NULL) || !ft_worker_check(ft_list_append(l, v) == 0))
            break;
        ft_decref(v);
    }
    ft_worker_check(l != NULL);
    a->list = l;
}

static void test_other_thread_builds_main_drops(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    warm_up();
    size_t start = ft_test_traced();
    ft_mem_stats base = ft_test_mem_stats();
    build_arg a = { NULL };
    ft_thread *t = ft_thread_start(build, &a);
    assert_non_null(t);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_non_null(a.list);
    assert_int_equal(ft_len(a.list), 20000);
    assert_true(ft_test_traced() > start);
    ft_decref(a.list);
    assert_int_equal(ft_test_traced(), start);
    /* The list object parks on the main thread's free list: in nogil,
     * one more block there than before (the worker's list was fresh). */
    ft_mem_stats after = ft_test_mem_stats();
    assert_int_equal(after.live_objects, base.live_objects);
    assert_int_equal(after.live_blocks - (int64_t)after.freelist_blocks,
                     base.live_blocks - (int64_t)base.freelist_blocks);
    ft_snapshot_free(snapshot_agreeing());
    ft_tracemalloc_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_issue_scenario),
        T(test_list_of_ints_figures),
        T(test_mem_stats_after_frees),
        T(test_dict_tables_after_frees),
        T(test_compare_to_after_round),
        T(test_other_thread_builds_main_drops),
    };
    return ft_test_run(tests);
}
