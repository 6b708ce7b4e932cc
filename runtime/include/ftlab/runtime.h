/* ftlab/runtime.h — starting and stopping the runtime.
 *
 * One process runs at most one ftlab runtime at a time. `ft_init` makes the
 * calling thread the main thread (registered and attached); `ft_fini` must
 * be called by that thread after every other thread has been joined or has
 * unregistered. The pair may be repeated (each unit test does).
 *
 * Configuration comes from three places, strongest first: a field set in
 * the `ft_config` passed to ft_init, the environment variable of the same
 * meaning, the built-in default. A value that cannot be used is an error
 * (ValueError), never silently replaced by the default.
 *
 *   field               environment              default
 *   switch_interval_us  FT_SWITCH_INTERVAL_US    5000 (5 ms), 1..10,000,000
 *   gil                 FT_GIL                   gil: 1 (0 is refused)
 *                                                nogil: 0 (1 re-enables it)
 *   malloc              FT_MALLOC                "obmalloc" (see ftlab/mem.h)
 *   gc_threshold        FT_GC_THRESHOLD          "2000,10,10" (ftlab/gc.h):
 *                                                1 to 3 whole numbers >= 0,
 *                                                the rest keep the default
 *   gc_defer            FT_GC_DEFER              1: nogil's collector defers a
 *                                                young collection while memory
 *                                                has not grown (CPython 3.14t's
 *                                                trigger); 0: CPython 3.11's
 *                                                rule. gil: accepted, nothing
 *                                                to switch (3.11's rule always)
 *
 * Flavor check. The object header and the meaning of every inline in the
 * public headers differ between flavors, so a program compiled against the
 * `gil` headers must not run on the `nogil` library. `ft_init` is a macro
 * that passes the ABI tag of the headers the caller was compiled with; the
 * library compares it with its own and refuses a mismatch with a message
 * that names both flavors.
 */
#ifndef FTLAB_RUNTIME_H
#define FTLAB_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ftlab/config.h>

typedef struct ft_config {
    long switch_interval_us; /* 0: environment or default                 */
    int  gil;                /* -1: environment or the flavor's default   */
    const char *malloc;      /* NULL: environment or "obmalloc"           */
    const char *gc_threshold;/* NULL: environment or "2000,10,10"         */
    int  gc_defer;           /* -1: environment or 1; 0 or 1              */
} ft_config;

/* Every field "unset": the environment and the defaults decide. */
#define FT_CONFIG_INIT { .switch_interval_us = 0, .gil = -1, .malloc = NULL, \
                         .gc_threshold = NULL, .gc_defer = -1 }

/* What ft_fini found still alive. Later layers (allocator, objects) add
 * their counts here; every field is zero after a clean run. */
typedef struct ft_fini_report {
    size_t threads;          /* threads still registered (ft_fini refused) */
    int64_t blocks;          /* ft_malloc blocks never freed               */
    int64_t bytes;           /* ... and their usable bytes                 */
    int64_t objects;         /* objects never freed (among those blocks)   */
} ft_fini_report;

#define _FT_STR2(x) #x
#define _FT_STR(x) _FT_STR2(x)
/* "ftlab-abi/<flavor>/<version>": what the headers promise the library. */
#define FT_ABI_TAG "ftlab-abi/" FT_FLAVOR "/" _FT_STR(FT_ABI_VERSION)

int _ft_init_checked(const ft_config *cfg, const char *abi_tag);
/* 0 on success; -1 with the error set (ValueError for a bad setting,
 * RuntimeError for a flavor mismatch or a runtime already running). */
#define ft_init(cfg) _ft_init_checked((cfg), FT_ABI_TAG)

/* 0 on success. -1, with RuntimeError, when called by another thread than
 * the one that called ft_init, or while other threads are registered; the
 * runtime then keeps running. `out` may be NULL. */
int ft_fini(ft_fini_report *out);

bool ft_is_initialized(void);

/* The flavor the *library* was built as: "gil", "nogil", "nogil-atomic". */
const char *ft_flavor(void);

#endif /* FTLAB_RUNTIME_H */
