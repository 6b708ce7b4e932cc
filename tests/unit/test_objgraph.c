/* test_objgraph.c — object graphs on every flavor: the DOT of a known
 * small graph has exactly the expected edges and labels; backrefs of an
 * object kept alive through a cycle and a dict show the path, and
 * find_backref_chain returns it; most_common_types and growth report
 * exactly the objects made; the fan-out cut; rendering; bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ft_graph.h"
#include "ft_test.h"

/* ---- A tiny DOT reader: node labels and edges ------------------------- */

typedef struct dot_graph {
    char labels[64][64];        /* by node number                      */
    char edges[128][256];       /* "<from label> -> <to label> : <label>" */
    char raw_edges[128][160];   /* "nA -> nB [label=...]" as written    */
    int nedges;
} dot_graph;

static char *render(void (*fn)(FILE *, void *), void *arg)
{
    ft_test_capture c;
    fn(ft_test_capture_open(&c), arg);
    return ft_test_capture_close(&c);
}

static void parse_dot(const char *text, dot_graph *g)
{
    memset(g, 0, sizeof *g);
    const char *line = text;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        char buf[256];
        size_t n = end ? (size_t)(end - line) : strlen(line);
        snprintf(buf, sizeof buf, "%.*s", (int)n, line);
        int a, b;
        char lab[64] = "";
        if (sscanf(buf, "  n%d -> n%d [label=\"%63[^\"]\"]", &a, &b, lab) >= 2 &&
            !strstr(buf, "_more")) {
            snprintf(g->raw_edges[g->nedges], 160, "n%d -> n%d %s", a, b, lab);
            char from[64], to[64];   /* copies: the labels live in g too */
            memcpy(from, g->labels[a], sizeof from);
            memcpy(to, g->labels[b], sizeof to);
            snprintf(g->edges[g->nedges++], 256, "%s -> %s : %s", from, to, lab);
        } else if (sscanf(buf, "  n%d [label=\"%63[^\"]\"", &a, lab) == 2 && a < 64) {
            snprintf(g->labels[a], 64, "%s", lab);
        }
        line = end ? end + 1 : NULL;
    }
}

static bool has_edge(const dot_graph *g, const char *edge)
{
    for (int i = 0; i < g->nedges; i++)
        if (strcmp(g->edges[i], edge) == 0)
            return true;
    return false;
}

/* ---- Graphs ---------------------------------------------------------------- */

typedef struct refs_args {
    ft_object **objs;
    size_t n;
    int depth;
} refs_args;

static void write_refs(FILE *f, void *arg)
{
    refs_args *a = arg;
    assert_int_equal(ft_objgraph_show_refs(a->objs, a->n, a->depth, f), 0);
}

/* list L = [a, 42]; a.name = 'xyz', a.__dict__ asked for (so the instance
 * has a real dict, as a program that read it has): exactly five edges. */
