/* test_tracemalloc.c — tracemalloc on every flavor: traced current and
 * peak follow a known pattern exactly, reset_peak, snapshots and
 * statistics by line, file and traceback, compare_to deltas, filters,
 * object tracebacks (objects with and without the collector's
 * pre-header, objects reused from a free list), realloc, frames and the
 * phase report, and bad input. Traces record requested sizes: one test
 * checks that against the allocator's usable-size accounting. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ft_test.h"

enum { N = 100, S = 40 };   /* S is not a multiple of obmalloc's 16 */

/* The statistic whose innermost frame is file:line, or NULL. */
static const ft_trace_stat *find_stat(const ft_trace_stats *st, const char *file,
                                      int line)
{
    for (size_t i = 0; i < st->n; i++) {
        const ft_frame *f = &st->items[i].traceback.frames[0];
        if (strcmp(f->filename, file) == 0 && f->lineno == line)
            return &st->items[i];
    }
    return NULL;
}

static void test_start_stop_and_bad_input(void **state)
{
    (void)state;
    assert_false(ft_tracemalloc_is_tracing());
    assert_int_equal(ft_tracemalloc_start(0), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_tracemalloc_start(FT_TRACE_MAX_FRAMES + 1), -1);
    ft_err_clear();
    assert_null(ft_tracemalloc_take_snapshot());
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
    assert_int_equal(ft_tracemalloc_start(5), 0);
    assert_true(ft_tracemalloc_is_tracing());
    assert_int_equal(ft_tracemalloc_get_traceback_limit(), 5);
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    assert_non_null(s);
    assert_null(ft_snapshot_statistics(s, "bogus", false));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_null(ft_snapshot_statistics(s, "traceback", true));
    ft_err_clear();
    ft_trace_filter nopattern = { true, NULL, 0, false };
    assert_null(ft_snapshot_filter_traces(s, &nopattern, 1));
    ft_err_clear();
    ft_snapshot_free(s);
    ft_tracemalloc_stop();
    assert_false(ft_tracemalloc_is_tracing());
    assert_int_equal(ft_test_traced(), 0);
    assert_int_equal(ft_test_traced_peak(), 0);
}

/* N blocks of S bytes from one line: the statistics show N x S there;
 * freeing half halves what is traced and leaves the peak. */
static void test_known_pattern(void **state)
{
    (void)state;
    void *p[N];
    assert_int_equal(ft_tracemalloc_start(1), 0);
    size_t base = ft_test_traced();
    ft_mem_stats before, after;
    ft_mem_get_stats(&before);
    int line = __LINE__; for (int i = 0; i < N; i++) p[i] = FT_MALLOC(S);
    ft_mem_get_stats(&after);
    assert_int_equal(ft_test_traced(), base + N * S);
    assert_int_equal(ft_test_traced_peak(), base + N * S);
    /* Requested sizes, not usable ones: obmalloc counts 48-byte blocks. */
    if (strcmp(ft_allocator_name(), "obmalloc") == 0)
        assert_int_equal(after.live_bytes - before.live_bytes, N * 48);

    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_stats *st = ft_snapshot_statistics(s, "lineno", false);
    const ft_trace_stat *at = find_stat(st, __FILE__, line);
    assert_non_null(at);
    assert_int_equal(at->size, N * S);
    assert_int_equal(at->count, N);
    assert_ptr_equal(at, &st->items[0]);   /* the largest site */
    ft_trace_stats_free(st);
    ft_snapshot_free(s);

    for (int i = 0; i < N / 2; i++)
        ft_free(p[i]);
    assert_int_equal(ft_test_traced(), base + N / 2 * S);
    assert_int_equal(ft_test_traced_peak(), base + N * S);
    for (int i = N / 2; i < N; i++)
        ft_free(p[i]);
    assert_int_equal(ft_test_traced(), base);
    ft_tracemalloc_stop();
}

static void test_reset_peak(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    size_t base = ft_test_traced();
    void *big = FT_MALLOC(10000);
    ft_free(big);
    assert_int_equal(ft_test_traced_peak(), base + 10000);
    ft_tracemalloc_reset_peak();
    assert_int_equal(ft_test_traced_peak(), base);
    void *small = FT_MALLOC(100);
    assert_int_equal(ft_test_traced_peak(), base + 100);
    ft_free(small);
    assert_int_equal(ft_test_traced_peak(), base + 100);
    ft_tracemalloc_clear_traces();
    assert_int_equal(ft_test_traced(), 0);
    ft_tracemalloc_stop();
}

