/* soak.c — the stress mix for minutes, one flavor per program
 * (ftsoak-gil, ftsoak-nogil, ftsoak-nogil-atomic); `make soak` runs all
 * three through scripts/soak.sh. A standalone program with its own checks
 * (no cmocka): it prints one line per report interval and a summary, and
 * exits 1 with a clear message on the first failure.
 *
 * What runs
 *   SOAK_THREADS workers (default 4) live 20..300 ms each and exit; the
 *   main thread joins every finished worker and starts a new one, so
 *   threads start and exit all the time (objects outlive the threads that
 *   made them: nogil's owner-exit merges). Each worker draws operations
 *   at random from the mix:
 *     alloc   ints, floats, strs and tuples made and dropped
 *     list    a shared list of SLOTS nodes: put a new node, read one
 *     queue   a shared list used as a queue: append here, pop elsewhere
 *     dict    a shared dict: int k -> (k, tag) set, read, deleted
 *     set     a shared set: every worker adds and discards keys of its own
 *     inst    instances with a __dict__: setattr, getattr, del, __dict__
 *     cycle   cycles node <-> node -> list -> dict -> node, dropped or shared
 *     wref    weakrefs with and without callbacks, to nodes that die here,
 *             on another thread, or in a collection
 *     wdict   WeakValueDictionary / WeakKeyDictionary entries whose
 *             referents die
 *     intern  sys.intern of a shared vocabulary, canonical copies shared
 *     gc      ft_gc_collect from a worker (rare)
 *   Meanwhile the main thread collects (ft_gc_collect every ~250 ms, and
 *   the collector runs on its own at threshold 500), switches tracemalloc
 *   on and off (~every 300 ms, 1..8 frames) and takes snapshots while it
 *   traces.
 *
 * Quiescent checkpoints (epochs)
 *   Every SOAK_EPOCH_MS (2 s, less for short runs) the main thread stops
 *   the workers, joins them and checks what is exact only at rest:
 *     - every shared container holds what its invariant says (list slot i
 *       holds None or a node of slot i; the dict maps k to (k, tag); the
 *       set holds exactly the keys the workers left in it; the queue holds
 *       pushed - popped items; shared strs are canonical), then empties it;
 *     - after a full collection: the weak dictionaries are empty, every
 *       node's finalizer ran exactly once, every kept weakref is dead and
 *       its callback ran exactly once (kept = a worker kept the weakref
 *       until the epoch's end, so its referent died first);
 *     - tracemalloc's figures are coherent (current <= peak; 0 when off);
 *     - live objects (ft_mem_get_stats) are back at the baseline taken
 *       after setup.
 *   Workers never exit the process: they record failures in their own
 *   log (and callbacks or finalizers in the log of the thread they run
 *   on); the main thread reads the logs after joining.
 *
 * Report lines and the RSS rule
 *   Every report interval (60 s; a third of the run when it is shorter
 *   than 3 minutes) an epoch ends with a line: elapsed time, operations
 *   by kind, threads started, collections (automatic / explicit),
 *   tracemalloc switches, RSS, live objects, ft_malloc blocks, arenas.
 *   RSS is read from /proc/self/statm at that checkpoint with tracing
 *   off, after ft_mem_collect() and malloc_trim(0), so it counts what the
 *   runtime keeps rather than what an allocator caches. The first line is
 *   the warm-up figure; the rule, checked at the end:
 *       RSS_end <= RSS_warm * 1.10 + 8 MiB
 *   and the same for live ft_malloc blocks (blocks_end <= blocks_warm *
 *   1.10 + 4096). Under a sanitizer the figures are printed, not judged
 *   (ASan's quarantine grows RSS by design), nor in a run shorter than
 *   60 s (its warm-up figure is taken before the per-thread pools
 *   settle). Finally ft_fini must report no thread, object, block or byte
 *   left.
 *
 * Environment
 *   SOAK_SECONDS   run time of this flavor (default: SOAK_MINUTES * 60 / 3)
 *   SOAK_MINUTES   the whole soak's minutes over three flavors (default 10)
 *   SOAK_SEED      the seed (default: the clock); printed either way
 *   SOAK_THREADS   workers at a time (default 4, 1..32)
 *   SOAK_EPOCH_MS  quiescent checkpoint period (default 2000)
 * Exit status: 0 pass, 1 a check failed, 2 bad environment.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <ftlab.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#  define SOAK_SANITIZED 1
#else
#  define SOAK_SANITIZED 0
#endif

enum {
    SLOTS = 256,          /* shared list / weakref / weakdict slots      */
    DICT_KEYS = 512,      /* keys of the shared dict                     */
    QUEUE_MAX = 512,      /* the queue stops growing there               */
    WORDS = 200,          /* the interning vocabulary                    */
    SET_KEYS = 64,        /* set keys per worker (one bit each)          */
    KEEP_MAX = 256,       /* kept weakrefs per worker                    */
    MAX_THREADS = 32,
    LIFE_MIN_MS = 20, LIFE_SPAN_MS = 280,
    TICK_MS = 10,         /* the main thread's loop                      */
    GC_EVERY_MS = 250, TRACE_EVERY_MS = 300, SNAPSHOT_EVERY_MS = 1000,
    GC_THRESHOLD = 500,
};
#define RSS_FACTOR 1.10
#define RSS_SLACK_BYTES (8u << 20)
#define BLOCKS_SLACK 4096
/* Shorter runs (the 5 s ctest smoke) print RSS but do not judge it: seconds
 * after the start, the pools of the first threads are still settling. */
#define JUDGE_MIN_SECONDS 60

/* ---- Failure logs ------------------------------------------------------- */

/* One per thread: written only by its thread, read by the main thread
 * after joining it (the join orders the writes before the reads). */
typedef struct failure_log {
    unsigned count;
    char first[320];
} failure_log;

static _Thread_local failure_log *tls_log;
static _Thread_local bool tls_explicit_gc;   /* inside our ft_gc_collect */
/* For a callback or finalizer the runtime might run on a thread of its
 * own (none does today): the first such failure's text is written by the
 * thread that counted it from 0; the main thread reads it at rest. */
static failure_log orphan_log;
static _Atomic unsigned xorphan_failures;

