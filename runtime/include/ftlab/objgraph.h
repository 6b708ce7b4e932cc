/* ftlab/objgraph.h — who refers to what: object graphs as Graphviz DOT,
 * the most common types, growth between two points, and the chain of
 * referrers that keeps an object alive (Python's objgraph).
 *
 * Graphs are built from the collector's view (ftlab/gc.h): an object's
 * references are what its tp_traverse visits, its referrers are the
 * tracked objects whose tp_traverse visits it. So atoms (ints, floats,
 * strs) appear as leaves, and only tracked objects (containers,
 * instances, classes) are found as referrers and counted by type.
 *
 * Nodes are labelled with the type name and a short repr; edges with
 * what the source calls the target where that is known: "[3]" for a
 * list or tuple item, the key for a dict value ("name" for an identifier
 * str, its repr otherwise), "__dict__" and "__class__" for an instance.
 * A dict's str keys show as edge labels, not as nodes of their own.
 *
 * Roots ("module-like"): a walk draws them but does not go past them —
 * classes (type objects), immortal objects, and objects whose type is
 * named "module" (the planned interpreter's modules). Past a node's
 * first FT_OBJGRAPH_TOO_MANY references, the rest are summarised on one
 * "... N more" node, as objgraph does.
 *
 * Concurrency contract: the caller is attached; the objects walked must
 * not be mutated by other threads during the call (dict iteration is
 * not safe against it). Finding referrers stops the world (nogil) once
 * per object expanded. The walk holds a reference to every object it
 * has seen and keeps its own bookkeeping out of the private heap, so it
 * never shows up as a referrer.
 */
#ifndef FTLAB_OBJGRAPH_H
#define FTLAB_OBJGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <ftlab/object.h>

#define FT_OBJGRAPH_TOO_MANY 10
#define FT_OBJGRAPH_MAX_NODES 500

typedef bool (*ft_objgraph_pred)(ft_object *o, void *arg);

/* Writes the graph of what objs[0..n) refer to, max_depth levels deep
 * (>= 1), as a DOT digraph. The objects given are highlighted. 0, or -1
 * with ValueError (bad arguments), MemoryError or RuntimeError (a write
 * to dot failed). */
int ft_objgraph_show_refs(ft_object *const *objs, size_t n, int max_depth,
                          FILE *dot);
/* Writes the graph of the referrers of obj, max_depth levels up: the
 * paths by which it is kept alive. Edges point from referrer to
 * referent, labelled as above. */
int ft_objgraph_show_backrefs(ft_object *obj, int max_depth, FILE *dot);
/* The same, with `filter` deciding which objects may appear (NULL: all),
 * as objgraph's filter=. */
int ft_objgraph_show_backrefs_filtered(ft_object *obj, int max_depth,
                                       ft_objgraph_pred filter, void *arg,
                                       FILE *dot);

/* Renders a DOT file with Graphviz: out_path's extension picks the
 * format (".png", ".svg", ".pdf"). 0; -1 with RuntimeError when `dot`
 * is not installed ("install graphviz") or fails, ValueError for an
 * unknown extension. The caller is detached while dot runs. */
int ft_objgraph_render(const char *dot_path, const char *out_path);
/* Is Graphviz's dot on the PATH? */
bool ft_objgraph_have_dot(void);

/* The chain of references from an object for which pred is true down to
 * obj, found breadth-first through referrers at most max_depth levels
 * up: a new list [found, ..., obj] (shortest chain), or [obj] when none
 * is found. NULL with an error. */
ft_object *ft_objgraph_find_backref_chain(ft_object *obj, ft_objgraph_pred pred,
                                          void *arg, int max_depth);

/* ---- Counting by type (tracked objects) ------------------------------- */

/* A new list of (type name, count) tuples, most common first, at most
 * `limit` (0: all); equal counts by name. */
ft_object *ft_objgraph_most_common_types(size_t limit);
/* A new list of (type name, count, delta) tuples for every type whose
 * count changed since the previous call (the first call compares with
 * nothing), largest increase first. The baseline is per process and
 * reset by ft_fini. */
ft_object *ft_objgraph_growth(void);
/* Printing versions ("dict   1234", "Node  20  +10"). -1 on error. */
int ft_objgraph_print_most_common_types(FILE *f, size_t limit);
int ft_objgraph_print_growth(FILE *f, size_t limit);
/* How many tracked objects have the type named `name` now. */
size_t ft_objgraph_count(const char *name);

#endif /* FTLAB_OBJGRAPH_H */
