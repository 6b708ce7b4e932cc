/* modules/gc.c — the gc module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_gc_module_def = { "gc", NULL, NULL };
