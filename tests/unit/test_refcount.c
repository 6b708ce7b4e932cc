/* test_refcount.c — reference counting and the first object types: the
 * same reported counts in every flavor, immortals, ints and floats, and
 * (in nogil) the biased-counting merge paths: shared, queued, owner exit. */
#define FT_BUILD_CORE 1   /* white-box: _ft_try_incref */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ft_test.h"
#include "internal/object.h"

/* a = big int; b = a; del b; del a: the counts Python users expect
 * (docs/architecture.md, "Scenarios"). */
static void test_counts_like_python(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *a = ft_int_from_i64(1000000);
    assert_non_null(a);
    assert_int_equal(ft_refcnt(a), 1);
    assert_int_equal(ft_test_live_objects(), before + 1);
    ft_incref(a);                          /* b = a  */
    assert_int_equal(ft_refcnt(a), 2);
    ft_decref(a);                          /* del b  */
    assert_int_equal(ft_refcnt(a), 1);
    assert_false(ft_is_immortal(a));
    ft_decref(a);                          /* del a: freed at once */
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_immortals(void **state)
{
    (void)state;
    ft_object *immortal[] = {
        ft_none(), ft_true(), ft_false(), ft_int_from_i64(-5),
        ft_int_from_i64(0), ft_int_from_i64(256), &ft_int_type.ob_base,
        &ft_type_type.ob_base,
    };
    for (size_t i = 0; i < sizeof immortal / sizeof *immortal; i++) {
        ft_object *o = immortal[i];
        assert_true(ft_is_immortal(o));
        intptr_t before = ft_refcnt(o);
        for (int k = 0; k < 1000; k++)
            ft_incref(o);
        for (int k = 0; k < 2000; k++)   /* more decrefs than increfs: no-op */
            ft_decref(o);
        assert_int_equal(ft_refcnt(o), before);
    }
    /* Small ints are shared; 257 is a fresh object. */
    assert_ptr_equal(ft_int_from_i64(7), ft_int_from_i64(7));
    ft_object *a = ft_int_from_i64(257), *b = ft_int_from_i64(257);
    assert_ptr_not_equal(a, b);
    assert_false(ft_is_immortal(a));
    ft_decref(a);
    ft_decref(b);
    assert_string_equal(ft_type_name(ft_none()), "NoneType");
    assert_string_equal(ft_type_name(ft_true()), "bool");
}

static void test_ints(void **state)
{
    (void)state;
    ft_object *big = ft_int_from_i64(INT64_MAX);
    assert_int_equal(ft_int_as_i64(big), INT64_MAX);
    ft_object *one = ft_int_from_i64(1);
    assert_null(ft_int_add(big, one));
    assert_int_equal(ft_err_kind(), FT_ERR_OVERFLOW);
    ft_err_clear();
    /* Small operands are immortal; the sum is a new object. */
    ft_object *sum = ft_int_add(ft_int_from_i64(200), ft_int_from_i64(250));
    assert_int_equal(ft_int_as_i64(sum), 450);
    assert_false(ft_is_immortal(sum));
    assert_int_equal(ft_int_as_i64(ft_true()), 1);
    assert_int_equal(ft_int_as_i64(ft_none()), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_null(ft_int_add(ft_none(), one));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_sizeof(big), FT_NOGIL ? 40 : 24);
    ft_decref(big);
    ft_decref(sum);
}

static void test_floats_and_free_list(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *f = ft_float_from_double(2.5);
    assert_true(ft_float_as_double(f) == 2.5);
    assert_int_equal(ft_refcnt(f), 1);
    ft_decref(f);                  /* parked on this thread's free list */
    assert_int_equal(ft_test_live_objects(), before);
    ft_object *g = ft_float_from_double(-1.25);
    assert_ptr_equal(g, f);        /* ... and reused */
    assert_int_equal(ft_refcnt(g), 1);
    assert_true(ft_float_as_double(g) == -1.25);
    assert_true(ft_float_as_double(ft_int_from_i64(3)) == 3.0);
    assert_true(ft_float_as_double(ft_none()) == -1.0);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_decref(g);
}

static void test_hash_and_equality(void **state)
{
    (void)state;
    ft_object *i = ft_int_from_i64(3), *f = ft_float_from_double(3.0);
    ft_object *h = ft_float_from_double(3.5);
    assert_int_equal(ft_hash(i), ft_hash(f));     /* hash(3) == hash(3.0) */
    assert_int_equal(ft_equal(i, f), 1);
    assert_int_equal(ft_equal(f, i), 1);
    assert_int_equal(ft_equal(f, h), 0);
    assert_int_equal(ft_equal(ft_none(), i), 0);
    assert_int_equal(ft_hash(ft_int_from_i64(-1)), -2);   /* -1 is "error" */
    /* An integral float hashes like the int without making one. */
    ft_object *big = ft_float_from_double(1e6);
    int64_t objects = ft_test_live_objects();
    assert_int_equal(ft_hash(big), 1000000);
    assert_int_equal(ft_test_live_objects(), objects);
    ft_decref(big);
    ft_decref(f);
    ft_decref(h);
}

static void test_fini_counts_leaked_objects(void **state)
{
    (void)state;
    ft_object *kept = ft_int_from_i64(123456);
    ft_fini_report r;
    assert_int_equal(ft_fini(&r), 0);
    assert_int_equal(r.objects, 1);
    assert_int_equal(ft_init(NULL), 0);
    ft_decref(kept);   /* give it back for the next tests */
    assert_int_equal(ft_fini(&r), 0);
    assert_int_equal(r.objects, -1);
    assert_int_equal(ft_init(NULL), 0);
}

/* ---- Across threads (the biased paths in nogil) ------------------------- */

typedef struct handover {
    ft_object *obj;
    _Atomic int xphase;
    int rounds;
} handover;

static void incref_decref_many(void *arg)
{
    handover *h = arg;
    for (int i = 0; i < h->rounds; i++) {
        ft_incref(h->obj);
        ft_decref(h->obj);
        if (i % 1024 == 0)
            ft_checkpoint();
    }
}

/* Two threads hammer one object: the owner's local count and the other's
 * shared count both move; nothing is lost. */
static void test_two_threads_one_object(void **state)
{
    (void)state;
    handover h = { .obj = ft_int_from_i64(99999), .rounds = 200000 };
    ft_thread *t = ft_thread_start(incref_decref_many, &h);
    assert_non_null(t);
    incref_decref_many(&h);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(ft_refcnt(h.obj), 1);
    int64_t before = ft_test_live_objects();
    ft_decref(h.obj);
    assert_int_equal(ft_test_live_objects(), before - 1);
}

static void take_reference_and_drop(void *arg)
{
    handover *h = arg;
    ft_decref(h->obj);   /* drops the reference the creator handed over */
    atomic_store(&h->xphase, 1);
}

/* The creator hands its only reference to another thread, which drops it:
 * nogil queues the object to its owner, who frees it at a checkpoint. */
static void test_queued_to_owner(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    handover h = { .obj = ft_float_from_double(0.5) };
    ft_thread *t = ft_thread_start(take_reference_and_drop, &h);
    assert_int_equal(ft_thread_join(t), 0);
    ft_checkpoint();   /* nogil: merges what the other thread queued */
    assert_int_equal(ft_test_live_objects(), before);
}

static void create_and_exit(void *arg)
{
    handover *h = arg;
    h->obj = ft_int_from_i64(424242);
    ft_incref(h->obj);   /* one reference for the main thread */
    ft_decref(h->obj);
    ft_incref(h->obj);
    /* Exit while owning it: the exit merges its counts. */
}

static void test_owner_exits_object_lives_on(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    handover h = { 0 };
    ft_thread *t = ft_thread_start(create_and_exit, &h);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(ft_test_live_objects(), before + 1);
    assert_int_equal(ft_refcnt(h.obj), 2);
    assert_int_equal(ft_int_as_i64(h.obj), 424242);
    ft_incref(h.obj);
    ft_decref(h.obj);
    ft_decref(h.obj);
    ft_decref(h.obj);
    assert_int_equal(ft_test_live_objects(), before);
}

static void drop_while_owner_busy(void *arg)
{
    handover *h = arg;
    while (atomic_load(&h->xphase) != 1)
        ft_checkpoint();
    ft_decref(h->obj);             /* queued: the owner does not checkpoint */
    atomic_store(&h->xphase, 2);
}

static void owner_exits_with_queue(void *arg)
{
    handover *h = arg;
    h->obj = ft_int_from_i64(777777);
    atomic_store(&h->xphase, 1);
    while (atomic_load(&h->xphase) != 2)
        ;   /* no checkpoint: the queued merge waits for our exit */
}

/* Starts owner and dropper on h and joins the dropper; returns the owner,
 * perhaps still running. */
static ft_thread *run_dropper(void (*owner)(void *), void (*dropper)(void *),
                              handover *h)
{
    ft_thread *o = ft_thread_start(owner, h);
    ft_thread *d = ft_thread_start(dropper, h);
    assert_int_equal(ft_thread_join(d), 0);
    return o;
}

static void test_owner_exits_with_queued_object(void **state)
{
    (void)state;
    if (ft_gil_is_enabled())
        skip();   /* needs both threads running at once */
    int64_t before = ft_test_live_objects();
    handover h = { 0 };
    ft_thread *owner = run_dropper(owner_exits_with_queue, drop_while_owner_busy, &h);
    assert_int_equal(ft_thread_join(owner), 0);
    assert_int_equal(ft_test_live_objects(), before);
}

static void owner_retires_then_waits(void *arg)
{
    handover *h = arg;
    h->obj = ft_int_from_i64(888888);   /* ours, the only reference */
    ft_thread_retire();
    ft_thread_retire();                 /* once per thread: a no-op now */
    atomic_store(&h->xphase, 1);         /* "done": as a joiner's lock */
    while (atomic_load(&h->xphase) != 3)
        ;   /* still running, no checkpoint: nothing merges here */
}

static void drop_after_retire(void *arg)
{
    handover *h = arg;
    while (atomic_load(&h->xphase) != 1)
        ft_checkpoint();
    ft_decref(h->obj);   /* after the owner retired: freed here, at once */
    atomic_store(&h->xphase, 2);
}

/* ft_thread_retire: once the owner has retired, a thread that drops the
 * last reference to one of its objects frees it itself, while the owner
 * is still running (without it the object would wait in the owner's
 * queue until its exit, as in the test above). */
static void test_retired_owner_objects_die_in_dropper(void **state)
{
    (void)state;
    if (ft_gil_is_enabled())
        skip();   /* needs both threads running at once */
    int64_t before = ft_test_live_objects();
    handover h = { 0 };
    ft_thread *owner = run_dropper(owner_retires_then_waits, drop_after_retire, &h);
    assert_int_equal(ft_test_live_objects(), before);   /* owner still runs */
    atomic_store(&h.xphase, 3);
    assert_int_equal(ft_thread_join(owner), 0);
    assert_int_equal(ft_test_live_objects(), before);
}

typedef struct try_probe {
    ft_object *obj;
    bool before_shared, after_shared;
} try_probe;

static void try_from_other_thread(void *arg)
{
    try_probe *p = arg;
    p->before_shared = _ft_try_incref(p->obj);
    if (p->before_shared)
        ft_decref(p->obj);
    _ft_object_set_shared(p->obj);
    p->after_shared = _ft_try_incref(p->obj);
    if (p->after_shared)
        ft_decref(p->obj);
}

/* The conditional incref of optimistic readers: the owner always may; in
 * nogil another thread may only once the object is marked shared (it
 * cannot read the owner's count); the gil build always may. nogil-atomic
 * has no owner: every thread waits for the mark (nogil/brc.c). */
static void test_try_incref(void **state)
{
    (void)state;
    ft_object *o = ft_int_from_i64(31337);
    bool owner_may = _ft_try_incref(o);
    assert_int_equal(owner_may, !FT_RC_ATOMIC);
    assert_int_equal(ft_refcnt(o), owner_may ? 2 : 1);
    if (owner_may)
        ft_decref(o);
    assert_true(_ft_try_incref(ft_none()));   /* immortal */
    try_probe p = { .obj = o };
    ft_thread *t = ft_thread_start(try_from_other_thread, &p);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(p.before_shared, !FT_NOGIL);
    assert_true(p.after_shared);
    ft_checkpoint();
    assert_int_equal(ft_refcnt(o), 1);
    ft_decref(o);
}

/* Invariant O (ftlab/refcount.h): the owner test alone picks nogil's
 * plain add on ob_ref_local, so an object that passes it must never be
 * immortal or sharded — counting one of those there would corrupt its
 * marker (a sharded local count plus one reads as immortal). Here the
 * object's own thread counts both kinds many times, and the inline
 * try-incref takes immortal objects and the caller's own. */
static void test_owner_path_skips_immortal_and_sharded(void **state)
{
    (void)state;
    ft_object *imm = ft_int_from_i64(5);
    intptr_t imm_count = ft_refcnt(imm);
    assert_true(_ft_try_incref_inline(imm));
    ft_decref(imm);
    assert_int_equal(ft_refcnt(imm), imm_count);

    ft_object *o = ft_float_from_double(2.5);
    bool took = _ft_try_incref_inline(o);
    assert_int_equal(took, !FT_RC_ATOMIC);   /* all-atomic: no owner */
    intptr_t count = took ? 2 : 1;
    assert_int_equal(ft_refcnt(o), count);
    /* gil: no sharding; nogil: we own o; nogil-atomic: o has no owner */
    assert_int_equal(ft_object_shard(o), FT_NOGIL);
    for (int k = 0; k < 1000; k++)
        ft_incref(o);
    for (int k = 0; k < 1000; k++)
        ft_decref(o);
    assert_int_equal(ft_object_is_sharded(o), FT_NOGIL);
    assert_false(ft_is_immortal(o));
    ft_object_unshard_all();   /* world stopped: o's exact count back */
    assert_false(ft_object_is_sharded(o));
    assert_int_equal(ft_refcnt(o), count);
    if (took)
        ft_decref(o);
    ft_decref(o);
}

/* Runs fn in a child process with its own runtime; returns its stderr
 * and whether it died by SIGABRT. */
static bool child_aborts(void (*fn)(void), char *err, size_t size)
{
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        if (ft_init(NULL) == 0)
            fn();
        _exit(0);
    }
    close(pipefd[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(pipefd[0], err + n, size - 1 - n)) > 0)
        n += (size_t)r;
    err[n] = '\0';
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void decref_below_zero(void)
{
    ft_object *o = ft_int_from_i64(4242424);
    ft_incref(o);
    ft_decref(o);
    ft_decref(o);   /* freed here */
    ft_decref(o);   /* one too many */
}

/* FT_DEBUG >= 1: a decref past zero stops the program with a report. */
static void test_debug_catches_extra_decref(void **state)
{
    (void)state;
    if (FT_DEBUG < 1)
        skip();   /* the release preset has no such checks */
    ft_test_fini_clean();   /* the child starts its own runtime */
    char err[4096];
    assert_true(child_aborts(decref_below_zero, err, sizeof err));
    print_message("child said: %s", err);
    assert_non_null(strstr(err, "ftlab ("));
    assert_true(strstr(err, "freed") || strstr(err, "below zero"));
    assert_non_null(strstr(err, "of type int"));   /* names the type */
    assert_int_equal(ft_init(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_counts_like_python),
        T(test_immortals),
        T(test_ints),
        T(test_floats_and_free_list),
        T(test_hash_and_equality),
        T(test_fini_counts_leaked_objects),
        T(test_two_threads_one_object),
        T(test_queued_to_owner),
        T(test_owner_exits_object_lives_on),
        T(test_owner_exits_with_queued_object),
        T(test_retired_owner_objects_die_in_dropper),
        T(test_try_incref),
        T(test_owner_path_skips_immortal_and_sharded),
        T(test_debug_catches_extra_decref),
    };
    return ft_test_run(tests);
}
