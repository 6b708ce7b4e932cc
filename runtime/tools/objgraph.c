/* objgraph.c — object graphs as Graphviz DOT, breadth-first from a set
 * of objects along references (show_refs) or referrers (show_backrefs,
 * find_backref_chain); rendering with Graphviz (ftlab/objgraph.h).
 *
 * A graph is two arrays from the system allocator: nodes (each holding
 * a strong reference to its object, so nothing dies mid-walk) and
 * edges; a pointer map finds a node by object. Node ids are the order in
 * which the walk met the objects, so the output is deterministic for a
 * given heap.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "ptrmap.h"
#include "refs.h"

extern char **environ;

typedef struct gnode {
    ft_object *o;               /* strong reference                     */
    int depth;
    bool start;                 /* one of the objects the walk began at */
    size_t more;                /* references left out (TOO_MANY)       */
} gnode;

typedef struct gedge {
    size_t from, to;
    char label[64];
} gedge;

typedef struct graph {
    gnode *nodes;
    size_t n, cap;
    gedge *edges;
    size_t ne, ecap;
    ft_ptrmap index;            /* object -> node                       */
    bool truncated;             /* FT_OBJGRAPH_MAX_NODES reached        */
    bool oom;
} graph;

static void graph_free(graph *g)
{
    for (size_t i = 0; i < g->n; i++)
        ft_decref(g->nodes[i].o);
    free(g->nodes);
    free(g->edges);
    _ft_ptrmap_free(&g->index);
}

static bool grow(void **arr, size_t *cap, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 32;
    void *p = _ft_tool_realloc(*arr, ncap * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

/* The node of o, made at `depth` if new; SIZE_MAX when the graph is full
 * or out of memory. */
static size_t node_for(graph *g, ft_object *o, int depth)
{
    size_t i;
    if (_ft_ptrmap_get(&g->index, o, &i))
        return i;
    if (g->n >= FT_OBJGRAPH_MAX_NODES) {
        g->truncated = true;
        return SIZE_MAX;
    }
    if ((g->n == g->cap && !grow((void **)&g->nodes, &g->cap, sizeof(gnode))) ||
        !_ft_ptrmap_put(&g->index, o, g->n)) {
        g->oom = true;
        return SIZE_MAX;
    }
    g->nodes[g->n] = (gnode){ ft_newref(o), depth, false, 0 };
    return g->n++;
}

static void add_edge(graph *g, size_t from, size_t to, const char *label)
{
    if (g->ne == g->ecap && !grow((void **)&g->edges, &g->ecap, sizeof(gedge))) {
        g->oom = true;
        return;
    }
    gedge *e = &g->edges[g->ne++];
    e->from = from;
    e->to = to;
    snprintf(e->label, sizeof e->label, "%s", label);
}

static bool expandable(const graph *g, size_t i, int max_depth)
{
    const gnode *nd = &g->nodes[i];
    return nd->depth < max_depth && (nd->start || !_ft_refs_is_root(nd->o));
}

/* ---- Forward: what objects refer to ----------------------------------- */

typedef struct fwd_ctx {
    graph *g;
    size_t from, seen;
} fwd_ctx;

static int add_ref(ft_object *target, const char *label, void *arg)
{
    fwd_ctx *c = arg;
    if (c->seen++ >= FT_OBJGRAPH_TOO_MANY) {
        c->g->nodes[c->from].more++;
        return 0;
    }
    size_t to = node_for(c->g, target, c->g->nodes[c->from].depth + 1);
    if (to != SIZE_MAX)
        add_edge(c->g, c->from, to, label);
    return 0;
}

static int walk_refs(graph *g, int max_depth)
{
    for (size_t i = 0; i < g->n && !g->oom; i++) {
        if (!expandable(g, i, max_depth))
            continue;
        fwd_ctx c = { g, i, 0 };
        if (_ft_refs_visit(g->nodes[i].o, add_ref, &c) < 0)
            return -1;
    }
    return 0;
}

/* ---- Backward: who refers to an object ---------------------------------- */

/* The referrers of o as a C array of new references (the list that
 * ft_gc_get_referrers makes is gone before the next lookup, so it never
 * shows as a referrer itself). NULL with *n = 0 when there are none. */
static ft_object **referrers_of(ft_object *o, size_t *n, bool *failed)
{
    ft_object *list = ft_gc_get_referrers(o);
    *n = 0;
    if (!list) {
        *failed = true;
        return NULL;
    }
    ssize_t len = ft_len(list);
    ft_object **out = len > 0 ? _ft_tool_malloc((size_t)len * sizeof *out) : NULL;
    for (ssize_t i = 0; out && i < len; i++)
        if ((out[*n] = ft_list_get(list, i)) != NULL)
            (*n)++;
    ft_decref(list);
    if (len > 0 && !out)
        *failed = true;
    return out;
}

static void release_all(ft_object **objs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ft_decref(objs[i]);
    free(objs);
}

static void expand_back(graph *g, size_t i, ft_objgraph_pred filter, void *arg)
{
    size_t n, kept = 0;
    bool failed = false;
    ft_object **refs = referrers_of(g->nodes[i].o, &n, &failed);
    g->oom |= failed;
    for (size_t k = 0; k < n; k++) {
        if (filter && !filter(refs[k], arg))
            continue;
        if (kept++ >= FT_OBJGRAPH_TOO_MANY) {
            g->nodes[i].more++;
            continue;
        }
        size_t from = node_for(g, refs[k], g->nodes[i].depth + 1);
        char label[64];
        if (from == SIZE_MAX)
            continue;
        _ft_refs_label_of(refs[k], g->nodes[i].o, label, sizeof label);
        add_edge(g, from, i, label);
    }
    release_all(refs, n);
}

/* ---- DOT ------------------------------------------------------------------ */

/* Writes s as the inside of a DOT string. */
static void dot_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fputc('?', f);
        else
            fputc(c, f);
    }
}

