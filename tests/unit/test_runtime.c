/* test_runtime.c — ft_init/ft_fini, configuration, errors, thread
 * registration (issue: the foundation). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

static void test_init_twice_and_fini_twice(void **state)
{
    (void)state;
    assert_int_equal(ft_init(NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    assert_non_null(strstr(ft_err_message(), "already running"));
    ft_err_clear();
    ft_test_fini_clean();
    assert_false(ft_is_initialized());
    assert_int_equal(ft_fini(NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
}

static void test_error_state(void **state)
{
    (void)state;
    ft_err_clear();
    assert_false(ft_err_occurred());
    assert_string_equal(ft_err_message(), "");
    assert_int_equal(ft_err_set(FT_ERR_KEY, "missing %s", "k"), -1);
    assert_true(ft_err_occurred());
    assert_int_equal(ft_err_kind(), FT_ERR_KEY);
    assert_string_equal(ft_err_message(), "missing k");
    assert_string_equal(ft_err_kind_name(FT_ERR_KEY), "KeyError");
    assert_string_equal(ft_err_kind_name(FT_ERR_MEMORY), "MemoryError");
    assert_string_equal(ft_err_kind_name(FT_ERR_OVERFLOW), "OverflowError");
    assert_string_equal(ft_err_kind_name((ft_error_kind)99), "UnknownError");
    ft_err_clear();
    assert_int_equal(ft_err_kind(), FT_ERR_NONE);
}

static void errors_are_per_thread_worker(void *arg)
{
    _Atomic int *saw_error = arg;
    atomic_store(saw_error, ft_err_occurred() ? 1 : 2);
    ft_err_set(FT_ERR_INDEX, "worker's own error");
}

static void test_errors_are_per_thread(void **state)
{
    (void)state;
    _Atomic int xsaw = 0;
    ft_err_set(FT_ERR_TYPE, "main's error");
    ft_thread *t = ft_thread_start(errors_are_per_thread_worker, &xsaw);
    assert_non_null(t);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(atomic_load(&xsaw), 2);   /* the worker saw no error */
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    assert_string_equal(ft_err_message(), "main's error");
    ft_err_clear();
}

/* Restarts the runtime with `cfg` and the environment variable set. */
static int restart_with(const ft_config *cfg, const char *var, const char *value)
{
    ft_test_fini_clean();
    if (var)
        setenv(var, value, 1);
    int rc = ft_init(cfg);
    if (var)
        unsetenv(var);
    return rc;
}

static void test_switch_interval_config(void **state)
{
    (void)state;
    assert_int_equal(ft_get_switch_interval_us(), 5000);   /* default */

    assert_int_equal(restart_with(NULL, "FT_SWITCH_INTERVAL_US", "1000"), 0);
    assert_int_equal(ft_get_switch_interval_us(), 1000);

    ft_config cfg = FT_CONFIG_INIT;
    cfg.switch_interval_us = 250;   /* the config wins over the environment */
    assert_int_equal(restart_with(&cfg, "FT_SWITCH_INTERVAL_US", "1000"), 0);
    assert_int_equal(ft_get_switch_interval_us(), 250);

    assert_int_equal(ft_set_switch_interval_us(0), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_set_switch_interval_us(FT_SWITCH_INTERVAL_MAX_US + 1), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_get_switch_interval_us(), 250);
    assert_int_equal(ft_set_switch_interval_us(100), 0);
    assert_false(ft_err_occurred());
    assert_int_equal(ft_get_switch_interval_us(), 100);
}

static void test_bad_environment_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = { "abc", "0", "-5", "12x", "99999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(restart_with(NULL, "FT_SWITCH_INTERVAL_US", bad[i]), -1);
        assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
        assert_non_null(strstr(ft_err_message(), "FT_SWITCH_INTERVAL_US"));
        assert_false(ft_is_initialized());
        ft_err_clear();
        assert_int_equal(ft_init(NULL), 0);
    }
    assert_int_equal(restart_with(NULL, "FT_GIL", "2"), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_init(NULL), 0);

    ft_config cfg = FT_CONFIG_INIT;
    cfg.switch_interval_us = -3;
    assert_int_equal(restart_with(&cfg, NULL, NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_init(NULL), 0);
}

static void test_gil_setting_per_flavor(void **state)
{
    (void)state;
    bool is_gil_build = strcmp(ft_flavor(), "gil") == 0;
    assert_int_equal(ft_gil_is_enabled(), is_gil_build);

    /* FT_GIL=1: the nogil build runs with the GIL again; the gil build
     * already does. */
    assert_int_equal(restart_with(NULL, "FT_GIL", "1"), 0);
    assert_true(ft_gil_is_enabled());

    /* FT_GIL=0: the nogil default; the gil build refuses it. */
    int rc = restart_with(NULL, "FT_GIL", "0");
    if (is_gil_build) {
        assert_int_equal(rc, -1);
        assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
        assert_non_null(strstr(ft_err_message(), "cannot run without its GIL"));
        ft_err_clear();
        assert_int_equal(ft_init(NULL), 0);
    } else {
        assert_int_equal(rc, 0);
        assert_false(ft_gil_is_enabled());
    }
}

