/* stress_tracemalloc_shared.c — stress_tracemalloc.c in its shared-
 * tracebacks mode: interned tracebacks under concurrency (the workers
 * allocate tuples from the same few tracebacks; snapshots, clears and
 * limit changes meanwhile). The tests and what they check are described
 * there; this file only selects the mode, so that it stays its own
 * program and ctest (<flavor>/stress_tracemalloc_shared). */
#define STRESS_TRACEMALLOC_SHARED 1
#include "stress_tracemalloc.c"
