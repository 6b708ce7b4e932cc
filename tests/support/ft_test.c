/* ft_test.c — see ft_test.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ft_test.h"

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

int64_t ft_test_live_objects(void)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    return st.live_objects;
}

void ft_test_run_threads(void (*const fns[])(void *), void *const args[], int n,
                         unsigned ms, _Atomic int *stop)
{
    ft_thread *t[8];
    assert_true(n > 0 && n <= 8);
    atomic_store(stop, 0);
    for (int i = 0; i < n; i++)
        assert_non_null(t[i] = ft_thread_start(fns[i], args[i]));
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(ms);
    atomic_store(stop, 1);
    FT_END_ALLOW_THREADS
    for (int i = 0; i < n; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
}
