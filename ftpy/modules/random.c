/* modules/random.c — the _random module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_random_module_def = { "_random", NULL, NULL };
