/* stress_dict_iter.c — iterating a dict while other threads write it.
 *
 * What ftlab guarantees (ftlab/object.h, ft_dict_next): each call is
 * atomic with respect to writers; a position is an entry's insertion
 * number, which a resize keeps, so an iteration yields every key that is
 * in the dict for the whole iteration exactly once, in insertion order,
 * whatever resizes and deletions happen meanwhile; keys added or removed
 * during it are yielded at most once per insertion, or not at all. The
 * borrowed pointers of ft_dict_next are only as alive as something else
 * keeps them: here the test holds every key object for the whole run and
 * values are immortal small ints; ft_dict_next_ref gives new references.
 *
 *   stable keys (STABLE): inserted before the run, never deleted; writers
 *               replace their values (same entry, new value).
 *   writers (2): insert and delete churn keys of a range each owns, with a
 *               private model: the table grows, fills with deleted
 *               entries and is compacted by resizes again and again.
 *   iterators (2): one with ft_dict_next, one with ft_dict_next_ref; per
 *               full iteration, every stable key exactly once, every key
 *               one of the test's live key objects, every value a small
 *               int, keys in increasing insertion order among stable ones.
 *
 * At the end the dict holds the stable keys and exactly the union of the
 * writers' models. Workers record with ft_worker_check; the run lasts
 * RUN_MS (FT_TEST_RUN_MS) and at least MIN_OPS operations; seeds come
 * from ft_test_seed (FT_TEST_SEED replays).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

enum { RUN_MS = 400, MIN_OPS = 200000, MIN_ITERATIONS = 20, STABLE = 200,
       WRITERS = 2, RANGE = 1000, KEY_BASE = 1000000, BURST = 32 };
enum { NKEYS = STABLE + WRITERS * RANGE };

static _Atomic int xstop;
static _Atomic uint64_t xops;
static _Atomic long xiterations;
/* every key object of the run, by index; index = value - KEY_BASE;
 * stable keys first (inserted in index order) */
static ft_object *keys[NKEYS];

static void count_ops(uint64_t n) { atomic_fetch_add_explicit(&xops, n, memory_order_relaxed); }

/* The index of a key the test made, or -1 for anything else (a freed or
 * foreign object would not be the very pointer stored in keys[]). */
static int key_index(ft_object *k)
{
    if (!k || ft_type_of(k) != &ft_int_type)
        return -1;
    int64_t i = ft_int_as_i64(k) - KEY_BASE;
    return i >= 0 && i < NKEYS && keys[i] == k ? (int)i : -1;
}

static bool small_int(ft_object *v)
{
    return v && ft_type_of(v) == &ft_int_type && ft_is_immortal(v);
}

typedef struct writer_arg {
    ft_object *dict;
    int id;
    unsigned seed;
    bool model[RANGE];
} writer_arg;

static void writer(void *p)
{
    writer_arg *a = p;
    for (long round = 0; !atomic_load(&xstop); round++) {
        int bias = (round / 8) % 2;   /* grow bursts, then delete bursts */
        for (int i = 0; i < BURST; i++) {
            int slot = rand_r(&a->seed) % RANGE;
            ft_object *k = keys[STABLE + a->id * RANGE + slot];
            int r = rand_r(&a->seed) % 8;
            bool insert = r < 5 ? bias == 0 : bias == 1;
            if (r == 7) {   /* replace a stable key's value */
                ft_object *sk = keys[rand_r(&a->seed) % STABLE];
                ft_worker_check(ft_dict_set(a->dict, sk, ft_int_from_i64(r + i % 4)) == 0);
            } else if (insert) {
                ft_worker_check(ft_dict_set(a->dict, k, ft_int_from_i64(slot % 200)) == 0);
                a->model[slot] = true;
            } else {
                int rc = ft_dict_del(a->dict, k);
                ft_worker_check(rc == (a->model[slot] ? 0 : -1));
                if (rc < 0) {
                    ft_worker_check(ft_err_kind() == FT_ERR_KEY);
                    ft_err_clear();
                }
                a->model[slot] = false;
            }
        }
        count_ops(BURST);
        ft_checkpoint();
    }
}

typedef struct iter_arg {
    ft_object *dict;
    bool with_refs;
    unsigned char seen[NKEYS];
} iter_arg;

/* One full iteration, checked. */
static void iterate_once(iter_arg *a)
{
    memset(a->seen, 0, sizeof a->seen);
    ssize_t pos = 0;
    int last_stable = -1, rc;
    long n = 0;
    for (;;) {
        ft_object *k = NULL, *v = NULL;
        rc = a->with_refs ? ft_dict_next_ref(a->dict, &pos, &k, &v)
                          : ft_dict_next(a->dict, &pos, &k, &v);
        if (rc != 1)
            break;
        int i = key_index(k);
        if (ft_worker_check(i >= 0)) {
            if (i < STABLE) {
                ft_worker_check(a->seen[i] == 0);   /* exactly once */
                ft_worker_check(i > last_stable);   /* insertion order */
                last_stable = i;
            }
            a->seen[i]++;
        }
        ft_worker_check(small_int(v));
        if (a->with_refs) {
            ft_decref(k);
            ft_decref(v);
        }
        if (++n % 32 == 0)
            ft_checkpoint();
    }
    ft_worker_check(rc == 0);
    for (int i = 0; i < STABLE; i++)
        if (!ft_worker_check(a->seen[i] == 1))
            break;
    count_ops((uint64_t)n);
}

