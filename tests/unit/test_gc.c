/* test_gc.c — the cycle collector on every flavor: the A <-> B cycle
 * (docs/architecture.md, "Scenarios"), self-cycles, cycles through lists,
 * dicts and instances with and without slots, finalizers (once,
 * resurrection), legacy finalizers and gc.garbage, DEBUG_SAVEALL,
 * referrers and referents, thresholds, disable, freeze, callbacks,
 * statistics. (The randomized graph is in test_gc_weakref.c.) */
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's failure injection */
#include <string.h>
#include "ft_graph.h"
#include "ft_test.h"
#include "mem/backend.h"

/* The A <-> B cycle: "a.otro = b; b.otro = a" keeps both counts at one
 * after the names go; only the collector frees them. Refcounts checked
 * before and after, with and without slots. */
static void check_pair(const char *const *slots)
{
    ft_type *cls = ft_class_new("Nodo", slots);
    int64_t base = ft_test_live_objects();
    ft_object *a = ft_test_node_new(cls, 1), *b = ft_test_node_new(cls, 2);
    ft_test_link(a, "other", b);
    ft_test_link(b, "other", a);
    assert_int_equal(ft_refcnt(a), 2);   /* the name a, and b.other */
    assert_int_equal(ft_refcnt(b), 2);
    int64_t with_pair = ft_test_live_objects();
    assert_true(with_pair > base);
    ft_decref(a);
    ft_decref(b);
    assert_int_equal(ft_test_live_objects(), with_pair);   /* still there */
    ssize_t n = ft_gc_collect(-1);
    assert_true(n >= 2);   /* a, b (their attributes inline or in slots) */
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

static void test_pair_with_dict(void **state) { (void)state; check_pair(NULL); }
static void test_pair_with_slots(void **state) { (void)state; check_pair(ft_test_node_slots); }

static void test_self_cycles(void **state)
{
    (void)state;
    int64_t base = ft_test_live_objects();
    ft_object *l = ft_list_new(0), *d = ft_dict_new(), *k = ft_str_from_utf8("me", -1);
    assert_int_equal(ft_list_append(l, l), 0);
    assert_int_equal(ft_dict_set(d, k, d), 0);
    assert_int_equal(ft_refcnt(l), 2);
    ft_decref(l);
    ft_decref(d);
    ft_decref(k);
    assert_true(ft_test_live_objects() > base);
    assert_int_equal(ft_gc_collect(-1), 2);
    assert_int_equal(ft_test_live_objects(), base);
}

/* instance -> list -> dict -> instance, and a tuple in the middle. */
static void test_mixed_cycle(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Holder", NULL);
    int64_t base = ft_test_live_objects();
    ft_object *o = ft_instance_new(cls), *l = ft_list_new(0), *d = ft_dict_new();
    ft_object *k = ft_str_from_utf8("back", -1), *t = ft_tuple_new(1);
    assert_int_equal(ft_setattr(o, "items", l), 0);
    ft_incref(d);
    assert_int_equal(ft_tuple_set_steal(t, 0, d), 0);
    assert_int_equal(ft_list_append(l, t), 0);
    assert_int_equal(ft_dict_set(d, k, o), 0);
    ft_object *objs[] = { o, l, d, k, t };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_true(ft_gc_collect(-1) >= 4);   /* o (attributes inline), l, t, d */
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* ---- Finalizers ---------------------------------------------------------- */

static int finalized;
static ft_object *resurrect_into;   /* a list, or NULL */

static void count_finalizer(ft_object *self)
{
    finalized++;
    if (resurrect_into)
        assert_int_equal(ft_list_append(resurrect_into, self), 0);
}

/* A node class whose finalizer counts in `finalized` (reset here); a
 * legacy finalizer makes its cycles uncollectable. */
static ft_type *counted_class(const char *name, bool legacy)
{
    ft_type *cls = ft_class_new(name, ft_test_node_slots);
    assert_int_equal(ft_class_set_finalizer(cls, count_finalizer, legacy), 0);
    finalized = 0;
    return cls;
}

static void test_finalizer_runs_once(void **state)
{
    (void)state;
    ft_type *cls = counted_class("Fin", false);
    int64_t base = ft_test_live_objects();
    ft_decref(ft_test_pair(cls));
    assert_int_equal(ft_gc_collect(-1), 2);
    assert_int_equal(finalized, 2);   /* PEP 442: a cycle with finalizers is collected */
    assert_int_equal(ft_test_live_objects(), base);
    /* without a cycle the finalizer runs at the refcount's zero */
    ft_decref(ft_test_node_new(cls, 3));
    assert_int_equal(finalized, 3);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

static void test_resurrection(void **state)
{
    (void)state;
    ft_type *cls = counted_class("Phoenix", false);
    int64_t base = ft_test_live_objects();
    resurrect_into = ft_list_new(0);
    ft_decref(ft_test_pair(cls));
    ft_gc_collect(-1);
    assert_int_equal(finalized, 2);
    assert_int_equal(ft_len(resurrect_into), 2);   /* both kept alive */
    ft_object *a = ft_list_get(resurrect_into, 0);
    assert_true(ft_gc_is_finalized(a));
    ft_object *id = ft_getattr(a, "id");
    assert_true(ft_int_as_i64(id) == 1 || ft_int_as_i64(id) == 2);
    ft_decref(id);
    ft_decref(a);
    /* Dropping the list makes them garbage again: freed, not re-finalized. */
    ft_object *l = resurrect_into;
    resurrect_into = NULL;
    ft_decref(l);
    assert_int_equal(ft_gc_collect(-1), 2);
    assert_int_equal(finalized, 2);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

static void test_resurrection_from_dealloc(void **state)
{
    (void)state;
    ft_type *cls = counted_class("Lazarus", false);
    resurrect_into = ft_list_new(0);
    ft_decref(ft_test_node_new(cls, 7));          /* count zero: the finalizer saves it */
    assert_int_equal(finalized, 1);
    assert_int_equal(ft_len(resurrect_into), 1);
    ft_object *o = ft_list_get(resurrect_into, 0);
    assert_int_equal(ft_refcnt(o), 2);    /* the list's and ours */
    ft_decref(o);
    ft_object *l = resurrect_into;
    resurrect_into = NULL;
    ft_decref(l);                         /* now it dies, no second call */
    assert_int_equal(finalized, 1);
    ft_decref(&cls->ob_base);
}

static void test_legacy_finalizer_is_uncollectable(void **state)
{
    (void)state;
    ft_type *cls = counted_class("Legacy", true);
    int64_t base = ft_test_live_objects();
    ft_decref(ft_test_pair(cls));
    assert_int_equal(ft_gc_collect(-1), 2);
    assert_int_equal(finalized, 0);
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    assert_int_equal(st[FT_GC_GENERATIONS - 1].uncollectable, 2);
    ft_object *garbage = ft_gc_garbage();
    assert_int_equal(ft_len(garbage), 2);
    /* As in Python 2: the program breaks the cycle itself, then lets go;
     * the legacy finalizer runs when each count reaches zero. */
    for (ssize_t i = 0; i < 2; i++) {
        ft_object *o = ft_list_get(garbage, i);
        assert_int_equal(ft_setattr(o, "other", NULL), 0);
        ft_decref(o);
    }
    for (ssize_t i = 0; i < 2; i++)
        assert_int_equal(ft_list_set(garbage, i, ft_none()), 0);
    assert_int_equal(finalized, 2);
    ft_decref(garbage);
    assert_int_equal(ft_test_live_objects(), base + 1);   /* the list itself */
    ft_decref(&cls->ob_base);
}

/* ft_fini's last collection frees a legacy cycle too, running the
 * legacy finalizers (the teardown checks nothing is left). */
static void test_legacy_cycle_freed_at_fini(void **state)
{
    (void)state;
    ft_type *cls = counted_class("LegacyAtExit", true);
    ft_decref(ft_test_pair(cls));
    assert_int_equal(ft_gc_collect(-1), 2);   /* into ft_gc_garbage */
    ft_decref(&cls->ob_base);                 /* the instances keep it */
}

static void test_debug_saveall(void **state)
{
    (void)state;
    ft_gc_set_debug(FT_GC_DEBUG_SAVEALL);
    assert_int_equal(ft_gc_get_debug(), FT_GC_DEBUG_SAVEALL);
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_list_append(l, l), 0);
    ft_decref(l);
    assert_int_equal(ft_gc_collect(-1), 1);
    ft_object *garbage = ft_gc_garbage();
    assert_int_equal(ft_len(garbage), 1);
    ft_object *saved = ft_list_get(garbage, 0);
    assert_ptr_equal(saved, l);          /* intact: still refers to itself */
    ft_object *inner = ft_list_get(saved, 0);
    assert_ptr_equal(inner, l);
    ft_decref(inner);
    ft_decref(saved);
    ft_decref(garbage);
    ft_gc_set_debug(0);
    /* ft_fini drops the garbage list and collects the cycle. */
}

/* ---- Introspection ------------------------------------------------------- */

static bool list_contains(ft_object *l, ft_object *o)
{
    for (ssize_t i = 0; i < ft_len(l); i++) {
        ft_object *v = ft_list_get(l, i);
        ft_decref(v);
        if (v == o)
            return true;
    }
    return false;
}

static void test_referrers_and_referents(void **state)
{
    (void)state;
    ft_object *target = ft_list_new(0), *holder = ft_list_new(0), *d = ft_dict_new();
    ft_object *k = ft_str_from_utf8("t", -1), *one = ft_int_from_i64(1000);
    assert_int_equal(ft_list_append(holder, target), 0);
    assert_int_equal(ft_list_append(holder, one), 0);
    assert_int_equal(ft_dict_set(d, k, target), 0);

    ft_object *referrers = ft_gc_get_referrers(target);
    assert_non_null(referrers);
    assert_int_equal(ft_len(referrers), 2);
    assert_true(list_contains(referrers, holder));
    assert_true(list_contains(referrers, d));

    ft_object *referents = ft_gc_get_referents(holder);
    assert_int_equal(ft_len(referents), 2);
    assert_true(list_contains(referents, target));
    assert_true(list_contains(referents, one));

    assert_true(ft_gc_is_tracked(holder));
    assert_false(ft_gc_is_tracked(one));
    assert_false(ft_gc_is_tracked(k));
    assert_false(ft_gc_is_tracked(ft_none()));

    ft_object *all = ft_gc_get_objects(-1);
    assert_true(list_contains(all, holder) && list_contains(all, d));
    assert_null(ft_gc_get_objects(3));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_null(ft_gc_get_referrers(NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_object *objs[] = { all, referents, referrers, target, holder, d, k, one };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
}

/* Tuples of atoms are untracked the first time the collector sees them. */
static void test_atomic_tuples_untracked(void **state)
{
    (void)state;
    ft_object *atoms = ft_tuple_new(2), *holds = ft_tuple_new(1);
    assert_int_equal(ft_tuple_set_steal(atoms, 0, ft_int_from_i64(5000)), 0);
    assert_int_equal(ft_tuple_set_steal(atoms, 1, ft_str_from_utf8("x", -1)), 0);
    assert_int_equal(ft_tuple_set_steal(holds, 0, ft_list_new(0)), 0);
    assert_true(ft_gc_is_tracked(atoms));
    ft_gc_collect(-1);
    assert_false(ft_gc_is_tracked(atoms));
    assert_true(ft_gc_is_tracked(holds));
    ft_decref(atoms);
    ft_decref(holds);
}

/* A tuple still being filled is not atomic: the slot left empty may yet
 * receive a tracked object — here a list holding the tuple, a cycle
 * only the collector can free. Filled tuples of atoms are untracked by
 * either collection kind, and a tuple of those by the next collection at
 * the latest (in the same one when it comes after them in the
 * candidates' order, which nogil's logs do not promise). */
static void test_tuple_being_filled_stays_tracked(void **state)
{
    (void)state;
    for (int gen = 0; gen <= 2; gen += 2) {
        ft_gc_collect(-1);
        int64_t base = ft_test_live_objects();
        ft_object *t = ft_tuple_new(2), *l = ft_list_new(0);
        assert_int_equal(ft_tuple_set_steal(t, 0, ft_int_from_i64(5000)), 0);
        ft_gc_collect(gen);
        assert_true(ft_gc_is_tracked(t));
        assert_int_equal(ft_list_append(l, t), 0);
        assert_int_equal(ft_tuple_set_steal(t, 1, l), 0);   /* t <-> l */
        ft_decref(t);
        assert_int_equal(ft_gc_collect(-1), 2);
        assert_int_equal(ft_test_live_objects(), base);

        ft_object *leaf1 = ft_tuple_new(1), *leaf2 = ft_tuple_new(1);
        ft_object *top = ft_tuple_new(2);
        assert_int_equal(ft_tuple_set_steal(leaf1, 0, ft_none()), 0);
        assert_int_equal(ft_tuple_set_steal(leaf2, 0, ft_int_from_i64(7)), 0);
        assert_int_equal(ft_tuple_set_steal(top, 0, leaf1), 0);
        assert_int_equal(ft_tuple_set_steal(top, 1, leaf2), 0);
        ft_gc_collect(gen);
        assert_false(ft_gc_is_tracked(leaf1));
        assert_false(ft_gc_is_tracked(leaf2));
        ft_gc_collect(-1);
        assert_false(ft_gc_is_tracked(top));
        ft_decref(top);
    }
}

/* ---- Scheduling ---------------------------------------------------------- */

static void make_cycles(int n)
{
    for (int i = 0; i < n; i++) {
        ft_object *l = ft_list_new(0);
        assert_int_equal(ft_list_append(l, l), 0);
        ft_decref(l);
        ft_checkpoint();
    }
}

static uint64_t total_collections(void)
{
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    return st[0].collections + st[1].collections + st[2].collections;
}

/* Threshold 1 is 0: nogil's trigger then collects at threshold 0 without
 * asking the long-lived rule or the memory gate (CPython 3.14t's escape;
 * test_gc_defer.c tests the gate), as gil always does. */
static void test_thresholds_trigger_collections(void **state)
{
    (void)state;
    int64_t base = ft_test_live_objects();
    ft_gc_set_threshold(50, 0, 10);
    int t[3];
    ft_gc_get_threshold(t);
    assert_int_equal(t[0], 50);
    uint64_t before = total_collections();
    make_cycles(1000);
    uint64_t ran = total_collections() - before;
    assert_true(ran >= 10);                    /* about one per 50 cycles */
    assert_true(ft_test_live_objects() - base <= 100);   /* freed as it went */
    int count[3];
    ft_gc_get_count(count);
    assert_true(count[0] <= 100);

    ft_gc_disable();
    assert_false(ft_gc_isenabled());
    before = total_collections();
    make_cycles(500);
    assert_int_equal(total_collections(), before);   /* disable stops them */
    assert_true(ft_test_live_objects() - base >= 500);
    ft_gc_enable();
    assert_true(ft_gc_isenabled());
    ft_gc_collect(-1);
    assert_int_equal(ft_test_live_objects(), base);
}

/* A threshold lowered applies to the calling thread's next tracked
 * objects, not after what it buffered under the old one (nogil: a thread
 * adds its count to the global one in batches sized from threshold 0,
 * 512 objects for a large one; its batch is remade when the threshold
 * changes). */
static void test_lowered_threshold_applies_at_once(void **state)
{
    (void)state;
    int old[3];
    ft_gc_get_threshold(old);
    ft_gc_set_threshold(100000, 0, 10);   /* threshold 1 0: the escape, above */
    ft_gc_collect(-1);                 /* count 0 starts again */
    make_cycles(3);
    uint64_t before = total_collections();
    ft_gc_set_threshold(20, 0, 10);
    make_cycles(60);                   /* about one per 20 */
    assert_true(total_collections() - before >= 1);
    ft_gc_set_threshold(old[0], old[1], old[2]);
    ft_gc_collect(-1);
}

/* New objects are in generation 0; a generation-0 collection moves its
 * survivors up to generation 1 (nogil's middle), a generation-1
 * collection to generation 2, and the counts say the same in both
 * builds: one generation-0 collection, then one generation-1 collection. */
static void test_generations(void **state)
{
    (void)state;
    ft_object *old = ft_list_new(0);
    ft_object *gen0 = ft_gc_get_objects(0);
    assert_true(list_contains(gen0, old));
    ft_decref(gen0);
    ft_gc_collect(0);
    ft_object *up = ft_gc_get_objects(1);
    assert_true(list_contains(up, old));
    gen0 = ft_gc_get_objects(0);
    assert_false(list_contains(gen0, old));
    int count[3];
    ft_gc_get_count(count);
    assert_int_equal(count[1], 1);        /* one generation-0 collection */
    ft_gc_collect(1);
    ft_gc_get_count(count);
    assert_int_equal(count[1], 0);
    assert_int_equal(count[2], 1);        /* one generation-1 collection */
    ft_object *gen2 = ft_gc_get_objects(2);
    assert_true(list_contains(gen2, old));
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    assert_int_equal(st[0].collections, 1);
    assert_int_equal(st[1].collections, 1);
    ft_object *objs[] = { gen2, gen0, up, old };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
}

/* The collector refuses, with the same error in every flavor, a caller
 * that could not run it safely: a detached thread, or one inside its own
 * stop-the-world. The error is reported, never swallowed. */
static void test_refuses_detached_or_stopped_caller(void **state)
{
    (void)state;
    ssize_t n = 0;
    ft_object *objs = NULL;
    int frozen = 0;
    FT_BEGIN_ALLOW_THREADS
    n = ft_gc_collect(-1);
    objs = ft_gc_get_objects(-1);
    frozen = ft_gc_freeze();
    FT_END_ALLOW_THREADS
    assert_int_equal(n, -1);
    assert_null(objs);
    assert_int_equal(frozen, -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    assert_non_null(strstr(ft_err_message(), "not attached"));
    ft_err_clear();

    assert_int_equal(ft_stop_the_world(), 0);
    n = ft_gc_collect(-1);
    ssize_t count = ft_gc_get_freeze_count();
    ft_start_the_world();
    assert_int_equal(n, -1);
    assert_int_equal(count, -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    assert_non_null(strstr(ft_err_message(), "stopped the world"));
    ft_err_clear();
    assert_true(ft_gc_collect(-1) >= 0);   /* and it runs again once allowed */
}

static void test_freeze(void **state)
{
    (void)state;
    int64_t base = ft_test_live_objects();
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_list_append(l, l), 0);
    assert_int_equal(ft_gc_freeze(), 0);
    assert_true(ft_gc_get_freeze_count() >= 1);
    ft_decref(l);
    assert_int_equal(ft_gc_collect(-1), 0);    /* frozen: not examined */
    assert_true(ft_test_live_objects() > base);
    assert_int_equal(ft_gc_unfreeze(), 0);
    assert_int_equal(ft_gc_get_freeze_count(), 0);
    assert_int_equal(ft_gc_collect(-1), 1);
    assert_int_equal(ft_test_live_objects(), base);
}

typedef struct cb_log {
    int starts, stops;
    ssize_t collected;
    uint64_t pause_ns;
} cb_log;

static void log_callback(ft_gc_phase phase, const ft_gc_info *info, void *ctx)
{
    cb_log *log = ctx;
    if (phase == FT_GC_START) {
        log->starts++;
    } else {
        log->stops++;
        log->collected += info->collected;
        log->pause_ns += info->pause_ns;
    }
}

static void test_callbacks_and_pause_stats(void **state)
{
    (void)state;
    cb_log log = { 0 };
    ft_gc_reset_pause_stats();
    assert_int_equal(ft_gc_callback_add(log_callback, &log), 0);
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_list_append(l, l), 0);
    ft_decref(l);
    ft_gc_collect(-1);
    assert_int_equal(log.starts, 1);
    assert_int_equal(log.stops, 1);
    assert_int_equal(log.collected, 1);
    assert_true(log.pause_ns > 0);
    assert_int_equal(ft_gc_callback_remove(log_callback, &log), 0);
    assert_int_equal(ft_gc_callback_remove(log_callback, &log), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    ft_gc_collect(-1);
    assert_int_equal(log.starts, 1);   /* removed: not called again */

    ft_gc_pause_stats ps;
    ft_gc_get_pause_stats(&ps);
    assert_int_equal(ps.pause.count, 2);
    assert_int_equal(ps.stw.count, FT_NOGIL ? 2 : 0);
    uint64_t p50 = ft_gc_histogram_quantile(&ps.pause, 0.5);
    uint64_t p100 = ft_gc_histogram_quantile(&ps.pause, 1.0);
    assert_true(p50 > 0 && p50 <= p100 && p100 == ps.pause.max_ns);
    assert_int_equal(ft_gc_histogram_quantile(&ps.stw, 0.5) > 0, FT_NOGIL);
}

static void test_bad_input(void **state)
{
    (void)state;
    assert_int_equal(ft_gc_collect(3), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_gc_collect(-2), -1);
    ft_err_clear();
    assert_int_equal(ft_class_set_finalizer(&ft_tuple_type, count_finalizer, false), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_gc_callback_add(NULL, NULL), -1);
    ft_err_clear();
    /* no memory for the result list */
    _ft_mem_fail_after(0);
    assert_null(ft_gc_get_objects(-1));
    assert_int_equal(ft_err_kind(), FT_ERR_MEMORY);
    _ft_mem_fail_reset();
    ft_err_clear();
}

/* A collection keeps the caller's pending error. */
static void test_error_survives_collection(void **state)
{
    (void)state;
    ft_err_set(FT_ERR_KEY, "kept");
    ft_gc_collect(-1);
    assert_int_equal(ft_err_kind(), FT_ERR_KEY);
    assert_string_equal(ft_err_message(), "kept");
    ft_err_clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pair_with_dict),
        T(test_pair_with_slots),
        T(test_self_cycles),
        T(test_mixed_cycle),
        T(test_finalizer_runs_once),
        T(test_resurrection),
        T(test_resurrection_from_dealloc),
        T(test_legacy_finalizer_is_uncollectable),
        T(test_legacy_cycle_freed_at_fini),
        T(test_debug_saveall),
        T(test_referrers_and_referents),
        T(test_atomic_tuples_untracked),
        T(test_tuple_being_filled_stays_tracked),
        T(test_thresholds_trigger_collections),
        T(test_lowered_threshold_applies_at_once),
        T(test_generations),
        T(test_freeze),
        T(test_refuses_detached_or_stopped_caller),
        T(test_callbacks_and_pause_stats),
        T(test_bad_input),
        T(test_error_survives_collection),
    };
    return ft_test_run(tests);
}