static void test_compare_to(void **state)
{
    (void)state;
    void *p[10];
    assert_int_equal(ft_tracemalloc_start(1), 0);
    ft_snapshot *s1 = ft_tracemalloc_take_snapshot();
    int line = __LINE__; for (int i = 0; i < 10; i++) p[i] = FT_MALLOC(64);
    ft_snapshot *s2 = ft_tracemalloc_take_snapshot();
    for (int i = 0; i < 5; i++)
        ft_free(p[i]);
    ft_snapshot *s3 = ft_tracemalloc_take_snapshot();

    ft_trace_stats *d = ft_snapshot_compare_to(s2, s1, "lineno", false);
    assert_true(d->n >= 1);
    const ft_trace_stat *at = find_stat(d, __FILE__, line);
    assert_ptr_equal(at, &d->items[0]);
    assert_int_equal(at->size, 640);
    assert_int_equal(at->size_diff, 640);
    assert_int_equal(at->count, 10);
    assert_int_equal(at->count_diff, 10);
    char buf[256];
    ft_trace_stat_format(at, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "size=640 B (+640 B), count=10 (+10), average=64 B"));
    ft_trace_stats_free(d);

    d = ft_snapshot_compare_to(s3, s2, "lineno", false);
    at = find_stat(d, __FILE__, line);
    assert_int_equal(at->size, 320);
    assert_int_equal(at->size_diff, -320);
    assert_int_equal(at->count_diff, -5);
    ft_trace_stats_free(d);

    d = ft_snapshot_compare_to(s1, s2, "filename", false);   /* gone again */
    at = find_stat(d, __FILE__, 0);
    assert_non_null(at);
    assert_int_equal(at->size_diff, -640);
    ft_trace_stats_free(d);

    for (int i = 5; i < 10; i++)
        ft_free(p[i]);
    ft_snapshot_free(s1);
    ft_snapshot_free(s2);
    ft_snapshot_free(s3);
    ft_tracemalloc_stop();
}

static void test_object_traceback(void **state)
{
    (void)state;
    ft_frame f[4];
    ft_object *before = ft_list_new(0);
    assert_int_equal(ft_tracemalloc_start(4), 0);
    assert_int_equal(ft_tracemalloc_get_object_traceback(before, f, 4), 0);

    FT_TRACE_HERE(); int line = __LINE__;
    ft_object *list = ft_list_new(0);          /* a pre-header in gil */
    ft_object *num = ft_int_from_i64(123456);  /* no pre-header */
    ft_type *cls = ft_class_new("Point", NULL);
    ft_object *inst = ft_instance_new(cls);
    ft_object *objs[] = { list, num, inst };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ft_tracemalloc_get_object_traceback(objs[i], f, 4), 1);
        assert_string_equal(f[0].filename, __FILE__);
        assert_int_equal(f[0].lineno, line);
    }

    /* A float parked on the free list and reused: the new traceback. */
    ft_object *x = ft_float_from_double(1.5);
    ft_decref(x);
    FT_TRACE_HERE(); int line2 = __LINE__;
    ft_object *y = ft_float_from_double(2.5);
    assert_int_equal(ft_tracemalloc_get_object_traceback(y, f, 4), 1);
    assert_int_equal(f[0].lineno, line2);

    ft_tracemalloc_stop();
    assert_int_equal(ft_tracemalloc_get_object_traceback(list, f, 4), 0);
    ft_decref(y);
    ft_decref(inst);
    ft_decref(&cls->ob_base);
    ft_decref(num);
    ft_decref(list);
    ft_decref(before);
}

static void *inner(int *line)
{
    FT_TRACE_PUSH();
    *line = __LINE__; void *p = FT_MALLOC(24);
    ft_trace_pop();
    return p;
}

static void test_frames_and_tracebacks(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(3), 0);
    void *unknown = ft_malloc(8);
    ft_trace_push("outer.c", 10);
    ft_trace_push("middle.c", 20);
    int line;
    void *p = inner(&line);
    ft_trace_pop();
    ft_trace_pop();

    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_stats *st = ft_snapshot_statistics(s, "traceback", false);
    bool found = false;
    for (size_t i = 0; i < st->n; i++) {
        const ft_traceback *tb = &st->items[i].traceback;
        if (tb->frames[0].lineno != line)
            continue;
        found = true;
        assert_int_equal(tb->nframes, 3);   /* the site, inner, middle */
        assert_string_equal(tb->frames[1].filename, __FILE__);
        assert_string_equal(tb->frames[2].filename, "middle.c");
    }
    assert_true(found);
    ft_trace_stats_free(st);
    /* cumulative: the trace counts under middle.c too. */
    st = ft_snapshot_statistics(s, "filename", true);
    const ft_trace_stat *mid = find_stat(st, "middle.c", 0);
    assert_non_null(mid);
    assert_int_equal(mid->size, 24);
    assert_non_null(find_stat(st, "<unknown>", 0));
    ft_trace_stats_free(st);
    ft_snapshot_free(s);
    ft_free(p);
    ft_free(unknown);
    ft_tracemalloc_stop();
}

