/* test_mutex.c — ft_mutex and critical sections: exclusion, parking,
 * suspension on detach, deadlock freedom against stop-the-world. */
#include <pthread.h>
#include "ft_test.h"

enum { THREADS = 4, ROUNDS = 20000 };

typedef struct shared {
    ft_mutex m, a, b;
    long counter;           /* plain: guarded by m                       */
    long account_a, account_b;
    _Atomic int xgo;
} shared;

static void lock_and_count(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < ROUNDS; i++) {
        ft_mutex_lock(&s->m);
        s->counter++;
        ft_mutex_unlock(&s->m);
        ft_checkpoint();
    }
}

static void run_threads(void (*fn)(void *), void *arg, int n)
{
    ft_thread *t[THREADS];
    for (int i = 0; i < n; i++) {
        t[i] = ft_thread_start(fn, arg);
        assert_non_null(t[i]);
    }
    for (int i = 0; i < n; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
}

static void test_mutex_excludes(void **state)
{
    (void)state;
    shared s = { .m = FT_MUTEX_INIT };
    run_threads(lock_and_count, &s, THREADS);
    assert_int_equal(s.counter, (long)THREADS * ROUNDS);
    assert_false(ft_mutex_is_locked(&s.m));
}

static void test_trylock(void **state)
{
    (void)state;
    ft_mutex m = FT_MUTEX_INIT;
    assert_true(ft_mutex_trylock(&m));
    assert_true(ft_mutex_is_locked(&m));
    assert_false(ft_mutex_trylock(&m));
    ft_mutex_unlock(&m);
    assert_false(ft_mutex_is_locked(&m));
}

/* Holds the lock long enough that the other threads must park. */
static void hold_long(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < 20; i++) {
        ft_mutex_lock(&s->m);
        long seen = s->counter;
        ft_test_sleep_ms(2);   /* a waiter spins out and parks */
        s->counter = seen + 1;
        ft_mutex_unlock(&s->m);
    }
}

static void test_mutex_parks_waiters(void **state)
{
    (void)state;
    shared s = { .m = FT_MUTEX_INIT };
    run_threads(hold_long, &s, 3);
    assert_int_equal(s.counter, 60);
    assert_int_equal(atomic_load(&s.m.xbits), 0);   /* no parked bit left */
}

static void cs_count(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < ROUNDS; i++) {
        FT_BEGIN_CRITICAL_SECTION(&s->m);
        s->counter++;
        FT_END_CRITICAL_SECTION();
        ft_checkpoint();
    }
}

static void test_critical_section_excludes(void **state)
{
    (void)state;
    shared s = { .m = FT_MUTEX_INIT };
    run_threads(cs_count, &s, 2);
    assert_int_equal(s.counter, 2L * ROUNDS);
}

/* Transfers in both directions lock the pair in opposite argument order:
 * the address ordering inside makes that deadlock-free. */
static void transfer(void *arg)
{
    shared *s = arg;
    bool flip = atomic_fetch_add(&s->xgo, 1) % 2;
    for (int i = 0; i < ROUNDS; i++) {
        ft_mutex *x = flip ? &s->b : &s->a, *y = flip ? &s->a : &s->b;
        FT_BEGIN_CRITICAL_SECTION2(x, y);
        long amount = i % 7;
        if (flip) { s->account_b -= amount; s->account_a += amount; }
        else      { s->account_a -= amount; s->account_b += amount; }
        FT_END_CRITICAL_SECTION();
        ft_checkpoint();
    }
}

static void test_critical_section2_no_deadlock(void **state)
{
    (void)state;
    shared s = { .a = FT_MUTEX_INIT, .b = FT_MUTEX_INIT,
                 .account_a = 1000, .account_b = 1000 };
    run_threads(transfer, &s, 2);
    assert_int_equal(s.account_a + s.account_b, 2000);
    assert_int_equal(s.account_a, 1000);   /* both directions moved the same */
    assert_false(ft_mutex_is_locked(&s.a));
    assert_false(ft_mutex_is_locked(&s.b));
}

static void test_critical_section_reentry(void **state)
{
    (void)state;
    ft_mutex m = FT_MUTEX_INIT, n = FT_MUTEX_INIT;
    FT_BEGIN_CRITICAL_SECTION(&m);
    FT_BEGIN_CRITICAL_SECTION(&m);         /* same object again */
    FT_BEGIN_CRITICAL_SECTION2(&m, &m);    /* and as a pair of one */
    assert_int_equal(ft_mutex_is_locked(&m), FT_NOGIL);
    FT_END_CRITICAL_SECTION();
    FT_END_CRITICAL_SECTION();
    assert_int_equal(ft_mutex_is_locked(&m), FT_NOGIL);
    FT_BEGIN_CRITICAL_SECTION(&n);
    assert_int_equal(ft_mutex_is_locked(&n), FT_NOGIL);
    FT_END_CRITICAL_SECTION();
    FT_END_CRITICAL_SECTION();
    assert_false(ft_mutex_is_locked(&m));
    assert_false(ft_mutex_is_locked(&n));
}

typedef struct probe {
    ft_mutex *m;
    _Atomic int xstart, xlocked_it;
} probe;

