/* modules/os.c — the os module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_os_module_def = { "os", NULL, NULL };