static void test_filters(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(2), 0);
    void *a = ft_malloc_at(100, "alpha.c", 1);
    void *b = ft_malloc_at(200, "beta.c", 2);
    ft_trace_push("outer.c", 7);
    void *c = ft_malloc_at(300, "alpha.c", 3);
    ft_trace_pop();
    ft_snapshot *s = ft_tracemalloc_take_snapshot();

    ft_trace_filter inc = { true, "alpha*", 0, false };
    ft_snapshot *f = ft_snapshot_filter_traces(s, &inc, 1);
    assert_int_equal(ft_snapshot_count(f), 2);
    ft_snapshot_free(f);

    ft_trace_filter line = { true, "alpha.c", 3, false };
    f = ft_snapshot_filter_traces(s, &line, 1);
    assert_int_equal(ft_snapshot_count(f), 1);
    assert_int_equal(ft_snapshot_trace(f, 0)->size, 300);
    ft_snapshot_free(f);

    ft_trace_filter both[] = { { true, "*.c", 0, false },
                               { false, "outer.c", 0, true } };
    f = ft_snapshot_filter_traces(s, both, 2);
    size_t total = 0;
    for (size_t i = 0; i < ft_snapshot_count(f); i++)
        total += ft_snapshot_trace(f, i)->size;
    assert_int_equal(total, 300);   /* a and b: c came through outer.c */
    ft_snapshot_free(f);

    ft_trace_filter exc = { false, "beta.c", 0, false };
    f = ft_snapshot_filter_traces(s, &exc, 1);
    assert_int_equal(ft_snapshot_count(f), ft_snapshot_count(s) - 1);
    ft_snapshot_free(f);

    ft_snapshot_free(s);
    ft_free(a);
    ft_free(b);
    ft_free(c);
    ft_tracemalloc_stop();
}

static void test_realloc_traced(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    size_t base = ft_test_traced();
    char *p = FT_MALLOC(32);
    int line = __LINE__; p = FT_REALLOC(p, 1000);
    assert_int_equal(ft_test_traced(), base + 1000);
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_stats *st = ft_snapshot_statistics(s, "lineno", false);
    assert_non_null(find_stat(st, __FILE__, line));
    ft_trace_stats_free(st);
    ft_snapshot_free(s);
    /* A failed realloc leaves the block and its trace as they were. */
    assert_null(ft_realloc(p, (size_t)PTRDIFF_MAX + 1));
    ft_err_clear();
    assert_int_equal(ft_test_traced(), base + 1000);
    ft_free(p);
    assert_int_equal(ft_test_traced(), base);
    ft_tracemalloc_stop();
}

/* Enough blocks that the trace table grows several times (gil's from
 * 4096 buckets, each of nogil's 64 shards from 64), some freed on the
 * way: every trace is still found after the rehashes — by the frees,
 * which untrace exactly, by snapshots, and by an object's traceback —
 * and the records' memory follows the number of traces. */
static void test_table_grows(void **state)
{
    (void)state;
    enum { MANY = 40000 };
    void **p = malloc(MANY * sizeof *p);
    assert_non_null(p);
    assert_int_equal(ft_tracemalloc_start(1), 0);
    ft_object *o = ft_tuple_new(2);   /* traced before the table grows */
    assert_non_null(o);
    size_t base = ft_test_traced(), mem0 = ft_tracemalloc_get_tracemalloc_memory();
    int line = __LINE__; FT_TRACE_HERE();
    for (int i = 0; i < MANY; i++) {
        p[i] = ft_malloc(S);
        assert_non_null(p[i]);
        if (i % 3 == 2) {   /* a third freed while the table grows */
            ft_free(p[i - 1]);
            p[i - 1] = NULL;
        }
    }
    size_t live = MANY - MANY / 3;
    assert_int_equal(ft_test_traced(), base + live * S);
    size_t per = (ft_tracemalloc_get_tracemalloc_memory() - mem0) / live;
    assert_true(per >= sizeof(void *) * 4);
    ft_frame f[1];
    assert_int_equal(ft_tracemalloc_get_object_traceback(o, f, 1), 1);

    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_stats *st = ft_snapshot_statistics(s, "lineno", false);
    const ft_trace_stat *at = find_stat(st, __FILE__, line);
    assert_non_null(at);
    assert_int_equal(at->count, live);
    ft_trace_stats_free(st);
    ft_snapshot_free(s);

    for (int i = 0; i < MANY; i++)
        ft_free(p[i]);   /* NULL for the freed third */
    assert_int_equal(ft_test_traced(), base);
    ft_decref(o);
    ft_tracemalloc_stop();
    assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
    free(p);
}

