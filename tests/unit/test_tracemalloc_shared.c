/* test_tracemalloc_shared.c — interned tracebacks (runtime/tools/traces.h):
 * identical tracebacks are stored once and shared by every trace that has
 * one, on every flavor. The figures a program sees do not change —
 * snapshots group the traces of one traceback together, tracebacks that
 * differ in any frame (or only in depth) stay apart — and what tracing
 * costs in memory no longer grows with the traceback's depth per trace.
 * Clear and stop drop the tracebacks; the per-thread caches in front of
 * the table must not hand a dropped one out again. */
#include <string.h>
#include "ft_test.h"

enum { N = 1000, S = 40, LINES = 300 };

/* Frames share these pointers: interning compares filenames by pointer. */
static const char OUTER[] = "outer.py", MIDDLE[] = "middle.py";

/* The statistic whose traceback is exactly frames[0..n), or NULL. */
static const ft_trace_stat *find_traceback(const ft_trace_stats *st, const ft_frame *frames,
                                           int n)
{
    for (size_t i = 0; i < st->n; i++) {
        const ft_traceback *tb = &st->items[i].traceback;
        if (tb->nframes != n)
            continue;
        bool same = true;
        for (int k = 0; k < n && same; k++)
            same = strcmp(tb->frames[k].filename, frames[k].filename) == 0 &&
                   tb->frames[k].lineno == frames[k].lineno;
        if (same)
            return &st->items[i];
    }
    return NULL;
}

/* The traces of one file in a snapshot: how many, how many bytes. */
static void count_file(const ft_snapshot *s, const char *file, size_t *n, size_t *bytes)
{
    *n = *bytes = 0;
    for (size_t i = 0; i < ft_snapshot_count(s); i++) {
        const ft_trace *t = ft_snapshot_trace(s, i);
        for (int k = 0; k < t->traceback.nframes; k++) {
            if (strcmp(t->traceback.frames[k].filename, file) == 0) {
                (*n)++;
                *bytes += t->size;
                break;
            }
        }
    }
}

/* N blocks from one traceback: every trace carries the whole traceback,
 * statistics by traceback and by line group all N in one entry, and an
 * object's traceback reads back through the shared copy. */
static void test_many_traces_one_traceback(void **state)
{
    (void)state;
    static void *p[N];
    assert_int_equal(ft_tracemalloc_start(4), 0);
    size_t base = ft_test_traced();
    ft_trace_push(OUTER, 7);
    ft_trace_push(MIDDLE, 21);
    int line = __LINE__; for (int i = 0; i < N; i++) p[i] = FT_MALLOC(S);
    assert_int_equal(ft_test_traced(), base + N * S);
    ft_object *o = ft_tuple_new(3);   /* same frames, without the site */
    assert_non_null(o);
    ft_trace_pop();
    ft_trace_pop();

    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    assert_non_null(s);
    size_t n, bytes;
    count_file(s, OUTER, &n, &bytes);
    assert_int_equal(n, N + 1);
    ft_trace_stats *st = ft_snapshot_statistics(s, "traceback", false);
    assert_non_null(st);
    const ft_frame site[] = { { __FILE__, line }, { MIDDLE, 21 }, { OUTER, 7 } };
    const ft_trace_stat *at = find_traceback(st, site, 3);
    assert_non_null(at);
    assert_int_equal(at->count, N);
    assert_int_equal(at->size, N * S);
    const ft_trace_stat *obj = find_traceback(st, site + 1, 2);
    assert_non_null(obj);
    assert_int_equal(obj->count, 1);
    ft_trace_stats_free(st);
    st = ft_snapshot_statistics(s, "lineno", false);
    bool found = false;
    for (size_t i = 0; i < st->n; i++) {
        const ft_frame *f = &st->items[i].traceback.frames[0];
        if (strcmp(f->filename, __FILE__) == 0 && f->lineno == line) {
            assert_int_equal(st->items[i].count, N);
            found = true;
        }
    }
    assert_true(found);
    ft_trace_stats_free(st);
    ft_snapshot_free(s);

    ft_frame got[4];
    assert_int_equal(ft_tracemalloc_get_object_traceback(o, got, 4), 2);
    assert_ptr_equal(got[0].filename, MIDDLE);
    assert_int_equal(got[0].lineno, 21);
    assert_ptr_equal(got[1].filename, OUTER);

    for (int i = 0; i < N; i++)
        ft_free(p[i]);
    ft_decref(o);
    assert_int_equal(ft_test_traced(), base);
    ft_tracemalloc_stop();
}

/* N traces of a 40-frame traceback cost what N traces of a 1-frame one
 * cost, plus one copy of the traceback: the frames are not per trace. */
static size_t overhead_per_trace(int depth)
{
    static void *p[N];
    assert_int_equal(ft_tracemalloc_start(FT_TRACE_MAX_FRAMES), 0);
    for (int d = 0; d < depth; d++)
        ft_trace_push(OUTER, 100 + d);
    p[0] = ft_malloc(S);   /* makes the traceback */
    size_t before = ft_tracemalloc_get_tracemalloc_memory();
    for (int i = 1; i < N; i++)
        p[i] = ft_malloc(S);
    size_t after = ft_tracemalloc_get_tracemalloc_memory();
    for (int d = 0; d < depth; d++)
        ft_trace_pop();
    for (int i = 0; i < N; i++)
        ft_free(p[i]);
    ft_tracemalloc_stop();
    assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
    return (after - before) / (N - 1);
}

