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
 * Every attached thread bumps `xprogress` only while attached, so a stopped
 * world must see it frozen. Workers record failures with ft_worker_check;
 * the main thread asserts. The run lasts RUN_MS (FT_TEST_RUN_MS) and until
 * every kind of work reached its floor (MIN_*: about a tenth of the
 * slowest flavor's count in 1.5 s of a loaded release build, divided by
 * the sanitizers' slowdown); the mutators' seeds come from ft_test_seed.
 * Run under TSan and ASan by `make test`.
 */
#include <pthread.h>
#include <stdlib.h>
#include "ft_test.h"

enum { ACCOUNTS = 4, START_BALANCE = 1000, RUN_MS = 1500,
       MIN_STOPS = 60, MIN_CHILDREN = 1000, MIN_REGISTRATIONS = 10000,
       MIN_MOVES = 2000 };

typedef struct arena {
    ft_mutex locks[ACCOUNTS];
    long balance[ACCOUNTS];           /* guarded by locks[i] */
    _Atomic long xprogress;           /* bumped only while attached */
    _Atomic int xstop;
    _Atomic long xstops, xfrozen_violations, xchildren, xregistrations, xmoves;
} arena;

static arena A;

static void bump(void) { atomic_fetch_add(&A.xprogress, 1); }

static void child(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        bump();
        ft_checkpoint();
    }
    atomic_fetch_add(&A.xchildren, 1);
}

static void churner(void *arg)
{
    (void)arg;
    while (!atomic_load(&A.xstop)) {
        ft_thread *t = ft_thread_start(child, NULL);
        if (!ft_worker_check(t != NULL))
            return;
        bump();
        ft_worker_check(ft_thread_join(t) == 0);
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
    atomic_fetch_add(&A.xmoves, 1);
}

static void mutator(void *arg)
{
    unsigned seed = *(unsigned *)arg;
    while (!atomic_load(&A.xstop)) {
        move_money(&seed);
        bump();
        ft_checkpoint();
    }
}

static void stopper(void *arg)
{
    (void)arg;
    while (!atomic_load(&A.xstop)) {
        if (!ft_worker_check(ft_stop_the_world() == 0))
            return;
        long before = atomic_load(&A.xprogress);
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
        if (atomic_load(&A.xprogress) != before)
            atomic_fetch_add(&A.xfrozen_violations, 1);
        atomic_fetch_add(&A.xstops, 1);
        ft_start_the_world();
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(1);
        FT_END_ALLOW_THREADS
    }
}

static void *external(void *arg)
{
    (void)arg;
    while (!atomic_load(&A.xstop)) {
        if (!ft_worker_check(ft_thread_register() == 0))
            break;
        bump();
        ft_checkpoint();
        atomic_fetch_add(&A.xregistrations, 1);
        if (!ft_worker_check(ft_thread_unregister() == 0))
            break;
    }
    return NULL;
}

static void test_everything_at_once(void **state)
{
    (void)state;
    A = (arena){ 0 };
    for (int i = 0; i < ACCOUNTS; i++)
        A.balance[i] = START_BALANCE;

    uint64_t seed = ft_test_seed();
    unsigned seeds[2] = { (unsigned)seed, (unsigned)seed + 1 };
    ft_thread *t[5];
    t[0] = ft_thread_start(churner, NULL);
    t[1] = ft_thread_start(churner, NULL);
    t[2] = ft_thread_start(mutator, &seeds[0]);
    t[3] = ft_thread_start(mutator, &seeds[1]);
    t[4] = ft_thread_start(stopper, NULL);
    for (int i = 0; i < 5; i++)
        assert_non_null(t[i]);
    pthread_t ext;
    assert_int_equal(pthread_create(&ext, NULL, external, NULL), 0);

    const struct { const char *what; _Atomic long *count; uint64_t min; } floors[] = {
        { "stops of the world", &A.xstops, FT_TEST_MIN_OPS(MIN_STOPS) },
        { "children", &A.xchildren, FT_TEST_MIN_OPS(MIN_CHILDREN) },
        { "registrations", &A.xregistrations, FT_TEST_MIN_OPS(MIN_REGISTRATIONS) },
        { "moves", &A.xmoves, FT_TEST_MIN_OPS(MIN_MOVES) },
    };
    enum { KINDS = sizeof floors / sizeof floors[0] };
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    uint64_t start = ft_test_now_ns();
    FT_BEGIN_ALLOW_THREADS
    for (;;) {
        uint64_t met = 0;   /* kinds of work that reached their floor */
        for (int k = 0; k < KINDS; k++)
            met += (uint64_t)atomic_load(floors[k].count) >= floors[k].min;
        if (!ft_test_keep_running(start, run_ms, met, KINDS))
            break;
        ft_test_sleep_ms(10);
    }
    atomic_store(&A.xstop, 1);
    pthread_join(ext, NULL);
    FT_END_ALLOW_THREADS
    for (int i = 0; i < 5; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();

    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        total += A.balance[i];
    print_message("[%s] %ld stops, %ld children, %ld registrations, %ld moves\n",
                  ft_flavor(), atomic_load(&A.xstops), atomic_load(&A.xchildren),
                  atomic_load(&A.xregistrations), atomic_load(&A.xmoves));
    assert_int_equal(total, ACCOUNTS * START_BALANCE);
    assert_int_equal(atomic_load(&A.xfrozen_violations), 0);
    for (int k = 0; k < KINDS; k++)
        ft_test_assert_ops(floors[k].what, (uint64_t)atomic_load(floors[k].count),
                           floors[k].min);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_everything_at_once),
    };
    return ft_test_run(tests);
}
