/* tools/refs.h — references with their names, short reprs and roots, for
 * the object graphs (refs.c, used by objgraph.c). */
#ifndef FTLAB_TOOLS_REFS_H
#define FTLAB_TOOLS_REFS_H

#include "../internal/common.h"

/* Called once per reference o makes, with the name it goes by ("" when
 * unknown); a non-zero return stops the visit and is returned. */
typedef int (*ft_refs_visit)(ft_object *target, const char *label, void *arg);

/* Visits what o refers to; -1 with MemoryError if a referent list could
 * not be made. */
int  _ft_refs_visit(ft_object *o, ft_refs_visit visit, void *arg);
/* The name src uses for its reference to target ("" when none). */
void _ft_refs_label_of(ft_object *src, ft_object *target, char *buf, size_t len);
/* "3 items", "'abc'", "42", "class Foo", "object". */
void _ft_refs_repr(ft_object *o, char *buf, size_t len);
/* How a dict key shows as an edge label: identifiers bare, else a repr. */
void _ft_refs_key_label(ft_object *key, char *buf, size_t len);
/* Module-like: a walk draws it but does not go past it. */
bool _ft_refs_is_root(ft_object *o);

#endif /* FTLAB_TOOLS_REFS_H */
