/* stress_weakref.c — weak references to objects that other threads keep
 * dropping and re-creating, for a bounded time.
 *
 * Two owner threads each own half of SLOTS slots. Each round an owner
 * makes a new object for one of its slots, a weakref to it with a
 * callback, publishes the weakref in a shared list and the object in a
 * shared WeakValueDictionary under the slot's key, and drops the slot's
 * previous object. Two reader threads pick random slots and call
 * ft_weakref_get on the published weakref and ft_weakdict_get on the
 * cache; whatever they get must be alive, an instance of the class, and
 * carry a value that belongs to that slot. A reader holds what it got
 * until its next read, so the last reference to an object is sometimes a
 * reader's: the object then dies, its weakrefs are cleared and its
 * callback runs on the reader's thread.
 *
 * A collector thread meanwhile does what the cycle collector will: it
 * stops the world, clears every weakref to one live object with
 * _ft_weakref_clear_for_gc, restarts the world and runs the pending
 * callbacks. The stripe locks must never make that stop wait forever, and
 * the callbacks it runs count like the ones a death runs.
 *
 * Owners keep the weakrefs of their first MAX_ROUNDS objects until the
 * end, so each of those objects' callbacks must run exactly once (each
 * callback's self is the object's serial number); later rounds go on
 * until the time is up, their weakrefs released with the list's slot. Workers never assert (cmocka is not thread-safe): they
 * count anomalies for the main thread to check. At the end the cache is
 * empty and the live-object count is back where it started.
 */
#define FT_BUILD_CORE 1   /* white-box: the collector's interface */
#include <stdlib.h>
#include "ft_test.h"
#include "internal/weakref.h"

enum { RUN_MS = 500, SLOTS = 64, OWNERS = 2, READERS = 2, MAX_ROUNDS = 20000 };

static _Atomic int stop;
static _Atomic long anomalies, hits, misses, collections;
static _Atomic unsigned char called[OWNERS * MAX_ROUNDS];

static ft_type *cls;
static ft_object *refs, *cache, *keys[SLOTS];

static void anomaly(void) { atomic_fetch_add(&anomalies, 1); }

/* An object's value: its serial number and its slot. */
static int64_t value_of(int64_t serial, int slot) { return serial * SLOTS + slot; }

/* The callback: self is the serial number of the dead object. */
static ft_object *on_death(ft_object *serial, ft_object *args)
{
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    if (!wr || ft_weakref_get(wr) != ft_none())
        anomaly();
    int64_t n = ft_int_as_i64(serial);
    if (n < OWNERS * MAX_ROUNDS && atomic_fetch_add(&called[n], 1) != 0)
        anomaly();   /* twice */
    return ft_none();
}

/* ---- Owners ------------------------------------------------------------ */

typedef struct owner {
    int id;
    unsigned seed;
    long rounds;
    ft_object *current[SLOTS / OWNERS];   /* the slot's live object      */
    ft_object *wrs[MAX_ROUNDS];           /* the first rounds' weakrefs  */
} owner;

static ft_object *new_object(int64_t serial, int slot)
{
    ft_object *o = ft_instance_new(cls), *v = ft_int_from_i64(value_of(serial, slot));
    if (!o || !v || ft_setattr(o, "v", v) != 0)
        anomaly();
    ft_xdecref(v);
    return o;
}

static ft_object *new_weakref(ft_object *o, int64_t serial)
{
    ft_object *n = ft_int_from_i64(serial);
    ft_object *cb = ft_cfunction_new("on_death", on_death, n);
    ft_object *wr = ft_weakref_new(o, cb);
    if (!wr)
        anomaly();
    ft_xdecref(cb);
    ft_xdecref(n);
    return wr;
}

static void owner_round(owner *a)
{
    int local = rand_r(&a->seed) % (SLOTS / OWNERS), slot = a->id * (SLOTS / OWNERS) + local;
    int64_t serial = (int64_t)a->rounds * OWNERS + a->id;
    ft_object *o = new_object(serial, slot), *wr = new_weakref(o, serial);
    if (ft_list_set(refs, slot, wr) != 0 || ft_weakdict_set(cache, keys[slot], o) != 0)
        anomaly();
    ft_xdecref(a->current[local]);   /* may be the last reference */
    a->current[local] = o;
    if (a->rounds < MAX_ROUNDS)
        a->wrs[a->rounds] = wr;
    else
        ft_xdecref(wr);
    a->rounds++;
}

static void owner_run(void *p)
{
    owner *a = p;
    while (!atomic_load(&stop)) {
        owner_round(a);
        if (a->rounds % 32 == 0)
            ft_checkpoint();
    }
    for (int i = 0; i < SLOTS / OWNERS; i++) {
        ft_xdecref(a->current[i]);
        a->current[i] = NULL;
    }
}

/* ---- Readers ----------------------------------------------------------- */

/* o, got from slot, must be a live instance with a value of that slot. */
static void check_object(ft_object *o, int slot)
{
    ft_object *v = ft_type_of(o) == cls ? ft_getattr(o, "v") : NULL;
    if (!v || ft_type_of(v) != &ft_int_type || ft_int_as_i64(v) % SLOTS != slot)
        anomaly();
    ft_xdecref(v);
}

