/* bench_env.c — see bench_env.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "bench_env.h"

const long ftbench_convoy_intervals_us[FTBENCH_CONVOY_INTERVALS] = { 5000, 1000, 100 };

void ftbench_read_commit(char *out, size_t len)
{
    snprintf(out, len, "unknown");
    FILE *p = popen("git -C '" FTBENCH_SOURCE_DIR "' describe --always --dirty "
                    "--abbrev=12 2>/dev/null", "r");
    if (!p)
        return;
    if (fgets(out, (int)len, p))
        out[strcspn(out, "\n")] = '\0';
    if (pclose(p) != 0 || !out[0])
        snprintf(out, len, "unknown");
}

static void read_cpu_model(char *out, size_t len)
{
    snprintf(out, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(out, len, "%s", colon + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    fclose(f);
}

void ftbench_read_env(ftbench_env *e)
{
    read_cpu_model(e->cpu, sizeof e->cpu);
    ftbench_read_commit(e->commit, sizeof e->commit);
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(e->kernel, sizeof e->kernel, "%s %s %s", u.sysname, u.release,
                 u.machine);
    else
        snprintf(e->kernel, sizeof e->kernel, "unknown");
    e->cores = sysconf(_SC_NPROCESSORS_ONLN);
    time_t t = time(NULL);
    strftime(e->date, sizeof e->date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

void ftbench_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

void ftbench_vfail(const char *prog, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    exit(1);
}

void ftbench_fail(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ftbench_vfail(prog, fmt, ap);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ftbench_median(const double *v, int n)
{
    if (n <= 0)
        return NAN;   /* no sample (e.g. a convoy run with no positive rate) */
    double *s = malloc(sizeof *s * (size_t)n);
    if (!s) {
        fprintf(stderr, "ftbench_median: out of memory\n");
        exit(1);
    }
    memcpy(s, v, sizeof *s * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}
