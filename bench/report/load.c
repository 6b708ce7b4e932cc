/* load.c — reading ftbench-compare's inputs into cmp_runs (model.h):
 * ftbench-<flavor>'s JSON (schema ftbench/1, see bench/ftbench.h; with
 * Python workloads its env names the interpreter, which decides the
 * label), ftbench-micro-<flavor>'s Google Benchmark JSON, whose context
 * names the flavor, and the side tables of ftbench-alloc-<flavor>'s JSON
 * and of ftbench-gc's summary (scripts/bench.sh writes it as JSON). Files
 * of one label merge; anything malformed is fatal, naming the file and
 * the missing field.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

static const char *get_str(json_t *o, const char *k, const char *path)
{
    const char *s = json_string_value(json_object_get(o, k));
    if (!s)
        cmp_fail("%s: missing string \"%s\"", path, k);
    return s;
}

static double get_num(json_t *o, const char *k, const char *path)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        cmp_fail("%s: missing number \"%s\"", path, k);
    return json_number_value(v);
}

static void load_meas(cmp_meas *m, json_t *r, const char *path)
{
    m->workload = get_str(r, "workload", path);
    m->kind = get_str(r, "kind", path);
    m->mode = get_str(r, "mode", path);
    m->unit = get_str(r, "unit", path);
    m->threads = (int)get_num(r, "threads", path);
    m->interval_us = (long)get_num(r, "switch_interval_us", path);
    m->work = get_num(r, "work", path);
    m->metrics = json_object_get(r, "metrics");
    json_t *s = json_object_get(r, "samples_ns"), *v;
    size_t i;
    if (!json_is_array(s) || json_array_size(s) == 0)
        cmp_fail("%s: %s has no samples_ns", path, m->workload);
    json_array_foreach(s, i, v) {
        if (i < CMP_MAX_SAMPLES && json_number_value(v) > 0)
            m->tput[m->n++] = m->work / (json_number_value(v) / 1e9);
    }
}

/* The label of a flavor and allocator: an existing one (files of one
 * flavor and allocator merge, e.g. one file per workload) or a new one,
 * whose environment the caller fills. */
static cmp_label *label_for(cmp_runs *runs, const char *flavor, const char *allocator,
                            bool *is_new)
{
    char name[64];
    bool ob = strcmp(allocator, "obmalloc") == 0;
    snprintf(name, sizeof name, "%s%s%s", flavor, ob ? "" : "/", ob ? "" : allocator);
    *is_new = false;
    for (int i = 0; i < runs->n; i++)
        if (strcmp(runs->labels[i].label, name) == 0)
            return &runs->labels[i];
    if (runs->n == CMP_MAX_LABELS)
        cmp_fail("at most %d flavor/allocator combinations", CMP_MAX_LABELS);
    cmp_label *l = &runs->labels[runs->n++];
    snprintf(l->label, sizeof l->label, "%s", name);
    l->flavor = flavor;
    l->allocator = allocator;
    l->commit = l->date = l->cpu = "?";
    l->gil = strcmp(flavor, "gil") == 0;
    *is_new = true;
    return l;
}

/* The label of an ftbench/1 file: its flavor's, unless its Python
 * workloads ran under another interpreter than an ftpy (env.interpreter,
 * "kind": "cpython"...), which is then the label, with the allocator of
 * that interpreter unknown to ftbench ("obmalloc" keeps the name bare). */
static cmp_label *ftbench_label(cmp_runs *runs, json_t *env, const char *path)
{
    json_t *it = json_object_get(env, "interpreter");
    const char *flavor = get_str(env, "flavor", path);
    const char *allocator = get_str(env, "allocator", path);
    const char *kind = it ? get_str(it, "kind", path) : NULL;
    bool foreign = kind && strncmp(kind, "ftpy-", 5) != 0;
    if (kind && !foreign)
        flavor = kind + 5;
    bool is_new;
    cmp_label *l = label_for(runs, foreign ? kind : flavor,
                             foreign ? "obmalloc" : allocator, &is_new);
    if (is_new || strcmp(l->commit, "?") == 0) {
        l->commit = get_str(env, "commit", path);
        l->date = get_str(env, "date", path);
        l->cpu = get_str(env, "cpu_model", path);
        l->cores = (long)get_num(env, "cores", path);
        l->gil = json_is_true(json_object_get(env, "gil"));
    }
    if (it) {
        l->interp = get_str(it, "version", path);
        /* CPython says "free-threading build" in sys.version when it has
         * no GIL (3.13t and later); every other CPython has one. */
        if (foreign)
            l->gil = !strstr(l->interp, "free-threading");
    }
    return l;
}

static void load_ftbench(cmp_runs *runs, json_t *root, const char *path)
{
    cmp_label *l = ftbench_label(runs, json_object_get(root, "env"), path);
    l->nsources++;
    json_t *rs = json_object_get(root, "results"), *r;
    size_t i;
    l->m = realloc(l->m, (size_t)(l->nm + (int)json_array_size(rs) + 1) * sizeof *l->m);
    if (!l->m)
        cmp_fail("out of memory");
    json_array_foreach(rs, i, r) {
        l->m[l->nm] = (cmp_meas){ 0 };
        load_meas(&l->m[l->nm], r, path);
        l->native |= strcmp(l->m[l->nm].kind, "py") != 0;
        l->nm++;
    }
}

/* Google Benchmark reports real_time in its time_unit; in ns. */
static double to_ns(double t, const char *unit)
{
    return t * (strcmp(unit, "us") == 0 ? 1e3 : strcmp(unit, "ms") == 0 ? 1e6 : 1);
}

