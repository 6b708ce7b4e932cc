/* test_mem_debug.c — the debug allocator (FT_MALLOC=debug, X,debug).
 *
 * Each fault is committed in a forked child that starts its own runtime;
 * the parent reads the child's stderr and requires death by SIGABRT and a
 * report that names the fault, the block and the sites. The child first
 * writes "expect: <text>" (the block's address and size as the report must
 * print them), then commits the fault; if no report comes, it exits 0 and
 * the parent's check fails with the child's stderr shown.
 *
 * The fork tests come first and run without the group's runtime: fork
 * only from a process whose threads are all gone. The tests that run in
 * this process (clean programs, realloc, calloc, threads) come last.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ft_test.h"

enum { REPORT_MAX = 32768, CHILD_TIMEOUT_S = 60 };

typedef void (*child_fn)(void);

typedef struct fault_case {
    const char *malloc;      /* FT_MALLOC of the child                     */
    child_fn commit;         /* commits the fault                          */
    const char *kind;        /* the report's headline: "buffer overrun"    */
} fault_case;

typedef struct child_run {
    int status;              /* from waitpid                               */
    char err[REPORT_MAX];    /* the child's stderr                         */
} child_run;

/* ---- In the child: no cmocka asserts here (they would longjmp into the
 * parent's copy of the test runner) ------------------------------------- */

static void child_fail(const char *what)
{
    fprintf(stderr, "child: %s\n", what);
    _exit(3);
}

static unsigned char *must_alloc(size_t n)
{
    unsigned char *p = ft_malloc(n);
    if (!p)
        child_fail("ft_malloc failed");
    return p;
}

static void expect_block(const void *p, size_t n)
{
    fprintf(stderr, "expect: block %p of %zu bytes\n", p, n);
}

static void expect_foreign(const void *p)
{
    fprintf(stderr, "expect: %p passed to ft_free\n", p);
}

static void commit_overrun(void)
{
    volatile unsigned char *p = must_alloc(24);
    expect_block((const void *)p, 24);
    p[24] = 'x';
    ft_free((void *)p);
}

static void commit_overrun_large(void)
{
    volatile unsigned char *p = must_alloc(1000);
    expect_block((const void *)p, 1000);
    p[1003] = 'x';
    ft_free((void *)p);
}

static void commit_underrun(void)
{
    volatile unsigned char *p = must_alloc(40);
    expect_block((const void *)p, 40);
    p[-1] = 'x';
    ft_free((void *)p);
}

static void commit_double_free(void)
{
    void *p = must_alloc(24);
    expect_block(p, 24);
    ft_free(p);
    ft_free(p);
}

static void commit_realloc_after_free(void)
{
    void *p = must_alloc(24);
    expect_block(p, 24);
    ft_free(p);
    (void)ft_realloc(p, 100);
}

static void commit_free_middle(void)
{
    unsigned char *p = must_alloc(64);
    expect_foreign(p + 16);
    ft_free(p + 16);
}

static void commit_free_stack(void)
{
    _Alignas(16) unsigned char frame[64];
    memset(frame, 0, sizeof frame);
    expect_foreign(frame + 32);
    ft_free(frame + 32);
}

static void commit_free_misaligned(void)
{
    unsigned char *p = must_alloc(64);
    expect_foreign(p + 1);
    ft_free(p + 1);
}

static void write_freed(size_t n)
{
    volatile unsigned char *p = must_alloc(n);
    expect_block((const void *)p, n);
    ft_free((void *)p);
    p[n / 2] = 0x41;
}

/* More frees than the quarantine holds push the freed block out. */
static void commit_after_free_pushed_out(void)
{
    write_freed(40);
    for (int i = 0; i < 4096; i++)
        ft_free(must_alloc(16));
}

/* ft_fini empties the quarantine, checking every block. */
static void commit_after_free_fini(void)
{
    write_freed(40);
    ft_fini(NULL);
}

/* A program with no bug: the child must finish with no report. */
static void commit_nothing(void)
{
    void *keep[64] = { 0 };
    for (size_t i = 0; i < 5000; i++) {
        size_t slot = i % 64;
        ft_free(keep[slot]);
        keep[slot] = ft_malloc((i * 37) % 2000);
        if (i % 7 == 0)
            keep[slot] = ft_realloc(keep[slot], (i * 13) % 1500);
    }
    for (size_t i = 0; i < 64; i++)
        ft_free(keep[i]);
}

_Noreturn static void child_main(const char *malloc_spec, child_fn commit, int fds[2])
{
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    alarm(CHILD_TIMEOUT_S);   /* a hang fails this test, not the whole run */
    ft_config cfg = FT_CONFIG_INIT;
    cfg.malloc = malloc_spec;
    if (ft_init(&cfg) != 0)
        child_fail(ft_err_message());
    commit();
    ft_fini_report r = { 0 };
    if (ft_is_initialized() && ft_fini(&r) != 0)
        child_fail(ft_err_message());
    fprintf(stderr, "child: finished without a report; blocks left %lld\n",
            (long long)r.blocks);
    _exit(0);
}

