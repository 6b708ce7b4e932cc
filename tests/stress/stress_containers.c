/* stress_containers.c — one list and one dict shared by several threads
 * for a bounded time.
 *
 *   list: two threads append, one reads random items below len() and
 *         len() itself, one replaces random items (ft_list_set). At the
 *         end the length is the number of appends (no lost update), and
 *         each appender's items that were not replaced appear in the
 *         order it appended them.
 *   dict: two threads insert and delete in key ranges they own, keeping
 *         a private model; one reads keys of both ranges. At the end the
 *         dict holds exactly the union of the two models.
 *
 * Every object a reader got must be alive and of the expected type (in
 * debug builds a freed object has no type). Worker threads never assert
 * (cmocka is not thread-safe): they record with ft_worker_check and the
 * main thread asserts after joining. Each case runs RUN_MS (FT_TEST_RUN_MS)
 * and at least MIN_OPS operations of all its threads together (a loaded
 * release build does over 1,000,000 in 500 ms; the floor is a tenth of
 * the slowest flavor's share on a loaded machine, divided by the
 * sanitizers' slowdown). Seeds come from ft_test_seed (FT_TEST_SEED
 * replays a run). At the end the live-object count is back where it
 * started. Run under TSan and ASan by `make test`.
 */
#include <stdlib.h>
#include "ft_test.h"

enum { RUN_MS = 500, MIN_OPS = 100000, APPENDERS = 2, MAX_APPENDS = 100000,
       OWNERS = 2, RANGE = 512, KEY_BASE = 1000 };

#define SEQ_SPAN 1000000000   /* an appended int is id * SEQ_SPAN + seq */

static _Atomic int xstop;
static _Atomic long xreads, xreplaced;
static _Atomic uint64_t xops;   /* every operation of every thread */

static void checkpoint_every(long i)
{
    if (i % 32 == 0)
        ft_checkpoint();
}

static bool is_number(ft_object *o)
{
    return o && (ft_type_of(o) == &ft_int_type || ft_type_of(o) == &ft_float_type);
}

/* relaxed: a count, read by the main thread while it waits (any value
 * will do) and after the joins (which order it). */
static void count_op(void) { atomic_fetch_add_explicit(&xops, 1, memory_order_relaxed); }

/* ---- The list ------------------------------------------------------------ */

typedef struct list_arg {
    ft_object *list;
    int id;
    unsigned seed;
    long appends;
} list_arg;

static void appender(void *p)
{
    list_arg *a = p;
    for (long i = 0; !atomic_load(&xstop) && i < MAX_APPENDS; i++) {
        ft_object *v = ft_int_from_i64((int64_t)(a->id + 1) * SEQ_SPAN + i);
        if (ft_worker_check(v && ft_list_append(a->list, v) == 0))
            a->appends++;
        count_op();
        ft_xdecref(v);
        checkpoint_every(i);
    }
}

static void list_reader(void *p)
{
    list_arg *a = p;
    ssize_t last_len = 0;
    for (long i = 0; !atomic_load(&xstop); i++) {
        ssize_t n = ft_len(a->list);
        if (n < last_len)   /* nothing shrinks the list */
            ft_worker_fail("the list shrank from %zd to %zd", last_len, n);
        last_len = n;
        if (n > 0) {
            ft_object *v = ft_list_get(a->list, rand_r(&a->seed) % n);
            ft_worker_check(is_number(v));
            ft_xdecref(v);
            atomic_fetch_add(&xreads, 1);
        }
        count_op();
        checkpoint_every(i);
    }
}

static void list_replacer(void *p)
{
    list_arg *a = p;
    for (long i = 0; !atomic_load(&xstop); i++) {
        ssize_t n = ft_len(a->list);
        if (n > 0) {
            ft_object *v = ft_float_from_double(0.5 + (double)i);
            ft_worker_check(ft_list_set(a->list, -1 - (rand_r(&a->seed) % n), v) == 0);
            ft_decref(v);
            atomic_fetch_add(&xreplaced, 1);
        }
        count_op();
        checkpoint_every(i);
    }
}

static void run_threads(void (*fns[])(void *), void *args[], int n)
{
    atomic_store(&xops, 0);
    ft_test_run_threads_ops(fns, args, n, ft_test_run_ms(RUN_MS), &xstop, &xops,
                            FT_TEST_MIN_OPS(MIN_OPS));
    ft_test_assert_workers_ok();
}

/* Each appender's surviving ints are in the order it appended them. */
static void check_list_order(ft_object *l)
{
    int64_t last[APPENDERS + 1] = { 0 };
    for (ssize_t i = 0; i < ft_len(l); i++) {
        ft_object *v = ft_list_get(l, i);
        assert_true(is_number(v));
        if (ft_type_of(v) == &ft_int_type) {
            int64_t x = ft_int_as_i64(v), id = x / SEQ_SPAN;
            assert_true(id >= 1 && id <= APPENDERS);
            assert_true(x > last[id]);
            last[id] = x;
        }
        ft_decref(v);
    }
}

