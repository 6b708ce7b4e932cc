/* ft_test.h — small helpers shared by ftlab's cmocka tests.
 *
 * Not a framework: cmocka runs and reports the tests; these only start and
 * stop the runtime with a leak check, name the group after the flavor, and
 * give tests a clock, run times from the environment, a seed, a way for
 * worker threads to fail, and small measuring helpers. Every test gets a
 * fresh runtime (setup/teardown). Two neighbours hold what only some tests
 * need: ft_graph.h (the collector tests' nodes and cycles) and
 * ft_mailbox.h (the stress tests' hand-over between threads).
 *
 * A helper that can fail asserts with cmocka, so it runs on the test's
 * main thread only (the clock, the flag and the counters never fail); a
 * worker thread records its failures with ft_worker_check (below).
 */
#ifndef FT_TEST_H
#define FT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <ftlab.h>

/* cmocka group setup/teardown: ft_init(NULL) / ft_fini with the report
 * checked for zero leftovers. */
int ft_test_setup(void **state);
int ft_test_teardown(void **state);

/* One entry of a test table: f with a fresh runtime around it.
 *
 *     const struct CMUnitTest tests[] = { T(test_a), T(test_b) };
 *     return ft_test_run(tests);
 *
 * A test that needs another setup (no runtime, an environment variable)
 * writes its cmocka_unit_test_setup_teardown out. */
#define T(f) cmocka_unit_test_setup_teardown(f, ft_test_setup, ft_test_teardown)

/* ft_fini, asserting that it succeeds and reports nothing left: no
 * thread registered, no ft_malloc block or byte leaked. */
void ft_test_fini_clean(void);

/* Runs the tests; the group is named "<file> [<flavor>]" so a failure
 * names the flavor it failed on. */
#define ft_test_run(tests) \
    _ft_test_run(__FILE__, tests, sizeof(tests) / sizeof((tests)[0]))
int _ft_test_run(const char *file, const struct CMUnitTest *tests, size_t n);

uint64_t ft_test_now_ns(void);
void ft_test_sleep_ms(unsigned ms);
/* Spins (attached, with checkpoints) until *flag != 0 or timeout_ms pass;
 * returns the flag's final value. */
int ft_test_wait_flag(_Atomic int *flag, unsigned timeout_ms);

/* The shape of every bounded-time stress test: starts fns[i](args[i]) on
 * n (<= 8) threads, lets them run (the caller detached meanwhile), sets
 * *stop and joins them. The run ends only when both ms have passed and
 * the workers have counted at least min_ops in *ops: on a loaded machine
 * a bounded-time stress test must still do its work. It waits up to
 * FT_TEST_MAX_MS (default 60 s) for the operations, then fails with the
 * count reached. A failed worker check ends the run at once and
 * fails the test with the workers' report. */
void ft_test_run_threads_ops(void (*const fns[])(void *), void *const args[], int n,
                             unsigned ms, _Atomic int *stop,
                             _Atomic uint64_t *ops, uint64_t min_ops);

/* The same rule for a test that runs its own loop (threads that come and
 * go, generations): ft_test_keep_running is true while the run must go
 * on — less than ms since start_ns, or fewer than min_ops done and less
 * than FT_TEST_MAX_MS since start_ns — and no worker check has failed
 * (the verdict is in). ft_test_assert_ops (main thread, after joining)
 * fails the test when done < min_ops, naming what was counted and the
 * count reached. */
bool ft_test_keep_running(uint64_t start_ns, unsigned ms, uint64_t done,
                          uint64_t min_ops);
void ft_test_assert_ops(const char *what, uint64_t done, uint64_t min_ops);

/* How many times fewer operations than a release build this build does
 * in a stress test's run time: a stress test's minimum operation count is
 * FT_TEST_MIN_OPS(the release floor), so one floor holds in every preset
 * without stretching a sanitized run far past its RUN_MS. Measured on the
 * stress tests of every flavor on a loaded 2-core machine: the tsan preset
 * 7-45 times fewer than release (about 20 typically), the asan preset
 * (ASan+UBSan, FT_DEBUG=2) 1-3 times fewer. Each release floor sits 8-15
 * times under the slowest flavor's loaded release count, so the tsan
 * floor still holds at 45 times slower; asan is given 5 for margin. */
#if defined(__SANITIZE_THREAD__)
#define FT_TEST_SLOWDOWN 20
#elif defined(__SANITIZE_ADDRESS__)
#define FT_TEST_SLOWDOWN 5
#else
#define FT_TEST_SLOWDOWN 1
#endif
#define FT_TEST_MIN_OPS(release_floor) \
    ((uint64_t)(release_floor) / FT_TEST_SLOWDOWN + 1)

/* A stress test's run time: FT_TEST_RUN_MS from the environment when set
 * (longer runs by hand, shorter under slow sanitizers), else dflt. */
unsigned ft_test_run_ms(unsigned dflt);

/* The seed of a randomized test: FT_TEST_SEED from the environment when
 * set (to replay a failure), else from the clock. Printed either way, so a
 * failing run's log names the seed that replays it. */
uint64_t ft_test_seed(void);

/* Worker threads never call cmocka's assert_* macros: a failure longjmps to
 * the main thread's jmp_buf from another thread's stack, which is
 * undefined behaviour. A worker records with ft_worker_check(cond) (true
 * when cond holds) or ft_worker_fail(fmt, ...); the first failure's file,
 * line and text are kept, every one is counted, and the main thread calls
 * ft_test_assert_workers_ok() after joining, which prints them and fails
 * the test (and resets the record for the next test). */
#define ft_worker_check(cond) \
    ((cond) ? true : (_ft_worker_fail(__FILE__, __LINE__, "%s", #cond), false))
#define ft_worker_fail(...) _ft_worker_fail(__FILE__, __LINE__, __VA_ARGS__)
void _ft_worker_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool ft_test_workers_failed(void);
void ft_test_assert_workers_ok(void);

/* tracemalloc's traced current and peak bytes (0 when not tracing); the
 * current asserts that the peak is not below it. */
size_t ft_test_traced(void);
size_t ft_test_traced_peak(void);

/* What a printer writes, as a string: open a capture, hand its FILE to
 * the printer, close it for the text (malloc'd: the caller frees it).
 *
 *     ft_test_capture c;
 *     ft_mem_print_stats(ft_test_capture_open(&c));
 *     char *text = ft_test_capture_close(&c);
 */
typedef struct ft_test_capture {
    FILE *f;
    char *text;
    size_t len;
} ft_test_capture;
FILE *ft_test_capture_open(ft_test_capture *c);
char *ft_test_capture_close(ft_test_capture *c);

/* A new str from UTF-8 text, asserted to succeed. */
ft_object *ft_test_str(const char *utf8);

/* Asserts that the call just made set an error of this kind, and clears
 * it. */
void ft_test_expect_error(ft_error_kind kind);

/* The allocator's statistics now (ft_mem_get_stats, asserted to succeed:
 * main thread only). */
ft_mem_stats ft_test_mem_stats(void);

/* Objects alive now, over all threads (ft_mem_get_stats). */
int64_t ft_test_live_objects(void);

/* The flavor runs attached threads one at a time. */
bool ft_test_serialised(void);

#endif /* FT_TEST_H */
