/* modules/socket.c — the _socket module (being written). */
#include "../ftpy.h"
#include "modules.h"

const py_module_def py_socket_module_def = { "_socket", NULL, NULL };
