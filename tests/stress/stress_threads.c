/* stress_threads.c — everything at once, for a bounded time:
 *
 *   - churners start and join short-lived threads (registration and exit
 *     racing with stop-the-world);
 *   - an external pthread registers and unregisters over and over;
 *   - mutators move money between accounts in two-mutex critical sections
 *     and sometimes detach inside them (suspension and resumption);
 *   - a stopper stops the world and checks that no attached thread moves
 *     while it is stopped.
 *
 * Every attached thread bumps `progress` only while attached, so a stopped
 * world must see it frozen. Run under TSan and ASan by `make test`.
 */
#include <pthread.h>
#include <stdlib.h>
#include "ft_test.h"

enum { ACCOUNTS = 4, START_BALANCE = 1000, RUN_MS = 1500 };

typedef struct arena {
    ft_mutex locks[ACCOUNTS];
    long balance[ACCOUNTS];           /* guarded by locks[i] */
    _Atomic long progress;            /* bumped only while attached */
    _Atomic int stop;
    _Atomic long stops, frozen_violations, children, registrations, moves;
} arena;

static arena A;

static void bump(void) { atomic_fetch_add(&A.progress, 1); }

static void child(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        bump();
        ft_checkpoint();
    }
    atomic_fetch_add(&A.children, 1);
}

static void churner(void *arg)
{
    (void)arg;
    while (!atomic_load(&A.stop)) {
        ft_thread *t = ft_thread_start(child, NULL);
        assert_non_null(t);
        bump();
        assert_int_equal(ft_thread_join(t), 0);
        ft_checkpoint();
    }
}

static void move_money(unsigned *seed)
{
    int from = rand_r(seed) % ACCOUNTS, to = rand_r(seed) % ACCOUNTS;
    long amount = rand_r(seed) % 10;
    FT_BEGIN_CRITICAL_SECTION2(&A.locks[from], &A.locks[to]);
    A.balance[from] -= amount;
    if (rand_r(seed) % 16 == 0) {
        /* Detach mid-section: the locks are released meanwhile, so only
         * touch the accounts again after attaching. */
        FT_BEGIN_ALLOW_THREADS
        sched_yield();
        FT_END_ALLOW_THREADS
    }
    A.balance[to] += amount;
    FT_END_CRITICAL_SECTION();
    atomic_fetch_add(&A.moves, 1);
}

static void mutator(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&A.stop)) {
        move_money(&seed);
        bump();
        ft_checkpoint();
    }
}

static void stopper(void *arg)
{
    (void)arg;
    while (!atomic_load(&A.stop)) {
        assert_int_equal(ft_stop_the_world(), 0);
        long before = atomic_load(&A.progress);
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
        if (atomic_load(&A.progress) != before)
            atomic_fetch_add(&A.frozen_violations, 1);
        atomic_fetch_add(&A.stops, 1);
        ft_start_the_world();
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(1);
        FT_END_ALLOW_THREADS
    }
}

static void *external(void *arg)
{
    (void)arg;
    while (!atomic_load(&A.stop)) {
        if (ft_thread_register() != 0)
            abort();
        bump();
        ft_checkpoint();
        atomic_fetch_add(&A.registrations, 1);
        if (ft_thread_unregister() != 0)
            abort();
    }
    return NULL;
}

static void test_everything_at_once(void **state)
{
    (void)state;
    A = (arena){ 0 };
    for (int i = 0; i < ACCOUNTS; i++)
        A.balance[i] = START_BALANCE;

    ft_thread *t[5];
    t[0] = ft_thread_start(churner, NULL);
    t[1] = ft_thread_start(churner, NULL);
    t[2] = ft_thread_start(mutator, (void *)1);
    t[3] = ft_thread_start(mutator, (void *)2);
    t[4] = ft_thread_start(stopper, NULL);
    for (int i = 0; i < 5; i++)
        assert_non_null(t[i]);
    pthread_t ext;
    assert_int_equal(pthread_create(&ext, NULL, external, NULL), 0);

    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(RUN_MS);
    atomic_store(&A.stop, 1);
    pthread_join(ext, NULL);
    FT_END_ALLOW_THREADS
    for (int i = 0; i < 5; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);

    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        total += A.balance[i];
    print_message("[%s] %ld stops, %ld children, %ld registrations, %ld moves\n",
                  ft_flavor(), atomic_load(&A.stops), atomic_load(&A.children),
                  atomic_load(&A.registrations), atomic_load(&A.moves));
    assert_int_equal(total, ACCOUNTS * START_BALANCE);
    assert_int_equal(atomic_load(&A.frozen_violations), 0);
    assert_true(atomic_load(&A.stops) > 0);
    assert_true(atomic_load(&A.children) > 0);
    assert_true(atomic_load(&A.registrations) > 0);
    assert_true(atomic_load(&A.moves) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_everything_at_once, ft_test_setup,
                                        ft_test_teardown),
    };
    return ft_test_run(tests);
}