static void test_memory_does_not_grow_with_depth(void **state)
{
    (void)state;
    size_t shallow = overhead_per_trace(1), deep = overhead_per_trace(40);
    assert_true(shallow > 0);
    assert_int_equal(deep, shallow);
}

/* Tracebacks that differ anywhere stay apart: in the innermost line (many
 * lines, more than a thread's cache holds), in an outer frame only, or in
 * depth only. */
static void test_distinct_tracebacks_stay_apart(void **state)
{
    (void)state;
    static void *p[LINES][2];
    assert_int_equal(ft_tracemalloc_start(3), 0);
    ft_trace_push(OUTER, 1);
    ft_trace_push(MIDDLE, 0);
    for (int round = 0; round < 2; round++) {   /* the second finds them all */
        for (int i = 0; i < LINES; i++) {
            ft_trace_set_lineno(i + 1);
            p[i][round] = ft_malloc(S + (size_t)round);
        }
    }
    ft_trace_pop();
    ft_trace_set_lineno(2);   /* OUTER:2, MIDDLE:1 differs in the outer frame */
    ft_trace_push(MIDDLE, 1);
    void *outer2 = ft_malloc(S);
    ft_trace_pop();
    ft_trace_pop();
    ft_trace_push(MIDDLE, 1);   /* MIDDLE:1 alone: a prefix, one frame less */
    void *alone = ft_malloc(S);
    ft_trace_pop();

    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_stats *st = ft_snapshot_statistics(s, "traceback", false);
    for (int i = 0; i < LINES; i++) {
        const ft_frame tb[] = { { MIDDLE, i + 1 }, { OUTER, 1 } };
        const ft_trace_stat *at = find_traceback(st, tb, 2);
        assert_non_null(at);
        assert_int_equal(at->count, 2);
        assert_int_equal(at->size, 2 * S + 1);
    }
    const ft_frame two[] = { { MIDDLE, 1 }, { OUTER, 2 } }, one[] = { { MIDDLE, 1 } };
    const ft_trace_stat *a = find_traceback(st, two, 2), *b = find_traceback(st, one, 1);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->count, 1);
    assert_int_equal(b->count, 1);
    ft_trace_stats_free(st);
    ft_snapshot_free(s);
    for (int i = 0; i < LINES; i++) {
        ft_free(p[i][0]);
        ft_free(p[i][1]);
    }
    ft_free(outer2);
    ft_free(alone);
    ft_tracemalloc_stop();
}

/* Clear drops every traceback; the same frames allocate again at once
 * (the thread's cache held the dropped copy) and read back right, and
 * a new limit cuts new tracebacks without touching the old ones. */
static void test_clear_and_new_limit(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(3), 0);
    ft_trace_push(OUTER, 3);
    ft_trace_push(MIDDLE, 4);
    void *before = ft_malloc(S);
    ft_tracemalloc_clear_traces();
    assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
    ft_object *o = ft_tuple_new(2);
    assert_non_null(o);
    ft_frame got[3];
    assert_int_equal(ft_tracemalloc_get_object_traceback(o, got, 3), 2);
    assert_ptr_equal(got[0].filename, MIDDLE);
    assert_int_equal(got[0].lineno, 4);
    assert_ptr_equal(got[1].filename, OUTER);
    assert_int_equal(got[1].lineno, 3);

    assert_int_equal(ft_tracemalloc_start(1), 0);   /* limit 1 from now on */
    ft_object *o1 = ft_tuple_new(2);
    assert_non_null(o1);
    assert_int_equal(ft_tracemalloc_get_object_traceback(o1, got, 3), 1);
    assert_int_equal(got[0].lineno, 4);
    assert_int_equal(ft_tracemalloc_get_object_traceback(o, got, 3), 2);
    ft_trace_pop();
    ft_trace_pop();

    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    size_t n, bytes;
    count_file(s, MIDDLE, &n, &bytes);
    assert_int_equal(n, 2);   /* o and o1; `before` was cleared */
    ft_snapshot_free(s);
    ft_decref(o1);
    ft_decref(o);
    ft_free(before);   /* untraced since the clear: nothing to remove */
    ft_tracemalloc_stop();
    assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
}

/* Two threads allocating from the same frames share one traceback: one
 * statistic holds both threads' traces. */
typedef struct shared_arg {
    void *p[N / 2];
} shared_arg;

static void alloc_from_shared_frames(void *arg)
{
    shared_arg *a = arg;
    ft_trace_push(OUTER, 50);
    for (int i = 0; i < N / 2; i++)
        a->p[i] = ft_malloc(S);
    ft_trace_pop();
}

static void test_threads_share_tracebacks(void **state)
{
    (void)state;
    static shared_arg args[2];
    assert_int_equal(ft_tracemalloc_start(2), 0);
    ft_thread *t[2];
    for (int i = 0; i < 2; i++)
        t[i] = ft_thread_start(alloc_from_shared_frames, &args[i]);
    for (int i = 0; i < 2; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_stats *st = ft_snapshot_statistics(s, "traceback", false);
    const ft_frame tb[] = { { OUTER, 50 } };
    const ft_trace_stat *at = find_traceback(st, tb, 1);
    assert_non_null(at);
    assert_int_equal(at->count, N);
    assert_int_equal(at->size, N * S);
    ft_trace_stats_free(st);
    ft_snapshot_free(s);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < N / 2; k++)
            ft_free(args[i].p[k]);
    ft_tracemalloc_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_many_traces_one_traceback),
        T(test_memory_does_not_grow_with_depth),
        T(test_distinct_tracebacks_stay_apart),
        T(test_clear_and_new_limit),
        T(test_threads_share_tracebacks),
    };
    return ft_test_run(tests);
}
