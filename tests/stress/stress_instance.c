/* stress_instance.c — compact instances (runtime/objects/instance.c)
 * shared by several threads for a bounded time: the shared keys grow
 * while others read them, values are set and read inline while another
 * thread materializes the __dict__, and instances are replaced under the
 * workers' feet.
 *
 *   writers (2): each owns NAMES attribute names (w<id>_<n>) and, on an
 *                instance taken from the shared list, sets one, reads it
 *                back (exactly: nobody else writes it), sometimes deletes
 *                it (then it must be missing) and sets it again — which
 *                out of key order makes the dict.
 *   reader  (1): reads every name of every writer on an instance (each
 *                value is missing or an int of that name's writer), asks
 *                for the __dict__ of some (every key a known name, every
 *                value such an int), and replaces an instance of the list
 *                by a fresh one (inline again, sized by the keys so far).
 *
 * Values encode the writer and the name: VALUE_BASE + (id * NAMES + n) *
 * STRIDE + counter % STRIDE. The two writers' names together outnumber
 * an instance's capacity sometimes (the first ones of the class), so
 * dicts are also made by overflow. The run lasts RUN_MS (FT_TEST_RUN_MS)
 * and at least MIN_OPS operations; seeds come from ft_test_seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

enum { RUN_MS = 400, MIN_OPS = 100000, WRITERS = 2, NAMES = 6, INSTANCES = 4,
       STRIDE = 1000000 };
#define VALUE_BASE INT64_C(1000000000)

static _Atomic int xstop;
static _Atomic uint64_t xops;
static _Atomic long xdicts;

/* relaxed: a count read while waiting (any value) and after the joins. */
static void count_ops(uint64_t n) { atomic_fetch_add_explicit(&xops, n, memory_order_relaxed); }

static char names[WRITERS][NAMES][8];

typedef struct worker_arg {
    ft_object *list;   /* INSTANCES instances, replaced by the reader */
    ft_type *cls;
    int id;
    unsigned seed;
} worker_arg;

/* Is v an int a writer stores for name (w, n)? */
static bool value_of(ft_object *v, int w, int n)
{
    if (!v || ft_type_of(v) != &ft_int_type)
        return false;
    int64_t x = ft_int_as_i64(v) - VALUE_BASE;
    return x >= 0 && x / STRIDE == (int64_t)w * NAMES + n;
}

static void writer_op(worker_arg *a, ft_object *o, int n, int64_t counter)
{
    const char *name = names[a->id][n];
    ft_object *v = ft_int_from_i64(VALUE_BASE + ((int64_t)a->id * NAMES + n) * STRIDE +
                                   counter % STRIDE);
    if (!ft_worker_check(v != NULL))
        return;
    ft_worker_check(ft_setattr(o, name, v) == 0);
    ft_object *got = ft_getattr(o, name);
    if (!ft_worker_check(got == v))   /* ints are not shared: the same one */
        ft_worker_fail("%s: read back another value", name);
    ft_xdecref(got);
    if (counter % 16 == 0) {   /* delete, check, put back out of order */
        ft_worker_check(ft_setattr(o, name, NULL) == 0);
        got = ft_getattr(o, name);
        ft_worker_check(got == NULL && ft_err_kind() == FT_ERR_ATTRIBUTE);
        ft_err_clear();
        ft_xdecref(got);
        ft_worker_check(ft_setattr(o, name, v) == 0);
    }
    ft_decref(v);
}

static void writer(void *p)
{
    worker_arg *a = p;
    for (int64_t counter = 0; !atomic_load(&xstop); counter++) {
        ft_object *o = ft_list_get(a->list, rand_r(&a->seed) % INSTANCES);
        if (!ft_worker_check(o != NULL))
            return;
        for (int n = 0; n < NAMES; n++)
            writer_op(a, o, n, counter);
        ft_decref(o);
        count_ops(NAMES);
        if (counter % 64 == 0)
            ft_checkpoint();
    }
}

