/* ft_graph.h — object graphs for the collector and weak-reference tests.
 *
 * The collector's tests build the graphs users build in Python (the
 * A <-> B cycle of docs/architecture.md, "Scenarios"): instances of a class
 * made with ft_class_new, each with an integer `id` so a finalizer or a
 * weakref callback can tell which one it met, and an `other` attribute
 * that points at its partner or at a list of out-edges. The helpers
 * assert with cmocka, so only the test's main thread may call them; a
 * worker thread builds its own objects and records failures with
 * ft_worker_check (ft_test.h).
 *
 *     ft_test_pair(cls):   a --other--> b --other--> a
 *                          one reference returned, to a; b lives through a
 */
#ifndef FT_GRAPH_H
#define FT_GRAPH_H

#include "ft_test.h"

/* The slots of a node class with __slots__: { "other", "id", NULL }. Pass
 * NULL to ft_class_new instead for nodes with a __dict__. */
extern const char *const ft_test_node_slots[];

/* A new instance of cls (a new reference) with its `id` set to id. */
ft_object *ft_test_node_new(ft_type *cls, int64_t id);

/* from.name = to (to gains a reference; from's old value is dropped). */
void ft_test_link(ft_object *from, const char *name, ft_object *to);

/* The A <-> B cycle: two nodes of cls, ids 1 and 2, each the other's
 * `other`. Returns the one reference the caller owns, to a; dropping it
 * leaves the pair for the collector alone. */
ft_object *ft_test_pair(ft_type *cls);

#endif /* FT_GRAPH_H */