static void soak_fail(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void soak_fail(int line, const char *fmt, ...)
{
    failure_log *l = tls_log;
    if (!l) {
        /* relaxed: only the winner of the count writes the text. */
        if (ft_atomic_add_relaxed(&xorphan_failures, 1) != 0)
            return;
        l = &orphan_log;
    } else if (l->count++ != 0) {
        return;
    }
    int n = snprintf(l->first, sizeof l->first, "soak.c:%d: ", line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->first + n, sizeof l->first - (size_t)n, fmt, ap);
    va_end(ap);
}

#define CHECK(cond) ((cond) ? true : (soak_fail(__LINE__, "%s", #cond), false))
#define FAIL(...) soak_fail(__LINE__, __VA_ARGS__)
/* An API call that should not fail did: record it with the error. */
#define API_FAIL(what)                                                      \
    (soak_fail(__LINE__, "%s: %s: %s", (what), ft_err_kind_name(ft_err_kind()), \
               ft_err_message()), ft_err_clear())

/* ---- Random numbers and time ------------------------------------------- */

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rnd(uint64_t *x, unsigned n) { return (unsigned)(splitmix(x) % n); }

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* ---- Operation kinds ---------------------------------------------------- */

typedef enum op_kind {
    OP_ALLOC, OP_LIST, OP_QUEUE, OP_DICT, OP_SET, OP_INST, OP_CYCLE,
    OP_WREF, OP_WDICT, OP_INTERN, OP_GC, OP__COUNT
} op_kind;

static const char *const op_names[OP__COUNT] = {
    "alloc", "list", "queue", "dict", "set", "inst", "cycle", "wref",
    "wdict", "intern", "gc",
};
/* Out of 100 draws; OP_GC is drawn apart (1 in 4096 operations). */
static const unsigned op_weights[OP__COUNT] = {
    12, 12, 8, 12, 10, 8, 6, 12, 10, 10, 0,
};

/* ---- Shared state -------------------------------------------------------- */

static ft_type *g_node_cls;   /* slots: slot, tag, other, items; finalizer */
static ft_type *g_bag_cls;    /* instances with a __dict__                 */
static ft_object *g_slots;    /* SLOTS: None or a node of that slot        */
static ft_object *g_wrefs;    /* SLOTS: None or a weakref to a node        */
static ft_object *g_queue;    /* nodes (slot -1) and ints                  */
static ft_object *g_dict;     /* int k -> (k, tag)                         */
static ft_object *g_set;      /* keys serial * SET_KEYS + i                */
static ft_object *g_strs;     /* WORDS: None or the canonical str          */
static ft_object *g_wvd;      /* WeakValueDictionary: int slot -> node     */
static ft_object *g_wkd;      /* WeakKeyDictionary: node -> its tag        */
static ft_object *g_cb_kept;  /* callback of kept weakrefs                 */
static ft_object *g_cb_free;  /* callback of the others                    */
static char g_words[WORDS][24];

static _Atomic int xstop;
/* Counters that callbacks, finalizers and the collector bump on whatever
 * thread they run. relaxed: each is a tally; the main thread reads them
 * at a quiescent checkpoint, after joins that order every bump. */
static _Atomic int64_t xnodes_made, xnodes_finalized;
static _Atomic int64_t xcb_kept_calls, xcb_free_calls, xcb_free_made;
static _Atomic uint64_t xgc_auto, xgc_explicit;

#define BUMP(p, v) ft_atomic_add_relaxed((p), (v))
#define READ(p) ft_atomic_load_relaxed(p)

/* ---- Workers ------------------------------------------------------------- */

typedef struct worker {
    ft_thread *thread;
    uint64_t serial;              /* unique per started worker            */
    uint64_t rng;
    uint64_t deadline_ns;         /* its lifetime ends here               */
    _Atomic int xdone;            /* release-set last; main then joins    */
    uint64_t ops[OP__COUNT];
    uint64_t tag_next;
    uint64_t set_bits;            /* which of its set keys are in g_set   */
    int64_t pushed, popped;       /* g_queue items                        */
    int64_t kept;                 /* weakrefs in kept_list                */
    ft_object *kept_list;         /* weakrefs with the counted callback   */
    ft_object *held;              /* the last object read from g_slots    */
    failure_log log;
} worker;

static int64_t int_of(ft_object *o)
{
    return o && ft_type_of(o) == &ft_int_type ? ft_int_as_i64(o) : INT64_MIN;
}

static ft_object *attr(ft_object *o, const char *name)
{
    ft_object *v = ft_getattr(o, name);
    if (!v)
        API_FAIL(name);
    return v;
}

/* A node of `slot` (-1: no slot) with a fresh tag. */
static ft_object *new_node(worker *w, int slot)
{
    ft_object *o = ft_instance_new(g_node_cls);
    if (!o) {
        API_FAIL("ft_instance_new(Node)");
        return NULL;
    }
    BUMP(&xnodes_made, 1);
    ft_object *s = ft_int_from_i64(slot);
    ft_object *t = ft_int_from_i64((int64_t)(w->serial << 24 | (w->tag_next++ & 0xffffff)));
    if (!s || !t || ft_setattr(o, "slot", s) != 0 || ft_setattr(o, "tag", t) != 0)
        API_FAIL("node attributes");
    ft_xdecref(s);
    ft_xdecref(t);
    return o;
}

/* o is a node of that slot. */
static bool node_ok(ft_object *o, int slot)
{
    if (!CHECK(o && ft_type_of(o) == g_node_cls))
        return false;
    ft_object *s = attr(o, "slot");
    bool ok = CHECK(int_of(s) == slot);
    ft_xdecref(s);
    return ok;
}

static int64_t node_tag(ft_object *o)
{
    ft_object *t = attr(o, "tag");
    int64_t v = int_of(t);
    ft_xdecref(t);
    return v;
}

/* Stores v in list l at i (the slot's previous item may die here). */
static void put(ft_object *l, int i, ft_object *v)
{
    if (ft_list_set(l, i, v) != 0)
        API_FAIL("ft_list_set");
}

/* Keeps o (a new reference) as the worker's held object and drops the
 * previous one: sometimes the last reference, so objects die on readers. */
static void hold(worker *w, ft_object *o)
{
    ft_xdecref(w->held);
    w->held = o;
}

static void op_alloc(worker *w)
{
    int64_t v = 1000 + rnd(&w->rng, 1u << 20);
    ft_object *i = ft_int_from_i64(v), *f = ft_float_from_double((double)v / 4);
    ft_object *s = ft_str_from_utf8(g_words[v % WORDS], -1), *t = ft_tuple_new(3);
    if (!i || !f || !s || !t) {
        API_FAIL("alloc");
    } else {
        CHECK(ft_int_as_i64(i) == v && ft_float_as_double(f) == (double)v / 4);
        CHECK(!ft_str_is_interned(s));
        ft_incref(i);
        ft_incref(s);
        ft_tuple_set_steal(t, 0, i);
        ft_tuple_set_steal(t, 1, s);
        ft_tuple_set_steal(t, 2, ft_none());
        CHECK(ft_tuple_get_borrow(t, 0) == i && ft_len(t) == 3);
    }
    ft_xdecref(t);
    ft_xdecref(s);
    ft_xdecref(f);
    ft_xdecref(i);
}

static void op_list(worker *w)
{
    int s = (int)rnd(&w->rng, SLOTS);
    if (rnd(&w->rng, 3) == 0) {
        ft_object *n = new_node(w, s);
        if (n)
            put(g_slots, s, n);
        ft_xdecref(n);
        return;
    }
    ft_object *o = ft_list_get(g_slots, s);
    if (!o)
        API_FAIL("ft_list_get(slots)");
    else if (o != ft_none())
        node_ok(o, s);
    hold(w, o);
}

static void op_queue(worker *w)
{
    if (ft_len(g_queue) < QUEUE_MAX && rnd(&w->rng, 2) == 0) {
        ft_object *v = rnd(&w->rng, 2) ? new_node(w, -1) : ft_int_from_i64(100000 + w->pushed);
        if (v && ft_list_append(g_queue, v) == 0)
            w->pushed++;
        else
            API_FAIL("queue append");
        ft_xdecref(v);
        return;
    }
    ft_object *v = ft_list_pop(g_queue, rnd(&w->rng, 2) ? 0 : -1);
    if (v) {
        w->popped++;
        if (ft_type_of(v) == g_node_cls)
            node_ok(v, -1);
        else
            CHECK(int_of(v) >= 100000);
        ft_decref(v);   /* often made by another thread */
    } else if (CHECK(ft_err_kind() == FT_ERR_INDEX)) {
        ft_err_clear();   /* empty: another worker popped first */
    }
}

/* (k, tag) */
static ft_object *dict_value(ft_object *k, int64_t tag)
{
    ft_object *t = ft_tuple_new(2), *v = ft_int_from_i64(tag);
    if (!t || !v) {
        ft_xdecref(t);
        ft_xdecref(v);
        return NULL;
    }
    ft_incref(k);
    ft_tuple_set_steal(t, 0, k);
    ft_tuple_set_steal(t, 1, v);
    return t;
}

static void op_dict(worker *w)
{
    int k = (int)rnd(&w->rng, DICT_KEYS);
    ft_object *key = ft_int_from_i64(k), *v = NULL;
    switch (rnd(&w->rng, 3)) {
    case 0:
        v = dict_value(key, (int64_t)w->serial);
        if (!v || ft_dict_set(g_dict, key, v) != 0)
            API_FAIL("ft_dict_set");
        break;
    case 1:
        v = ft_dict_get(g_dict, key);
        if (v)
            CHECK(ft_type_of(v) == &ft_tuple_type && int_of(ft_tuple_get_borrow(v, 0)) == k);
        else if (CHECK(ft_err_kind() == FT_ERR_KEY))
            ft_err_clear();
        break;
    default:
        if (ft_dict_del(g_dict, key) != 0 && CHECK(ft_err_kind() == FT_ERR_KEY))
            ft_err_clear();
    }
    ft_xdecref(v);
    ft_xdecref(key);
}

/* Only this worker touches its keys: every answer is known. */
static void op_set(worker *w)
{
    unsigned i = rnd(&w->rng, SET_KEYS);
    uint64_t bit = 1ull << i;
    ft_object *key = ft_int_from_i64((int64_t)(w->serial * SET_KEYS + i));
    if (!key) {
        API_FAIL("set key");
        return;
    }
    int present = (w->set_bits & bit) != 0;
    CHECK(ft_set_contains(g_set, key) == present);
    if (present)
        CHECK(ft_set_discard(g_set, key) == 1);
    else
        CHECK(ft_set_add(g_set, key) == 1);
    w->set_bits ^= bit;
    ft_decref(key);
}

static void op_inst(worker *w)
{
    ft_object *o = ft_instance_new(g_bag_cls);
    int64_t v = 300 + rnd(&w->rng, 1000);
    ft_object *x = ft_int_from_i64(v), *y = ft_str_from_utf8(g_words[v % WORDS], -1);
    if (!o || !x || !y || ft_setattr(o, "x", x) != 0 || ft_setattr(o, "y", y) != 0 ||
        ft_setattr(o, "z", ft_none()) != 0) {
        API_FAIL("instance attributes");
    } else {
        ft_object *gx = attr(o, "x"), *d = attr(o, "__dict__");
        CHECK(gx == x);
        CHECK(d && ft_len(d) == 3);
        CHECK(ft_setattr(o, "y", NULL) == 0);
        CHECK(ft_getattr(o, "y") == NULL && ft_err_kind() == FT_ERR_ATTRIBUTE);
        ft_err_clear();
        if (rnd(&w->rng, 4) == 0 && ft_setattr(o, "me", o) != 0)   /* a self-cycle */
            API_FAIL("self-cycle");
        ft_xdecref(gx);
        ft_xdecref(d);
    }
    ft_xdecref(y);
    ft_xdecref(x);
    ft_xdecref(o);
}

/* a <-> b, a -> list -> dict -> a: five objects, all garbage together. */
static ft_object *make_cycle(worker *w, int slot)
{
    ft_object *a = new_node(w, slot), *b = new_node(w, slot);
    ft_object *l = ft_list_new(0), *d = ft_dict_new(), *k = ft_int_from_i64(4242);
    if (!a || !b || !l || !d || !k || ft_setattr(a, "other", b) != 0 ||
        ft_setattr(b, "other", a) != 0 || ft_setattr(a, "items", l) != 0 ||
        ft_list_append(l, d) != 0 || ft_dict_set(d, k, a) != 0)
        API_FAIL("cycle");
    ft_xdecref(b);
    ft_xdecref(l);
    ft_xdecref(d);
    ft_xdecref(k);
    return a;
}

static void op_cycle(worker *w)
{
    int s = (int)rnd(&w->rng, SLOTS);
    ft_object *a = make_cycle(w, s);
    if (a && rnd(&w->rng, 2))
        put(g_slots, s, a);   /* dies when overwritten, on any thread */
    ft_xdecref(a);
}

/* The callback of kept weakrefs: called once per kept weakref. */
static ft_object *on_kept_death(ft_object *self, ft_object *args)
{
    (void)self;
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    CHECK(wr && ft_weakref_get(wr) == ft_none());
    BUMP(&xcb_kept_calls, 1);
    return ft_none();
}

/* The callback of weakrefs that may die first: at most once each. */
static ft_object *on_free_death(ft_object *self, ft_object *args)
{
    (void)self;
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    CHECK(wr && ft_weakref_get(wr) == ft_none());
    BUMP(&xcb_free_calls, 1);
    return ft_none();
}

/* Returns true when the weakref went to g_wrefs, where other threads may
 * take a strong reference to n from it. */
static bool weakref_with_callback(worker *w, ft_object *n, int s)
{
    bool keep = w->kept < KEEP_MAX;
    ft_object *wr = ft_weakref_new(n, keep ? g_cb_kept : g_cb_free);
    if (!wr) {
        API_FAIL("ft_weakref_new");
        return false;
    }
    if (keep) {
        if (ft_list_append(w->kept_list, wr) == 0)
            w->kept++;
        else
            API_FAIL("kept append");
    } else {
        BUMP(&xcb_free_made, 1);
        put(g_wrefs, s, wr);   /* the previous weakref there dies */
    }
    ft_decref(wr);
    return !keep;
}

/* The node goes one of three ways: dropped here (dead at once), shared
 * in a slot (dies on whichever thread overwrites it), or in a cycle (dies
 * in a collection). */
static void op_wref(worker *w)
{
    int s = (int)rnd(&w->rng, SLOTS);
    ft_object *n = new_node(w, s);
    ft_object *plain = n ? ft_weakref_new(n, NULL) : NULL;
    if (!plain) {
        API_FAIL("weakref");
        ft_xdecref(n);
        return;
    }
    bool published = weakref_with_callback(w, n, s);
    ft_object *got = ft_weakref_get(plain);
    CHECK(got == n);
    ft_xdecref(got);
    switch (rnd(&w->rng, 3)) {
    case 0:
        ft_decref(n);   /* the only strong reference, unless published */
        if (!published) {
            got = ft_weakref_get(plain);
            CHECK(got == ft_none());
            ft_xdecref(got);
        }
        n = NULL;
        break;
    case 1:
        put(g_slots, s, n);
        break;
    default:
        if (ft_setattr(n, "other", n) != 0)
            API_FAIL("self-cycle");
    }
    ft_xdecref(n);
    ft_decref(plain);
    /* and a read of someone else's weakref */
    int r = (int)rnd(&w->rng, SLOTS);
    ft_object *wr = ft_list_get(g_wrefs, r), *o = NULL;
    if (!wr)
        API_FAIL("ft_list_get(wrefs)");
    else if (wr != ft_none()) {
        o = ft_weakref_get(wr);
        if (o && o != ft_none())
            node_ok(o, r);
    }
    ft_xdecref(o);
    ft_xdecref(wr);
}

static void wvd_op(worker *w, ft_object *key, int s)
{
    if (rnd(&w->rng, 2)) {
        ft_object *n = new_node(w, s);
        if (!n || ft_weakdict_set(g_wvd, key, n) != 0)
            API_FAIL("WeakValueDictionary set");
        if (n && rnd(&w->rng, 2))
            put(g_slots, s, n);
        ft_xdecref(n);
        return;
    }
    ft_object *v = ft_weakdict_get(g_wvd, key);
    if (v)
        node_ok(v, s);
    else if (CHECK(ft_err_kind() == FT_ERR_KEY))
        ft_err_clear();
    hold(w, v);
}

static void wkd_op(worker *w, int s)
{
    ft_object *n;
    if (rnd(&w->rng, 2)) {
        n = new_node(w, s);
        ft_object *t = n ? ft_int_from_i64(node_tag(n)) : NULL;
        if (!t || ft_weakdict_set(g_wkd, n, t) != 0)
            API_FAIL("WeakKeyDictionary set");
        ft_xdecref(t);
        if (n && rnd(&w->rng, 2))
            put(g_slots, s, n);
    } else {
        n = ft_list_get(g_slots, s);
    }
    if (n && n != ft_none()) {
        ft_object *v = ft_weakdict_get(g_wkd, n);
        if (v)
            CHECK(int_of(v) == node_tag(n));
        else if (CHECK(ft_err_kind() == FT_ERR_KEY))
            ft_err_clear();
        ft_xdecref(v);
    }
    ft_xdecref(n);
}

static void op_wdict(worker *w)
{
    int s = (int)rnd(&w->rng, SLOTS);
    ft_object *key = ft_int_from_i64(s);
    if (rnd(&w->rng, 2))
        wvd_op(w, key, s);
    else
        wkd_op(w, s);
    ft_xdecref(key);
}

/* Two fresh copies intern to one object, and a canonical copy shared in
 * g_strs (kept alive there) is the one every thread gets. */
static void op_intern(worker *w)
{
    int i = (int)rnd(&w->rng, WORDS);
    ft_object *s = ft_str_from_utf8(g_words[i], -1);
    ft_object *c = s ? ft_str_intern(s) : NULL;
    ft_xdecref(s);
    if (!c) {
        API_FAIL("ft_str_intern");
        return;
    }
    const char *text = ft_str_utf8_borrow(c, NULL);
    if (!text || strcmp(text, g_words[i]) != 0)
        FAIL("ft_str_intern(\"%s\") gave \"%s\"", g_words[i], text ? text : "(not a str)");
    if (!ft_str_is_interned(c))
        FAIL("ft_str_intern(\"%s\") gave a str that is not interned (refcnt %" PRIdPTR ")",
             g_words[i], ft_refcnt(c));
    ft_object *shared = ft_list_get(g_strs, i);
    if (shared && shared != ft_none())
        CHECK(shared == c);
    switch (rnd(&w->rng, 4)) {
    case 0: put(g_strs, i, c); break;
    case 1: put(g_strs, i, ft_none()); break;   /* the canonical copy may die */
    default: break;
    }
    ft_xdecref(shared);
    ft_decref(c);
}

static ssize_t explicit_collect(int generation)
{
    tls_explicit_gc = true;
    ssize_t n = ft_gc_collect(generation);
    tls_explicit_gc = false;
    if (n < 0)
        API_FAIL("ft_gc_collect");
    return n;
}

static void op_gc(worker *w)
{
    explicit_collect((int)rnd(&w->rng, 4) - 1);
}

static void (*const op_fns[OP__COUNT])(worker *) = {
    op_alloc, op_list, op_queue, op_dict, op_set, op_inst, op_cycle,
    op_wref, op_wdict, op_intern, op_gc,
};

static op_kind draw_op(worker *w)
{
    if (rnd(&w->rng, 4096) == 0)
        return OP_GC;
    unsigned r = rnd(&w->rng, 100);
    for (int k = 0; k < OP__COUNT; k++) {
        if (r < op_weights[k])
            return (op_kind)k;
        r -= op_weights[k];
    }
    return OP_ALLOC;
}

static void worker_run(void *arg)
{
    worker *w = arg;
    tls_log = &w->log;
    for (uint64_t i = 1; !ft_atomic_load_relaxed(&xstop); i++) {
        op_kind k = draw_op(w);
        op_fns[k](w);
        w->ops[k]++;
        if (i % 8 == 0) {
            ft_checkpoint();
            if (now_ns() >= w->deadline_ns)
                break;
        }
    }
    hold(w, NULL);
    /* release: the main thread reads our counters after seeing this (and
     * again after the join, which orders them anyway). */
    ft_atomic_store_release(&w->xdone, 1);
}

/* ---- The main thread: workers and epochs --------------------------------- */

typedef struct set_record {
    uint64_t serial, bits;
} set_record;

/* What one flavor's run has done so far, and what the current epoch must
 * find at rest. */
typedef struct soak_state {
    uint64_t seed, rng;
    int nthreads;
    worker *slots[MAX_THREADS];
    uint64_t serial_next;
    uint64_t threads_started;
    uint64_t ops[OP__COUNT];
    uint64_t trace_switches, snapshots, epochs;
    /* the epoch's expectations */
    int64_t pushed, popped, kept;
    ft_object *kept_lists;        /* a list of the finished workers' lists */
    set_record *sets;
    size_t nsets, capsets;
    /* baseline and figures */
    int64_t live_baseline;
    size_t rss_warm, rss_end, rss_max;
    int64_t blocks_warm, blocks_end;
    bool have_warm;
    unsigned lines;
    failure_log log;              /* the main thread's own */
} soak_state;

static bool start_worker(soak_state *st, int i)
{
    worker *w = calloc(1, sizeof *w);
    if (!w) {
        FAIL("out of memory for a worker");
        return false;
    }
    w->serial = ++st->serial_next;
    w->rng = st->seed ^ (w->serial * 0x2545f4914f6cdd1dull);
    w->deadline_ns = now_ns() + (uint64_t)(LIFE_MIN_MS + rnd(&st->rng, LIFE_SPAN_MS)) * 1000000ull;
    w->kept_list = ft_list_new(0);
    if (!w->kept_list) {
        API_FAIL("kept list");
        free(w);
        return false;
    }
    w->thread = ft_thread_start(worker_run, w);
    if (!w->thread) {
        API_FAIL("ft_thread_start");
        ft_decref(w->kept_list);
        free(w);
        return false;
    }
    st->slots[i] = w;
    st->threads_started++;
    return true;
}

static void record_set_bits(soak_state *st, const worker *w)
{
    if (st->nsets == st->capsets) {
        size_t cap = st->capsets ? st->capsets * 2 : 256;
        set_record *p = realloc(st->sets, cap * sizeof *p);
        if (!p) {
            FAIL("out of memory for set records");
            return;
        }
        st->sets = p;
        st->capsets = cap;
    }
    st->sets[st->nsets++] = (set_record){ w->serial, w->set_bits };
}

/* Joins worker i and takes over what it leaves: counters, its failures,
 * its kept weakrefs and the keys it left in the set. */
static void finish_worker(soak_state *st, int i)
{
    worker *w = st->slots[i];
    if (ft_thread_join(w->thread) != 0)
        API_FAIL("ft_thread_join");
    for (int k = 0; k < OP__COUNT; k++)
        st->ops[k] += w->ops[k];
    st->pushed += w->pushed;
    st->popped += w->popped;
    st->kept += w->kept;
    if (ft_list_append(st->kept_lists, w->kept_list) != 0)
        API_FAIL("kept lists");
    ft_decref(w->kept_list);
    if (w->set_bits)
        record_set_bits(st, w);
    if (w->log.count) {
        FAIL("worker %" PRIu64 ": %s", w->serial, w->log.first);
        st->log.count += w->log.count - 1;
    }
    free(w);
    st->slots[i] = NULL;
}

static void toggle_tracemalloc(soak_state *st)
{
    if (ft_tracemalloc_is_tracing()) {
        ft_tracemalloc_stop();
    } else if (ft_tracemalloc_start(1 + (int)rnd(&st->rng, 8)) != 0) {
        API_FAIL("ft_tracemalloc_start");
        return;
    }
    st->trace_switches++;
}

static void take_snapshot(soak_state *st)
{
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    if (!s) {
        API_FAIL("ft_tracemalloc_take_snapshot");
        return;
    }
    st->snapshots++;
    ft_snapshot_free(s);
}

/* One pass of the main loop while workers run: replace finished workers,
 * maybe collect, switch tracing, snapshot; then sleep detached. */
static void tick(soak_state *st)
{
    for (int i = 0; i < st->nthreads; i++) {
        if (st->slots[i] && ft_atomic_load_acquire(&st->slots[i]->xdone))
            finish_worker(st, i);
        if (!st->slots[i])
            start_worker(st, i);
    }
    if (rnd(&st->rng, GC_EVERY_MS / TICK_MS) == 0)
        explicit_collect(-1);
    if (rnd(&st->rng, TRACE_EVERY_MS / TICK_MS) == 0)
        toggle_tracemalloc(st);
    if (ft_tracemalloc_is_tracing() && rnd(&st->rng, SNAPSHOT_EVERY_MS / TICK_MS) == 0)
        take_snapshot(st);
    FT_BEGIN_ALLOW_THREADS
    sleep_ms(TICK_MS);
    FT_END_ALLOW_THREADS
}

static void run_epoch(soak_state *st, uint64_t until_ns)
{
    ft_atomic_store_relaxed(&xstop, 0);
    while (st->log.count == 0 && now_ns() < until_ns)
        tick(st);
    /* relaxed: a hint the workers poll; the joins order everything. */
    ft_atomic_store_relaxed(&xstop, 1);
    for (int i = 0; i < st->nthreads; i++)
        if (st->slots[i])
            finish_worker(st, i);
    st->epochs++;
}

/* ---- Checks at rest -------------------------------------------------------- */

static void check_and_empty_slots(void)
{
    for (int i = 0; i < SLOTS; i++) {
        ft_object *o = ft_list_get(g_slots, i), *wr = ft_list_get(g_wrefs, i);
        if (o && o != ft_none())
            node_ok(o, i);
        if (wr && wr != ft_none()) {
            ft_object *r = ft_weakref_get(wr);
            if (CHECK(r != NULL) && r != ft_none())
                node_ok(r, i);
            ft_xdecref(r);
        }
        ft_xdecref(o);
        ft_xdecref(wr);
        put(g_slots, i, ft_none());
        put(g_wrefs, i, ft_none());
    }
}

static void check_and_empty_queue(soak_state *st)
{
    if (!CHECK(ft_len(g_queue) == st->pushed - st->popped))
        FAIL("queue holds %zd items, pushed %" PRId64 " - popped %" PRId64,
             ft_len(g_queue), st->pushed, st->popped);
    if (ft_list_clear(g_queue) != 0)
        API_FAIL("ft_list_clear");
    st->pushed = st->popped = 0;
}

static void check_and_empty_dict(void)
{
    ssize_t pos = 0;
    ft_object *k, *v;
    while (ft_dict_next(g_dict, &pos, &k, &v) == 1) {
        int64_t key = int_of(k);
        CHECK(key >= 0 && key < DICT_KEYS && ft_type_of(v) == &ft_tuple_type &&
              int_of(ft_tuple_get_borrow(v, 0)) == key);
    }
    if (ft_dict_clear(g_dict) != 0)
        API_FAIL("ft_dict_clear");
}

static void check_and_empty_set(soak_state *st)
{
    ssize_t expected = 0;
    for (size_t r = 0; r < st->nsets; r++) {
        expected += __builtin_popcountll(st->sets[r].bits);
        for (unsigned i = 0; i < SET_KEYS; i++) {
            ft_object *key = ft_int_from_i64((int64_t)(st->sets[r].serial * SET_KEYS + i));
            int want = (st->sets[r].bits >> i) & 1;
            if (!key || ft_set_contains(g_set, key) != want)
                FAIL("set key %" PRIu64 ": expected %s", st->sets[r].serial * SET_KEYS + i,
                     want ? "present" : "absent");
            ft_xdecref(key);
        }
    }
    if (ft_len(g_set) != expected)
        FAIL("the set holds %zd keys, the workers left %zd", ft_len(g_set), expected);
    if (ft_set_clear(g_set) != 0)
        API_FAIL("ft_set_clear");
    st->nsets = 0;
}

static void check_and_empty_strs(void)
{
    for (int i = 0; i < WORDS; i++) {
        ft_object *s = ft_list_get(g_strs, i);
        if (s && s != ft_none())
            CHECK(ft_str_is_interned(s) && strcmp(ft_str_utf8_borrow(s, NULL), g_words[i]) == 0);
        ft_xdecref(s);
        put(g_strs, i, ft_none());
    }
}

/* Every kept weakref is dead and its callback ran once. */
static void check_and_drop_kept(soak_state *st)
{
    ssize_t n = ft_len(st->kept_lists);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *l = ft_list_get(st->kept_lists, i);
        for (ssize_t j = 0; l && j < ft_len(l); j++) {
            ft_object *wr = ft_list_get(l, j), *r = wr ? ft_weakref_get(wr) : NULL;
            CHECK(r == ft_none());
            ft_xdecref(r);
            ft_xdecref(wr);
        }
        ft_xdecref(l);
    }
    int64_t calls = READ(&xcb_kept_calls);
    if (calls != st->kept)
        FAIL("%" PRId64 " kept weakrefs, but their callback ran %" PRId64 " times",
             st->kept, calls);
    if (ft_list_clear(st->kept_lists) != 0)
        API_FAIL("ft_list_clear");
    ft_atomic_store_relaxed(&xcb_kept_calls, 0);
    st->kept = 0;
}

