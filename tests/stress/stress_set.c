/* stress_set.c — one set shared by several threads for a bounded time.
 *
 *   owners (3): each adds and discards keys of a range it alone owns,
 *               keeping a private model, in bursts that grow the set past
 *               several resizes and leave deleted slots behind. Every
 *               add, discard and contains answer of its own keys must
 *               match the model exactly (nobody else touches them).
 *   reader (1): iterates the whole set (ft_set_next), checks that every
 *               key it gets is a live int of some owner's range, and asks
 *               contains/len of random keys (any answer, never an error).
 *
 * Keys are new int objects each time (past the small-int cache): equal
 * by value to what is stored, not the same object, so lookups compare
 * under the set's lock and stored keys die when discarded. At the end the
 * set holds exactly the union of the models. Workers record failures with
 * ft_worker_check; the run lasts RUN_MS (FT_TEST_RUN_MS) and at least
 * MIN_OPS operations; seeds come from ft_test_seed (FT_TEST_SEED replays).
 */
#include <stdlib.h>
#include "ft_test.h"

enum { RUN_MS = 400, MIN_OPS = 200000, OWNERS = 3, RANGE = 3000,
       KEY_BASE = 1000000, BURST = 64 };

static _Atomic int xstop;
static _Atomic uint64_t xops;
static _Atomic long xreader_keys;

/* relaxed: a count read while waiting (any value) and after the joins. */
static void count_ops(uint64_t n) { atomic_fetch_add_explicit(&xops, n, memory_order_relaxed); }

typedef struct owner_arg {
    ft_object *set;
    int id;
    unsigned seed;
    bool model[RANGE];
} owner_arg;

static ft_object *key_of(int id, int slot)
{
    return ft_int_from_i64(KEY_BASE + (int64_t)id * RANGE + slot);
}

/* One operation on slot of the owner's range, checked against the model. */
static void owner_op(owner_arg *a, int slot, int what)
{
    ft_object *k = key_of(a->id, slot);
    if (!ft_worker_check(k != NULL))
        return;
    bool had = a->model[slot];
    if (what == 0) {
        ft_worker_check(ft_set_add(a->set, k) == (had ? 0 : 1));
        a->model[slot] = true;
    } else if (what == 1) {
        ft_worker_check(ft_set_discard(a->set, k) == (had ? 1 : 0));
        a->model[slot] = false;
    } else {
        ft_worker_check(ft_set_contains(a->set, k) == (had ? 1 : 0));
    }
    ft_decref(k);
}

static void owner(void *p)
{
    owner_arg *a = p;
    for (long round = 0; !atomic_load(&xstop); round++) {
        /* growth bursts (adds) alternate with shrink bursts (discards):
         * the table resizes up and fills with deleted slots */
        int bias = (round / 16) % 2 == 0 ? 0 : 1;
        for (int i = 0; i < BURST; i++) {
            int slot = rand_r(&a->seed) % RANGE;
            int r = rand_r(&a->seed) % 8;
            owner_op(a, slot, r < 5 ? bias : r < 7 ? 1 - bias : 2);
        }
        count_ops(BURST);
        ft_checkpoint();
    }
}

static bool owned_key(ft_object *k)
{
    if (!k || ft_type_of(k) != &ft_int_type)
        return false;
    int64_t v = ft_int_as_i64(k);
    return v >= KEY_BASE && v < KEY_BASE + (int64_t)OWNERS * RANGE;
}

typedef struct reader_arg {
    ft_object *set;
    unsigned seed;
} reader_arg;

static void reader(void *p)
{
    reader_arg *a = p;
    while (!atomic_load(&xstop)) {
        ssize_t pos = 0;
        ft_object *k;
        long n = 0;
        int rc;
        while ((rc = ft_set_next(a->set, &pos, &k)) == 1) {
            ft_worker_check(owned_key(k));
            ft_decref(k);
            if (++n % 64 == 0)
                ft_checkpoint();
        }
        ft_worker_check(rc == 0);
        atomic_fetch_add_explicit(&xreader_keys, n, memory_order_relaxed);
        for (int i = 0; i < 64; i++) {
            ft_object *q = key_of(rand_r(&a->seed) % OWNERS, rand_r(&a->seed) % RANGE);
            int c = ft_set_contains(a->set, q);
            ft_worker_check(c == 0 || c == 1);
            ft_decref(q);
        }
        ft_worker_check(ft_len(a->set) >= 0);
        count_ops((uint64_t)n + 65);
        ft_checkpoint();
    }
}

static void test_shared_set(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    assert_non_null(s);
    static owner_arg owners[OWNERS];
    reader_arg rd = { .set = s };
    uint64_t seed = ft_test_seed();
    void (*fns[OWNERS + 1])(void *);
    void *args[OWNERS + 1];
    for (int i = 0; i < OWNERS; i++) {
        owners[i] = (owner_arg){ .set = s, .id = i, .seed = (unsigned)(seed + 31u * i) };
        fns[i] = owner;
        args[i] = &owners[i];
    }
    rd.seed = (unsigned)(seed + 997u);
    fns[OWNERS] = reader;
    args[OWNERS] = &rd;
    atomic_store(&xops, 0);
    ft_test_run_threads_ops(fns, args, OWNERS + 1, ft_test_run_ms(RUN_MS), &xstop,
                            &xops, MIN_OPS);
    ft_test_assert_workers_ok();

    /* exactly the union of the models */
    ssize_t expected = 0;
    for (int i = 0; i < OWNERS; i++)
        for (int slot = 0; slot < RANGE; slot++) {
            ft_object *k = key_of(i, slot);
            assert_int_equal(ft_set_contains(s, k), owners[i].model[slot]);
            expected += owners[i].model[slot];
            ft_decref(k);
        }
    assert_int_equal(ft_len(s), expected);
    ssize_t pos = 0, seen = 0;
    ft_object *k;
    while (ft_set_next(s, &pos, &k) == 1) {
        assert_true(owned_key(k));
        int64_t v = ft_int_as_i64(k) - KEY_BASE;
        assert_true(owners[v / RANGE].model[v % RANGE]);
        ft_decref(k);
        seen++;
    }
    assert_int_equal(seen, expected);
    print_message("%llu operations, %ld keys iterated, %zd keys at the end [%s]\n",
                  (unsigned long long)atomic_load(&xops), atomic_load(&xreader_keys),
                  expected, ft_flavor());
    ft_decref(s);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_shared_set),
    };
    return ft_test_run(tests);
}
