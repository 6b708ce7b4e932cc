/* modules/thread.c — the _thread module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_thread_module_def = { "_thread", NULL, NULL };
