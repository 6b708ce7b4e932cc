/* tools/phases.h — the phase report's rows, between the frame stack
 * (tracemalloc.c) and the report (phases.c).
 *
 * Rows live in one array from the system allocator, appended under a
 * mutex: phases are coarse (a workload's steps, not every call), and the
 * /proc read each one makes costs more than the lock.
 */
#ifndef FTLAB_TOOLS_PHASES_H
#define FTLAB_TOOLS_PHASES_H

#include <stddef.h>

/* Records a phase beginning now, nested in `depth` phases of the calling
 * thread; returns its row + 1, or 0 when it could not be recorded. */
size_t _ft_phase_begin(const char *name, int depth);
/* Records the end of the phase of row + 1 `id`. */
void _ft_phase_end(size_t id);

#endif /* FTLAB_TOOLS_PHASES_H */