/* ---- In the parent ---------------------------------------------------- */

static void read_all(int fd, char *buf, size_t size)
{
    size_t len = 0;
    char sink[4096];
    for (;;) {
        char *to = len + 1 < size ? buf + len : sink;
        size_t room = len + 1 < size ? size - 1 - len : sizeof sink;
        ssize_t got = read(fd, to, room);
        if (got <= 0)
            break;
        if (to == buf + len)
            len += (size_t)got;
    }
    buf[len] = '\0';
}

static void run_child(const char *malloc_spec, child_fn commit, child_run *out)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);   /* the child must not print our buffered output again */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_main(malloc_spec, commit, fds);
    close(fds[1]);
    read_all(fds[0], out->err, sizeof out->err);
    close(fds[0]);
    assert_int_equal(waitpid(pid, &out->status, 0), pid);
}

static bool died_of_abort(const child_run *r)
{
    return WIFSIGNALED(r->status) && WTERMSIG(r->status) == SIGABRT;
}

/* "ftlab debug allocator: <kind>: <what the child said to expect>". */
static bool has_headline(const child_run *r, const char *kind)
{
    const char *e = strstr(r->err, "expect: ");
    if (!e)
        return false;
    e += strlen("expect: ");
    char want[256];
    snprintf(want, sizeof want, "\nftlab debug allocator: %s: %.*s", kind,
             (int)strcspn(e, "\n"), e);
    return strstr(r->err, want) != NULL;
}

static void show_child(const child_run *r)
{
    print_message("child status %#x, stderr:\n%s\n", (unsigned)r->status, r->err);
}

static void test_fault(void **state)
{
    const fault_case *c = *state;
    static child_run r;
    run_child(c->malloc, c->commit, &r);
    bool ok = died_of_abort(&r) && has_headline(&r, c->kind);
    if (!ok)
        show_child(&r);
    assert_true(died_of_abort(&r));
    assert_true(has_headline(&r, c->kind));
    char backend[64];   /* the report names the wrapped backend */
    snprintf(backend, sizeof backend, "[%s]",
             strcmp(c->malloc, "debug") == 0 ? "obmalloc,debug" : c->malloc);
    assert_non_null(strstr(r.err, backend));
}

/* Blocks faults name where the block came from, in this program. */
static void test_fault_names_sites(void **state)
{
    const fault_case *c = *state;
    static child_run r;
    run_child(c->malloc, c->commit, &r);
    if (!died_of_abort(&r) || !strstr(r.err, "allocated at"))
        show_child(&r);
    assert_true(has_headline(&r, c->kind));
    const char *alloc = strstr(r.err, "allocated at");
    assert_non_null(alloc);
    assert_non_null(strstr(alloc, "test_mem_debug"));
    assert_non_null(strstr(r.err, "freed at"));
}

static void test_clean_child(void **state)
{
    const fault_case *c = *state;
    static child_run r;
    run_child(c->malloc, c->commit, &r);
    bool ok = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 &&
              !strstr(r.err, "ftlab debug allocator") &&
              strstr(r.err, "blocks left 0\n");
    if (!ok)
        show_child(&r);
    assert_true(ok);
}

/* ---- In this process -------------------------------------------------- */

static int setup_debug(void **state)
{
    (void)state;
    ft_config cfg = FT_CONFIG_INIT;
    cfg.malloc = "debug";
    return ft_init(&cfg) == 0 ? 0 : -1;
}

static void fini_no_leaks(void)
{
    ft_fini_report r;
    assert_int_equal(ft_fini(&r), 0);
    assert_int_equal(r.threads, 0);
    assert_int_equal(r.blocks, 0);
    assert_int_equal(r.bytes, 0);
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

static void test_name_alignment_fill(void **state)
{
    (void)state;
    assert_string_equal(ft_allocator_name(), "obmalloc,debug");
    for (size_t n = 0; n < 1200; n += 7) {
        unsigned char *p = ft_malloc(n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_int_equal(ft_malloc_usable_size(p), n);   /* no rounding up */
        assert_true(all_bytes(p, n, 0xCD));               /* fresh pattern */
        ft_free(p);
    }
    fini_no_leaks();
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    for (size_t n = 1; n < 3000; n = n * 3 + 1) {
        unsigned char *dirty = ft_malloc(n);   /* reuse must not leak 0xCD */
        memset(dirty, 0x5A, n);
        ft_free(dirty);
        unsigned char *p = ft_calloc(n, 3);
        assert_non_null(p);
        assert_true(all_bytes(p, n * 3, 0));
        assert_int_equal(ft_malloc_usable_size(p), n * 3);
        ft_free(p);
    }
    fini_no_leaks();
}

static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 7 + 3);
}

static bool filled(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 7 + 3))
            return false;
    return true;
}

