/* test_gc_defer.c — nogil's trigger for automatic collections (nogil/gc.c,
 * "The trigger": CPython 3.14t's rule): past threshold 0 a young
 * collection is deferred while the memory has not grown by a tenth (at
 * least 128 KiB) since the last collection, until the deferred objects
 * exceed 40 x threshold 0; count 0 must also reach a quarter of the
 * objects the last full collection left (the long-lived rule); threshold
 * 1 == 0 skips both conditions; FT_GC_DEFER=0 (ft_config.gc_defer = 0)
 * puts back CPython 3.11's rule, which gil always keeps, and so does a
 * collection that found garbage, until one finds none. The memory is
 * the test's (_ft_gc_set_mem_probe), so that no allocation of the
 * process moves it. Every test checks the other flavor too: gil collects
 * at threshold 0 whatever the memory does.
 */
#define FT_BUILD_CORE 1   /* white-box: internal/gc.h's test hooks */
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ft_test.h"
#include "internal/gc.h"

enum { T0 = 100, MIB = 1 << 20 };

static int64_t fake_mem;
static int64_t probe(void) { return fake_mem; }

/* The memory grows by 20 MiB at each reading: the gate is always open. */
static int64_t growing(void) { return fake_mem += 20 * MIB; }

static int start(int defer)
{
    ft_config cfg = FT_CONFIG_INIT;
    cfg.gc_defer = defer;
    fake_mem = 100 * MIB;
    _ft_gc_set_mem_probe(probe);
    if (ft_init(&cfg) != 0) {
        fprintf(stderr, "ft_init failed: %s\n", ft_err_message());
        return -1;
    }
    return 0;
}

static int setup_on(void **state) { (void)state; return start(1); }
static int setup_off(void **state) { (void)state; return start(0); }

static int teardown(void **state)
{
    (void)state;
    ft_test_fini_clean();
    _ft_gc_set_mem_probe(NULL);
    return 0;
}

static uint64_t collections(void)
{
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    return st[0].collections + st[1].collections + st[2].collections;
}

/* n tracked objects kept alive in holder (no garbage: only the trigger
 * decides whether a collection runs), a checkpoint after each so that a
 * collection asked for runs at once. */
static void make_live(ft_object *holder, int n)
{
    for (int i = 0; i < n; i++) {
        ft_object *l = ft_list_new(0);
        assert_non_null(l);
        assert_int_equal(ft_list_append(holder, l), 0);
        ft_decref(l);
        ft_checkpoint();
    }
}

/* A threshold and a clean start: the full collection records the memory
 * (fake_mem) and leaves count 0 and the deferred count at 0. */
static void restart(int t1)
{
    ft_gc_set_threshold(T0, t1, 10);
    ft_gc_collect(-1);
}

/* FT_GC_STRESS collects at every allocation that may trigger the GC:
 * no trigger decides anything there, so the trigger's tests have nothing
 * to check (the gcstress preset). */
static void skip_under_gc_stress(void)
{
    if (FT_GC_STRESS)
        skip();
}

/* The memory does not move: ten thresholds' worth of objects ask ten
 * times and are deferred every time (count 0 goes into the deferred
 * count, so it stays under the threshold); then the memory grows by more
 * than a tenth and the next question collects. */
static void test_defers_until_memory_grows(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    restart(10);
    uint64_t before = collections();
    make_live(holder, 10 * T0);
    int count[3];
    ft_gc_get_count(count);
    if (FT_NOGIL) {
        assert_int_equal(collections(), before);
        assert_true(count[0] < 2 * T0);                  /* moved on */
        assert_true(_ft_gc_deferred_count() >= 8 * T0);
        fake_mem += 10 * MIB;                             /* a tenth: not more */
        make_live(holder, 2 * T0);
        assert_int_equal(collections(), before);
        fake_mem += 1 * MIB;                              /* now more */
        make_live(holder, 2 * T0);
        assert_true(collections() > before);
        assert_true(_ft_gc_deferred_count() < 2 * T0);   /* reset by it */
    } else {
        assert_true(collections() - before >= 8);
        assert_int_equal(_ft_gc_deferred_count(), 0);
    }
    ft_decref(holder);
}

/* 128 KiB is the least growth that counts, however small the memory. */
static void test_small_memory_needs_128k(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    fake_mem = 200 * 1024;   /* a tenth would be 20 KiB */
    restart(10);
    uint64_t before = collections();
    fake_mem += 128 * 1024;
    make_live(holder, 3 * T0);
    if (FT_NOGIL) {
        assert_int_equal(collections(), before);
        fake_mem += 1024;
        make_live(holder, 2 * T0);
    }
    assert_true(collections() > before);
    ft_decref(holder);
}