static void check_tracemalloc(void)
{
    size_t cur, peak;
    ft_tracemalloc_get_traced_memory(&cur, &peak);
    if (ft_tracemalloc_is_tracing())
        CHECK(cur <= peak);
    else
        CHECK(cur == 0 && peak == 0);
}

static int64_t live_objects(void)
{
    ft_mem_stats ms;
    if (ft_mem_get_stats(&ms) != 0)
        API_FAIL("ft_mem_get_stats");
    return ms.live_objects;
}

static void check_at_rest(soak_state *st)
{
    check_and_empty_slots();
    check_and_empty_queue(st);
    check_and_empty_dict();
    check_and_empty_set(st);
    check_and_empty_strs();
    explicit_collect(-1);
    ft_checkpoint();
    if (!CHECK(ft_len(g_wvd) == 0))
        FAIL("the WeakValueDictionary keeps %zd entries of dead values", ft_len(g_wvd));
    if (!CHECK(ft_len(g_wkd) == 0))
        FAIL("the WeakKeyDictionary keeps %zd entries of dead keys", ft_len(g_wkd));
    check_and_drop_kept(st);
    int64_t made = READ(&xnodes_made), fin = READ(&xnodes_finalized);
    if (made != fin)
        FAIL("%" PRId64 " nodes made, %" PRId64 " finalized", made, fin);
    if (READ(&xcb_free_calls) > READ(&xcb_free_made))
        FAIL("more callbacks than weakrefs");
    check_tracemalloc();
    ft_checkpoint();
    unsigned orphans = READ(&xorphan_failures);
    if (orphans)
        FAIL("%u failure(s) on a thread the soak did not start; the first: %s",
             orphans, orphan_log.first);
    int64_t live = live_objects();
    if (live != st->live_baseline)
        FAIL("%" PRId64 " live objects at rest, the baseline is %" PRId64,
             live, st->live_baseline);
}