static void lock_when_told(void *arg)
{
    probe *p = arg;
    while (!atomic_load(&p->xstart))
        ft_checkpoint();
    ft_mutex_lock(p->m);
    atomic_store(&p->xlocked_it, 1);
    ft_mutex_unlock(p->m);
}

/* A thread that detaches inside a critical section releases its locks
 * until it attaches again (nogil; in the gil build the GIL is the lock and
 * the section's mutex is never taken). */
static void test_critical_section_suspends_on_detach(void **state)
{
    (void)state;
    ft_mutex outer = FT_MUTEX_INIT, inner = FT_MUTEX_INIT;
    probe p = { .m = &outer };
    ft_thread *t = ft_thread_start(lock_when_told, &p);
    assert_non_null(t);
    int locked_while_detached = 0, is_locked_inside = -1;

    FT_BEGIN_CRITICAL_SECTION(&outer);
    FT_BEGIN_CRITICAL_SECTION(&inner);
    FT_BEGIN_ALLOW_THREADS
    is_locked_inside = ft_mutex_is_locked(&outer) || ft_mutex_is_locked(&inner);
    atomic_store(&p.xstart, 1);
    for (int i = 0; i < 5000 && !atomic_load(&p.xlocked_it); i++)
        ft_test_sleep_ms(1);
    locked_while_detached = atomic_load(&p.xlocked_it);
    FT_END_ALLOW_THREADS
    /* Only the innermost section is re-locked on attach ... */
    assert_int_equal(ft_mutex_is_locked(&inner), FT_NOGIL);
    FT_END_CRITICAL_SECTION();
    /* ... the outer one when the inner ends. */
    assert_int_equal(ft_mutex_is_locked(&outer), FT_NOGIL);
    FT_END_CRITICAL_SECTION();

    assert_int_equal(is_locked_inside, 0);
    assert_int_equal(locked_while_detached, 1);
    assert_false(ft_mutex_is_locked(&outer));
    assert_int_equal(ft_thread_join(t), 0);
}

static void block_on_mutex(void *arg)
{
    probe *p = arg;
    atomic_store(&p->xstart, 1);
    ft_mutex_lock(p->m);   /* parks, detached */
    atomic_store(&p->xlocked_it, 1);
    ft_mutex_unlock(p->m);
}

/* A thread blocked on a mutex is detached: neither the GIL nor a
 * stop-the-world waits for it. */
static void test_blocked_thread_does_not_block_the_world(void **state)
{
    (void)state;
    ft_mutex m = FT_MUTEX_INIT;
    probe p = { .m = &m };
    ft_mutex_lock(&m);
    ft_thread *t = ft_thread_start(block_on_mutex, &p);
    assert_non_null(t);
    while (!atomic_load(&p.xstart))
        ft_checkpoint();
    ft_test_sleep_ms(20);   /* let it spin out and park */

    assert_int_equal(ft_stop_the_world(), 0);
    ft_start_the_world();
    assert_int_equal(atomic_load(&p.xlocked_it), 0);
    ft_mutex_unlock(&m);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(atomic_load(&p.xlocked_it), 1);
}

/* Critical sections on threads ftlab did not create: the section stack
 * (_ft_cs_top, ftlab/mutex.h) is bound by ft_thread_register and unbound
 * by ft_thread_unregister, and a thread may register again. Contended
 * sections take the slow path (push, then wait) and still exclude. */
static void *foreign_sections(void *arg)
{
    shared *s = arg;
    for (int round = 0; round < 2; round++) {
        if (ft_thread_register() != 0)
            return NULL;
        for (int i = 0; i < ROUNDS / 4; i++) {
            FT_BEGIN_CRITICAL_SECTION(&s->m);
            FT_BEGIN_CRITICAL_SECTION2(&s->a, &s->b);
            s->counter++;
            FT_END_CRITICAL_SECTION();
            FT_END_CRITICAL_SECTION();
            ft_checkpoint();
        }
        ft_thread_unregister();
    }
    return s;
}

static void test_critical_section_foreign_threads(void **state)
{
    (void)state;
    static shared s;
    s = (shared){ .m = FT_MUTEX_INIT, .a = FT_MUTEX_INIT, .b = FT_MUTEX_INIT };
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, foreign_sections, &s), 0);
    FT_BEGIN_ALLOW_THREADS
    for (int i = 0; i < THREADS; i++) {
        void *ret = NULL;
        pthread_join(t[i], &ret);
        assert_ptr_equal(ret, &s);
    }
    FT_END_ALLOW_THREADS
    assert_int_equal(s.counter, (long)THREADS * 2 * (ROUNDS / 4));
    assert_false(ft_mutex_is_locked(&s.m));
    assert_false(ft_mutex_is_locked(&s.a));
    assert_false(ft_mutex_is_locked(&s.b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_mutex_excludes),
        T(test_trylock),
        T(test_mutex_parks_waiters),
        T(test_critical_section_excludes),
        T(test_critical_section2_no_deadlock),
        T(test_critical_section_reentry),
        T(test_critical_section_suspends_on_detach),
        T(test_blocked_thread_does_not_block_the_world),
        T(test_critical_section_foreign_threads),
    };
    return ft_test_run(tests);
}
