/* demos.h — the workloads ftmem can run (demos.c).
 *
 * A workload runs with tracing on, names its phases (FT_PHASE_BEGIN) and
 * its allocation sites (FT_TRACE_HERE), and keeps what it built alive in
 * its ftmem_state until ftmem has reported; `release` then frees it all,
 * so that ft_fini finds nothing left. `focus` is the object whose graph
 * ftmem draws: its referrers (backrefs) or what it refers to.
 */
#ifndef FTMEM_DEMOS_H
#define FTMEM_DEMOS_H

#include <stdbool.h>
#include <stdio.h>
#include <ftlab.h>

#define FTMEM_KEEP 8

typedef struct ftmem_state {
    ft_object *keep[FTMEM_KEEP];   /* new references, released at the end */
    ft_type *classes[FTMEM_KEEP];
    ft_object *focus;              /* borrowed from keep[] (or their items) */
    bool backrefs;                 /* draw focus's referrers               */
    int depth;                     /* of the graph                         */
    bool printed_growth;           /* the workload showed growth() itself  */
    FILE *out;                     /* the workload's own notes             */
} ftmem_state;

typedef struct ftmem_demo {
    const char *name;
    const char *summary;
    int (*run)(ftmem_state *st);   /* 0, or -1 with the ftlab error set   */
} ftmem_demo;

extern const ftmem_demo ftmem_demos[];
extern const size_t ftmem_ndemos;

/* Releases what a workload kept (every keep[] and classes[] entry). */
void ftmem_release(ftmem_state *st);

#endif /* FTMEM_DEMOS_H */