static void read_all(ft_object *o)
{
    for (int w = 0; w < WRITERS; w++)
        for (int n = 0; n < NAMES; n++) {
            ft_object *v = ft_getattr(o, names[w][n]);
            if (!v) {
                ft_worker_check(ft_err_kind() == FT_ERR_ATTRIBUTE);
                ft_err_clear();
            } else if (!ft_worker_check(value_of(v, w, n))) {
                ft_worker_fail("%s holds another name's value", names[w][n]);
            }
            ft_xdecref(v);
        }
}

static void check_dict(ft_object *o)
{
    ft_object *d = ft_getattr(o, "__dict__"), *k, *v;
    if (!ft_worker_check(d != NULL))
        return;
    ssize_t pos = 0;
    while (ft_dict_next_ref(d, &pos, &k, &v) == 1) {
        const char *s = ft_str_utf8_borrow(k, NULL);
        int w = -1, n = -1;
        ft_worker_check(s && sscanf(s, "w%d_%d", &w, &n) == 2);
        ft_worker_check(w >= 0 && w < WRITERS && n >= 0 && n < NAMES &&
                        value_of(v, w, n));
        ft_decref(k);
        ft_decref(v);
    }
    ft_decref(d);
    atomic_fetch_add_explicit(&xdicts, 1, memory_order_relaxed);   /* a tally */
}

static void reader(void *p)
{
    worker_arg *a = p;
    for (long round = 0; !atomic_load(&xstop); round++) {
        ssize_t i = rand_r(&a->seed) % INSTANCES;
        ft_object *o = ft_list_get(a->list, i);
        if (!ft_worker_check(o != NULL))
            return;
        read_all(o);
        if (round % 8 == 0)
            check_dict(o);
        ft_decref(o);
        if (round % 4 == 0) {   /* a fresh, inline instance */
            ft_object *fresh = ft_instance_new(a->cls);
            ft_worker_check(fresh && ft_list_set(a->list, i, fresh) == 0);
            ft_xdecref(fresh);
        }
        count_ops(WRITERS * NAMES);
        if (round % 64 == 0)
            ft_checkpoint();
    }
}

static void test_shared_instances(void **state)
{
    (void)state;
    for (int w = 0; w < WRITERS; w++)
        for (int n = 0; n < NAMES; n++)
            snprintf(names[w][n], sizeof names[w][n], "w%d_%d", w, n);
    int64_t before = ft_test_live_objects();
    ft_type *cls = ft_class_new("Shared", NULL);
    ft_object *list = ft_list_new(0);
    assert_non_null(cls);
    assert_non_null(list);
    for (int i = 0; i < INSTANCES; i++) {
        ft_object *o = ft_instance_new(cls);
        assert_int_equal(ft_list_append(list, o), 0);
        ft_decref(o);
    }
    uint64_t seed = ft_test_seed();
    static worker_arg args[WRITERS + 1];
    void (*fns[WRITERS + 1])(void *);
    void *argv[WRITERS + 1];
    for (int i = 0; i <= WRITERS; i++) {
        args[i] = (worker_arg){ list, cls, i, (unsigned)(seed + 31u * i) };
        fns[i] = i < WRITERS ? writer : reader;
        argv[i] = &args[i];
    }
    atomic_store(&xops, 0);
    ft_test_run_threads_ops(fns, argv, WRITERS + 1, ft_test_run_ms(RUN_MS), &xstop,
                            &xops, FT_TEST_MIN_OPS(MIN_OPS));
    ft_test_assert_workers_ok();
    /* Afterwards every instance still reads consistently. */
    for (int i = 0; i < INSTANCES; i++) {
        ft_object *o = ft_list_get(list, i);
        read_all(o);
        check_dict(o);
        ft_decref(o);
    }
    ft_test_assert_workers_ok();
    print_message("%llu operations, %ld dicts checked [%s]\n",
                  (unsigned long long)atomic_load(&xops), atomic_load(&xdicts),
                  ft_flavor());
    ft_decref(list);
    ft_decref(&cls->ob_base);
    /* nogil: the workers' last decrefs of objects the main thread owns
     * wait in its queue; the collector's pause merges them. */
    ft_gc_collect(-1);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_shared_instances),
    };
    return ft_test_run(tests);
}
