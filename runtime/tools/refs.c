/* refs.c — what an object refers to, with the name it uses for each
 * reference, and a short repr: the vocabulary of the object graphs
 * (objgraph.c; ftlab/objgraph.h).
 *
 * Labels come from the public container API where the type is known
 * (list and tuple indexes, dict keys, an instance's __dict__, class and
 * inline attributes), and from tp_traverse, unlabelled, for everything
 * else.
 */
#include <inttypes.h>
#include <string.h>
#include "refs.h"
#include "../internal/object.h"
#include "../objects/instance.h"

static bool is_class(ft_object *o) { return ft_type_of(o) == &ft_type_type; }

static bool is_instance(ft_object *o)
{
    ft_type *t = ft_type_of(o);
    return ft_type_of(&t->ob_base) == &ft_type_type &&
           (t->tp_flags & FT_TPFLAGS_HEAPTYPE);
}

static bool is_identifier(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* ---- Short reprs ------------------------------------------------------- */

static void str_repr(ft_object *o, char *buf, size_t len)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(o, &n);
    if (n > 24)
        snprintf(buf, len, "'%.21s...'", s);
    else
        snprintf(buf, len, "'%s'", s);
}

void _ft_refs_repr(ft_object *o, char *buf, size_t len)
{
    ft_type *t = ft_type_of(o);
    if (t == &ft_int_type || t == &ft_bool_type)
        snprintf(buf, len, "%" PRId64, ft_int_as_i64(o));
    else if (t == &ft_float_type)
        snprintf(buf, len, "%g", ft_float_as_double(o));
    else if (t == &ft_str_type)
        str_repr(o, buf, len);
    else if (t == &ft_none_type)
        snprintf(buf, len, "None");
    else if (is_class(o))
        snprintf(buf, len, "class %s", ((ft_type *)o)->tp_name);
    else if (t->tp_len) {
        ssize_t n = ft_len(o);
        snprintf(buf, len, "%zd item%s", n, n == 1 ? "" : "s");
    }
    else
        snprintf(buf, len, "object");
}

void _ft_refs_key_label(ft_object *key, char *buf, size_t len)
{
    if (ft_type_of(key) == &ft_str_type && is_identifier(ft_str_utf8_borrow(key, NULL)))
        snprintf(buf, len, "%s", ft_str_utf8_borrow(key, NULL));
    else
        _ft_refs_repr(key, buf, len);
}

/* ---- References by type ------------------------------------------------- */

static int list_refs(ft_object *o, ft_refs_visit visit, void *arg)
{
    char label[32];
    ssize_t n = ft_len(o);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *v = ft_list_get(o, i);
        if (!v) {            /* shrunk meanwhile */
            ft_err_clear();
            break;
        }
        snprintf(label, sizeof label, "[%zd]", i);
        int rc = visit(v, label, arg);
        ft_decref(v);
        if (rc)
            return rc;
    }
    return 0;
}

static int tuple_refs(ft_object *o, ft_refs_visit visit, void *arg)
{
    char label[32];
    ssize_t n = ft_len(o);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *v = ft_tuple_get_borrow(o, i);
        snprintf(label, sizeof label, "[%zd]", i);
        int rc = v ? visit(v, label, arg) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* New references: another thread may delete an entry (and free its key
 * and value) while we visit it. */
static int dict_refs(ft_object *o, ft_refs_visit visit, void *arg)
{
    char label[64];
    ssize_t pos = 0;
    ft_object *k, *v;
    while (ft_dict_next_ref(o, &pos, &k, &v) == 1) {
        int rc = 0;
        if (ft_type_of(k) != &ft_str_type)
            rc = visit(k, "key", arg);
        _ft_refs_key_label(k, label, sizeof label);
        if (!rc)
            rc = visit(v, label, arg);
        ft_decref(k);
        ft_decref(v);
        if (rc)
            return rc;
    }
    return 0;
}

/* The instance's __dict__ if it has one already (never makes one: a
 * compact instance keeps its attributes inline until asked for it). */
static ft_object *instance_dict(ft_object *o)
{
    ft_object *d = _ft_instance_dict_peek(o);
    ft_xdecref(d);   /* o holds it while we walk o */
    return d;
}

/* An edge's label: __dict__, __class__, an inline attribute's name. */
static const char *instance_label(ft_object *o, ft_object *v, ft_object *dict)
{
    if (v == dict)
        return "__dict__";
    if (v == &ft_type_of(o)->ob_base)
        return "__class__";
    const char *name = _ft_instance_attr_name(o, v);
    return name ? name : "";
}

static int generic_refs(ft_object *o, ft_refs_visit visit, void *arg)
{
    /* ft_gc_get_referents walks o with the world stopped. */
    ft_object *refs = ft_gc_get_referents(o);
    if (!refs)
        return -1;
    ssize_t n = ft_len(refs);
    bool inst = is_instance(o);
    ft_object *dict = inst ? instance_dict(o) : NULL;
    int rc = 0;
    for (ssize_t i = 0; i < n && !rc; i++) {
        ft_object *v = ft_list_get(refs, i);
        const char *label = inst ? instance_label(o, v, dict) : "";
        rc = visit(v, label, arg);
        ft_decref(v);
    }
    ft_decref(refs);
    return rc;
}

int _ft_refs_visit(ft_object *o, ft_refs_visit visit, void *arg)
{
    ft_type *t = ft_type_of(o);
    if (t == &ft_list_type)
        return list_refs(o, visit, arg);
    if (t == &ft_tuple_type)
        return tuple_refs(o, visit, arg);
    if (t == &ft_dict_type)
        return dict_refs(o, visit, arg);
    if (!(t->tp_flags & FT_TPFLAGS_GC) || !t->tp_traverse)
        return 0;   /* atoms refer to nothing */
    return generic_refs(o, visit, arg);
}

/* ---- The label of one reference ------------------------------------------ */

typedef struct find_ctx {
    ft_object *target;
    char *buf;
    size_t len;
} find_ctx;

static int find_target(ft_object *o, const char *label, void *arg)
{
    find_ctx *c = arg;
    if (o != c->target)
        return 0;
    snprintf(c->buf, c->len, "%s", label);
    return 1;
}

void _ft_refs_label_of(ft_object *src, ft_object *target, char *buf, size_t len)
{
    find_ctx c = { target, buf, len };
    buf[0] = '\0';
    if (_ft_refs_visit(src, find_target, &c) < 0)
        ft_err_clear();
}

bool _ft_refs_is_root(ft_object *o)
{
    return is_class(o) || ft_is_immortal(o) ||
           strcmp(ft_type_name(o), "module") == 0;
}
