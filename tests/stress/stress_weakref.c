/* stress_weakref.c — weak references to objects that other threads keep
 * dropping and re-creating, for a bounded time and a minimum of rounds.
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
 * A collector thread meanwhile does what the cycle collector does to a
 * garbage object: it stops the world, clears every weakref to one object
 * with _ft_weakref_clear_for_gc, restarts the world and runs the pending
 * callbacks. Half of the time it picks the slot an owner is working on
 * right now, so that it clears weakrefs between their birth and the
 * cache's store of them: the store must then not leave a dead entry that
 * no callback will ever remove. The stripe locks must never make that
 * stop wait forever, and the callbacks it runs count like the ones a
 * death runs.
 *
 * Before an owner replaces a slot's object it checks the slot's cache
 * entry (it is the only writer of that key, and holds the object):
 *   - the entry is there, for that object, unless the collector cleared
 *     the object's weakrefs (a lost entry: remove deleted a live one);
 *   - once the cleared weakrefs' callbacks ran, no dead entry is left
 *     (the entry's `remove` runs before the owner's own callback, both
 *     from one pending list, newest weakref first).
 *
 * Owners keep the weakrefs of their first MAX_ROUNDS objects until the
 * end, so each of those objects' callbacks must run exactly once; later
 * rounds go on until the time is up, their weakrefs released with the
 * list's slot. The run lasts RUN_MS (FT_TEST_RUN_MS) and, besides the
 * time, until each kind of thread did its minimum of work (on a loaded
 * machine one kind may starve the others). Workers never assert: they
 * record (ft_worker_check) for the main thread. At the end the cache is
 * empty and the live-object count is back where it started.
 */
#define FT_BUILD_CORE 1   /* white-box: the collector's interface */
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"
#include "internal/weakref.h"

enum { SLOTS = 64, OWNERS = 2, READERS = 2, MAX_ROUNDS = 20000, RUN_MS = 500 };
/* The least work of a run: MIN_STEPS collections, ROUNDS_PER_STEP times
 * as many owner rounds and HITS_PER_STEP times as many reader hits. */
enum { MIN_STEPS = 100, ROUNDS_PER_STEP = 20, HITS_PER_STEP = 100 };
enum { PER_OWNER = SLOTS / OWNERS };

static _Atomic int xstop;
static _Atomic uint64_t xsteps;   /* the least of the three kinds of work */
static _Atomic long xrounds_total, xhits, xmisses, xcollections, xchecked;
static _Atomic unsigned char xcalled[OWNERS * MAX_ROUNDS];
static _Atomic int64_t xlast_dead[SLOTS];   /* highest serial whose callback ran */
static _Atomic int xinflight[OWNERS];       /* the slot an owner works on; -1 */

static ft_type *cls, *key_cls;
static ft_object *refs, *cache, *cache_data, *keys[SLOTS];

/* An object's value (and its callback's self): serial and slot in one. */
static int64_t value_of(int64_t serial, int slot) { return serial * SLOTS + slot; }

/* The callback: self is the dead object's value. */
static ft_object *on_death(ft_object *self, ft_object *args)
{
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    ft_worker_check(wr && ft_weakref_get(wr) == ft_none());
    int64_t v = ft_int_as_i64(self), serial = v / SLOTS;
    int slot = (int)(v % SLOTS);
    if (serial < OWNERS * MAX_ROUNDS)
        ft_worker_check(atomic_fetch_add(&xcalled[serial], 1) == 0);   /* once */
    int64_t seen = atomic_load(&xlast_dead[slot]);
    while (seen < serial && !atomic_compare_exchange_weak(&xlast_dead[slot], &seen, serial))
        ;
    return ft_none();
}

/* ---- Keys -------------------------------------------------------------- */

static _Thread_local bool storing;   /* an owner inside ft_weakdict_set */

static int64_t key_hash(ft_object *key)
{
    if (storing)
        ft_checkpoint();
    return (int64_t)((uintptr_t)key >> 4);
}

