/* test_gc_weakref.c — the collector and weak references on every flavor:
 * weak references to garbage are cleared before any finalizer runs, the
 * callbacks of live weak references run once, those of weak references
 * that are garbage themselves do not, a WeakValueDictionary entry whose
 * value dies in a cycle disappears (the seeds' cache), and a randomized
 * graph where weak references tell exactly which objects died. */
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

static const char *const slot_names[] = { "other", "id", NULL };

static ft_object *new_node(ft_type *cls, int64_t id)
{
    ft_object *o = ft_instance_new(cls);
    assert_non_null(o);
    ft_object *v = ft_int_from_i64(id);
    assert_int_equal(ft_setattr(o, "id", v), 0);
    ft_decref(v);
    return o;
}

/* a <-> b, returned with one reference to a (b only through a). */
static ft_object *pair(ft_type *cls)
{
    ft_object *a = new_node(cls, 1), *b = new_node(cls, 2);
    assert_int_equal(ft_setattr(a, "other", b), 0);
    assert_int_equal(ft_setattr(b, "other", a), 0);
    ft_decref(b);
    return a;
}

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
    ft_type *cls = ft_class_new("Node", slot_names);
    ft_object *cb = ft_cfunction_new("on_death", on_death, NULL);
    ft_object *a = pair(cls);
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
    ft_type *cls = ft_class_new("Node", slot_names);
    ft_object *cb = ft_cfunction_new("on_death", on_death, NULL);
    ft_object *a = pair(cls);
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
    ft_type *cls = ft_class_new("Fin", slot_names);
    assert_int_equal(ft_class_set_finalizer(cls, look_at_partner, false), 0);
    ft_object *a = pair(cls);
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

/* The seeds' cache: a WeakValueDictionary entry goes when its value dies,
 * here in a cycle, so only after a collection. */
static void test_weak_value_cache_and_cycles(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Expensive", slot_names);
    ft_object *cache = ft_weakvaluedict_new(), *key = ft_str_from_utf8("key", -1);
    ft_object *obj = pair(cls);
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
    ft_type *cls = ft_class_new("Busy", slot_names);
    assert_int_equal(ft_class_set_finalizer(cls, collect_in_finalizer, false), 0);
    int64_t base = ft_test_live_objects();
    ft_object *cb = ft_cfunction_new("collect_now", collect_now, NULL);
    callbacks = finalizer_collections = 0;
    for (int i = 0; i < 20; i++) {
        ft_object *o = new_node(cls, i), *wr = ft_weakref_new(o, cb);
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

/* ---- A randomized graph, checked through weak references ---------------- */
enum { NODES = 300, EDGES = 3, ROUNDS = 10 };

static void reach(int (*adj)[EDGES], bool *seen, int v)
{
    if (seen[v])
        return;
    seen[v] = true;
    for (int e = 0; e < EDGES; e++)
        if (adj[v][e] >= 0)
            reach(adj, seen, adj[v][e]);
}

static void random_round(ft_type *cls, unsigned *seed)
{
    static int adj[NODES][EDGES];
    ft_object *node[NODES], *wr[NODES];
    bool held[NODES], seen[NODES] = { false };
    for (int i = 0; i < NODES; i++) {
        node[i] = new_node(cls, i);
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
    ft_gc_collect(-1);
    for (int i = 0; i < NODES; i++)
        assert_int_equal(is_dead(wr[i]), !seen[i]);   /* exactly the unreachable */
    for (int i = 0; i < NODES; i++)
        if (held[i])
            ft_decref(node[i]);
    ft_gc_collect(-1);
    for (int i = 0; i < NODES; i++) {
        assert_true(is_dead(wr[i]));
        ft_decref(wr[i]);
    }
}

static void test_random_graphs_by_weakrefs(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Node", slot_names);
    int64_t base = ft_test_live_objects();
    unsigned seed = 2026;
    for (int r = 0; r < ROUNDS; r++) {
        random_round(cls, &seed);
        assert_int_equal(ft_test_live_objects(), base);
    }
    ft_decref(&cls->ob_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_weakref_to_garbage_cleared_callback_runs, ft_test_setup, ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_garbage_weakref_callback_not_called, ft_test_setup, ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_weakrefs_cleared_before_finalizers, ft_test_setup, ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_weak_value_cache_and_cycles, ft_test_setup, ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_collection_inside_dealloc, ft_test_setup, ft_test_teardown),
        cmocka_unit_test_setup_teardown(test_random_graphs_by_weakrefs, ft_test_setup, ft_test_teardown),
    };
    return ft_test_run(tests);
}