/* The microbenchmark `name` of l, made if l has room; NULL if not. */
static cmp_micro *micro_for(cmp_label *l, const char *name)
{
    for (int k = 0; k < l->nmicro; k++)
        if (strcmp(l->micro[k].name, name) == 0)
            return &l->micro[k];
    if (l->nmicro == CMP_MAX_MICRO)
        return NULL;
    cmp_micro *mi = &l->micro[l->nmicro++];
    mi->name = name;
    return mi;
}

/* Google Benchmark's JSON from ftbench-micro-<flavor>: every iteration
 * entry is one sample of its benchmark, real_time per FTM_BATCH
 * operations (context "ftlab_batch"). */
static void load_micro(cmp_runs *runs, json_t *root, const char *path)
{
    json_t *ctx = json_object_get(root, "context");
    bool is_new;
    cmp_label *l = label_for(runs, get_str(ctx, "ftlab_flavor", path),
                             get_str(ctx, "ftlab_allocator", path), &is_new);
    if (is_new) {
        l->commit = get_str(ctx, "ftlab_commit", path);
        l->date = get_str(ctx, "date", path);
    }
    l->nsources++;
    l->native = true;
    double batch = atof(get_str(ctx, "ftlab_batch", path));
    json_t *bs = json_object_get(root, "benchmarks"), *b;
    size_t i;
    json_array_foreach(bs, i, b) {
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (type && strcmp(type, "iteration") != 0)
            continue;
        const char *name = get_str(b, "name", path);
        const char *unit = get_str(b, "time_unit", path);
        double ns = to_ns(get_num(b, "real_time", path) / batch, unit);
        cmp_micro *mi = micro_for(l, name);
        if (mi && mi->n < CMP_MAX_SAMPLES)
            mi->ns[mi->n++] = ns;
    }
}

cmp_extra cmp_extras;

/* ftbench-alloc-<flavor>'s JSON: the median of every scenario, pattern
 * and backend. */
static void load_alloc(json_t *root, const char *path)
{
    const char *flavor = get_str(json_object_get(root, "environment"), "flavor", path);
    json_t *rs = json_object_get(root, "results"), *r;
    size_t i;
    json_array_foreach(rs, i, r) {
        if (cmp_extras.nalloc == CMP_MAX_ALLOC)
            cmp_fail("%s: more than %d ftbench-alloc rows in all", path, CMP_MAX_ALLOC);
        cmp_extras.alloc[cmp_extras.nalloc++] = (cmp_alloc_row){
            .flavor = flavor,
            .scenario = get_str(r, "scenario", path),
            .pattern = get_str(r, "pattern", path),
            .backend = get_str(r, "allocator", path),
            .median_ns = get_num(r, "median", path),
        };
    }
}

/* ftbench-gc's summary as JSON (scripts/bench.sh): {"benchmark":
 * "ftbench-gc", "flavor", "summary": {key: number or string}}. */
static void load_gc(json_t *root, const char *path)
{
    if (cmp_extras.ngc == CMP_MAX_GC_FILES)
        cmp_fail("%s: more than %d ftbench-gc files", path, CMP_MAX_GC_FILES);
    json_t *sum = json_object_get(root, "summary");
    if (!json_is_object(sum))
        cmp_fail("%s: missing object \"summary\"", path);
    cmp_extras.gc_flavor[cmp_extras.ngc] = get_str(root, "flavor", path);
    cmp_extras.gc_results[cmp_extras.ngc++] = sum;
}

void cmp_load_file(cmp_runs *runs, const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        cmp_fail("%s:%d: %s", path, err.line, err.text);
    if (runs->ndocs == CMP_MAX_DOCS)
        cmp_fail("too many files");
    runs->docs[runs->ndocs++] = root;
    const char *schema = json_string_value(json_object_get(root, "schema"));
    const char *bench = json_string_value(json_object_get(root, "benchmark"));
    if (schema && strcmp(schema, "ftbench/1") == 0)
        load_ftbench(runs, root, path);
    else if (json_is_array(json_object_get(root, "benchmarks")))
        load_micro(runs, root, path);
    else if (bench && strncmp(bench, "ftbench-alloc", 13) == 0)
        load_alloc(root, path);
    else if (bench && strcmp(bench, "ftbench-gc") == 0)
        load_gc(root, path);
    else
        cmp_fail("%s: neither ftbench/1, ftbench-micro (Google Benchmark), "
                 "ftbench-alloc nor ftbench-gc JSON", path);
}

void cmp_runs_free(cmp_runs *runs)
{
    for (int l = 0; l < runs->n; l++)
        free(runs->labels[l].m);
    for (int i = 0; i < runs->ndocs; i++)
        json_decref(runs->docs[i]);
}

const cmp_meas *cmp_find(const cmp_label *l, const char *workload, int threads,
                         long interval_us)
{
    for (int i = 0; i < l->nm; i++) {
        const cmp_meas *m = &l->m[i];
        if (strcmp(m->workload, workload) == 0 && m->threads == threads &&
            (!interval_us || m->interval_us == interval_us))
            return m;
    }
    return NULL;
}

const cmp_micro *cmp_find_micro(const cmp_label *l, const char *name)
{
    for (int i = 0; i < l->nmicro; i++)
        if (strcmp(l->micro[i].name, name) == 0)
            return &l->micro[i];
    return NULL;
}

double cmp_metric(const cmp_meas *m, const char *k)
{
    json_t *v = m ? json_object_get(m->metrics, k) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}