static int slot_of_key(ft_object *key)
{
    for (int i = 0; i < SLOTS; i++)
        if (keys[i] == key)
            return i;
    return -1;
}

/* ---- Owners ------------------------------------------------------------ */

typedef struct owner {
    int id;
    unsigned seed;
    long rounds;
    ft_object *current[PER_OWNER];   /* the slot's live object            */
    ft_object *cur_wr[PER_OWNER];    /* its weakref with the callback     */
    int64_t cur_serial[PER_OWNER];
    ft_object *wrs[MAX_ROUNDS];      /* the first rounds' weakrefs        */
} owner;

static ft_object *new_object(int64_t serial, int slot)
{
    ft_object *o = ft_instance_new(cls), *v = ft_int_from_i64(value_of(serial, slot));
    ft_worker_check(o && v && ft_setattr(o, "v", v) == 0);
    ft_xdecref(v);
    return o;
}

static ft_object *new_weakref(ft_object *o, int64_t serial, int slot)
{
    ft_object *n = ft_int_from_i64(value_of(serial, slot));
    ft_object *cb = ft_cfunction_new("on_death", on_death, n);
    ft_object *wr = ft_weakref_new(o, cb);
    ft_worker_check(wr != NULL);
    ft_xdecref(cb);
    ft_xdecref(n);
    return wr;
}

/* The slot's entry before the owner replaces its object (see the top). */
static void check_entry(owner *a, int local, int slot)
{
    if (!a->current[local])
        return;
    /* In this order: "ran" before the lookup, "cleared" after it. */
    bool ran = atomic_load(&xlast_dead[slot]) >= a->cur_serial[local];
    ft_object *e = NULL;
    int found = ft_dict_lookup(cache_data, keys[slot], &e);
    ft_object *live = ft_weakref_get(a->cur_wr[local]);
    bool cleared = live == ft_none();
    ft_xdecref(live);
    ft_object *o = found == 1 ? ft_weakref_get(e) : NULL;
    ft_worker_check(found >= 0);
    if (found == 0 && !cleared)
        ft_worker_fail("slot %d: the entry of a live object was lost", slot);
    if (o == ft_none() && ran)
        ft_worker_fail("slot %d: a dead entry outlived its callback", slot);
    if (o && o != ft_none() && o != a->current[local])
        ft_worker_fail("slot %d: the entry names another object", slot);
    ft_xdecref(o);
    ft_xdecref(e);
    atomic_fetch_add(&xchecked, 1);
}

static void owner_round(owner *a)
{
    int local = rand_r(&a->seed) % PER_OWNER, slot = a->id * PER_OWNER + local;
    int64_t serial = (int64_t)a->rounds * OWNERS + a->id;
    check_entry(a, local, slot);
    atomic_store(&xinflight[a->id], slot);
    ft_object *o = new_object(serial, slot), *wr = new_weakref(o, serial, slot);
    ft_worker_check(ft_list_set(refs, slot, wr) == 0);
    storing = true;
    ft_worker_check(ft_weakdict_set(cache, keys[slot], o) == 0);
    storing = false;
    atomic_store(&xinflight[a->id], -1);
    ft_xdecref(a->current[local]);   /* may be the last reference */
    ft_xdecref(a->cur_wr[local]);
    a->current[local] = o;
    a->cur_wr[local] = ft_newref(wr);
    a->cur_serial[local] = serial;
    if (a->rounds < MAX_ROUNDS)
        a->wrs[a->rounds] = wr;
    else
        ft_xdecref(wr);
    a->rounds++;
    atomic_fetch_add(&xrounds_total, 1);
}

static void owner_run(void *p)
{
    owner *a = p;
    while (!atomic_load(&xstop)) {
        owner_round(a);
        if (a->rounds % 32 == 0)
            ft_checkpoint();
    }
    for (int i = 0; i < PER_OWNER; i++) {
        ft_xdecref(a->current[i]);
        ft_xdecref(a->cur_wr[i]);
        a->current[i] = a->cur_wr[i] = NULL;
    }
}

