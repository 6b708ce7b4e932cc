/* snapshot.c — snapshots of the traces, filters, statistics by site and
 * their comparison (tracemalloc.Snapshot; ftlab/tracemalloc.h).
 *
 * A snapshot is a copy: two arrays from the system allocator (through
 * tools/toolmem.h, for the tests' failure injection), the traces
 * and one pool of frames they point into. Statistics group by sorting:
 * one entry per trace (per frame of it, when cumulative), sorted by key,
 * equal keys merged, then sorted by size. A result owns its frames.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "toolmem.h"
#include "traces.h"

struct ft_snapshot {
    int limit;                  /* traceback limit when taken           */
    size_t n, cap;
    ft_trace *traces;
    size_t nframes, frames_cap;
    ft_frame *frames;           /* pool: traces[i].traceback.frames     */
};

static ft_snapshot *snapshot_new(int limit, size_t traces, size_t frames)
{
    ft_snapshot *s = _ft_tool_calloc(1, sizeof *s);
    if (s) {
        s->limit = limit;
        s->cap = traces;
        s->frames_cap = frames;
        s->traces = _ft_tool_malloc((traces ? traces : 1) * sizeof *s->traces);
        s->frames = _ft_tool_malloc((frames ? frames : 1) * sizeof *s->frames);
    }
    if (!s || !s->traces || !s->frames) {
        ft_snapshot_free(s);
        ft_err_set(FT_ERR_MEMORY, "tracemalloc: no memory for a snapshot");
        return NULL;
    }
    return s;
}

void ft_snapshot_free(ft_snapshot *s)
{
    if (!s)
        return;
    free(s->traces);
    free(s->frames);
    free(s);
}

/* Copies a trace in; false when the snapshot is full. */
static bool snapshot_add(ft_snapshot *s, size_t size, const ft_frame *f, int nf)
{
    if (s->n == s->cap || s->nframes + (size_t)nf > s->frames_cap)
        return false;
    ft_frame *dst = s->frames + s->nframes;
    memcpy(dst, f, (size_t)nf * sizeof *f);
    s->nframes += (size_t)nf;
    s->traces[s->n++] = (ft_trace){ size, { nf, dst } };
    return true;
}

size_t ft_snapshot_count(const ft_snapshot *s) { return s ? s->n : 0; }
int ft_snapshot_traceback_limit(const ft_snapshot *s) { return s ? s->limit : 0; }

const ft_trace *ft_snapshot_trace(const ft_snapshot *s, size_t i)
{
    return s && i < s->n ? &s->traces[i] : NULL;
}

/* ---- Taking one -------------------------------------------------------------- */

typedef struct count_ctx {
    size_t traces, frames;
} count_ctx;

static void count_node(const ft_trace_node *n, void *arg)
{
    count_ctx *c = arg;
    if (n->parked)
        return;
    c->traces++;
    c->frames += n->tb->nframes;
}

static void copy_node(const ft_trace_node *n, void *arg)
{
    /* Cannot overflow: with the world stopped nodes neither come nor go. */
    if (!n->parked)
        snapshot_add(arg, n->size, n->tb->frames, (int)n->tb->nframes);
}

ft_snapshot *ft_tracemalloc_take_snapshot(void)
{
    if (!ft_tracemalloc_is_tracing()) {
        ft_err_set(FT_ERR_RUNTIME, "the tracemalloc module must be tracing "
                   "memory allocations to take a snapshot");
        return NULL;
    }
    if (ft_stop_the_world() < 0)
        return NULL;
    count_ctx c = { 0, 0 };
    _ft_traces_for_each(count_node, &c);
    ft_snapshot *s = snapshot_new(ft_tracemalloc_get_traceback_limit(),
                                  c.traces, c.frames);
    if (s)
        _ft_traces_for_each(copy_node, s);
    ft_start_the_world();
    return s;
}

/* ---- Filters ----------------------------------------------------------------- */

static bool frame_matches(const ft_trace_filter *f, const ft_frame *fr)
{
    return fnmatch(f->filename_pattern, fr->filename, 0) == 0 &&
           (f->lineno == 0 || f->lineno == fr->lineno);
}

static bool filter_matches(const ft_trace_filter *f, const ft_trace *t)
{
    int n = f->all_frames ? t->traceback.nframes : 1;
    for (int i = 0; i < n; i++)
        if (frame_matches(f, &t->traceback.frames[i]))
            return true;
    return false;
}

