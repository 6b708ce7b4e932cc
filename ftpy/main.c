/* main.c — the ftpy command line (a first cut: `ftpy-<flavor> script.py`). */
#include <stdio.h>
#include <stdlib.h>
#include "ftpy.h"

static char *read_all(FILE *f, size_t *size)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) { free(buf); return NULL; }
            buf = bigger;
        }
    }
    if (buf) buf[n] = '\0';
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s script.py [args]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "%s: can't open file '%s'\n", argv[0], argv[1]);
        return 2;
    }
    size_t size;
    char *src = read_all(f, &size);
    fclose(f);
    if (!src)
        return 2;
    py_config cfg = { .program_name = argv[0], .argc = argc - 1, .argv = argv + 1,
                      .gil = -1 };
    if (py_init(&cfg) != 0) {
        free(src);
        return 1;
    }
    int status = py_run_main(src, size, argv[1]);
    free(src);
    if (py_fini() != 0 && status == 0)
        status = 1;
    return status;
}