/* A new reference to what slot's weakref gives, or NULL if it is dead. */
static ft_object *read_weakref(int slot)
{
    ft_object *wr = ft_list_get(refs, slot), *o = NULL;
    if (!wr) {
        anomaly();
        return NULL;
    }
    if (wr != ft_none()) {   /* None: no weakref published yet */
        o = ft_weakref_get(wr);
        if (!o)
            anomaly();
    }
    ft_decref(wr);
    if (o == ft_none())
        o = NULL;
    return o;
}

static ft_object *read_cache(int slot)
{
    ft_object *o = ft_weakdict_get(cache, keys[slot]);
    if (!o && ft_err_kind() != FT_ERR_KEY)
        anomaly();
    ft_err_clear();
    return o;
}

static void reader_run(void *p)
{
    unsigned seed = *(unsigned *)p;
    ft_object *held = NULL;
    for (long i = 0; !atomic_load(&stop); i++) {
        int slot = rand_r(&seed) % SLOTS;
        ft_object *o = (i & 1) ? read_weakref(slot) : read_cache(slot);
        atomic_fetch_add(o ? &hits : &misses, 1);
        if (o)
            check_object(o, slot);
        ft_xdecref(held);   /* sometimes the last reference */
        held = o;
        if (i % 32 == 0)
            ft_checkpoint();
    }
    ft_xdecref(held);
}

/* ---- The collector ------------------------------------------------------ */

static bool never_garbage(ft_object *o, void *arg)
{
    (void)o;
    (void)arg;
    return false;
}

static void collect_one(ft_object *o, ft_object *pending)
{
    if (ft_stop_the_world() != 0) {
        anomaly();
        return;
    }
    int rc = _ft_weakref_clear_for_gc(o, never_garbage, NULL, pending);
    ft_start_the_world();
    if (rc != 0)
        anomaly();
    _ft_weakref_run_callbacks(pending);
    atomic_fetch_add(&collections, 1);
}

static void collector_run(void *p)
{
    unsigned seed = *(unsigned *)p;
    ft_object *pending = ft_list_new(0);
    while (!atomic_load(&stop)) {
        ft_object *o = read_weakref(rand_r(&seed) % SLOTS);
        if (o)
            collect_one(o, pending);
        ft_xdecref(o);
        ft_checkpoint();
    }
    ft_decref(pending);
}

/* ---- The test ---------------------------------------------------------- */

static owner owners[OWNERS];

static void run_threads(void)
{
    ft_thread *t[OWNERS + READERS + 1];
    unsigned seeds[READERS + 1] = { 17, 91, 5 };
    atomic_store(&stop, 0);
    for (int i = 0; i < OWNERS; i++) {
        owners[i] = (owner){ .id = i, .seed = (unsigned)(i * 7 + 3) };
        assert_non_null(t[i] = ft_thread_start(owner_run, &owners[i]));
    }
    for (int i = 0; i < READERS; i++)
        assert_non_null(t[OWNERS + i] = ft_thread_start(reader_run, &seeds[i]));
    assert_non_null(t[OWNERS + READERS] = ft_thread_start(collector_run, &seeds[READERS]));
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(RUN_MS);
    atomic_store(&stop, 1);
    FT_END_ALLOW_THREADS
    for (int i = 0; i < OWNERS + READERS + 1; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
}

/* Every object made is dead now: its callback ran exactly once. */
static void check_callbacks_and_release(void)
{
    for (int i = 0; i < OWNERS; i++) {
        for (long r = 0; r < owners[i].rounds && r < MAX_ROUNDS; r++) {
            assert_int_equal(atomic_load(&called[r * OWNERS + i]), 1);
            assert_ptr_equal(ft_weakref_get(owners[i].wrs[r]), ft_none());
            ft_decref(owners[i].wrs[r]);
        }
    }
}

static void test_get_while_others_drop(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    assert_non_null(cls = ft_class_new("Node", (const char *const[]){ "v", NULL }));
    assert_non_null(refs = ft_list_new(SLOTS));
    assert_non_null(cache = ft_weakvaluedict_new());
    for (int i = 0; i < SLOTS; i++)
        assert_non_null(keys[i] = ft_int_from_i64(1000 + i));
    run_threads();
    print_message("[%s] %ld + %ld rounds, %ld hits, %ld misses, %ld "
                  "collections\n", ft_flavor(), owners[0].rounds,
                  owners[1].rounds, atomic_load(&hits), atomic_load(&misses),
                  atomic_load(&collections));
    assert_int_equal(atomic_load(&anomalies), 0);
    assert_true(atomic_load(&hits) > 0);
    assert_int_equal(ft_len(cache), 0);
    ft_decref(refs);
    check_callbacks_and_release();
    ft_decref(cache);
    for (int i = 0; i < SLOTS; i++)
        ft_decref(keys[i]);
    ft_decref(&cls->ob_base);
    ft_checkpoint();
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get_while_others_drop,
                                        ft_test_setup, ft_test_teardown),
    };
    return ft_test_run(tests);
}