static const char *node_color(const graph *g, size_t i)
{
    if (g->nodes[i].start)
        return "#ffd27f";
    if (_ft_refs_is_root(g->nodes[i].o))
        return "#b4e7b4";
    static const char *const shades[] = { "#ffffff", "#e8eefc", "#d8e2fa",
                                          "#c8d6f7", "#b8caf5" };
    int d = g->nodes[i].depth;
    return shades[d < 5 ? d : 4];
}

static void write_node(FILE *f, const graph *g, size_t i)
{
    char repr[64];
    ft_object *o = g->nodes[i].o;
    _ft_refs_repr(o, repr, sizeof repr);
    fprintf(f, "  n%zu [label=\"", i);
    dot_escaped(f, ft_type_name(o));
    fprintf(f, "\\n");
    dot_escaped(f, repr);
    fprintf(f, "\", fillcolor=\"%s\"];\n", node_color(g, i));
    if (g->nodes[i].more)
        fprintf(f, "  n%zu_more [label=\"... %zu more\", shape=plaintext, "
                   "style=\"\"];\n", i, g->nodes[i].more);
}

static void write_edge(FILE *f, const gedge *e)
{
    fprintf(f, "  n%zu -> n%zu", e->from, e->to);
    if (e->label[0]) {
        fprintf(f, " [label=\"");
        dot_escaped(f, e->label);
        fprintf(f, "\"]");
    }
    fprintf(f, ";\n");
}

