/* modules/weakref.c — the _weakref module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_weakref_module_def = { "_weakref", NULL, NULL };
