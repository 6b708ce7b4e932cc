/* cli.h — the command line every ftlab benchmark driver and tool shares
 * (the programs of bench/ and tools/ftmem): option matching, bounded
 * numbers and lists, named choices, --help, and one shape for every usage
 * error.
 *
 * A program walks its arguments with one cursor:
 *
 *     ftcli c = ftcli_start(PROG, usage, argc, argv, 1);
 *     while (ftcli_next(&c)) {
 *         if (ftcli_flag(&c, "--quick"))
 *             quick = true;
 *         else if (ftcli_option(&c, "--repeats"))
 *             repeats = (int)ftcli_long(&c, 1, 100);
 *         else
 *             ftcli_unknown(&c);
 *     }
 *
 * Options take their value from the next argument (`--repeats 5`); no
 * driver has ever accepted `--repeats=5`, so neither does this. `--help`
 * and `-h` print the program's usage on stdout and exit 0 where they are
 * met; every mistake is a usage error:
 *
 *     <prog>: <what is wrong>
 *     (<prog> --help for the options)
 *
 * on stderr and exit status FTCLI_USAGE (2). The messages say which
 * option wanted what and what it got:
 *
 *     --repeats wants a whole number in 1..100, not 'x'
 *     --mode is total or per-thread, not 'both'
 *     --threads wants a list like 1,2,4, not '1,,2'
 *     --json needs a value
 *     unknown option '--fast'
 *
 * Nothing here allocates or touches ftlab: a program parses its command
 * line before it starts the runtime, and failing means exiting.
 */
#ifndef FTLAB_BENCH_CLI_H
#define FTLAB_BENCH_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* The exit status of a usage error, the same for every program. */
enum { FTCLI_USAGE = 2 };

/* The cursor over a program's arguments. */
typedef struct ftcli {
    const char *prog;           /* prefix of every message: "ftbench-gil"  */
    void (*usage)(FILE *f);     /* prints the options (--help)             */
    int argc;
    char **argv;
    int i;                      /* the argument in hand (after next())     */
    const char *arg;            /* argv[i]                                 */
    const char *value;          /* the value of the option just matched    */
} ftcli;

/* A cursor over argv[first..argc-1]; nothing is read yet. */
ftcli ftcli_start(const char *prog, void (*usage)(FILE *f), int argc,
                  char **argv, int first);

/* Takes the next argument into c->arg; false when there is none. On
 * --help or -h prints the usage on stdout and exits 0. */
bool ftcli_next(ftcli *c);

/* Whether `a` asks for help (--help or -h). */
bool ftcli_is_help(const char *a);

/* Whether the argument in hand is the flag `name`. */
bool ftcli_flag(const ftcli *c, const char *name);

/* Whether the argument in hand is the option `name`; if so its value (the
 * next argument, consumed) is in c->value, and a missing one is a usage
 * error. */
bool ftcli_option(ftcli *c, const char *name);

/* c->value as a whole number in lo..hi. An hi of INT_MAX or more means
 * "no bound but the type's", and the message says only "at least lo". */
long ftcli_long(const ftcli *c, long lo, long hi);

/* c->value as a comma-separated list of whole numbers in lo..hi, at most
 * max of them, into out; returns how many. Empty items are refused. */
int ftcli_list(const ftcli *c, long lo, long hi, int *out, int max);

/* c->value as the index of one of the n names. */
int ftcli_choice(const ftcli *c, const char *const *names, int n);

/* "unknown option '<arg in hand>'", a usage error. */
__attribute__((noreturn)) void ftcli_unknown(const ftcli *c);

/* A usage error of this program: the message, the --help hint, exit 2. */
__attribute__((format(printf, 2, 3), noreturn))
void ftcli_error(const ftcli *c, const char *fmt, ...);

#endif /* FTLAB_BENCH_CLI_H */
