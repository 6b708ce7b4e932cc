/* typestats.c — tracked objects counted by type name: objgraph's
 * most_common_types, growth and count (ftlab/objgraph.h).
 *
 * One pass over the collector's tracked objects (_ft_gc_for_each: the
 * world is stopped in nogil) counts per type object in a pointer map,
 * taking a reference to each type so that its name outlives the pass;
 * then the counts are merged by name (two classes may share one) into a
 * name-sorted array. growth() keeps the previous array as its baseline.
 * Everything is system memory: counting never changes the counts.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ptrmap.h"
#include "typestats.h"
#include "../internal/gc.h"

typedef struct type_count {
    char *name;                 /* owned copy                           */
    size_t count;
} type_count;

typedef struct census {
    type_count *t;
    size_t n;
} census;

static void census_free(census *c)
{
    for (size_t i = 0; c->t && i < c->n; i++)
        free(c->t[i].name);
    free(c->t);
    *c = (census){ 0 };
}

/* ---- Counting ------------------------------------------------------------- */

typedef struct count_pass {
    ft_ptrmap types;            /* ft_type * -> count                   */
    bool oom;
} count_pass;

static void count_one(ft_object *o, void *arg)
{
    count_pass *p = arg;
    ft_type *t = ft_type_of(o);
    size_t n = 0;
    bool seen = _ft_ptrmap_get(&p->types, t, &n);
    if (!_ft_ptrmap_put(&p->types, t, n + 1))
        p->oom = true;
    else if (!seen)
        ft_incref(&t->ob_base);   /* its name must outlive the pass */
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const type_count *)a)->name, ((const type_count *)b)->name);
}

/* Moves the per-type counts into c, merged by name; releases the types. */
static void merge_by_name(count_pass *p, census *c)
{
    c->t = _ft_tool_malloc((p->types.n ? p->types.n : 1) * sizeof *c->t);
    c->n = 0;
    for (size_t i = 0; i < p->types.cap; i++) {
        ft_type *t = (ft_type *)p->types.keys[i];
        if (!t)
            continue;
        char *name = c->t ? strdup(t->tp_name) : NULL;
        if (name)
            c->t[c->n++] = (type_count){ name, p->types.values[i] };
        else
            p->oom = true;
        ft_decref(&t->ob_base);
    }
    if (c->n > 0)   /* c->t may be NULL (out of memory): qsort wants an array */
        qsort(c->t, c->n, sizeof *c->t, cmp_name);
    size_t out = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (out && strcmp(c->t[out - 1].name, c->t[i].name) == 0) {
            c->t[out - 1].count += c->t[i].count;
            free(c->t[i].name);
        } else {
            c->t[out++] = c->t[i];
        }
    }
    c->n = out;
}

static int take_census(census *c)
{
    count_pass p = { { 0 }, false };
    if (_ft_gc_for_each(-1, count_one, &p) < 0) {
        _ft_ptrmap_free(&p.types);
        return -1;
    }
    merge_by_name(&p, c);
    _ft_ptrmap_free(&p.types);
    if (p.oom) {
        census_free(c);
        return ft_err_set(FT_ERR_MEMORY, "objgraph: out of memory counting types");
    }
    return 0;
}

/* ---- Results as lists of tuples ---------------------------------------------- */

static void drop(ft_object **list)
{
    ft_decref(*list);
    *list = NULL;
}

/* (name, a) or (name, a, b): a new tuple, or NULL. Every item is made
 * first: ft_tuple_set_steal stores a NULL it is given (an item that could
 * not be made) without complaint. */
