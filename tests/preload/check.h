/* check.h — the preload test programs' check: stays on in Release builds
 * (NDEBUG would drop assert), names the program, prints and aborts. */
#ifndef FT_PRELOAD_CHECK_H
#define FT_PRELOAD_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define check_or_fail(cond, ...)                                             \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s: %s:%d: check failed: %s: ",                 \
                    program_invocation_short_name, __FILE__, __LINE__,       \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

#endif /* FT_PRELOAD_CHECK_H */
