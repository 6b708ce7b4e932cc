/* modules/tracemalloc.c — the _tracemalloc module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_tracemalloc_module_def = { "_tracemalloc", NULL, NULL };
