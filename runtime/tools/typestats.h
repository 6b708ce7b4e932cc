/* tools/typestats.h — the growth baseline's lifetime (typestats.c). */
#ifndef FTLAB_TOOLS_TYPESTATS_H
#define FTLAB_TOOLS_TYPESTATS_H

#include "../internal/common.h"

/* Forgets growth()'s baseline (ft_fini: the next runtime starts afresh). */
void _ft_typestats_fini(void);

#endif /* FTLAB_TOOLS_TYPESTATS_H */