/* Deferred objects past 40 x threshold 0 collect without memory growth
 * (CPython 3.11's full collections came about that often). */
static void test_forty_thresholds_escape(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    restart(10);
    uint64_t before = collections();
    make_live(holder, 38 * T0);
    if (FT_NOGIL) {
        assert_int_equal(collections(), before);
        make_live(holder, 5 * T0);
        assert_int_equal(collections(), before + 1);
        make_live(holder, 30 * T0);
        assert_int_equal(collections(), before + 1);     /* deferring again */
    } else {
        assert_true(collections() - before >= 30);
    }
    ft_decref(holder);
}

/* Threshold 1 == 0: every crossing of threshold 0 collects, gate or not. */
static void test_threshold1_zero_escape(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    restart(0);
    uint64_t before = collections();
    make_live(holder, 10 * T0);
    assert_true(collections() - before >= 8);
    assert_int_equal(_ft_gc_deferred_count(), 0);
    ft_decref(holder);
}

/* FT_GC_DEFER=0: CPython 3.11's rule in nogil too, and the memory is
 * never read. */
static int64_t must_not_read(void)
{
    fail_msg("the trigger read the memory with the gate off");
    return 0;
}

static void test_switch_off_is_311_rule(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    restart(10);
    _ft_gc_set_mem_probe(must_not_read);
    uint64_t before = collections();
    make_live(holder, 10 * T0);
    assert_true(collections() - before >= 8);
    assert_int_equal(_ft_gc_deferred_count(), 0);
    _ft_gc_set_mem_probe(probe);
    ft_decref(holder);
}

/* The long-lived rule: with the memory always growing, count 0 must still
 * reach a quarter of what the last full collection left. */
static void test_long_lived_rule(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    ft_gc_set_threshold(T0, 10, 10);
    make_live(holder, 4000);
    ft_gc_collect(-1);
    ft_object *all = ft_gc_get_objects(-1);
    ssize_t old = ft_len(all);   /* the survivors (a list leaves itself out) */
    ft_decref(all);
    assert_true(old >= 4000);
    ft_gc_collect(-1);
    _ft_gc_set_mem_probe(growing);
    uint64_t before = collections();
    make_live(holder, (int)(old / 4) - T0);
    if (FT_NOGIL) {
        assert_int_equal(collections(), before);
        assert_int_equal(_ft_gc_deferred_count(), 0);    /* not the gate's doing */
        make_live(holder, 2 * T0);
        assert_true(collections() > before);
    } else {
        assert_true(collections() - before >= (uint64_t)(old / 4 / T0) - 2);
    }
    _ft_gc_set_mem_probe(probe);
    ft_decref(holder);
}

/* A collection that found garbage puts 3.11's rule back: the next one
 * runs at threshold 0 although the memory has not moved; that one finds
 * nothing, and the gate holds again. */
static void test_found_garbage_collects_at_threshold(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_object *holder = ft_list_new(0);
    restart(10);
    ft_object *cycle = ft_list_new(0);
    assert_int_equal(ft_list_append(cycle, cycle), 0);
    ft_decref(cycle);
    assert_true(ft_gc_collect(0) >= 1);
    uint64_t before = collections();
    make_live(holder, 2 * T0);
    assert_true(collections() > before);
    if (FT_NOGIL) {
        uint64_t after = collections();
        make_live(holder, 5 * T0);
        assert_int_equal(collections(), after);
        assert_true(_ft_gc_deferred_count() >= 3 * T0);
    }
    ft_decref(holder);
}

/* Two threads cross the threshold together, over and over, while the gate
 * stays shut: every object lands in count 0 or in the deferred count,
 * exactly once (the deferral moves count 0 with one exchange). */
enum { WORKERS = 2, PER_WORKER = 1 + 251 * 60 };   /* a whole number of flushes */
static ft_object *made[WORKERS];

static void worker(void *arg)
{
    ft_object *mine = made[(intptr_t)arg];
    for (int i = 0; i < PER_WORKER; i++) {
        ft_object *l = ft_list_new(0);
        ft_worker_check(l != NULL);
        ft_worker_check(l && ft_list_append(mine, l) == 0);
        ft_xdecref(l);
    }
}

