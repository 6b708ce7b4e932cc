/* registry.c — every workload ftbench knows, in the order it runs them
 * (and `list` shows them). */
#include "../ftbench.h"

extern const ftb_workload ftb_bintrees, ftb_nbody, ftb_dictwords, ftb_listsort,
    ftb_str_concat, ftb_str_join, ftb_tuple_churn, ftb_countdown,
    ftb_shared_incref, ftb_shared_incref_immortal, ftb_shared_dict,
    ftb_shared_dict_immortal, ftb_shared_attr, ftb_shared_attr_immortal,
    ftb_private_incref, ftb_private_dict, ftb_private_attr, ftb_pipe_pingpong,
    ftb_tcp_echo, ftb_file_read, ftb_sleep, ftb_convoy;

const ftb_workload *const ftb_workloads[] = {
    &ftb_bintrees, &ftb_nbody, &ftb_dictwords, &ftb_listsort, &ftb_str_concat,
    &ftb_str_join, &ftb_tuple_churn, &ftb_countdown, &ftb_shared_incref,
    &ftb_shared_incref_immortal, &ftb_shared_dict, &ftb_shared_dict_immortal,
    &ftb_shared_attr, &ftb_shared_attr_immortal, &ftb_private_incref,
    &ftb_private_dict, &ftb_private_attr, &ftb_pipe_pingpong,
    &ftb_tcp_echo, &ftb_file_read, &ftb_sleep, &ftb_convoy, NULL,
};
