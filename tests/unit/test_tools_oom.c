/* test_tools_oom.c — the tools out of memory: tracemalloc snapshots
 * (take, filter, statistics, compare_to, object tracebacks) and objgraph
 * (show_refs, show_backrefs, find_backref_chain, most_common_types,
 * growth, count), each run with allocation-failure injection failing at
 * its first, second, ... allocation step in turn (private heap and the
 * tools' own buffers, tools/toolmem.h), until a run needs no more than
 * the steps allowed. Every run either succeeds with a correct result or
 * returns its error value with MemoryError set; nothing leaks (ft_fini
 * in the teardown; LeakSanitizer for the tools' system buffers under
 * asan) and what the test holds stays valid. */
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's injection */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ft_test.h"
#include "mem/backend.h"

enum { MAX_STEPS = 100000 };

/* One operation under test: 0 when it succeeded (and checked its
 * result), -1 when it failed (its error still set). */
typedef int (*op_fn)(void *arg);

/* Runs op failing at step 0, 1, 2, ... until it succeeds; every failure
 * must be a MemoryError. Returns how many runs failed (>= 1 when the
 * operation allocates at all). */
static int every_step(op_fn op, void *arg)
{
    for (long k = 0; k < MAX_STEPS; k++) {
        _ft_mem_fail_after(k);
        int rc = op(arg);
        _ft_mem_fail_reset();
        if (rc == 0) {
            if (ft_err_occurred())
                fail_msg("succeeded at step %ld with an error set: %s", k,
                         ft_err_message());
            return (int)k;
        }
        assert_int_equal(rc, -1);
        assert_int_equal(ft_err_kind(), FT_ERR_MEMORY);
        ft_err_clear();
    }
    fail_msg("the operation never succeeded in %d steps", MAX_STEPS);
    return -1;
}

/* ---- tracemalloc ----------------------------------------------------------- */

static const char SITE_A[] = "site_a", SITE_B[] = "site_b";

typedef struct traced_fixture {
    ft_object *objs[64];
    void *blocks[32];
    ft_snapshot *old, *now;
} traced_fixture;

/* Tracing, with 32 blocks under SITE_A and 64 objects under SITE_B, and
 * two snapshots apart by the objects. */
static void traced_setup(traced_fixture *f)
{
    assert_int_equal(ft_tracemalloc_start(4), 0);
    ft_trace_push(SITE_A, 1);
    for (int i = 0; i < 32; i++)
        assert_non_null(f->blocks[i] = ft_malloc(48));
    ft_trace_pop();
    assert_non_null(f->old = ft_tracemalloc_take_snapshot());
    ft_trace_push(SITE_B, 2);
    for (int i = 0; i < 64; i++)
        assert_non_null(f->objs[i] = ft_float_from_double(i + 0.5));
    ft_trace_pop();
    assert_non_null(f->now = ft_tracemalloc_take_snapshot());
}

static void traced_teardown(traced_fixture *f)
{
    ft_snapshot_free(f->old);
    ft_snapshot_free(f->now);
    for (int i = 0; i < 64; i++)
        ft_decref(f->objs[i]);
    for (int i = 0; i < 32; i++)
        ft_free(f->blocks[i]);
    ft_tracemalloc_stop();
}

static int op_take_snapshot(void *arg)
{
    traced_fixture *f = arg;
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    if (!s)
        return -1;
    assert_true(ft_snapshot_count(s) >= ft_snapshot_count(f->now));
    ft_snapshot_free(s);
    return 0;
}

static int op_filter(void *arg)
{
    traced_fixture *f = arg;
    ft_trace_filter only_b = { true, SITE_B, 0, false };
    ft_snapshot *s = ft_snapshot_filter_traces(f->now, &only_b, 1);
    if (!s)
        return -1;
    assert_int_equal(ft_snapshot_count(s), 64);
    ft_snapshot_free(s);
    return 0;
}

typedef struct stats_arg {
    traced_fixture *f;
    const char *key;
    bool cumulative, compare;
} stats_arg;