static void test_two_threads_defer_exactly(void **state)
{
    (void)state;
    skip_under_gc_stress();
    ft_gc_set_threshold(1000, 10, 10);   /* escape at 40,000: out of reach */
    ft_gc_collect(-1);
    for (int i = 0; i < WORKERS; i++)
        assert_non_null(made[i] = ft_list_new(0));
    int count[3];
    ft_gc_get_count(count);
    int64_t base = count[0] + _ft_gc_deferred_count();
    uint64_t before = collections();
    ft_thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        assert_non_null(t[i] = ft_thread_start(worker, (void *)(intptr_t)i));
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    ft_gc_get_count(count);
    assert_int_equal(collections(), before);
    if (FT_NOGIL) {
        assert_true(_ft_gc_deferred_count() > 0);
    }
    assert_int_equal(count[0] + _ft_gc_deferred_count() - base,
                     (int64_t)WORKERS * PER_WORKER);
    for (int i = 0; i < WORKERS; i++)
        ft_decref(made[i]);
}

/* The real memory: the process's resident set. 64 MiB touched (from the
 * system allocator, outside every ftlab heap) is more than a tenth of
 * this test's, so the next question collects, long before 40 thresholds
 * of deferred objects would; a few lists before it do not. */
static void test_resident_set_opens_gate(void **state)
{
    (void)state;
    skip_under_gc_stress();
    _ft_gc_set_mem_probe(NULL);
    ft_object *holder = ft_list_new(0);
    restart(10);
    uint64_t before = collections();
    make_live(holder, 2 * T0);
    if (FT_NOGIL)   /* a few KiB: deferred (the reading works, and does not always open) */
        assert_int_equal(collections(), before);
    size_t big = (size_t)64 * MIB;
    char *p = malloc(big);
    assert_non_null(p);
    for (size_t i = 0; i < big; i += 4096)
        p[i] = (char)i;
    make_live(holder, 2 * T0);
    assert_true(collections() > before);
    free(p);
    _ft_gc_set_mem_probe(probe);
    ft_decref(holder);
}

/* After fork the child reads its own memory, not its parent's (/proc/self
 * is resolved when the descriptor opens: the child opens its own). The
 * parent's memory does not move while the child touches 64 MiB. */
static void test_fork_child_reads_its_own_memory(void **state)
{
    (void)state;
    skip_under_gc_stress();
    _ft_gc_set_mem_probe(NULL);
    ft_object *holder = ft_list_new(0);
    restart(10);   /* the descriptor is open in the parent */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        uint64_t before = collections();
        size_t big = (size_t)64 * MIB;
        char *p = malloc(big);
        for (size_t i = 0; p && i < big; i += 4096)
            p[i] = (char)i;
        for (int i = 0; i < 2 * T0; i++) {
            ft_object *l = ft_list_new(0);
            if (!l || ft_list_append(holder, l) < 0)
                _exit(3);
            ft_decref(l);
            ft_checkpoint();
        }
        _exit(p && collections() > before ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    _ft_gc_set_mem_probe(probe);
    ft_decref(holder);
}

/* ft_config.gc_defer and FT_GC_DEFER take 0 or 1; anything else is an
 * error, as for the other settings. */
static void test_bad_values_refused(void **state)
{
    (void)state;
    ft_config cfg = FT_CONFIG_INIT;
    cfg.gc_defer = 2;
    assert_int_equal(ft_init(&cfg), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    const char *bad[] = { "2", "yes", "-1", "1x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("FT_GC_DEFER", bad[i], 1);
        assert_int_equal(ft_init(NULL), -1);
        assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    }
    setenv("FT_GC_DEFER", "0", 1);
    assert_int_equal(ft_init(NULL), 0);
    ft_test_fini_clean();
    unsetenv("FT_GC_DEFER");
    ft_err_clear();
}

#define TON(f) cmocka_unit_test_setup_teardown(f, setup_on, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TON(test_defers_until_memory_grows),
        TON(test_small_memory_needs_128k),
        TON(test_forty_thresholds_escape),
        TON(test_threshold1_zero_escape),
        cmocka_unit_test_setup_teardown(test_switch_off_is_311_rule, setup_off, teardown),
        TON(test_long_lived_rule),
        TON(test_found_garbage_collects_at_threshold),
        TON(test_two_threads_defer_exactly),
        TON(test_resident_set_opens_gate),
        TON(test_fork_child_reads_its_own_memory),
        cmocka_unit_test(test_bad_values_refused),
    };
    return ft_test_run(tests);
}
