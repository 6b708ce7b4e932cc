/* cli.c — see cli.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

ftcli ftcli_start(const char *prog, void (*usage)(FILE *f), int argc,
                  char **argv, int first)
{
    return (ftcli){ .prog = prog, .usage = usage, .argc = argc, .argv = argv,
                    .i = first - 1 };
}

void ftcli_error(const ftcli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(%s --help for the options)\n", c->prog);
    exit(FTCLI_USAGE);
}

void ftcli_unknown(const ftcli *c)
{
    ftcli_error(c, "unknown option '%s'", c->arg);
}

bool ftcli_is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

bool ftcli_next(ftcli *c)
{
    if (c->i + 1 >= c->argc)
        return false;
    c->arg = c->argv[++c->i];
    c->value = NULL;
    if (ftcli_is_help(c->arg)) {
        c->usage(stdout);
        exit(0);
    }
    return true;
}

bool ftcli_flag(const ftcli *c, const char *name)
{
    return strcmp(c->arg, name) == 0;
}

bool ftcli_option(ftcli *c, const char *name)
{
    if (strcmp(c->arg, name) != 0)
        return false;
    if (c->i + 1 >= c->argc)
        ftcli_error(c, "%s needs a value", name);
    c->value = c->argv[++c->i];
    return true;
}

/* s as a whole number in lo..hi, or a usage error naming the option. */
static long parse_long(const ftcli *c, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!errno && end != s && !*end && v >= lo && v <= hi)
        return v;
    if (hi >= INT_MAX)
        ftcli_error(c, "%s wants a whole number of at least %ld, not '%s'", c->arg,
                    lo, s);
    ftcli_error(c, "%s wants a whole number in %ld..%ld, not '%s'", c->arg, lo,
                hi, s);
}

long ftcli_long(const ftcli *c, long lo, long hi)
{
    return parse_long(c, c->value, lo, hi);
}

int ftcli_list(const ftcli *c, long lo, long hi, int *out, int max)
{
    const char *list = c->value;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    int n = 0;
    for (char *save, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == max)
            ftcli_error(c, "%s takes at most %d values", c->arg, max);
        out[n++] = (int)parse_long(c, tok, lo, hi);
    }
    /* strtok_r skips empty items: refuse them here, so that "1,,2" is a
     * typo reported, not a list of two. */
    if (n == 0 || list[0] == ',' || list[strlen(list) - 1] == ',' ||
        strstr(list, ",,"))
        ftcli_error(c, "%s wants a list like 1,2,4, not '%s'", c->arg, list);
    return n;
}

int ftcli_choice(const ftcli *c, const char *const *names, int n)
{
    for (int k = 0; k < n; k++)
        if (strcmp(c->value, names[k]) == 0)
            return k;
    /* "--mode is total or per-thread, not 'both'" */
    char alts[256];
    size_t used = 0;
    for (int k = 0; k < n && used < sizeof alts; k++)
        used += (size_t)snprintf(alts + used, sizeof alts - used, "%s%s",
                                 k == 0 ? "" : k == n - 1 ? " or " : ", ", names[k]);
    ftcli_error(c, "%s is %s, not '%s'", c->arg, alts, c->value);
}
