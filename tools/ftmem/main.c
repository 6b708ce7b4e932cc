/* main.c — ftmem-<flavor>: run a workload under tracemalloc and report
 * where its memory went, for someone who never read the API.
 *
 *   ftmem-nogil list
 *   ftmem-nogil run leak --frames 4 --top 5 --dot leak.dot
 *
 * The report: the phase table (RSS and traced memory before and after
 * each phase), the top allocation sites still holding memory at the end,
 * traced current and peak, the most common types and their growth over
 * the run, and the object graph around the workload's focus object as
 * DOT (and PNG when Graphviz is installed). Exit status: 0, 1 when the
 * runtime failed, 2 for bad usage.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "demos.h"

#define PROG "ftmem-" FT_FLAVOR

typedef struct options {
    const char *demo;
    int frames;
    size_t top;
    const char *key;
    const char *dot;            /* NULL: ftmem-<demo>.dot                */
    bool graph;
} options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: %s [--help] COMMAND [ARGS]\n"
        "\n"
        "Runs a workload under tracemalloc and reports where its memory goes\n"
        "(ftlab flavor %s).\n"
        "\n"
        "commands:\n"
        "  list                 the workloads this program can run\n"
        "  run NAME [OPTIONS]   run one and print the report\n"
        "\n"
        "options of run:\n"
        "  --frames N   frames kept per traceback, 1..%d (default 1)\n"
        "  --top N      allocation sites and types to print (default 10)\n"
        "  --key K      group sites by lineno (default), filename or traceback\n"
        "  --dot FILE   where to write the object graph (default ftmem-NAME.dot);\n"
        "               a PNG next to it too when Graphviz's dot is installed\n"
        "  --no-graph   skip the object graph\n"
        "\n"
        "environment: FT_MALLOC picks the allocator (obmalloc, mimalloc, malloc,\n"
        "debug), as for every ftlab program.\n",
        PROG, FT_FLAVOR, FT_TRACE_MAX_FRAMES);
}

static const ftmem_demo *find_demo(const char *name)
{
    for (size_t i = 0; i < ftmem_ndemos; i++)
        if (strcmp(ftmem_demos[i].name, name) == 0)
            return &ftmem_demos[i];
    return NULL;
}

static int list_demos(void)
{
    for (size_t i = 0; i < ftmem_ndemos; i++)
        printf("%-8s %s\n", ftmem_demos[i].name, ftmem_demos[i].summary);
    return 0;
}

/* The options of `run` (argv after the command), or a usage error. */
static void parse_run(ftcli *c, options *o)
{
    static const char *const keys[] = { "lineno", "filename", "traceback" };
    *o = (options){ NULL, 1, 10, "lineno", NULL, true };
    while (ftcli_next(c)) {
        if (ftcli_flag(c, "--no-graph"))
            o->graph = false;
        else if (ftcli_option(c, "--frames"))
            o->frames = (int)ftcli_long(c, 1, FT_TRACE_MAX_FRAMES);
        else if (ftcli_option(c, "--top"))
            o->top = (size_t)ftcli_long(c, 1, 1000);
        else if (ftcli_option(c, "--key"))
            o->key = keys[ftcli_choice(c, keys, 3)];
        else if (ftcli_option(c, "--dot"))
            o->dot = c->value;
        else if (c->arg[0] == '-')
            ftcli_unknown(c);
        else if (!o->demo)
            o->demo = c->arg;
        else
            ftcli_error(c, "unexpected argument '%s'", c->arg);
    }
    if (!o->demo)
        ftcli_error(c, "run: which workload? (see '%s list')", PROG);
    if (!find_demo(o->demo))
        ftcli_error(c, "no workload named '%s' (see 'list')", o->demo);
}

/* ---- The report -------------------------------------------------------- */

static void heading(const char *title)
{
    printf("\n== %s ==\n", title);
}

static int print_sites(const options *o, ft_snapshot *start, ft_snapshot *end)
{
    char title[128];
    snprintf(title, sizeof title, "Top %zu allocation sites still holding memory "
             "(by %s)", o->top, o->key);
    heading(title);
    ft_trace_stats *st = ft_snapshot_statistics(end, o->key, false);
    if (!st)
        return -1;
    ft_trace_stats_print(stdout, st, o->top, false);
    ft_trace_stats_free(st);
    heading("Biggest changes over the run (compare_to the first snapshot)");
    st = ft_snapshot_compare_to(end, start, o->key, false);
    if (!st)
        return -1;
    ft_trace_stats_print(stdout, st, o->top < 5 ? o->top : 5, true);
    ft_trace_stats_free(st);
    return 0;
}

static void print_totals(void)
{
    size_t cur, peak;
    char c[32], p[32], m[32];
    ft_tracemalloc_get_traced_memory(&cur, &peak);
    ft_format_size(c, sizeof c, (double)cur, false);
    ft_format_size(p, sizeof p, (double)peak, false);
    ft_format_size(m, sizeof m, (double)ft_tracemalloc_get_tracemalloc_memory(), false);
    printf("\ntraced memory: current %s, peak %s (tracemalloc's own records: %s)\n",
           c, p, m);
}