/* ---- Readers ----------------------------------------------------------- */

/* o, got from slot, must be a live instance with a value of that slot. */
static void check_object(ft_object *o, int slot)
{
    ft_object *v = ft_type_of(o) == cls ? ft_getattr(o, "v") : NULL;
    ft_worker_check(v && ft_type_of(v) == &ft_int_type && ft_int_as_i64(v) % SLOTS == slot);
    ft_xdecref(v);
}

/* A new reference to what slot's weakref gives, or NULL if it is dead. */
static ft_object *read_weakref(int slot)
{
    ft_object *wr = ft_list_get(refs, slot), *o = NULL;
    if (!ft_worker_check(wr != NULL))
        return NULL;
    if (wr != ft_none()) {   /* None: no weakref published yet */
        o = ft_weakref_get(wr);
        ft_worker_check(o != NULL);
    }
    ft_decref(wr);
    if (o == ft_none())
        o = NULL;
    return o;
}

static ft_object *read_cache(int slot)
{
    ft_object *o = ft_weakdict_get(cache, keys[slot]);
    if (!o)
        ft_worker_check(ft_err_kind() == FT_ERR_KEY);
    ft_err_clear();
    return o;
}

typedef struct worker_arg {
    unsigned seed;
} worker_arg;

static void reader_run(void *p)
{
    unsigned seed = ((worker_arg *)p)->seed;
    ft_object *held = NULL;
    for (long i = 0; !atomic_load(&xstop); i++) {
        int slot = rand_r(&seed) % SLOTS;
        ft_object *o = (i & 1) ? read_weakref(slot) : read_cache(slot);
        atomic_fetch_add(o ? &xhits : &xmisses, 1);
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
    if (!ft_worker_check(ft_stop_the_world() == 0))
        return;
    int rc = _ft_weakref_clear_for_gc(o, never_garbage, NULL, pending);
    ft_start_the_world();
    ft_worker_check(rc == 0);
    _ft_weakref_run_callbacks(pending);
    atomic_fetch_add(&xcollections, 1);
}

/* Half of the time the slot an owner is filling right now. */
static int pick_slot(unsigned *seed)
{
    int r = rand_r(seed);
    int busy = (r & 1) ? atomic_load(&xinflight[(r >> 1) % OWNERS]) : -1;
    return busy >= 0 ? busy : (r >> 2) % SLOTS;
}

/* xsteps = the least of xcollections, xrounds_total / ROUNDS_PER_STEP and
 * xhits / HITS_PER_STEP (only this thread writes it). */
static void count_step(void)
{
    long c = atomic_load(&xcollections), r = atomic_load(&xrounds_total) / ROUNDS_PER_STEP,
         h = atomic_load(&xhits) / HITS_PER_STEP;
    long least = c < r ? c : r;
    atomic_store(&xsteps, (uint64_t)(least < h ? least : h));
}

static void collector_run(void *p)
{
    unsigned seed = ((worker_arg *)p)->seed;
    ft_object *pending = ft_list_new(0);
    if (!ft_worker_check(pending != NULL))
        return;
    while (!atomic_load(&xstop)) {
        ft_object *o = read_weakref(pick_slot(&seed));
        if (o) {
            collect_one(o, pending);
            count_step();
        }
        ft_xdecref(o);
        ft_checkpoint();
    }
    ft_decref(pending);
}

/* ---- The test ---------------------------------------------------------- */

static owner owners[OWNERS];

static void run_threads(void)
{
    uint64_t seed = ft_test_seed();
    static worker_arg wa[READERS + 1];
    void (*fns[OWNERS + READERS + 1])(void *);
    void *args[OWNERS + READERS + 1];
    atomic_store(&xsteps, 0);
    for (int i = 0; i < OWNERS; i++) {
        owners[i] = (owner){ .id = i, .seed = (unsigned)(seed * 7 + (uint64_t)i) };
        atomic_store(&xinflight[i], -1);
        fns[i] = owner_run;
        args[i] = &owners[i];
    }
    for (int i = 0; i <= READERS; i++) {
        wa[i].seed = (unsigned)(seed >> 3) + 101u * (unsigned)i;
        fns[OWNERS + i] = i < READERS ? reader_run : collector_run;
        args[OWNERS + i] = &wa[i];
    }
    ft_test_run_threads_ops(fns, args, OWNERS + READERS + 1, ft_test_run_ms(RUN_MS),
                            &xstop, &xsteps, MIN_STEPS);
}

/* The data dict inside the cache (white-box: the owners check entries). */
static ft_object *data_of(ft_object *weakdict)
{
    ft_object *refd = ft_gc_get_referents(weakdict), *data = NULL;
    assert_non_null(refd);
    for (ssize_t i = 0; i < ft_len(refd) && !data; i++) {
        ft_object *x = ft_list_get(refd, i);
        if (ft_type_of(x) == &ft_dict_type)
            data = x;
        else
            ft_decref(x);
    }
    ft_decref(refd);
    assert_non_null(data);
    return data;
}

/* On a failure: what the cache still holds, for the log. */
static void dump_cache(void)
{
    ssize_t pos = 0;
    ft_object *k, *v;
    while (ft_dict_next(cache_data, &pos, &k, &v) > 0) {
        ft_object *o = ft_weakref_get(v);
        print_message("  left: slot %d -> weakref %p, referent %s\n",
                      slot_of_key(k), (void *)v,
                      o == ft_none() ? "dead" : "alive");
        ft_xdecref(o);
    }
}

/* Every object made is dead now: its callback ran exactly once. */
static void check_callbacks_and_release(void)
{
    for (int i = 0; i < OWNERS; i++) {
        for (long r = 0; r < owners[i].rounds && r < MAX_ROUNDS; r++) {
            assert_int_equal(atomic_load(&xcalled[r * OWNERS + i]), 1);
            assert_ptr_equal(ft_weakref_get(owners[i].wrs[r]), ft_none());
            ft_decref(owners[i].wrs[r]);
        }
    }
}

static void test_get_while_others_drop(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    memset(xcalled, 0, sizeof xcalled);
    for (int i = 0; i < SLOTS; i++)
        atomic_store(&xlast_dead[i], -1);
    assert_non_null(cls = ft_class_new("Node", (const char *const[]){ "v", NULL }));
    assert_non_null(refs = ft_list_new(SLOTS));
    assert_non_null(cache = ft_weakvaluedict_new());
    cache_data = data_of(cache);
    assert_non_null(key_cls = ft_class_new("Key", NULL));
    key_cls->tp_hash = key_hash;
    for (int i = 0; i < SLOTS; i++)
        assert_non_null(keys[i] = ft_instance_new(key_cls));
    run_threads();
    print_message("[%s] %ld + %ld rounds, %ld entries checked, %ld hits, %ld "
                  "misses, %ld collections\n", ft_flavor(), owners[0].rounds,
                  owners[1].rounds, atomic_load(&xchecked), atomic_load(&xhits),
                  atomic_load(&xmisses), atomic_load(&xcollections));
    ft_test_assert_workers_ok();
    assert_true(atomic_load(&xhits) >= MIN_STEPS * HITS_PER_STEP);
    assert_true(atomic_load(&xrounds_total) >= MIN_STEPS * ROUNDS_PER_STEP);
    assert_true(atomic_load(&xcollections) >= MIN_STEPS);
    if (ft_len(cache) != 0)
        dump_cache();
    assert_int_equal(ft_len(cache), 0);
    ft_decref(refs);
    check_callbacks_and_release();
    ft_decref(cache_data);
    ft_decref(cache);
    for (int i = 0; i < SLOTS; i++)
        ft_decref(keys[i]);
    ft_decref(&cls->ob_base);
    ft_decref(&key_cls->ob_base);
    ft_checkpoint();
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_get_while_others_drop),
    };
    return ft_test_run(tests);
}
