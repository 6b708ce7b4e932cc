/* ft_test.h — small helpers shared by ftlab's cmocka tests.
 *
 * Not a framework: cmocka runs and reports the tests; these only start and
 * stop the runtime with a leak check, name the group after the flavor, and
 * give tests a clock. Every test gets a fresh runtime (setup/teardown).
 */
#ifndef FT_TEST_H
#define FT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftlab.h>

/* cmocka group setup/teardown: ft_init(NULL) / ft_fini with the report
 * checked for zero leftovers. */
int ft_test_setup(void **state);
int ft_test_teardown(void **state);

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

/* Starts fns[i](args[i]) on n (<= 8) threads, lets them run for ms
 * milliseconds (the caller detached meanwhile), sets *stop and joins
 * them: the shape of every bounded-time stress test. */
void ft_test_run_threads(void (*const fns[])(void *), void *const args[], int n,
                         unsigned ms, _Atomic int *stop);

/* Objects alive now, over all threads (ft_mem_get_stats). */
int64_t ft_test_live_objects(void);

/* The flavor runs attached threads one at a time. */
bool ft_test_serialised(void);

#endif /* FT_TEST_H */