/* ---- Report lines ----------------------------------------------------------- */

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* RSS at rest: tracing off, free pools returned, the C heap trimmed. */
static size_t rss_at_rest(void)
{
    if (ft_tracemalloc_is_tracing())
        ft_tracemalloc_stop();
    ft_mem_collect();
    malloc_trim(0);
    return rss_bytes();
}

static uint64_t total_ops(const soak_state *st)
{
    uint64_t n = 0;
    for (int k = 0; k < OP__COUNT; k++)
        n += st->ops[k];
    return n;
}

static void report_line(soak_state *st, double elapsed)
{
    size_t rss = rss_at_rest();
    ft_mem_stats ms;
    ft_mem_get_stats(&ms);
    if (!st->have_warm) {
        st->rss_warm = rss;
        st->blocks_warm = ms.live_blocks;
        st->have_warm = true;
    }
    st->rss_end = rss;
    st->blocks_end = ms.live_blocks;
    if (rss > st->rss_max)
        st->rss_max = rss;
    st->lines++;
    printf("[%s] %6.0fs ops %" PRIu64 " (", ft_flavor(), elapsed, total_ops(st));
    for (int k = 0; k < OP__COUNT; k++)
        printf("%s%s %" PRIu64, k ? " " : "", op_names[k], st->ops[k]);
    printf(") threads %" PRIu64 " gc auto %" PRIu64 " explicit %" PRIu64
           " trace-switches %" PRIu64 " epochs %" PRIu64 " rss %.1f MiB live %" PRId64
           " (baseline %" PRId64 ") blocks %" PRId64 " (free lists %" PRIu64 ") arenas %"
           PRIu64 " heap-sets %" PRIu64 " (abandoned %" PRIu64 ")\n",
           st->threads_started, READ(&xgc_auto), READ(&xgc_explicit),
           st->trace_switches, st->epochs, rss / 1048576.0, ms.live_objects,
           st->live_baseline, ms.live_blocks, ms.freelist_blocks, ms.arenas_current,
           ms.heap_sets, ms.heap_sets_abandoned);
    fflush(stdout);
}

