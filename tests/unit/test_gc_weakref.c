/* test_gc_weakref.c — the collector and weak references on every flavor:
 * weak references to garbage are cleared before any finalizer runs, the
 * callbacks of live weak references run once, those of weak references
 * that are garbage themselves do not, a WeakValueDictionary entry whose
 * value dies in a cycle disappears (the weak-value cache of
 * docs/architecture.md, "Scenarios"), and a randomized
 * graph where weak references tell exactly which objects died — collected
 * fully, young, and young over a mix of old and young nodes. */
#include <stdlib.h>
#include <string.h>
#include "ft_graph.h"
#include "ft_test.h"

static bool is_dead(ft_object *wr)
{
    ft_object *o = ft_weakref_get(wr);
    bool dead = o == ft_none();
    ft_decref(o);
    return dead;
}

static int callbacks, finalizer_collections;
static ft_object *last_callback_arg;

static ft_object *on_death(ft_object *self, ft_object *args)
{
    (void)self;
    callbacks++;
    last_callback_arg = ft_tuple_get_borrow(args, 0);
    return ft_none();
}

static void test_weakref_to_garbage_cleared_callback_runs(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Node", ft_test_node_slots);
    ft_object *cb = ft_cfunction_new("on_death", on_death, NULL);
    ft_object *a = ft_test_pair(cls);
    ft_object *wr = ft_weakref_new(a, cb);
    assert_non_null(wr);
    assert_int_equal(ft_refcnt(a), 2);   /* a weakref adds no reference */
    callbacks = 0;
    ft_decref(a);
    assert_false(is_dead(wr));           /* the cycle keeps it */
    assert_int_equal(ft_gc_collect(-1), 2);
    assert_true(is_dead(wr));
    assert_int_equal(callbacks, 1);
    assert_ptr_equal(last_callback_arg, wr);
    ft_decref(wr);
    ft_decref(cb);
    ft_decref(&cls->ob_base);
}

/* A weakref inside the garbage, whose callback refers to nothing live:
 * CPython does not call it (the weakref itself is dying). */
static void test_garbage_weakref_callback_not_called(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Node", ft_test_node_slots);
    ft_object *cb = ft_cfunction_new("on_death", on_death, NULL);
    ft_object *a = ft_test_pair(cls);
    ft_object *b = ft_getattr(a, "other");
    ft_object *wr = ft_weakref_new(b, cb);   /* a weakref to b ... */
    assert_int_equal(ft_setattr(b, "id", wr), 0);   /* ... kept only by b */
    ft_decref(wr);
    ft_decref(b);
    ft_decref(cb);
    callbacks = 0;
    ft_decref(a);
    assert_int_equal(ft_gc_collect(-1), 4);  /* a, b, the weakref, its callback */
    assert_int_equal(callbacks, 0);
    ft_decref(&cls->ob_base);
}

/* Weak references to every object of a garbage cycle are cleared before
 * the first finalizer runs, so a finalizer cannot reach a half-cleared
 * partner through one. */
static ft_object *partner_ref;
static int partner_alive_in_finalizer;

static void look_at_partner(ft_object *self)
{
    (void)self;
    if (partner_ref && !is_dead(partner_ref))
        partner_alive_in_finalizer++;
}

static void test_weakrefs_cleared_before_finalizers(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Fin", ft_test_node_slots);
    assert_int_equal(ft_class_set_finalizer(cls, look_at_partner, false), 0);
    ft_object *a = ft_test_pair(cls);
    ft_object *b = ft_getattr(a, "other");
    partner_ref = ft_weakref_new(b, NULL);
    ft_decref(b);
    ft_decref(a);
    partner_alive_in_finalizer = 0;
    ft_gc_collect(-1);
    assert_int_equal(partner_alive_in_finalizer, 0);
    assert_true(is_dead(partner_ref));
    ft_decref(partner_ref);
    partner_ref = NULL;
    ft_decref(&cls->ob_base);
}

/* The weak-value cache (docs/architecture.md, "Scenarios"): a
 * WeakValueDictionary entry goes when its value dies, here in a cycle, so
 * only after a collection. */
