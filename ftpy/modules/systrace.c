/* modules/systrace.c — sys.settrace and sys.gettrace (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_method_def py_sys_trace_defs[] = {
    { NULL, NULL, 0 },
};