static void test_flavor_name(void **state)
{
    (void)state;
    assert_string_equal(ft_flavor(), FT_FLAVOR);
    assert_true(strcmp(FT_FLAVOR, "gil") == 0 || strcmp(FT_FLAVOR, "nogil") == 0 ||
                strcmp(FT_FLAVOR, "nogil-atomic") == 0);
    assert_int_equal(FT_NOGIL, strcmp(FT_FLAVOR, "gil") != 0);
}

typedef struct ids {
    _Atomic uint64_t xid[8];
    _Atomic int xnext;
} ids;

static void record_id(void *arg)
{
    ids *r = arg;
    int i = atomic_fetch_add(&r->xnext, 1);
    atomic_store(&r->xid[i], ft_thread_id());
    ft_checkpoint();
}

static void test_thread_start_join_ids(void **state)
{
    (void)state;
    ids r = { 0 };
    ft_thread *t[8];
    assert_int_equal(ft_thread_id(), 1);   /* the main thread */
    for (int i = 0; i < 8; i++) {
        t[i] = ft_thread_start(record_id, &r);
        assert_non_null(t[i]);
    }
    for (int i = 0; i < 8; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    assert_int_equal(atomic_load(&r.xnext), 8);
    for (int i = 0; i < 8; i++) {
        assert_true(atomic_load(&r.xid[i]) > 1);
        for (int j = 0; j < i; j++)
            assert_true(atomic_load(&r.xid[i]) != atomic_load(&r.xid[j]));
    }
}

static void test_thread_bad_arguments(void **state)
{
    (void)state;
    assert_null(ft_thread_start(NULL, NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_thread_join(NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
}

static void wait_for_release(void *arg)
{
    _Atomic int *release = arg;
    while (!atomic_load(release))
        ft_checkpoint();
}

static void test_fini_refuses_while_threads_run(void **state)
{
    (void)state;
    _Atomic int xrelease = 0;
    ft_thread *t = ft_thread_start(wait_for_release, &xrelease);
    assert_non_null(t);
    ft_fini_report r;
    assert_int_equal(ft_fini(&r), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    assert_int_equal(r.threads, 1);
    assert_true(ft_is_initialized());
    ft_err_clear();
    atomic_store(&xrelease, 1);
    assert_int_equal(ft_thread_join(t), 0);
}

typedef struct external {
    int register_rc, second_rc, second_kind, unregister_rc;
    uint64_t id;
    int fini_rc, fini_kind;
} external;

static void *external_thread(void *arg)
{
    external *e = arg;
    e->register_rc = ft_thread_register();
    e->id = ft_thread_id();
    e->second_rc = ft_thread_register();
    e->second_kind = ft_err_kind();
    ft_err_clear();
    for (int i = 0; i < 1000; i++)
        ft_checkpoint();
    e->fini_rc = ft_fini(NULL);     /* not the main thread: refused */
    e->fini_kind = ft_err_kind();
    ft_err_clear();
    e->unregister_rc = ft_thread_unregister();
    return NULL;
}

static void test_register_external_thread(void **state)
{
    (void)state;
    external e = { 0 };
    pthread_t th;
    int rc;
    assert_int_equal(pthread_create(&th, NULL, external_thread, &e), 0);
    FT_BEGIN_ALLOW_THREADS
    rc = pthread_join(th, NULL);
    FT_END_ALLOW_THREADS
    assert_int_equal(rc, 0);
    assert_int_equal(e.register_rc, 0);
    assert_true(e.id > 1);
    assert_int_equal(e.second_rc, -1);
    assert_int_equal(e.second_kind, FT_ERR_RUNTIME);
    assert_int_equal(e.fini_rc, -1);
    assert_int_equal(e.fini_kind, FT_ERR_RUNTIME);
    assert_int_equal(e.unregister_rc, 0);

    /* The main thread was not registered by ft_thread_register. */
    assert_int_equal(ft_thread_unregister(), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
}

static void test_register_before_init_fails(void **state)
{
    (void)state;
    ft_test_fini_clean();
    assert_int_equal(ft_thread_register(), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
    assert_int_equal(ft_thread_id(), 0);
    /* ALLOW_THREADS on an unregistered thread is a harmless no-op. */
    FT_BEGIN_ALLOW_THREADS
    FT_END_ALLOW_THREADS
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_twice_and_fini_twice),
        T(test_error_state),
        T(test_errors_are_per_thread),
        T(test_switch_interval_config),
        T(test_bad_environment_is_refused),
        T(test_gil_setting_per_flavor),
        T(test_flavor_name),
        T(test_thread_start_join_ids),
        T(test_thread_bad_arguments),
        T(test_fini_refuses_while_threads_run),
        T(test_register_external_thread),
        T(test_register_before_init_fails),
    };
    return ft_test_run(tests);
}