static void test_weak_value_cache_and_cycles(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Expensive", ft_test_node_slots);
    ft_object *cache = ft_weakvaluedict_new(), *key = ft_str_from_utf8("key", -1);
    ft_object *obj = ft_test_pair(cls);
    assert_int_equal(ft_weakdict_set(cache, key, obj), 0);
    assert_int_equal(ft_weakdict_contains(cache, key), 1);
    ft_decref(obj);                                  /* del obj */
    assert_int_equal(ft_weakdict_contains(cache, key), 1);   /* the cycle */
    ft_gc_collect(-1);
    assert_int_equal(ft_weakdict_contains(cache, key), 0);
    assert_int_equal(ft_len(cache), 0);
    ft_decref(key);
    ft_decref(cache);
    ft_decref(&cls->ob_base);
}

/* A collection started inside a dealloc — by a weakref callback, or by
 * the finalizer of the dying object — must not take the dying object
 * (count zero, or resurrected for its finalizer) for garbage. ASan and
 * FT_DEBUG catch a double free. */
static ft_object *collect_now(ft_object *self, ft_object *args)
{
    (void)self;
    (void)args;
    callbacks++;
    ft_gc_collect(-1);
    return ft_none();
}

static void collect_in_finalizer(ft_object *self)
{
    (void)self;
    finalizer_collections++;
    ft_gc_collect(-1);
}

static void test_collection_inside_dealloc(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Busy", ft_test_node_slots);
    assert_int_equal(ft_class_set_finalizer(cls, collect_in_finalizer, false), 0);
    int64_t base = ft_test_live_objects();
    ft_object *cb = ft_cfunction_new("collect_now", collect_now, NULL);
    callbacks = finalizer_collections = 0;
    for (int i = 0; i < 20; i++) {
        ft_object *o = ft_test_node_new(cls, i), *wr = ft_weakref_new(o, cb);
        ft_decref(o);          /* finalizer, weakref callback: both collect */
        assert_true(is_dead(wr));
        ft_decref(wr);
    }
    assert_int_equal(callbacks, 20);
    assert_int_equal(finalizer_collections, 20);
    ft_decref(cb);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* ---- A randomized graph --------------------------------------------------
 * NODES nodes with random edges (in per-node lists), some held from
 * outside. The test computes what the outside reaches; after the other
 * outside references go and a collection runs, exactly the unreachable
 * nodes are dead — seen both through weak references (get gives None) and
 * through their finalizers (each ran once, for exactly those).
 *
 * Each round runs with one of three kinds of collection:
 *   FULL   ft_gc_collect(-1) over a graph of new nodes;
 *   YOUNG  ft_gc_collect(0) over the same: every node is young, so the
 *          young collection sees all the garbage and must find exactly
 *          what the full one finds;
 *   MIXED  the first OLD_NODES nodes are made old by a collection before
 *          the rest are made; a young collection then frees exactly the
 *          young nodes that neither a held node nor a living old one
 *          reaches (references from old objects count as external), plus
 *          what reference counting frees after them, and a full one
 *          afterwards exactly the rest of the unreachable.
 * Automatic collections are off during a round, so that what is young
 * is what the round made since its last explicit collection. */
enum { NODES = 300, EDGES = 3, ROUNDS = 10, OLD_NODES = NODES / 3 };
enum round_kind { FULL, YOUNG, MIXED };
static unsigned char finalized_id[NODES];

static void record_death(ft_object *self)
{
    ft_object *id = ft_getattr(self, "id");
    finalized_id[ft_int_as_i64(id)]++;
    ft_decref(id);
}

static void reach(int (*adj)[EDGES], bool *seen, int v)
{
    if (seen[v])
        return;
    seen[v] = true;
    for (int e = 0; e < EDGES; e++)
        if (adj[v][e] >= 0)
            reach(adj, seen, adj[v][e]);
}

/* Reference counting over the node graph: a node that is not held and
 * that no living node refers to dies, and so on (cycles stay alive). */
static void count_down(int (*adj)[EDGES], bool *alive, const bool *held)
{
    int refs[NODES] = { 0 };
    for (int v = 0; v < NODES; v++) {
        refs[v] += held[v];
        for (int e = 0; e < EDGES; e++)
            if (alive[v] && adj[v][e] >= 0)
                refs[adj[v][e]]++;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int v = 0; v < NODES; v++)
            if (alive[v] && refs[v] == 0) {
                alive[v] = false;
                changed = true;
                for (int e = 0; e < EDGES; e++)
                    if (adj[v][e] >= 0)
                        refs[adj[v][e]]--;
            }
    }
}

