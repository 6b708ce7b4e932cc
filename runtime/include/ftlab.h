/* ftlab.h — the public contract of the ftlab runtime (docs/architecture.md,
 * "Overview").
 *
 * Compile against the headers of one flavor and link that flavor's
 * library: `pkg-config --cflags --libs ftlab-nogil`, or the CMake target
 * `ftlab::nogil`. `ftlab/config.h` is generated per flavor; ft_init refuses
 * a program whose headers and library disagree.
 */
#ifndef FTLAB_H
#define FTLAB_H

#include <ftlab/config.h>
#include <ftlab/atomic.h>
#include <ftlab/debug.h>
#include <ftlab/error.h>
#include <ftlab/runtime.h>
#include <ftlab/mem.h>
#include <ftlab/mutex.h>
#include <ftlab/object.h>
#include <ftlab/refcount.h>
#include <ftlab/thread.h>
#include <ftlab/gc.h>
#include <ftlab/func.h>
#include <ftlab/weakref.h>
#include <ftlab/tracemalloc.h>
#include <ftlab/objgraph.h>
#include <ftlab/ext.h>

#endif /* FTLAB_H */