/* ---- Setup and teardown -------------------------------------------------------- */

static void on_node_finalize(ft_object *self)
{
    (void)self;
    BUMP(&xnodes_finalized, 1);
}

static void on_collection(ft_gc_phase phase, const ft_gc_info *info, void *ctx)
{
    (void)info;
    (void)ctx;
    if (phase == FT_GC_START)
        BUMP(tls_explicit_gc ? &xgc_explicit : &xgc_auto, 1);
}

static ft_object *none_list(ssize_t n)
{
    ft_object *l = ft_list_new(n);
    if (!l)
        API_FAIL("ft_list_new");
    return l;
}

static bool setup(soak_state *st)
{
    static const char *const node_slots[] = { "slot", "tag", "other", "items", NULL };
    for (int i = 0; i < WORDS; i++)
        snprintf(g_words[i], sizeof g_words[i], "soak-%03d-\xC3\xA9", i);
    ft_gc_set_threshold(GC_THRESHOLD, 10, 10);
    if (ft_gc_callback_add(on_collection, NULL) != 0)
        API_FAIL("ft_gc_callback_add");
    g_node_cls = ft_class_new("SoakNode", node_slots);
    g_bag_cls = ft_class_new("SoakBag", NULL);
    if (!g_node_cls || !g_bag_cls ||
        ft_class_set_finalizer(g_node_cls, on_node_finalize, false) != 0)
        API_FAIL("classes");
    g_slots = none_list(SLOTS);
    g_wrefs = none_list(SLOTS);
    g_strs = none_list(WORDS);
    g_queue = none_list(0);
    st->kept_lists = none_list(0);
    g_dict = ft_dict_new();
    g_set = ft_set_new();
    g_wvd = ft_weakvaluedict_new();
    g_wkd = ft_weakkeydict_new();
    g_cb_kept = ft_cfunction_new("on_kept_death", on_kept_death, NULL);
    g_cb_free = ft_cfunction_new("on_free_death", on_free_death, NULL);
    if (!g_dict || !g_set || !g_wvd || !g_wkd || !g_cb_kept || !g_cb_free)
        API_FAIL("shared containers");
    ft_checkpoint();
    st->live_baseline = live_objects();
    return st->log.count == 0;
}