static void test_show_refs_exact(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Node", NULL);
    ft_object *a = ft_instance_new(cls), *name = ft_test_str("xyz");
    ft_object *l = ft_list_new(0), *n42 = ft_int_from_i64(42);
    ft_test_link(a, "name", name);
    ft_object *dict = ft_getattr(a, "__dict__");
    assert_non_null(dict);
    ft_decref(dict);   /* a keeps it */
    ft_list_append(l, a);
    ft_list_append(l, n42);
    refs_args args = { &l, 1, 3 };
    char *text = render(write_refs, &args);
    dot_graph g;
    parse_dot(text, &g);
    static const char *const expected[] = {
        "n0 -> n1 [0]", "n0 -> n2 [1]", "n1 -> n3 __dict__",
        "n1 -> n4 __class__", "n3 -> n5 name",
    };
    assert_int_equal(g.nedges, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(g.raw_edges[i], expected[i]);
    assert_string_equal(g.labels[0], "list\\n2 items");
    assert_string_equal(g.labels[1], "Node\\nobject");
    assert_string_equal(g.labels[2], "int\\n42");
    assert_string_equal(g.labels[3], "dict\\n1 item");
    assert_string_equal(g.labels[4], "type\\nclass Node");
    assert_string_equal(g.labels[5], "str\\n'xyz'");
    assert_non_null(strstr(text, "digraph ObjectGraph {"));
    free(text);

    args.depth = 1;   /* one level: only the list's two edges */
    text = render(write_refs, &args);
    parse_dot(text, &g);
    assert_int_equal(g.nedges, 2);
    free(text);

    ft_decref(n42);
    ft_decref(l);
    ft_decref(name);
    ft_decref(a);
    ft_decref(&cls->ob_base);
}

/* The same without asking for the __dict__: a's attributes are inline,
 * each edge is named after its attribute, and drawing makes no dict. */
static void test_show_refs_inline(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Node", NULL);
    ft_object *a = ft_instance_new(cls), *name = ft_test_str("xyz");
    ft_object *l = ft_list_new(0), *n42 = ft_int_from_i64(42);
    ft_test_link(a, "name", name);
    ft_list_append(l, a);
    ft_list_append(l, n42);
    int64_t before = ft_test_live_objects();
    refs_args args = { &l, 1, 3 };
    char *text = render(write_refs, &args);
    assert_int_equal(ft_test_live_objects(), before);   /* no dict made */
    dot_graph g;
    parse_dot(text, &g);
    static const char *const expected[] = {
        "n0 -> n1 [0]", "n0 -> n2 [1]", "n1 -> n3 name", "n1 -> n4 __class__",
    };
    assert_int_equal(g.nedges, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(g.raw_edges[i], expected[i]);
    assert_string_equal(g.labels[1], "Node\\nobject");
    assert_string_equal(g.labels[3], "str\\n'xyz'");
    assert_string_equal(g.labels[4], "type\\nclass Node");
    free(text);
    ft_decref(n42);
    ft_decref(l);
    ft_decref(name);
    ft_decref(a);
    ft_decref(&cls->ob_base);
}

static void test_too_many(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(0);
    for (int i = 0; i < 25; i++) {
        ft_object *v = ft_int_from_i64(1000 + i);
        ft_list_append(l, v);
        ft_decref(v);
    }
    refs_args args = { &l, 1, 2 };
    char *text = render(write_refs, &args);
    dot_graph g;
    parse_dot(text, &g);
    assert_int_equal(g.nedges, FT_OBJGRAPH_TOO_MANY);
    assert_non_null(strstr(text, "... 15 more"));
    assert_non_null(strstr(text, "n0 -> n0_more"));
    free(text);
    ft_decref(l);
}

/* The leak shape of docs/architecture.md, "Scenarios": payload <- a <-
 * cache dict, with a <-> b a cycle through their attributes (inline: no
 * __dict__ was asked for). */
typedef struct scene {
    ft_type *holder, *peer;
    ft_object *payload, *a, *b, *cache;
} scene;

static void scene_make(scene *s)
{
    s->holder = ft_class_new("Holder", NULL);
    s->peer = ft_class_new("Peer", NULL);
    s->payload = ft_list_new(0);
    s->a = ft_instance_new(s->holder);
    s->b = ft_instance_new(s->peer);
    s->cache = ft_dict_new();
    ft_test_link(s->a, "payload", s->payload);
    ft_test_link(s->a, "peer", s->b);
    ft_test_link(s->b, "peer", s->a);
    ft_object *k = ft_test_str("k"), *k2 = ft_test_str("k2"), *k3 = ft_test_str("k3");
    ft_object *v = ft_int_from_i64(7);
    ft_dict_set(s->cache, k, s->a);
    ft_dict_set(s->cache, k2, v);
    ft_dict_set(s->cache, k3, v);
    ft_decref(k);
    ft_decref(k2);
    ft_decref(k3);
    ft_decref(v);
}

static void scene_free(scene *s)
{
    ft_decref(s->cache);
    ft_decref(s->a);
    ft_decref(s->b);
    ft_decref(s->payload);
    ft_gc_collect(-1);   /* a <-> b */
    ft_decref(&s->holder->ob_base);
    ft_decref(&s->peer->ob_base);
}

static void write_backrefs(FILE *f, void *arg)
{
    assert_int_equal(ft_objgraph_show_backrefs(arg, 5, f), 0);
}

static void test_show_backrefs_path(void **state)
{
    (void)state;
    scene s;
    scene_make(&s);
    char *text = render(write_backrefs, s.payload);
    dot_graph g;
    parse_dot(text, &g);
    static const char *const path[] = {
        "Holder\\nobject -> list\\n0 items : payload",
        "dict\\n3 items -> Holder\\nobject : k",
        "Peer\\nobject -> Holder\\nobject : peer",
        "Holder\\nobject -> Peer\\nobject : peer",   /* the cycle closes */
    };
    for (size_t i = 0; i < sizeof path / sizeof *path; i++) {
        if (!has_edge(&g, path[i]))
            fail_msg("edge '%s' missing from:\n%s", path[i], text);
    }
    assert_int_equal(g.nedges, 4);
    free(text);
    scene_free(&s);
}

static bool is_obj(ft_object *o, void *arg) { return o == arg; }

static void test_find_backref_chain(void **state)
{
    (void)state;
    scene s;
    scene_make(&s);
    ft_object *chain = ft_objgraph_find_backref_chain(s.payload, is_obj, s.cache, 10);
    assert_non_null(chain);
    assert_int_equal(ft_len(chain), 3);
    ft_object *expect[] = { s.cache, s.a, s.payload };
    for (ssize_t i = 0; i < 3; i++) {
        ft_object *o = ft_list_get(chain, i);
        assert_ptr_equal(o, expect[i]);
        ft_decref(o);
    }
    ft_decref(chain);
    /* Nothing matches: just the object itself. */
    chain = ft_objgraph_find_backref_chain(s.payload, is_obj, NULL, 10);
    assert_int_equal(ft_len(chain), 1);
    ft_decref(chain);
    /* Too shallow to reach the cache (two references up). */
    chain = ft_objgraph_find_backref_chain(s.payload, is_obj, s.cache, 1);
    assert_int_equal(ft_len(chain), 1);
    ft_decref(chain);
    scene_free(&s);
}

/* ---- Counting --------------------------------------------------------------- */

static const char *const slots[] = { "x", NULL };

static int64_t row_int(ft_object *row, ssize_t i)
{
    return ft_int_as_i64(ft_tuple_get_borrow(row, i));
}

static const char *row_name(ft_object *row)
{
    return ft_str_utf8_borrow(ft_tuple_get_borrow(row, 0), NULL);
}

static void test_most_common_types(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Widget", slots);
    ft_object *w[7];
    for (int i = 0; i < 7; i++)
        w[i] = ft_instance_new(cls);
    assert_int_equal(ft_objgraph_count("Widget"), 7);
    ft_object *top = ft_objgraph_most_common_types(0);
    bool found = false;
    for (ssize_t i = 0; i < ft_len(top); i++) {
        ft_object *r = ft_list_get(top, i);
        if (strcmp(row_name(r), "Widget") == 0) {
            found = true;
            assert_int_equal(row_int(r, 1), 7);
        }
        if (i > 0) {   /* most common first */
            ft_object *prev = ft_list_get(top, i - 1);
            assert_true(row_int(prev, 1) >= row_int(r, 1));
            ft_decref(prev);
        }
        ft_decref(r);
    }
    assert_true(found);
    ft_decref(top);
    top = ft_objgraph_most_common_types(1);
    assert_int_equal(ft_len(top), 1);
    ft_decref(top);
    for (int i = 0; i < 7; i++)
        ft_decref(w[i]);
    ft_decref(&cls->ob_base);
}

static void expect_growth(const char *n1, int64_t d1, const char *n2, int64_t d2)
{
    ft_object *g = ft_objgraph_growth();
    assert_non_null(g);
    assert_int_equal(ft_len(g), 2);
    ft_object *r1 = ft_list_get(g, 0), *r2 = ft_list_get(g, 1);
    assert_string_equal(row_name(r1), n1);
    assert_int_equal(row_int(r1, 2), d1);
    assert_string_equal(row_name(r2), n2);
    assert_int_equal(row_int(r2, 2), d2);
    ft_decref(r1);
    ft_decref(r2);
    ft_decref(g);
}

static void test_growth_exact(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Widget", slots);
    ft_decref(ft_objgraph_growth());   /* the baseline */
    ft_object *w[3], *l[2];
    for (int i = 0; i < 3; i++)
        w[i] = ft_instance_new(cls);
    for (int i = 0; i < 2; i++)
        l[i] = ft_list_new(0);
    expect_growth("Widget", 3, "list", 2);
    for (int i = 0; i < 3; i++)
        ft_decref(w[i]);
    for (int i = 0; i < 2; i++)
        ft_decref(l[i]);
    expect_growth("list", -2, "Widget", -3);
    ft_object *g = ft_objgraph_growth();   /* nothing changed since */
    assert_int_equal(ft_len(g), 0);
    ft_decref(g);
    ft_decref(&cls->ob_base);
}

/* ---- Rendering and bad input ------------------------------------------------ */

static void test_render(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char dot[512];
    snprintf(dot, sizeof dot, "%s/ftlab-objgraph-XXXXXX.dot", tmp && *tmp ? tmp : P_tmpdir);
    int fd = mkstemps(dot, 4);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_objgraph_show_refs(&l, 1, 2, f), 0);
    fclose(f);
    char png[sizeof dot + 4];
    snprintf(png, sizeof png, "%s.png", dot);
    assert_int_equal(ft_objgraph_render(dot, "graph.gif"), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    if (ft_objgraph_have_dot()) {
        assert_int_equal(ft_objgraph_render(dot, png), 0);
        FILE *p = fopen(png, "rb");
        unsigned char magic[4] = { 0 };
        assert_non_null(p);
        assert_int_equal(fread(magic, 1, 4, p), 4);
        fclose(p);
        assert_memory_equal(magic, "\x89PNG", 4);
        remove(png);
    } else {
        assert_int_equal(ft_objgraph_render(dot, png), -1);
        assert_non_null(strstr(ft_err_message(), "install graphviz"));
        ft_err_clear();
    }
    remove(dot);
    ft_decref(l);
}

static void test_bad_input(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_objgraph_show_refs(NULL, 1, 2, stdout), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_objgraph_show_refs(&l, 1, 0, stdout), -1);
    ft_err_clear();
    assert_int_equal(ft_objgraph_show_backrefs(l, 1, NULL), -1);
    ft_err_clear();
    assert_null(ft_objgraph_find_backref_chain(l, NULL, NULL, 3));
    ft_err_clear();
    ft_decref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_show_refs_exact),
        T(test_show_refs_inline),
        T(test_too_many),
        T(test_show_backrefs_path),
        T(test_find_backref_chain),
        T(test_most_common_types),
        T(test_growth_exact),
        T(test_render),
        T(test_bad_input),
    };
    return ft_test_run(tests);
}