static bool keep_trace(const ft_trace_filter *fs, size_t n, const ft_trace *t)
{
    bool any_include = false, included = false;
    for (size_t i = 0; i < n; i++) {
        bool m = filter_matches(&fs[i], t);
        if (!fs[i].inclusive && m)
            return false;
        any_include |= fs[i].inclusive;
        included |= fs[i].inclusive && m;
    }
    return !any_include || included;
}

ft_snapshot *ft_snapshot_filter_traces(const ft_snapshot *s,
                                       const ft_trace_filter *filters, size_t n)
{
    if (!s || (n && !filters)) {
        ft_err_set(FT_ERR_VALUE, "ft_snapshot_filter_traces: NULL argument");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!filters[i].filename_pattern) {
            ft_err_set(FT_ERR_VALUE, "ft_snapshot_filter_traces: filter %zu "
                       "has no filename pattern", i);
            return NULL;
        }
    ft_snapshot *out = snapshot_new(s->limit, s->n, s->nframes);
    for (size_t i = 0; out && i < s->n; i++)
        if (keep_trace(filters, n, &s->traces[i]))
            snapshot_add(out, s->traces[i].size, s->traces[i].traceback.frames,
                         s->traces[i].traceback.nframes);
    return out;
}

/* ---- Grouping ---------------------------------------------------------------- */

typedef enum key_kind { KEY_LINENO, KEY_FILENAME, KEY_TRACEBACK } key_kind;

static int parse_key(const char *key, bool cumulative, key_kind *out)
{
    if (key && strcmp(key, "lineno") == 0)
        *out = KEY_LINENO;
    else if (key && strcmp(key, "filename") == 0)
        *out = KEY_FILENAME;
    else if (key && strcmp(key, "traceback") == 0)
        *out = KEY_TRACEBACK;
    else
        return ft_err_set(FT_ERR_VALUE, "unknown key_type: '%s' (expected "
                          "\"lineno\", \"filename\" or \"traceback\")",
                          key ? key : "NULL");
    if (cumulative && *out == KEY_TRACEBACK)
        return ft_err_set(FT_ERR_VALUE, "cumulative mode cannot be used with "
                          "key type 'traceback'");
    return 0;
}

static int cmp_frame(const ft_frame *a, const ft_frame *b)
{
    int c = strcmp(a->filename, b->filename);
    return c ? c : (a->lineno > b->lineno) - (a->lineno < b->lineno);
}

static int cmp_traceback(const ft_traceback *a, const ft_traceback *b)
{
    int n = a->nframes < b->nframes ? a->nframes : b->nframes;
    for (int i = 0; i < n; i++) {
        int c = cmp_frame(&a->frames[i], &b->frames[i]);
        if (c)
            return c;
    }
    return (a->nframes > b->nframes) - (a->nframes < b->nframes);
}

static int cmp_key(const void *a, const void *b)
{
    return cmp_traceback(&((const ft_trace_stat *)a)->traceback,
                         &((const ft_trace_stat *)b)->traceback);
}

/* Entries per trace (one per distinct key frame when cumulative); key
 * frames for "filename" (lineno 0) come from keys, the rest point into
 * the snapshot. */
typedef struct grouping {
    ft_trace_stat *e;
    size_t n;
    ft_frame *keys;
} grouping;

static void group_free(grouping *g)
{
    free(g->e);
    free(g->keys);
}

static bool seen_before(const ft_frame *key, const ft_frame *keys, size_t from,
                        size_t to)
{
    for (size_t i = from; i < to; i++)
        if (cmp_frame(key, &keys[i]) == 0)
            return true;
    return false;
}

static void add_entries(grouping *g, const ft_trace *t, key_kind k, bool cum)
{
    if (k == KEY_TRACEBACK) {
        g->e[g->n++] = (ft_trace_stat){ t->traceback, t->size, 1, 0, 0 };
        return;
    }
    size_t first = g->n;
    int frames = cum ? t->traceback.nframes : 1;
    for (int i = 0; i < frames; i++) {
        ft_frame *key = &g->keys[g->n];
        *key = t->traceback.frames[i];
        if (k == KEY_FILENAME)
            key->lineno = 0;
        if (seen_before(key, g->keys, first, g->n))
            continue;
        g->e[g->n++] = (ft_trace_stat){ { 1, key }, t->size, 1, 0, 0 };
    }
}