static void test_realloc_across_512(void **state)
{
    (void)state;
    unsigned char *p = ft_malloc(300);
    fill(p, 300);
    p = ft_realloc(p, 900);                 /* small to large */
    assert_non_null(p);
    assert_true(filled(p, 300));
    assert_true(all_bytes(p + 300, 600, 0xCD));
    assert_int_equal(ft_malloc_usable_size(p), 900);
    fill(p, 900);
    p = ft_realloc(p, 100);                 /* large to small */
    assert_non_null(p);
    assert_true(filled(p, 100));
    assert_int_equal(ft_malloc_usable_size(p), 100);
    p = ft_realloc(p, 512);
    assert_true(filled(p, 100));
    ft_free(p);
    fini_no_leaks();
}

/* Every backend wraps, and a clean run leaves nothing behind. */
static void test_other_backends_clean(void **state)
{
    (void)state;
    const char *specs[] = { "malloc,debug", "mimalloc,debug", "obmalloc,debug" };
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        ft_config cfg = FT_CONFIG_INIT;
        cfg.malloc = specs[i];
        assert_int_equal(ft_init(&cfg), 0);
        assert_string_equal(ft_allocator_name(), specs[i]);
        unsigned char *p = ft_calloc(10, 70);
        assert_true(all_bytes(p, 700, 0));
        fill(p, 700);
        p = ft_realloc(p, 50);
        assert_true(filled(p, 50));
        assert_int_equal((uintptr_t)p % 16, 0);
        ft_free(p);
        fini_no_leaks();
    }
}

enum { THREADS = 4, OPS = 20000, SLOTS = 256 };

typedef struct exchange {
    _Atomic(void *) xslots[SLOTS];
} exchange;

/* Blocks are swapped through shared slots, so most frees happen on
 * another thread than the allocation: the quarantine sees both. */
static void swap_blocks(void *arg)
{
    exchange *x = arg;
    for (unsigned i = 0; i < OPS; i++) {
        size_t n = (i * 53u) % 700;
        unsigned char *p = ft_malloc(n);
        if (!ft_worker_check(p != NULL))
            return;   /* recorded: the main thread fails the test */
        memset(p, (int)(n & 0xff), n);
        unsigned char *old = atomic_exchange(&x->xslots[(i * 31u) % SLOTS], p);
        ft_free(old);
        if (i % 64 == 0)
            ft_checkpoint();
    }
}

static void test_threads_clean(void **state)
{
    (void)state;
    static exchange x;
    ft_thread *t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_non_null(t[i] = ft_thread_start(swap_blocks, &x));
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    for (int i = 0; i < SLOTS; i++)
        ft_free(atomic_exchange(&x.xslots[i], NULL));
    fini_no_leaks();
}

#define FAULT(fn, malloc_, commit_, kind_)                                   \
    { .name = #commit_ " " malloc_, .test_func = fn,                         \
      .initial_state = &(fault_case){ malloc_, commit_, kind_ } }

#define FAULT_ON_EACH(commit_, kind_)                                        \
    FAULT(test_fault, "obmalloc,debug", commit_, kind_),                     \
    FAULT(test_fault, "malloc,debug", commit_, kind_),                       \
    FAULT(test_fault, "mimalloc,debug", commit_, kind_)

int main(void)
{
    static const char foreign[] = "free of a pointer not allocated by ftlab's allocator";
    const struct CMUnitTest tests[] = {
        FAULT_ON_EACH(commit_overrun, "buffer overrun"),
        FAULT_ON_EACH(commit_double_free, "double free"),
        FAULT_ON_EACH(commit_free_middle, foreign),
        FAULT_ON_EACH(commit_after_free_pushed_out, "write after free"),
        FAULT(test_fault, "obmalloc,debug", commit_overrun_large, "buffer overrun"),
        FAULT(test_fault, "obmalloc,debug", commit_underrun, "buffer underrun"),
        FAULT(test_fault, "obmalloc,debug", commit_realloc_after_free, "double free"),
        FAULT(test_fault, "debug", commit_free_stack, foreign),
        FAULT(test_fault, "obmalloc,debug", commit_free_misaligned, foreign),
        FAULT(test_fault, "obmalloc,debug", commit_after_free_fini, "write after free"),
        FAULT(test_fault_names_sites, "obmalloc,debug", commit_double_free, "double free"),
        FAULT(test_fault_names_sites, "obmalloc,debug", commit_after_free_pushed_out,
              "write after free"),
        FAULT(test_clean_child, "debug", commit_nothing, NULL),
        cmocka_unit_test_setup_teardown(test_name_alignment_fill, setup_debug,
                                        ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_calloc_zeroes, setup_debug,
                                        ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_realloc_across_512, setup_debug,
                                        ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_threads_clean, setup_debug,
                                        ft_test_teardown),
        cmocka_unit_test(test_other_backends_clean),
    };
    return ft_test_run(tests);
}