static void teardown(void)
{
    ft_object **objs[] = { &g_slots, &g_wrefs, &g_strs, &g_queue, &g_dict, &g_set,
                           &g_wvd, &g_wkd, &g_cb_kept, &g_cb_free };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) {
        ft_xdecref(*objs[i]);
        *objs[i] = NULL;
    }
    if (g_node_cls)
        ft_decref(&g_node_cls->ob_base);
    if (g_bag_cls)
        ft_decref(&g_bag_cls->ob_base);
    g_node_cls = g_bag_cls = NULL;
    ft_gc_callback_remove(on_collection, NULL);
    if (ft_tracemalloc_is_tracing())
        ft_tracemalloc_stop();
    explicit_collect(-1);
}

/* ---- Configuration --------------------------------------------------------------- */

typedef struct soak_config {
    double seconds;
    uint64_t seed;
    bool seed_from_env;
    int threads;
    unsigned epoch_ms, line_ms;
} soak_config;

/* A positive number from the environment, dflt when unset; -1 when set
 * but not a number in (0, max]. */
static double env_number(const char *name, double dflt, double max)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0' || !(v > 0) || v > max) {
        fprintf(stderr, "ftsoak: %s=%s: expected a number in (0, %g]\n", name, s, max);
        return -1;
    }
    return v;
}