static ft_object *row(const char *name, int64_t a, const int64_t *b)
{
    int n = b ? 3 : 2;
    ft_object *items[3] = { ft_str_from_utf8(name, -1), ft_int_from_i64(a),
                            b ? ft_int_from_i64(*b) : NULL };
    ft_object *t = ft_tuple_new(n);
    bool ok = t != NULL;
    for (int i = 0; i < n; i++)
        ok = ok && items[i] != NULL;
    if (!ok) {
        for (int i = 0; i < n; i++)
            ft_xdecref(items[i]);
        ft_xdecref(t);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        ft_tuple_set_steal(t, i, items[i]);   /* cannot fail: t is a tuple */
    return t;
}

static int append_row(ft_object *list, const char *name, int64_t a, const int64_t *b)
{
    ft_object *t = row(name, a, b);
    int rc = t ? ft_list_append(list, t) : -1;
    ft_xdecref(t);
    return rc;
}

static int cmp_count_desc(const void *pa, const void *pb)
{
    const type_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return strcmp(a->name, b->name);
}

ft_object *ft_objgraph_most_common_types(size_t limit)
{
    census c;
    if (take_census(&c) < 0)
        return NULL;
    qsort(c.t, c.n, sizeof *c.t, cmp_count_desc);
    size_t n = limit && limit < c.n ? limit : c.n;
    ft_object *list = ft_list_new(0);
    for (size_t i = 0; list && i < n; i++)
        if (append_row(list, c.t[i].name, (int64_t)c.t[i].count, NULL) < 0)
            drop(&list);
    census_free(&c);
    return list;
}

size_t ft_objgraph_count(const char *name)
{
    census c;
    size_t n = 0;
    if (!name || take_census(&c) < 0)
        return 0;
    for (size_t i = 0; i < c.n; i++)
        if (strcmp(c.t[i].name, name) == 0)
            n = c.t[i].count;
    census_free(&c);
    return n;
}

/* ---- Growth --------------------------------------------------------------------- */

static pthread_mutex_t growth_lock = PTHREAD_MUTEX_INITIALIZER;
static census baseline;         /* growth_lock */

typedef struct change {
    const char *name;
    int64_t count, delta;
} change;

static int cmp_delta_desc(const void *pa, const void *pb)
{
    const change *a = pa, *b = pb;
    if (a->delta != b->delta)
        return a->delta < b->delta ? 1 : -1;
    return strcmp(a->name, b->name);
}

/* The changes from old to now (both name-sorted); *n of them. */
static change *diff(const census *old, const census *now, size_t *n)
{
    change *d = _ft_tool_malloc((old->n + now->n + 1) * sizeof *d);
    size_t i = 0, j = 0;
    *n = 0;
    while (d && (i < old->n || j < now->n)) {
        int c = i == old->n ? 1 : j == now->n ? -1
              : strcmp(old->t[i].name, now->t[j].name);
        int64_t before = c <= 0 ? (int64_t)old->t[i].count : 0;
        int64_t after = c >= 0 ? (int64_t)now->t[j].count : 0;
        if (after != before)
            d[(*n)++] = (change){ c >= 0 ? now->t[j].name : old->t[i].name,
                                  after, after - before };
        i += c <= 0;
        j += c >= 0;
    }
    if (d)
        qsort(d, *n, sizeof *d, cmp_delta_desc);
    return d;
}

ft_object *ft_objgraph_growth(void)
{
    census now;
    size_t n;
    if (take_census(&now) < 0)
        return NULL;
    pthread_mutex_lock(&growth_lock);
    change *d = diff(&baseline, &now, &n);
    ft_object *list = d ? ft_list_new(0) : NULL;
    for (size_t i = 0; list && i < n; i++)
        if (append_row(list, d[i].name, d[i].count, &d[i].delta) < 0)
            drop(&list);
    if (list) {   /* the baseline moves only when the caller got the result */
        census_free(&baseline);
        baseline = now;
    } else {
        census_free(&now);
        if (!d)
            ft_err_set(FT_ERR_MEMORY, "objgraph: out of memory");
    }
    pthread_mutex_unlock(&growth_lock);
    free(d);
    return list;
}

void _ft_typestats_fini(void)
{
    pthread_mutex_lock(&growth_lock);
    census_free(&baseline);
    pthread_mutex_unlock(&growth_lock);
}

/* ---- Printing ------------------------------------------------------------------- */

static int print_rows(FILE *f, ft_object *list, size_t limit, bool delta)
{
    if (!list)
        return -1;
    ssize_t n = ft_len(list);
    if (limit && (ssize_t)limit < n)
        n = (ssize_t)limit;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *t = ft_list_get(list, i);
        const char *name = ft_str_utf8_borrow(ft_tuple_get_borrow(t, 0), NULL);
        fprintf(f, "%-24s %10" PRId64, name, ft_int_as_i64(ft_tuple_get_borrow(t, 1)));
        if (delta)
            fprintf(f, " %+10" PRId64, ft_int_as_i64(ft_tuple_get_borrow(t, 2)));
        fprintf(f, "\n");
        ft_decref(t);
    }
    if (n == 0)
        fprintf(f, "(none)\n");
    ft_decref(list);
    return 0;
}

int ft_objgraph_print_most_common_types(FILE *f, size_t limit)
{
    return print_rows(f, ft_objgraph_most_common_types(limit), 0, false);
}

int ft_objgraph_print_growth(FILE *f, size_t limit)
{
    return print_rows(f, ft_objgraph_growth(), limit, true);
}