static int write_graph(const options *o, ftmem_state *st)
{
    char dotname[512], png[520];
    if (!st->focus)
        return 0;
    snprintf(dotname, sizeof dotname, "%s", o->dot ? o->dot : "");
    if (!o->dot)
        snprintf(dotname, sizeof dotname, "ftmem-%s.dot", o->demo);
    FILE *f = fopen(dotname, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s\n", PROG, dotname);
        return -1;
    }
    int rc = st->backrefs ? ft_objgraph_show_backrefs(st->focus, st->depth, f)
                          : ft_objgraph_show_refs(&st->focus, 1, st->depth, f);
    fclose(f);
    if (rc < 0)
        return -1;
    heading("Object graph");
    printf("%s of a %s, %d levels: wrote %s\n",
           st->backrefs ? "what keeps alive one" : "the references",
           ft_type_name(st->focus), st->depth, dotname);
    const char *ext = strrchr(dotname, '.');
    size_t stem = ext ? (size_t)(ext - dotname) : strlen(dotname);
    snprintf(png, sizeof png, "%.*s.png", (int)stem, dotname);
    if (!ft_objgraph_have_dot()) {
        printf("(install graphviz to get a PNG: dot -Tpng %s -o %s)\n", dotname, png);
        return 0;
    }
    if (ft_objgraph_render(dotname, png) < 0)
        return -1;
    printf("rendered %s\n", png);
    return 0;
}

static int report(const options *o, ftmem_state *st, ft_snapshot *start)
{
    heading("Memory per phase (RSS from /proc/self/statm; traced = tracemalloc)");
    ft_phase_report_print(stdout);
    ft_snapshot *end = ft_tracemalloc_take_snapshot();
    if (!end || print_sites(o, start, end) < 0) {
        ft_snapshot_free(end);
        return -1;
    }
    ft_snapshot_free(end);
    print_totals();
    char title[128];
    snprintf(title, sizeof title, "Most common types (tracked objects, top %zu)", o->top);
    heading(title);
    if (ft_objgraph_print_most_common_types(stdout, o->top) < 0)
        return -1;
    if (!st->printed_growth) {
        heading("Growth over the run (objgraph.growth)");
        if (ft_objgraph_print_growth(stdout, o->top) < 0)
            return -1;
    }
    return o->graph ? write_graph(o, st) : 0;
}

/* ---- Running ----------------------------------------------------------- */

static int fail(const char *what)
{
    fprintf(stderr, "%s: %s: %s: %s\n", PROG, what, ft_err_kind_name(ft_err_kind()),
            ft_err_message());
    return 1;
}

static int run_demo(const options *o)
{
    const ftmem_demo *d = find_demo(o->demo);
    if (ft_init(NULL) < 0)
        return fail("ft_init");
    printf("%s: workload '%s' (flavor %s, allocator %s, %d frame%s per traceback)\n"
           "%s\n", PROG, d->name, ft_flavor(), ft_allocator_name(), o->frames,
           o->frames == 1 ? "" : "s", d->summary);
    ftmem_state st = { .out = stdout, .depth = 3 };
    int rc = 0;
    ft_decref(ft_objgraph_growth());   /* the baseline of "growth over the run" */
    if (ft_tracemalloc_start(o->frames) < 0)
        return fail("ft_tracemalloc_start");
    ft_snapshot *start = ft_tracemalloc_take_snapshot();
    printf("\n");
    if (!start || d->run(&st) < 0 || report(o, &st, start) < 0)
        rc = fail(d->name);
    ft_snapshot_free(start);
    ft_tracemalloc_stop();
    ftmem_release(&st);
    ft_fini_report leaks;
    if (ft_fini(&leaks) < 0)
        return fail("ft_fini");
    if (leaks.blocks || leaks.objects)
        fprintf(stderr, "%s: ft_fini: %lld objects, %lld blocks left\n", PROG,
                (long long)leaks.objects, (long long)leaks.blocks);
    return rc;
}

int main(int argc, char **argv)
{
    ftcli c = ftcli_start(PROG, usage, argc, argv, 2);
    if (argc < 2)
        ftcli_error(&c, "a command is needed: list, run NAME (or --help)");
    const char *cmd = argv[1];
    /* Help wins wherever it is asked for, before any other complaint. */
    for (int i = 1; i < argc; i++)
        if (ftcli_is_help(argv[i]) || strcmp(cmd, "help") == 0) {
            usage(stdout);
            return 0;
        }
    if (strcmp(cmd, "list") == 0) {
        if (argc > 2)
            ftcli_error(&c, "list takes no argument");
        return list_demos();
    }
    if (strcmp(cmd, "run") != 0)
        ftcli_error(&c, "unknown command '%s' (list, run, --help)", cmd);
    options o;
    parse_run(&c, &o);
    return run_demo(&o);
}