static bool read_config(soak_config *c)
{
    double minutes = env_number("SOAK_MINUTES", 10, 10000);
    double dflt = minutes > 0 ? minutes * 60 / 3 : -1;
    c->seconds = env_number("SOAK_SECONDS", dflt, 600000);
    double threads = env_number("SOAK_THREADS", 4, MAX_THREADS);
    double epoch = env_number("SOAK_EPOCH_MS", 2000, 600000);
    if (minutes < 0 || c->seconds < 0 || threads < 0 || epoch < 0)
        return false;
    c->threads = (int)threads;
    if (c->threads < 1)
        c->threads = 1;
    const char *s = getenv("SOAK_SEED");
    c->seed_from_env = s && *s;
    c->seed = c->seed_from_env ? strtoull(s, NULL, 0) : now_ns();
    /* One line a minute; a shorter run still gets three (warm-up, middle,
     * end). Epochs never straddle a line. */
    double line_s = c->seconds >= 180 ? 60 : c->seconds / 3;
    c->line_ms = (unsigned)(line_s * 1000 < 200 ? 200 : line_s * 1000);
    c->epoch_ms = (unsigned)epoch;
    if (c->epoch_ms > c->line_ms / 2)
        c->epoch_ms = c->line_ms / 2;
    return true;
}