static int op_statistics(void *p)
{
    stats_arg *a = p;
    ft_trace_stats *st = a->compare
        ? ft_snapshot_compare_to(a->f->now, a->f->old, a->key, a->cumulative)
        : ft_snapshot_statistics(a->f->now, a->key, a->cumulative);
    if (!st)
        return -1;
    size_t b = 0;
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->items[i].traceback.frames[0].filename, SITE_B) == 0) {
            b += st->items[i].count;
            if (a->compare)
                assert_int_equal(st->items[i].count_diff, st->items[i].count);
        }
    if (!a->cumulative)
        assert_int_equal(b, 64);
    else
        assert_true(b >= 64);
    ft_trace_stats_free(st);
    return 0;
}

static void test_snapshot_take_and_filter(void **state)
{
    (void)state;
    traced_fixture f;
    traced_setup(&f);
    assert_true(every_step(op_take_snapshot, &f) >= 1);
    assert_true(every_step(op_filter, &f) >= 1);
    traced_teardown(&f);
}

static void test_statistics_and_compare_to(void **state)
{
    (void)state;
    traced_fixture f;
    traced_setup(&f);
    static const char *const keys[] = { "lineno", "filename", "traceback" };
    for (int compare = 0; compare < 2; compare++)
        for (int k = 0; k < 3; k++)
            for (int cum = 0; cum < (k < 2 ? 2 : 1); cum++) {
                stats_arg a = { &f, keys[k], cum, compare };
                assert_true(every_step(op_statistics, &a) >= 1);
            }
    traced_teardown(&f);
}

/* An object traceback needs no memory: it works with every allocation
 * failing. */
static void test_object_traceback_needs_no_memory(void **state)
{
    (void)state;
    traced_fixture f;
    traced_setup(&f);
    ft_frame frames[4];
    _ft_mem_fail_after(0);
    int n = ft_tracemalloc_get_object_traceback(f.objs[3], frames, 4);
    size_t cur, peak;
    ft_tracemalloc_get_traced_memory(&cur, &peak);
    _ft_mem_fail_reset();
    assert_false(ft_err_occurred());
    assert_true(n >= 1);
    assert_string_equal(frames[0].filename, SITE_B);
    assert_true(cur > 0 && peak >= cur);
    traced_teardown(&f);
}

/* Tracing itself out of memory: allocations that fail are not traced,
 * and the figures stay exact. */
static void test_tracing_while_allocations_fail(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    size_t before, peak;
    ft_tracemalloc_get_traced_memory(&before, &peak);
    void *ok[8];
    for (int i = 0; i < 8; i++)
        ok[i] = NULL;
    _ft_mem_fail_after(4);
    for (int i = 0; i < 8; i++)
        ok[i] = ft_malloc(100);
    _ft_mem_fail_reset();
    ft_err_clear();
    size_t now;
    ft_tracemalloc_get_traced_memory(&now, &peak);
    assert_int_equal(now - before, 4 * 100);
    for (int i = 0; i < 8; i++) {
        assert_true((ok[i] != NULL) == (i < 4));
        ft_free(ok[i]);
    }
    ft_tracemalloc_get_traced_memory(&now, &peak);
    assert_int_equal(now, before);
    ft_tracemalloc_stop();
}

/* ---- objgraph ----------------------------------------------------------------- */

typedef struct graph_fixture {
    ft_object *root, *leaf;
    FILE *out;
} graph_fixture;

/* root = [ {"k": leaf}, (leaf,) , leaf ] with leaf a list: a small graph
 * with several paths. */
static void graph_setup(graph_fixture *g)
{
    assert_non_null(g->leaf = ft_list_new(0));
    assert_non_null(g->root = ft_list_new(0));
    ft_object *d = ft_dict_new(), *k = ft_str_from_utf8("k", -1), *t = ft_tuple_new(1);
    assert_non_null(d);
    assert_non_null(k);
    assert_non_null(t);
    assert_int_equal(ft_dict_set(d, k, g->leaf), 0);
    ft_incref(g->leaf);
    assert_int_equal(ft_tuple_set_steal(t, 0, g->leaf), 0);
    assert_int_equal(ft_list_append(g->root, d), 0);
    assert_int_equal(ft_list_append(g->root, t), 0);
    assert_int_equal(ft_list_append(g->root, g->leaf), 0);
    ft_decref(d);
    ft_decref(k);
    ft_decref(t);
    assert_non_null(g->out = tmpfile());
}