static void test_list_appenders_readers_setters(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *l = ft_list_new(0);
    uint64_t seed = ft_test_seed();
    list_arg args[4];
    for (int i = 0; i < 4; i++)
        args[i] = (list_arg){ .list = l, .id = i, .seed = (unsigned)(seed + i * 17u) };
    void (*fns[4])(void *) = { appender, appender, list_reader, list_replacer };
    void *argp[4] = { &args[0], &args[1], &args[2], &args[3] };
    run_threads(fns, argp, 4);
    long appends = args[0].appends + args[1].appends;
    print_message("[%s] list: %ld appends, %ld reads, %ld replaced, %llu operations\n",
                  ft_flavor(), appends, atomic_load(&xreads), atomic_load(&xreplaced),
                  (unsigned long long)atomic_load(&xops));
    assert_int_equal(ft_len(l), appends);   /* no lost append */
    assert_true(appends > 0 && atomic_load(&xreads) > 0 && atomic_load(&xreplaced) > 0);
    check_list_order(l);
    ft_decref(l);
    ft_checkpoint();   /* merges references queued to this thread */
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- The dict ------------------------------------------------------------ */

typedef struct dict_arg {
    ft_object *dict;
    int id;
    unsigned seed;
    int64_t model[RANGE];   /* value of key KEY_BASE + id * RANGE + i; 0: absent */
} dict_arg;

static int64_t key_of(int owner, int i) { return KEY_BASE + owner * RANGE + i; }

/* A value names its key, so a reader can tell a value from the wrong key. */
static int64_t value_for(int64_t key, long round) { return key * SEQ_SPAN + round + 1; }

static void dict_owner(void *p)
{
    dict_arg *a = p;
    for (long i = 0; !atomic_load(&xstop); i++) {
        int slot = rand_r(&a->seed) % RANGE;
        ft_object *k = ft_int_from_i64(key_of(a->id, slot));
        if (rand_r(&a->seed) % 3 == 0) {
            int rc = ft_dict_del(a->dict, k);
            ft_worker_check(rc == 0 || (a->model[slot] == 0 && ft_err_kind() == FT_ERR_KEY));
            ft_err_clear();
            a->model[slot] = 0;
        } else {
            int64_t val = value_for(key_of(a->id, slot), i);
            ft_object *v = ft_int_from_i64(val);
            if (ft_worker_check(ft_dict_set(a->dict, k, v) == 0))
                a->model[slot] = val;
            ft_decref(v);
        }
        ft_decref(k);
        count_op();
        checkpoint_every(i);
    }
}

static void dict_reader(void *p)
{
    dict_arg *a = p;
    for (long i = 0; !atomic_load(&xstop); i++) {
        int64_t key = KEY_BASE + rand_r(&a->seed) % (OWNERS * RANGE);
        ft_object *k = ft_int_from_i64(key);
        ft_object *v = ft_dict_get(a->dict, k);
        if (v && (ft_type_of(v) != &ft_int_type ||
                  ft_int_as_i64(v) / SEQ_SPAN != key))
            ft_worker_fail("key %lld: a value of another key", (long long)key);
        if (!v)
            ft_worker_check(ft_err_kind() == FT_ERR_KEY);
        ft_err_clear();
        ft_xdecref(v);
        ft_decref(k);
        ssize_t n = ft_len(a->dict);
        ft_worker_check(n >= 0 && n <= OWNERS * RANGE);
        atomic_fetch_add(&xreads, 1);
        count_op();
        checkpoint_every(i);
    }
}

static void check_dict_model(ft_object *d, dict_arg *owners)
{
    ssize_t present = 0;
    for (int o = 0; o < OWNERS; o++)
        for (int i = 0; i < RANGE; i++) {
            if (!owners[o].model[i])
                continue;
            present++;
            ft_object *k = ft_int_from_i64(key_of(o, i));
            ft_object *v = ft_dict_get(d, k);
            assert_non_null(v);
            assert_int_equal(ft_int_as_i64(v), owners[o].model[i]);
            ft_decref(v);
            ft_decref(k);
        }
    assert_int_equal(ft_len(d), present);
    ssize_t pos = 0, seen = 0;
    while (ft_dict_next(d, &pos, NULL, NULL) == 1)
        seen++;
    assert_int_equal(seen, present);
}

static void test_dict_owners_and_reader(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    uint64_t seed = ft_test_seed();
    static dict_arg args[OWNERS + 1];
    for (int i = 0; i <= OWNERS; i++)
        args[i] = (dict_arg){ .dict = d, .id = i, .seed = (unsigned)(seed + i * 29u) };
    void (*fns[3])(void *) = { dict_owner, dict_owner, dict_reader };
    void *argp[3] = { &args[0], &args[1], &args[2] };
    atomic_store(&xreads, 0);
    run_threads(fns, argp, 3);
    print_message("[%s] dict: %zd keys at the end, %ld reads, %llu operations\n",
                  ft_flavor(), ft_len(d), atomic_load(&xreads),
                  (unsigned long long)atomic_load(&xops));
    assert_true(atomic_load(&xreads) > 0);
    check_dict_model(d, args);
    ft_decref(d);
    ft_checkpoint();
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_list_appenders_readers_setters),
        T(test_dict_owners_and_reader),
    };
    return ft_test_run(tests);
}