/* Groups s's traces by key, sorted by key; -1 with MemoryError. */
static int group(const ft_snapshot *s, key_kind k, bool cum, grouping *g)
{
    size_t max = cum ? s->nframes : s->n;
    g->n = 0;
    g->e = _ft_tool_malloc((max ? max : 1) * sizeof *g->e);
    g->keys = _ft_tool_malloc((max ? max : 1) * sizeof *g->keys);
    if (!g->e || !g->keys) {
        group_free(g);
        return ft_err_set(FT_ERR_MEMORY, "tracemalloc: no memory for statistics");
    }
    for (size_t i = 0; i < s->n; i++)
        add_entries(g, &s->traces[i], k, cum);
    qsort(g->e, g->n, sizeof *g->e, cmp_key);
    size_t out = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (out && cmp_key(&g->e[out - 1], &g->e[i]) == 0) {
            g->e[out - 1].size += g->e[i].size;
            g->e[out - 1].count += g->e[i].count;
        } else {
            g->e[out++] = g->e[i];
        }
    }
    g->n = out;
    return 0;
}

/* ---- Results ----------------------------------------------------------------- */

static int cmp_desc_size(const void *pa, const void *pb)
{
    const ft_trace_stat *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size < b->size ? 1 : -1;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return cmp_traceback(&a->traceback, &b->traceback);
}

static size_t abs_diff(ssize_t d) { return d < 0 ? (size_t)-d : (size_t)d; }

static int cmp_desc_diff(const void *pa, const void *pb)
{
    const ft_trace_stat *a = pa, *b = pb;
    if (abs_diff(a->size_diff) != abs_diff(b->size_diff))
        return abs_diff(a->size_diff) < abs_diff(b->size_diff) ? 1 : -1;
    if (a->size != b->size)
        return a->size < b->size ? 1 : -1;
    if (abs_diff(a->count_diff) != abs_diff(b->count_diff))
        return abs_diff(a->count_diff) < abs_diff(b->count_diff) ? 1 : -1;
    return cmp_desc_size(pa, pb);
}

/* Sorts items and copies them, with their frames, into one result. */
static ft_trace_stats *make_result(ft_trace_stat *items, size_t n,
                                   int (*cmp)(const void *, const void *))
{
    qsort(items, n, sizeof *items, cmp);
    size_t frames = 0;
    for (size_t i = 0; i < n; i++)
        frames += (size_t)items[i].traceback.nframes;
    ft_trace_stats *st = _ft_tool_malloc(sizeof *st + n * sizeof *items +
                                         frames * sizeof(ft_frame));
    if (!st) {
        ft_err_set(FT_ERR_MEMORY, "tracemalloc: no memory for statistics");
        return NULL;
    }
    st->n = n;
    st->items = (ft_trace_stat *)(st + 1);
    ft_frame *pool = (ft_frame *)(st->items + n);
    for (size_t i = 0; i < n; i++) {
        int nf = items[i].traceback.nframes;
        memcpy(pool, items[i].traceback.frames, (size_t)nf * sizeof *pool);
        st->items[i] = items[i];
        st->items[i].traceback.frames = pool;
        pool += nf;
    }
    return st;
}

void ft_trace_stats_free(ft_trace_stats *st) { free(st); }

ft_trace_stats *ft_snapshot_statistics(const ft_snapshot *s, const char *key,
                                       bool cumulative)
{
    key_kind k;
    grouping g;
    if (!s) {
        ft_err_set(FT_ERR_VALUE, "ft_snapshot_statistics: NULL snapshot");
        return NULL;
    }
    if (parse_key(key, cumulative, &k) < 0 || group(s, k, cumulative, &g) < 0)
        return NULL;
    ft_trace_stats *st = make_result(g.e, g.n, cmp_desc_size);
    group_free(&g);
    return st;
}