static void graph_teardown(graph_fixture *g)
{
    fclose(g->out);
    ft_decref(g->root);
    ft_decref(g->leaf);
}

/* The DOT text written so far must be a whole graph; rewinds for the
 * next run. */
static void check_dot(FILE *f)
{
    long len = ftell(f);
    assert_true(len > 0);
    char *buf = calloc(1, (size_t)len + 1);
    assert_non_null(buf);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    assert_non_null(strstr(buf, "digraph ObjectGraph {"));
    assert_non_null(strstr(buf, "->"));
    assert_int_equal(buf[len - 2], '}');
    free(buf);
    rewind(f);
    assert_int_equal(ftruncate(fileno(f), 0), 0);
}

static int op_show_refs(void *arg)
{
    graph_fixture *g = arg;
    rewind(g->out);
    if (ft_objgraph_show_refs(&g->root, 1, 3, g->out) < 0)
        return -1;
    check_dot(g->out);
    return 0;
}

static int op_show_backrefs(void *arg)
{
    graph_fixture *g = arg;
    rewind(g->out);
    if (ft_objgraph_show_backrefs(g->leaf, 3, g->out) < 0)
        return -1;
    check_dot(g->out);
    return 0;
}

static bool is_root(ft_object *o, void *arg) { return o == ((graph_fixture *)arg)->root; }

static int op_backref_chain(void *arg)
{
    graph_fixture *g = arg;
    ft_object *chain = ft_objgraph_find_backref_chain(g->leaf, is_root, g, 4);
    if (!chain)
        return -1;
    assert_true(ft_len(chain) >= 2);
    ft_object *first = ft_list_get(chain, 0), *last = ft_list_get(chain, ft_len(chain) - 1);
    assert_ptr_equal(first, g->root);
    assert_ptr_equal(last, g->leaf);
    ft_decref(first);
    ft_decref(last);
    ft_decref(chain);
    return 0;
}

static int op_most_common(void *arg)
{
    (void)arg;
    ft_object *l = ft_objgraph_most_common_types(3);
    if (!l)
        return -1;
    assert_true(ft_len(l) >= 1 && ft_len(l) <= 3);
    ft_decref(l);
    return 0;
}

static int op_growth(void *arg)
{
    (void)arg;
    ft_object *l = ft_objgraph_growth();
    if (!l)
        return -1;
    assert_true(ft_len(l) >= 0);
    ft_decref(l);
    return 0;
}

static int op_print_growth(void *arg)
{
    graph_fixture *g = arg;
    rewind(g->out);
    return ft_objgraph_print_growth(g->out, 5) < 0 ? -1 : 0;
}

static void test_objgraph_export(void **state)
{
    (void)state;
    graph_fixture g;
    graph_setup(&g);
    assert_true(every_step(op_show_refs, &g) >= 1);
    assert_true(every_step(op_show_backrefs, &g) >= 1);
    assert_true(every_step(op_backref_chain, &g) >= 1);
    graph_teardown(&g);
}

static void test_objgraph_counting(void **state)
{
    (void)state;
    graph_fixture g;
    graph_setup(&g);
    assert_true(every_step(op_most_common, &g) >= 1);
    assert_true(every_step(op_growth, &g) >= 1);
    assert_true(every_step(op_print_growth, &g) >= 0);
    /* count has no error value: out of memory it counts nothing */
    _ft_mem_fail_after(0);
    size_t n = ft_objgraph_count("list");
    _ft_mem_fail_reset();
    ft_err_clear();
    assert_true(n == 0 || n >= 2);
    assert_true(ft_objgraph_count("list") >= 2);
    graph_teardown(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_snapshot_take_and_filter),
        T(test_statistics_and_compare_to),
        T(test_object_traceback_needs_no_memory),
        T(test_tracing_while_allocations_fail),
        T(test_objgraph_export),
        T(test_objgraph_counting),
    };
    return ft_test_run(tests);
}
