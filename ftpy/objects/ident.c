/* objects/ident.c — the table of identifiers (ident.h): interned strs made
 * at start-up (py_types_init) and released at the end (py_types_fini). */
#include <stdio.h>
#include "../ftpy.h"
#include "typeobject.h"

ft_object *py_identifiers[PY_IDENT__COUNT];

static const char *const ident_names[PY_IDENT__COUNT] = {
#define PY_IDENT_NAME(name) #name,
    PY_IDENTIFIERS(PY_IDENT_NAME)
#undef PY_IDENT_NAME
};


int _py_ident_init(void)
{
    for (int i = 0; i < PY_IDENT__COUNT; i++) {
        if (py_identifiers[i])
            continue;
        ft_object *s = ft_str_from_utf8(ident_names[i], -1);
        if (!s)
            return -1;
        py_identifiers[i] = ft_str_intern(s);
        ft_decref(s);
        if (!py_identifiers[i])
            return -1;
    }
    return 0;
}

void _py_ident_fini(void)
{
    for (int i = 0; i < PY_IDENT__COUNT; i++) {
        ft_object *s = py_identifiers[i];
        py_identifiers[i] = NULL;
        ft_xdecref(s);
    }
}