/* Merge-joins two key-sorted groupings into diffs (new - old). */
static size_t join(const grouping *nw, const grouping *old, ft_trace_stat *out)
{
    size_t i = 0, j = 0, n = 0;
    while (i < nw->n || j < old->n) {
        int c = i == nw->n ? 1 : j == old->n ? -1 : cmp_key(&nw->e[i], &old->e[j]);
        ft_trace_stat d = c <= 0 ? nw->e[i] : old->e[j];
        size_t osize = c >= 0 ? old->e[j].size : 0, ocount = c >= 0 ? old->e[j].count : 0;
        if (c > 0)
            d.size = d.count = 0;
        d.size_diff = (ssize_t)d.size - (ssize_t)osize;
        d.count_diff = (ssize_t)d.count - (ssize_t)ocount;
        out[n++] = d;
        i += c <= 0;
        j += c >= 0;
    }
    return n;
}

ft_trace_stats *ft_snapshot_compare_to(const ft_snapshot *new_snap,
                                       const ft_snapshot *old_snap,
                                       const char *key, bool cumulative)
{
    key_kind k;
    grouping gn, go;
    if (!new_snap || !old_snap) {
        ft_err_set(FT_ERR_VALUE, "ft_snapshot_compare_to: NULL snapshot");
        return NULL;
    }
    if (parse_key(key, cumulative, &k) < 0 || group(new_snap, k, cumulative, &gn) < 0)
        return NULL;
    if (group(old_snap, k, cumulative, &go) < 0) {
        group_free(&gn);
        return NULL;
    }
    ft_trace_stats *st = NULL;
    ft_trace_stat *d = _ft_tool_malloc((gn.n + go.n + 1) * sizeof *d);
    if (d)
        st = make_result(d, join(&gn, &go, d), cmp_desc_diff);
    else
        ft_err_set(FT_ERR_MEMORY, "tracemalloc: no memory for statistics");
    free(d);
    group_free(&gn);
    group_free(&go);
    return st;
}

/* ---- Printing ---------------------------------------------------------------- */

void ft_format_size(char *buf, size_t len, double size, bool sign)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    for (int u = 0; u < 5; u++) {
        double a = size < 0 ? -size : size;
        if (a < 100 && u > 0) {
            snprintf(buf, len, sign ? "%+.1f %s" : "%.1f %s", size, units[u]);
            return;
        }
        if (a < 10 * 1024 || u == 4) {
            snprintf(buf, len, sign ? "%+.0f %s" : "%.0f %s", size, units[u]);
            return;
        }
        size /= 1024;
    }
}

static int format_frame(const ft_frame *f, char *buf, size_t len)
{
    return f->lineno ? snprintf(buf, len, "%s:%d", f->filename, f->lineno)
                     : snprintf(buf, len, "%s", f->filename);
}

int ft_trace_stat_format(const ft_trace_stat *st, bool diff, char *buf, size_t len)
{
    char where[512], size[32], sdiff[32], avg[32] = "";
    format_frame(&st->traceback.frames[0], where, sizeof where);
    ft_format_size(size, sizeof size, (double)st->size, false);
    ft_format_size(sdiff, sizeof sdiff, (double)st->size_diff, true);
    if (st->count)
        ft_format_size(avg, sizeof avg, (double)st->size / (double)st->count, false);
    if (diff)
        return snprintf(buf, len, "%s: size=%s (%s), count=%zu (%+zd)%s%s", where,
                        size, sdiff, st->count, st->count_diff,
                        st->count ? ", average=" : "", avg);
    return snprintf(buf, len, "%s: size=%s, count=%zu%s%s", where, size, st->count,
                    st->count ? ", average=" : "", avg);
}

void ft_trace_stats_print(FILE *f, const ft_trace_stats *st, size_t limit, bool diff)
{
    char line[1024], frame[512];
    size_t n = st ? st->n : 0;
    if (limit && limit < n)
        n = limit;
    for (size_t i = 0; i < n; i++) {
        ft_trace_stat_format(&st->items[i], diff, line, sizeof line);
        fprintf(f, "#%zu: %s\n", i + 1, line);
        for (int j = 1; j < st->items[i].traceback.nframes; j++) {
            format_frame(&st->items[i].traceback.frames[j], frame, sizeof frame);
            fprintf(f, "      called from %s\n", frame);
        }
    }
    if (st && st->n > n) {
        size_t rest = 0, count = 0;
        for (size_t i = n; i < st->n; i++) {
            rest += st->items[i].size;
            count += st->items[i].count;
        }
        ft_format_size(line, sizeof line, (double)rest, false);
        fprintf(f, "%zu other: size=%s, count=%zu\n", st->n - n, line, count);
    }
}