/* ---- The run ---------------------------------------------------------------------- */

static void run(soak_state *st, const soak_config *c)
{
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)(c->seconds * 1e9);
    uint64_t next_line = t0 + (uint64_t)c->line_ms * 1000000ull;
    while (st->log.count == 0) {
        uint64_t until = now_ns() + (uint64_t)c->epoch_ms * 1000000ull;
        if (until > next_line)
            until = next_line;
        if (until > end)
            until = end;
        run_epoch(st, until);
        check_at_rest(st);
        uint64_t t = now_ns();
        if (t >= next_line || t >= end) {
            report_line(st, (double)(t - t0) / 1e9);
            while (next_line <= t)
                next_line += (uint64_t)c->line_ms * 1000000ull;
        }
        if (t >= end)
            break;
    }
}

static bool judge_growth(const soak_state *st, double seconds)
{
    if (st->lines < 2) {
        FAIL("only %u report line(s): no figure after the warm-up", st->lines);
        return false;
    }
    if (SOAK_SANITIZED) {
        printf("[%s] rss and blocks not judged under a sanitizer\n", ft_flavor());
        return true;
    }
    if (seconds < JUDGE_MIN_SECONDS) {
        printf("[%s] rss and blocks not judged: a run under %d s has no settled warm-up\n",
               ft_flavor(), JUDGE_MIN_SECONDS);
        return true;
    }
    double rss_limit = (double)st->rss_warm * RSS_FACTOR + RSS_SLACK_BYTES;
    double blk_limit = (double)st->blocks_warm * RSS_FACTOR + BLOCKS_SLACK;
    bool ok = true;
    if ((double)st->rss_end > rss_limit) {
        FAIL("RSS grew: %.1f MiB at the end, %.1f MiB after warm-up (limit %.1f MiB)",
             st->rss_end / 1048576.0, st->rss_warm / 1048576.0, rss_limit / 1048576.0);
        ok = false;
    }
    if ((double)st->blocks_end > blk_limit) {
        FAIL("live ft_malloc blocks grew: %" PRId64 " at the end, %" PRId64
             " after warm-up (limit %.0f)", st->blocks_end, st->blocks_warm, blk_limit);
        ok = false;
    }
    return ok;
}

static void summary(const soak_state *st, const soak_config *c, const ft_fini_report *r,
                    bool fini_ok, double elapsed)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    bool pass = st->log.count == 0 && fini_ok;
    printf("[%s] summary: %.0f s, %" PRIu64 " operations, %" PRIu64 " threads, %" PRIu64
           " epochs checked, %" PRIu64 " collections (%" PRIu64 " automatic), %" PRIu64
           " tracemalloc switches, %" PRIu64 " snapshots\n",
           ft_flavor(), elapsed, total_ops(st), st->threads_started, st->epochs,
           READ(&xgc_auto) + READ(&xgc_explicit), READ(&xgc_auto), st->trace_switches,
           st->snapshots);
    printf("[%s] rss after warm-up %.1f MiB, at the end %.1f MiB, highest at rest %.1f MiB, "
           "peak %.1f MiB; blocks %" PRId64 " -> %" PRId64 "; ft_fini: %zu threads, %" PRId64
           " objects, %" PRId64 " blocks, %" PRId64 " bytes left\n",
           ft_flavor(), st->rss_warm / 1048576.0, st->rss_end / 1048576.0,
           st->rss_max / 1048576.0, ru.ru_maxrss / 1024.0, st->blocks_warm, st->blocks_end,
           r->threads, r->objects, r->blocks, r->bytes);
    /* One machine-readable line for scripts/soak.sh. */
    printf("SOAK flavor=%s seconds=%.0f ops=%" PRIu64 " threads=%" PRIu64
           " rss_warm_kib=%zu rss_end_kib=%zu leaks_objects=%" PRId64 " leaks_blocks=%" PRId64
           " leaks_bytes=%" PRId64 " seed=%" PRIu64 " verdict=%s\n",
           ft_flavor(), elapsed, total_ops(st), st->threads_started, st->rss_warm / 1024,
           st->rss_end / 1024, r->objects, r->blocks, r->bytes, c->seed,
           pass ? "PASS" : "FAIL");
}

int main(void)
{
    soak_config c;
    if (!read_config(&c))
        return 2;
    printf("[%s] soak: %.0f s, %d workers, a line every %.0f s, epochs of %u ms; "
           "seed: SOAK_SEED=%" PRIu64 "%s\n",
           ft_flavor(), c.seconds, c.threads, c.line_ms / 1000.0, c.epoch_ms, c.seed,
           c.seed_from_env ? " (from the environment)" : "");
    fflush(stdout);
    if (ft_init(NULL) != 0) {
        fprintf(stderr, "ftsoak: ft_init: %s: %s\n", ft_err_kind_name(ft_err_kind()),
                ft_err_message());
        return 1;
    }
    static soak_state st;
    st.seed = st.rng = c.seed;
    st.nthreads = c.threads;
    tls_log = &st.log;
    uint64_t t0 = now_ns();
    if (setup(&st))
        run(&st, &c);
    if (st.log.count == 0)
        judge_growth(&st, c.seconds);
    double elapsed = (double)(now_ns() - t0) / 1e9;
    for (int i = 0; i < st.nthreads; i++)   /* after a failure mid-epoch */
        if (st.slots[i])
            finish_worker(&st, i);
    ft_xdecref(st.kept_lists);
    free(st.sets);
    teardown();
    ft_fini_report r = { 0 };
    bool fini_ok = ft_fini(&r) == 0 && r.threads == 0 && r.objects == 0 && r.blocks == 0 &&
                   r.bytes == 0;
    if (!fini_ok)
        FAIL("ft_fini reports %zu threads, %" PRId64 " objects, %" PRId64 " blocks, %" PRId64
             " bytes left", r.threads, r.objects, r.blocks, r.bytes);
    summary(&st, &c, &r, fini_ok, elapsed);
    if (st.log.count) {
        fprintf(stderr, "[%s] SOAK FAILED: %u check(s) failed; the first: %s\n"
                "[%s] replay with SOAK_SEED=%" PRIu64 "\n", ft_flavor(), st.log.count,
                st.log.first, ft_flavor(), c.seed);
        return 1;
    }
    printf("[%s] soak passed\n", ft_flavor());
    return 0;
}
