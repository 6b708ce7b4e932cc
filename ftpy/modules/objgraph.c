/* modules/objgraph.c — the _objgraph module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_objgraph_module_def = { "_objgraph", NULL, NULL };