static int write_dot(FILE *f, const graph *g, bool backward)
{
    fprintf(f, "digraph ObjectGraph {\n"
               "  node [shape=box, style=filled, fontname=\"Helvetica\", fontsize=10];\n"
               "  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (size_t i = 0; i < g->n; i++)
        write_node(f, g, i);
    for (size_t i = 0; i < g->ne; i++)
        write_edge(f, &g->edges[i]);
    for (size_t i = 0; i < g->n; i++)   /* referrers point at what they hold */
        if (g->nodes[i].more)
            fprintf(f, backward ? "  n%zu_more -> n%zu;\n" : "  n%zu -> n%zu_more;\n",
                    i, i);
    if (g->truncated)
        fprintf(f, "  truncated [label=\"graph cut at %d objects\", shape=plaintext, "
                   "style=\"\"];\n", FT_OBJGRAPH_MAX_NODES);
    fprintf(f, "}\n");
    if (fflush(f) != 0 || ferror(f))
        return ft_err_set(FT_ERR_RUNTIME, "objgraph: writing the DOT output "
                          "failed: %s", strerror(errno));
    return 0;
}

static int finish(graph *g, FILE *dot, bool backward)
{
    int rc = g->oom ? ft_err_set(FT_ERR_MEMORY, "objgraph: out of memory")
                    : write_dot(dot, g, backward);
    graph_free(g);
    return rc;
}

static int check_args(const void *objs, int max_depth, FILE *dot, const char *fn)
{
    if (!objs || !dot)
        return ft_err_set(FT_ERR_VALUE, "%s: NULL argument", fn);
    if (max_depth < 1)
        return ft_err_set(FT_ERR_VALUE, "%s: max_depth must be >= 1, not %d",
                          fn, max_depth);
    return 0;
}

int ft_objgraph_show_refs(ft_object *const *objs, size_t n, int max_depth, FILE *dot)
{
    if (check_args(objs, max_depth, dot, "ft_objgraph_show_refs") < 0)
        return -1;
    graph g = { 0 };
    for (size_t i = 0; i < n; i++) {
        size_t k = objs[i] ? node_for(&g, objs[i], 0) : SIZE_MAX;
        if (k != SIZE_MAX)
            g.nodes[k].start = true;
    }
    if (walk_refs(&g, max_depth) < 0) {
        graph_free(&g);
        return -1;
    }
    return finish(&g, dot, false);
}

int ft_objgraph_show_backrefs_filtered(ft_object *obj, int max_depth,
                                       ft_objgraph_pred filter, void *arg,
                                       FILE *dot)
{
    if (check_args(obj, max_depth, dot, "ft_objgraph_show_backrefs") < 0)
        return -1;
    graph g = { 0 };
    if (node_for(&g, obj, 0) == 0)
        g.nodes[0].start = true;
    for (size_t i = 0; i < g.n && !g.oom; i++)
        if (expandable(&g, i, max_depth))
            expand_back(&g, i, filter, arg);
    return finish(&g, dot, true);
}

int ft_objgraph_show_backrefs(ft_object *obj, int max_depth, FILE *dot)
{
    return ft_objgraph_show_backrefs_filtered(obj, max_depth, NULL, NULL, dot);
}

/* ---- The chain that keeps an object alive --------------------------------- */

typedef struct chain_walk {
    graph g;
    size_t *parent;             /* per node: the node it refers to      */
    size_t pcap;
} chain_walk;

/* Adds o's referrers as children of node i; the index of one for which
 * pred holds, or SIZE_MAX. */
static size_t chain_expand(chain_walk *w, size_t i, ft_objgraph_pred pred, void *arg)
{
    size_t n, found = SIZE_MAX;
    bool failed = false;
    ft_object **refs = referrers_of(w->g.nodes[i].o, &n, &failed);
    w->g.oom |= failed;
    for (size_t k = 0; k < n && found == SIZE_MAX; k++) {
        size_t before = w->g.n, j = node_for(&w->g, refs[k], w->g.nodes[i].depth + 1);
        if (j == SIZE_MAX || j < before)
            continue;   /* seen already: a shorter chain reaches it */
        if (j >= w->pcap && !grow((void **)&w->parent, &w->pcap, sizeof(size_t))) {
            w->g.oom = true;
            break;
        }
        w->parent[j] = i;
        if (pred(refs[k], arg))
            found = j;
    }
    release_all(refs, n);
    return found;
}

static ft_object *chain_list(chain_walk *w, size_t found)
{
    ft_object *list = ft_list_new(0);
    for (size_t j = found; list; j = w->parent[j]) {
        if (ft_list_append(list, w->g.nodes[j].o) < 0) {
            ft_decref(list);
            return NULL;
        }
        if (j == 0)
            break;
    }
    return list;
}

ft_object *ft_objgraph_find_backref_chain(ft_object *obj, ft_objgraph_pred pred,
                                          void *arg, int max_depth)
{
    if (!obj || !pred) {
        ft_err_set(FT_ERR_VALUE, "ft_objgraph_find_backref_chain: NULL argument");
        return NULL;
    }
    chain_walk w = { { 0 }, NULL, 0 };
    size_t found = SIZE_MAX;
    if (node_for(&w.g, obj, 0) == 0)
        w.g.nodes[0].start = true;
    if (pred(obj, arg))
        found = 0;
    for (size_t i = 0; i < w.g.n && found == SIZE_MAX && !w.g.oom; i++)
        if (expandable(&w.g, i, max_depth))
            found = chain_expand(&w, i, pred, arg);
    ft_object *chain = w.g.oom ? NULL : chain_list(&w, found == SIZE_MAX ? 0 : found);
    if (w.g.oom)
        ft_err_set(FT_ERR_MEMORY, "objgraph: out of memory");
    graph_free(&w.g);
    free(w.parent);
    return chain;
}

/* ---- Rendering --------------------------------------------------------------- */

static const char *format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const char *const known[] = { "png", "svg", "pdf" };
    for (size_t i = 0; dot && i < sizeof known / sizeof *known; i++)
        if (strcmp(dot + 1, known[i]) == 0)
            return known[i];
    return NULL;
}

/* Runs argv, detached while waiting (quiet: output to /dev/null); its
 * exit status, or -1 with errno. */
static int run(char *const argv[], bool quiet)
{
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ), status = 0;
    posix_spawn_file_actions_destroy(&fa);
    if (err) {
        errno = err;
        return -1;
    }
    FT_BEGIN_ALLOW_THREADS
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    FT_END_ALLOW_THREADS
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ft_objgraph_have_dot(void)
{
    char *argv[] = { "dot", "-V", NULL };
    return run(argv, true) == 0;
}

int ft_objgraph_render(const char *dot_path, const char *out_path)
{
    if (!dot_path || !out_path)
        return ft_err_set(FT_ERR_VALUE, "ft_objgraph_render: NULL path");
    const char *fmt = format_of(out_path);
    if (!fmt)
        return ft_err_set(FT_ERR_VALUE, "ft_objgraph_render: '%s': expected a "
                          ".png, .svg or .pdf file name", out_path);
    char tflag[16];
    snprintf(tflag, sizeof tflag, "-T%s", fmt);
    char *argv[] = { "dot", tflag, "-o", (char *)out_path, (char *)dot_path, NULL };
    int rc = run(argv, false);
    if (rc < 0 && errno == ENOENT)
        return ft_err_set(FT_ERR_RUNTIME, "Graphviz's 'dot' program is not "
                          "installed: install graphviz (scripts/deps.sh does) "
                          "to render %s", out_path);
    if (rc != 0)
        return ft_err_set(FT_ERR_RUNTIME, "dot %s -o %s %s failed (%s %d)", tflag,
                          out_path, dot_path, rc < 0 ? "error" : "status",
                          rc < 0 ? errno : rc);
    return 0;
}
