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
 *
 * A second test races the owner's elided sections (ftlab/refcount.h,
 * "Critical sections on objects"): each round an owner thread makes a
 * set and works on it alone (adds, discards and membership tests skip the
 * lock while nobody else has locked the set), and hands the bare pointer
 * to WRITERS other threads through the round's state, not through a
 * container: nothing marks the set. Their first operation settles it
 * while the owner is in the middle of its own. Each thread works on its
 * own key range against a private model (ranges interleave in the table:
 * the keys share probe chains and resizes), so a lost update — two
 * inserts into one free slot, a count written from a stale value, a
 * resize that drops another thread's key — shows at the end as a key
 * missing or extra, or a wrong len.
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

/* ---- The owner's elided sections against other threads' first locks ---- */

enum { ROUND_MS = 400, MIN_ROUNDS = 100, WRITERS = 2, ROUND_RANGE = 200,
       ROUND_OPS = 600 };

typedef struct set_round {
    _Atomic(ft_object *) xset;    /* published by the owner (release) */
    _Atomic int xnext_id;
    uint64_t seed;
    bool model[WRITERS + 1][ROUND_RANGE];
} set_round;

/* Thread id's keys: id, id + (WRITERS + 1), ... interleaved, half of them
 * small ints (immortal, compared by pointer), half past the cache (equal
 * keys are other objects: compared by value). */
static ft_object *round_key(int id, int slot)
{
    int64_t v = (int64_t)slot * (WRITERS + 1) + id;
    return ft_int_from_i64(slot % 2 ? KEY_BASE + v : v);
}

static void round_work(set_round *r, ft_object *s, int id)
{
    uint64_t seed = r->seed ^ (uint64_t)(id + 1) * 0x9e3779b97f4a7c15u;
    bool *model = r->model[id];
    for (int n = 0; n < ROUND_OPS; n++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        unsigned pick = (unsigned)(seed >> 33);
        int slot = (int)(pick / 4 % ROUND_RANGE);
        ft_object *k = round_key(id, slot);
        if (!ft_worker_check(k != NULL))
            return;
        bool had = model[slot], ok;
        switch (pick % 4) {
        case 0:
        case 1:   /* adds outnumber discards: the table grows under them */
            ok = ft_worker_check(ft_set_add(s, k) == (had ? 0 : 1));
            model[slot] = true;
            break;
        case 2:
            ok = ft_worker_check(ft_set_discard(s, k) == (had ? 1 : 0));
            model[slot] = false;
            break;
        default:
            ok = ft_worker_check(ft_set_contains(s, k) == (had ? 1 : 0));
            break;
        }
        ft_decref(k);
        if (!ok)
            return;
    }
}

static void round_owner(void *arg)
{
    set_round *r = arg;
    ft_object *s = ft_set_new();
    if (!ft_worker_check(s != NULL))
        return;
    for (int slot = 0; slot < 8; slot++) {   /* elided before the hand-over */
        ft_object *k = round_key(0, slot);
        ft_worker_check(k && ft_set_add(s, k) == 1);
        ft_xdecref(k);
        r->model[0][slot] = true;
    }
    /* release: the writers see the set's first keys. The owner keeps its
     * reference; the main thread takes it over after the round. */
    ft_atomic_store_release(&r->xset, s);
    round_work(r, s, 0);
}

static void round_writer(void *arg)
{
    set_round *r = arg;
    ft_object *s;
    /* acquire: pairs with the owner's publication. */
    while (!(s = ft_atomic_load_acquire(&r->xset)))
        ft_checkpoint();
    int id = 1 + atomic_fetch_add_explicit(&r->xnext_id, 1, memory_order_relaxed);
    round_work(r, s, id);
}

static void check_set_round(set_round *r)
{
    ft_object *s = ft_atomic_load_acquire(&r->xset);
    assert_non_null(s);
    ssize_t expected = 0;
    for (int id = 0; id <= WRITERS; id++)
        for (int slot = 0; slot < ROUND_RANGE; slot++) {
            ft_object *k = round_key(id, slot);
            assert_int_equal(ft_set_contains(s, k), r->model[id][slot]);
            expected += r->model[id][slot];
            ft_decref(k);
        }
    assert_int_equal(ft_len(s), expected);
    ssize_t pos = 0, seen = 0;
    ft_object *k;
    while (ft_set_next(s, &pos, &k) == 1) {
        seen++;
        ft_decref(k);
    }
    assert_int_equal(seen, expected);
    /* written by other threads: settled, if the owner ever elided */
    unsigned st = _ft_object_elide_state(s);
    if (st)
        assert_true(st & FT_OBJ_SETTLED);
    ft_decref(s);
}

static void test_owner_elides_writers_settle(void **state)
{
    (void)state;
    unsigned ms = ft_test_run_ms(ROUND_MS);
    uint64_t seed = ft_test_seed(), start = ft_test_now_ns();
    uint64_t min_rounds = FT_TEST_MIN_OPS(MIN_ROUNDS), rounds = 0;
    int64_t before = ft_test_live_objects();
    while (ft_test_keep_running(start, ms, rounds, min_rounds)) {
        set_round *r = calloc(1, sizeof *r);
        assert_non_null(r);
        r->seed = seed + rounds;
        ft_thread *t[WRITERS + 1];
        t[0] = ft_thread_start(round_owner, r);
        for (int i = 1; i <= WRITERS; i++)
            t[i] = ft_thread_start(round_writer, r);
        for (int i = 0; i <= WRITERS; i++) {
            assert_non_null(t[i]);
            assert_int_equal(ft_thread_join(t[i]), 0);
        }
        ft_test_assert_workers_ok();
        check_set_round(r);
        free(r);
        rounds++;
    }
    ft_test_assert_ops("rounds", rounds, min_rounds);
    print_message("%llu rounds [%s]\n", (unsigned long long)rounds, ft_flavor());
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_shared_set),
        T(test_owner_elides_writers_settle),
    };
    return ft_test_run(tests);
}