/* A child forked while tracing traces on: the locks of the trace table
 * and of the traceback table are free in it (their fork handlers), and
 * its counts start from its parent's. */
static void test_fork_while_tracing(void **state)
{
    (void)state;
    assert_int_equal(ft_tracemalloc_start(1), 0);
    size_t base = ft_test_traced();
    void *kept = ft_malloc(S);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        bool ok = ft_test_traced() == base + S;
        for (int i = 0; i < 1000 && ok; i++) {   /* every shard, a new traceback */
            ft_trace_push(__FILE__, i);
            void *p = ft_malloc(S);
            ok = p && ft_test_traced() == base + 2 * S;
            ft_free(p);
            ft_trace_pop();
        }
        ft_free(kept);
        _exit(ok && ft_test_traced() == base ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    ft_free(kept);
    assert_int_equal(ft_test_traced(), base);
    ft_tracemalloc_stop();
}

static void test_phase_report(void **state)
{
    (void)state;
    void *p[100];
    assert_int_equal(ft_tracemalloc_start(1), 0);
    FT_PHASE_BEGIN("allocate");
    FT_PHASE_BEGIN("inner");
    for (int i = 0; i < 100; i++)
        p[i] = ft_malloc(1000);
    FT_PHASE_END();
    FT_PHASE_END();
    FT_PHASE_BEGIN("free");
    for (int i = 0; i < 100; i++)
        ft_free(p[i]);
    FT_PHASE_END();

    ft_phase_row rows[4];
    assert_int_equal(ft_phase_report_get(rows, 4), 3);
    assert_string_equal(rows[0].name, "allocate");
    assert_string_equal(rows[1].name, "inner");
    assert_int_equal(rows[1].depth, 1);
    assert_false(rows[0].open);
    assert_int_equal(rows[0].traced_after - rows[0].traced_before, 100000);
    assert_int_equal(rows[2].traced_before - rows[2].traced_after, 100000);
    assert_true(rows[0].rss_before > 0);
    assert_true(ft_rss_bytes() > 0);
    ft_test_capture c;
    ft_phase_report_print(ft_test_capture_open(&c));
    char *text = ft_test_capture_close(&c);
    assert_non_null(strstr(text, "  inner"));
    assert_non_null(strstr(text, "+97.7 KiB"));
    free(text);
    ft_tracemalloc_stop();
    assert_int_equal(ft_phase_report_get(NULL, 0), 3);   /* kept after stop */
    ft_phase_report_clear();
    assert_int_equal(ft_phase_report_get(NULL, 0), 0);
}

static void test_format_size(void **state)
{
    (void)state;
    char b[32];
    ft_format_size(b, sizeof b, 0, false);
    assert_string_equal(b, "0 B");
    ft_format_size(b, sizeof b, 10239, false);
    assert_string_equal(b, "10239 B");
    ft_format_size(b, sizeof b, 10240, false);
    assert_string_equal(b, "10.0 KiB");
    ft_format_size(b, sizeof b, -3 * 1024 * 1024, true);
    assert_string_equal(b, "-3072 KiB");
    ft_format_size(b, sizeof b, -30 * 1024 * 1024, true);
    assert_string_equal(b, "-30.0 MiB");
    ft_format_size(b, sizeof b, 512.0 * 1024, true);
    assert_string_equal(b, "+512 KiB");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_start_stop_and_bad_input),
        T(test_known_pattern),
        T(test_reset_peak),
        T(test_compare_to),
        T(test_object_traceback),
        T(test_frames_and_tracebacks),
        T(test_filters),
        T(test_realloc_traced),
        T(test_table_grows),
        T(test_fork_while_tracing),
        T(test_phase_report),
        T(test_format_size),
    };
    return ft_test_run(tests);
}