/* Every node dead exactly when `dead` says, its finalizer run once then. */
static void check_dead(ft_object **wr, const bool *dead)
{
    for (int i = 0; i < NODES; i++) {
        assert_int_equal(is_dead(wr[i]), dead[i]);
        assert_int_equal(finalized_id[i], dead[i]);
    }
}

static void random_round(ft_type *cls, unsigned *seed, enum round_kind kind)
{
    static int adj[NODES][EDGES];
    ft_object *node[NODES], *wr[NODES];
    bool held[NODES], seen[NODES] = { false }, dead[NODES];
    memset(finalized_id, 0, sizeof finalized_id);
    ft_gc_disable();
    for (int i = 0; i < NODES; i++) {
        if (kind == MIXED && i == OLD_NODES)
            ft_gc_collect(-1);   /* nodes 0 .. OLD_NODES-1 are old from now on */
        node[i] = ft_test_node_new(cls, i);
        wr[i] = ft_weakref_new(node[i], NULL);
        assert_non_null(wr[i]);
        held[i] = rand_r(seed) % 8 == 0;
    }
    for (int i = 0; i < NODES; i++) {
        ft_object *out = ft_list_new(0);
        for (int e = 0; e < EDGES; e++) {
            adj[i][e] = rand_r(seed) % 3 ? (int)(rand_r(seed) % NODES) : -1;
            if (adj[i][e] >= 0)
                assert_int_equal(ft_list_append(out, node[adj[i][e]]), 0);
        }
        assert_int_equal(ft_setattr(node[i], "other", out), 0);
        ft_decref(out);
    }
    for (int i = 0; i < NODES; i++)
        if (held[i])
            reach(adj, seen, i);
    for (int i = 0; i < NODES; i++)
        if (!held[i])
            ft_decref(node[i]);
    if (kind == MIXED) {
        /* Reference counting freed what nothing refers to; the young
         * collection frees the young nodes that no held or surviving old
         * node reaches, and counting then frees what only they held. */
        bool alive[NODES], ext[NODES] = { false };
        for (int i = 0; i < NODES; i++)
            alive[i] = true;
        count_down(adj, alive, held);
        for (int i = 0; i < NODES; i++)
            if (alive[i] && (held[i] || i < OLD_NODES))
                reach(adj, ext, i);
        for (int i = OLD_NODES; i < NODES; i++)
            alive[i] = alive[i] && ext[i];
        count_down(adj, alive, held);
        for (int i = 0; i < NODES; i++)
            dead[i] = !alive[i];
        ft_gc_collect(0);
        check_dead(wr, dead);
    }
    ft_gc_collect(kind == YOUNG ? 0 : -1);
    for (int i = 0; i < NODES; i++)
        dead[i] = !seen[i];
    check_dead(wr, dead);   /* exactly the unreachable */
    for (int i = 0; i < NODES; i++)
        if (held[i])
            ft_decref(node[i]);
    ft_gc_collect(-1);   /* the held ones are old now (YOUNG, MIXED) */
    ft_gc_enable();
    for (int i = 0; i < NODES; i++) {
        assert_true(is_dead(wr[i]));
        assert_int_equal(finalized_id[i], 1);   /* once, ever */
        ft_decref(wr[i]);
    }
}

static void random_graphs(enum round_kind kind)
{
    ft_type *cls = ft_class_new("Node", ft_test_node_slots);
    assert_int_equal(ft_class_set_finalizer(cls, record_death, false), 0);
    int64_t base = ft_test_live_objects();
    unsigned seed = 2026;
    for (int r = 0; r < ROUNDS; r++) {
        random_round(cls, &seed, kind);
        assert_int_equal(ft_test_live_objects(), base);
    }
    ft_decref(&cls->ob_base);
}

static void test_random_graphs_by_weakrefs(void **state)
{
    (void)state;
    random_graphs(FULL);
}

static void test_random_graphs_young_collection(void **state)
{
    (void)state;
    random_graphs(YOUNG);
}

static void test_random_graphs_old_and_young(void **state)
{
    (void)state;
    random_graphs(MIXED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_weakref_to_garbage_cleared_callback_runs),
        T(test_garbage_weakref_callback_not_called),
        T(test_weakrefs_cleared_before_finalizers),
        T(test_weak_value_cache_and_cycles),
        T(test_collection_inside_dealloc),
        T(test_random_graphs_by_weakrefs),
        T(test_random_graphs_young_collection),
        T(test_random_graphs_old_and_young),
    };
    return ft_test_run(tests);
}
