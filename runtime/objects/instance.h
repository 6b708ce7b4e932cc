/* objects/instance.h — what the object-graph tools (tools/refs.c) may ask
 * of an instance made by ft_class_new without changing it: its __dict__
 * if it has one (ft_getattr(o, "__dict__") would make one for a compact
 * instance), and the name of an inline attribute, to label an edge. */
#ifndef FT_OBJECTS_INSTANCE_H
#define FT_OBJECTS_INSTANCE_H

#include "ftlab/object.h"

/* The instance's __dict__ (a new reference), NULL when it has none or o
 * is not an instance of an ft_class_new class. Never makes one. */
ft_object *_ft_instance_dict_peek(ft_object *o);

/* The name of an attribute of instance o held inline (a compact value or
 * a slot) whose value is v; NULL when none is. Valid while o's class
 * lives. */
const char *_ft_instance_attr_name(ft_object *o, ft_object *v);

#endif
