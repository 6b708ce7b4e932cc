/* ft_test.c — see ft_test.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ft_test.h"

/* A duration in milliseconds from the environment variable name, or dflt
 * when it is unset or not a positive number. */
static unsigned ft_test_env_ms(const char *name, unsigned dflt)
{
    const char *s = getenv(name);
    char *end;
    unsigned long v = s && *s ? strtoul(s, &end, 10) : 0;
    return v > 0 && v < 86400000ul && *end == '\0' ? (unsigned)v : dflt;
}

int ft_test_setup(void **state)
{
    (void)state;
    if (ft_init(NULL) != 0) {
        fprintf(stderr, "ft_init failed: %s: %s\n",
                ft_err_kind_name(ft_err_kind()), ft_err_message());
        return -1;
    }
    return 0;
}

void ft_test_fini_clean(void)
{
    ft_fini_report r;
    int rc = ft_fini(&r);
    if (rc != 0)
        fprintf(stderr, "ft_fini: %s\n", ft_err_message());
    assert_int_equal(rc, 0);
    assert_int_equal(r.threads, 0);
    if (r.blocks || r.bytes || r.objects)
        fprintf(stderr, "ft_fini: %lld objects, %lld blocks (%lld bytes) leaked\n",
                (long long)r.objects, (long long)r.blocks, (long long)r.bytes);
    assert_int_equal(r.objects, 0);
    assert_int_equal(r.blocks, 0);
    assert_int_equal(r.bytes, 0);
}

int ft_test_teardown(void **state)
{
    (void)state;
    if (!ft_is_initialized())
        return 0;   /* the test stopped the runtime itself */
    ft_test_fini_clean();
    return 0;
}

int _ft_test_run(const char *file, const struct CMUnitTest *tests, size_t n)
{
    const char *base = strrchr(file, '/');
    char name[256];
    snprintf(name, sizeof name, "%s [%s]", base ? base + 1 : file, ft_flavor());
    return _cmocka_run_group_tests(name, tests, n, NULL, NULL);
}

uint64_t ft_test_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void ft_test_sleep_ms(unsigned ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

int ft_test_wait_flag(_Atomic int *flag, unsigned timeout_ms)
{
    uint64_t deadline = ft_test_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    while (!atomic_load(flag) && ft_test_now_ns() < deadline)
        ft_checkpoint();
    return atomic_load(flag);
}

bool ft_test_serialised(void)
{
    return ft_gil_is_enabled();
}

size_t ft_test_traced(void)
{
    size_t cur, peak;
    ft_tracemalloc_get_traced_memory(&cur, &peak);
    assert_true(peak >= cur);
    return cur;
}

size_t ft_test_traced_peak(void)
{
    size_t cur, peak;
    ft_tracemalloc_get_traced_memory(&cur, &peak);
    return peak;
}

FILE *ft_test_capture_open(ft_test_capture *c)
{
    *c = (ft_test_capture){ 0 };
    c->f = open_memstream(&c->text, &c->len);
    assert_non_null(c->f);
    return c->f;
}

char *ft_test_capture_close(ft_test_capture *c)
{
    fclose(c->f);   /* sets text and len */
    c->f = NULL;
    assert_non_null(c->text);
    return c->text;
}

ft_object *ft_test_str(const char *utf8)
{
    ft_object *o = ft_str_from_utf8(utf8, -1);
    assert_non_null(o);
    return o;
}

void ft_test_expect_error(ft_error_kind kind)
{
    assert_true(ft_err_occurred());
    assert_int_equal(ft_err_kind(), kind);
    ft_err_clear();
}

ft_mem_stats ft_test_mem_stats(void)
{
    ft_mem_stats st;
    assert_int_equal(ft_mem_get_stats(&st), 0);
    return st;
}

int64_t ft_test_live_objects(void)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    return st.live_objects;
}

bool ft_test_keep_running(uint64_t start_ns, unsigned ms, uint64_t done,
                          uint64_t min_ops)
{
    uint64_t elapsed = ft_test_now_ns() - start_ns;
    unsigned max_ms = ft_test_env_ms("FT_TEST_MAX_MS", 60000);
    if (ft_test_workers_failed())
        return false;   /* the verdict is in: no use waiting for the floor */
    if (elapsed < (uint64_t)ms * 1000000ull)
        return true;
    return done < min_ops && elapsed < (uint64_t)max_ms * 1000000ull;
}

void ft_test_assert_ops(const char *what, uint64_t done, uint64_t min_ops)
{
    if (done < min_ops)
        fail_msg("only %llu %s of the %llu required, in the FT_TEST_MAX_MS of %u ms",
                 (unsigned long long)done, what, (unsigned long long)min_ops,
                 ft_test_env_ms("FT_TEST_MAX_MS", 60000));
}

void ft_test_run_threads_ops(void (*const fns[])(void *), void *const args[], int n,
                             unsigned ms, _Atomic int *stop,
                             _Atomic uint64_t *ops, uint64_t min_ops)
{
    ft_thread *t[8];
    assert_true(n > 0 && n <= 8);
    atomic_store(stop, 0);
    for (int i = 0; i < n; i++)
        assert_non_null(t[i] = ft_thread_start(fns[i], args[i]));
    uint64_t start = ft_test_now_ns();
    FT_BEGIN_ALLOW_THREADS
    while (ft_test_keep_running(start, ms, atomic_load(ops), min_ops))
        ft_test_sleep_ms(10);
    atomic_store(stop, 1);
    FT_END_ALLOW_THREADS
    for (int i = 0; i < n; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    if (ft_test_workers_failed())
        ft_test_assert_workers_ok();   /* their failure, not the short count */
    ft_test_assert_ops("operations", atomic_load(ops), min_ops);
}

unsigned ft_test_run_ms(unsigned dflt)
{
    return ft_test_env_ms("FT_TEST_RUN_MS", dflt);
}

uint64_t ft_test_seed(void)
{
    const char *s = getenv("FT_TEST_SEED");
    uint64_t seed = s && *s ? strtoull(s, NULL, 0) : ft_test_now_ns();
    printf("seed: FT_TEST_SEED=%llu%s\n", (unsigned long long)seed,
           s && *s ? " (from the environment)" : "");
    fflush(stdout);
    return seed;
}

/* The first worker failure, kept for the main thread's report. */
static pthread_mutex_t worker_lock = PTHREAD_MUTEX_INITIALIZER;
static char worker_first[512];
static _Atomic unsigned xworker_failures;

void _ft_worker_fail(const char *file, int line, const char *fmt, ...)
{
    /* relaxed: the count is read by the main thread after joining the
     * worker, and the join orders it. */
    unsigned k = atomic_fetch_add_explicit(&xworker_failures, 1, memory_order_relaxed);
    if (k != 0)
        return;
    pthread_mutex_lock(&worker_lock);
    int n = snprintf(worker_first, sizeof worker_first, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof worker_first)
        vsnprintf(worker_first + n, sizeof worker_first - (size_t)n, fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&worker_lock);
}

bool ft_test_workers_failed(void)
{
    return atomic_load_explicit(&xworker_failures, memory_order_relaxed) != 0;
}

void ft_test_assert_workers_ok(void)
{
    unsigned k = atomic_exchange_explicit(&xworker_failures, 0, memory_order_relaxed);
    if (k == 0)
        return;
    pthread_mutex_lock(&worker_lock);
    char first[sizeof worker_first];
    memcpy(first, worker_first, sizeof first);
    worker_first[0] = '\0';
    pthread_mutex_unlock(&worker_lock);
    fail_msg("%u worker check(s) failed; the first: %s", k, first);
}