static void iterator(void *p)
{
    iter_arg *a = p;
    while (!atomic_load(&xstop)) {
        iterate_once(a);
        atomic_fetch_add_explicit(&xiterations, 1, memory_order_relaxed);
        ft_checkpoint();
    }
}

static void test_iteration_against_writers(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    for (int i = 0; i < NKEYS; i++)
        assert_non_null(keys[i] = ft_int_from_i64(KEY_BASE + i));
    ft_object *d = ft_dict_new();
    for (int i = 0; i < STABLE; i++)
        assert_int_equal(ft_dict_set(d, keys[i], ft_int_from_i64(0)), 0);
    static writer_arg writers[WRITERS];
    static iter_arg iters[2];
    uint64_t seed = ft_test_seed();
    void (*fns[WRITERS + 2])(void *);
    void *args[WRITERS + 2];
    for (int i = 0; i < WRITERS; i++) {
        writers[i] = (writer_arg){ .dict = d, .id = i, .seed = (unsigned)(seed + 13u * i) };
        fns[i] = writer;
        args[i] = &writers[i];
    }
    for (int i = 0; i < 2; i++) {
        iters[i].dict = d;
        iters[i].with_refs = i == 1;
        fns[WRITERS + i] = iterator;
        args[WRITERS + i] = &iters[i];
    }
    atomic_store(&xops, 0);
    atomic_store(&xiterations, 0);
    ft_test_run_threads_ops(fns, args, WRITERS + 2, ft_test_run_ms(RUN_MS), &xstop,
                            &xops, MIN_OPS);
    ft_test_assert_workers_ok();
    assert_true(atomic_load(&xiterations) >= MIN_ITERATIONS);

    /* the stable keys and exactly the writers' keys */
    ssize_t expected = STABLE;
    for (int w = 0; w < WRITERS; w++)
        for (int slot = 0; slot < RANGE; slot++) {
            ft_object *v = NULL;
            int rc = ft_dict_lookup(d, keys[STABLE + w * RANGE + slot], &v);
            assert_int_equal(rc, writers[w].model[slot]);
            ft_xdecref(v);
            expected += writers[w].model[slot];
        }
    assert_int_equal(ft_len(d), expected);
    /* and a quiet iteration sees each of them once */
    iters[0].with_refs = false;
    iterate_once(&iters[0]);
    ft_test_assert_workers_ok();
    print_message("%llu operations, %ld full iterations, %zd keys at the end [%s]\n",
                  (unsigned long long)atomic_load(&xops), atomic_load(&xiterations),
                  expected, ft_flavor());
    ft_decref(d);
    for (int i = 0; i < NKEYS; i++)
        ft_decref(keys[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* The same guarantee, deterministic, on one thread: between two steps of
 * an iteration, delete and add enough keys to force compacting resizes. */
static void test_positions_survive_compaction(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    for (int i = 0; i < STABLE; i++) {
        assert_non_null(keys[i] = ft_int_from_i64(KEY_BASE + i));
        assert_int_equal(ft_dict_set(d, keys[i], ft_none()), 0);
    }
    ssize_t pos = 0, fwd = 0;
    ft_object *k;
    int next_churn = STABLE, last = -1;
    while (ft_dict_next(d, &pos, &k, NULL) == 1) {
        int i = (int)(ft_int_as_i64(k) - KEY_BASE);
        if (i < STABLE) {
            assert_int_equal(i, last + 1);   /* each once, in order */
            last = i;
        }
        fwd++;
        /* churn: 50 new keys in, the previous 50 out (a resize every few
         * steps, each one dropping deleted entries) */
        for (int j = 0; j < 50; j++) {
            ft_object *c = ft_int_from_i64(KEY_BASE + NKEYS + next_churn + j);
            assert_int_equal(ft_dict_set(d, c, ft_none()), 0);
            ft_decref(c);
            if (next_churn > STABLE) {
                ft_object *o = ft_int_from_i64(KEY_BASE + NKEYS + next_churn - 50 + j);
                assert_int_equal(ft_dict_del(d, o), 0);
                ft_decref(o);
            }
        }
        next_churn += 50;
        if (fwd > 10 * STABLE)
            break;
    }
    assert_int_equal(last, STABLE - 1);
    /* backwards, with the same churn: each stable key once, in reverse */
    pos = SSIZE_MAX;
    last = STABLE;
    ft_object *v;
    while (ft_dict_prev_ref(d, &pos, &k, &v) == 1) {
        int i = (int)(ft_int_as_i64(k) - KEY_BASE);
        if (i < STABLE) {
            assert_int_equal(i, last - 1);
            last = i;
        }
        ft_decref(k);
        ft_decref(v);
        ft_object *c = ft_int_from_i64(KEY_BASE + NKEYS + next_churn);
        assert_int_equal(ft_dict_set(d, c, ft_none()), 0);
        ft_decref(c);
        ft_object *o = ft_int_from_i64(KEY_BASE + NKEYS + next_churn - 50);
        assert_int_equal(ft_dict_del(d, o), 0);
        ft_decref(o);
        next_churn++;
    }
    assert_int_equal(last, 0);
    ft_decref(d);
    for (int i = 0; i < STABLE; i++)
        ft_decref(keys[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_positions_survive_compaction),
        T(test_iteration_against_writers),
    };
    return ft_test_run(tests);
}
