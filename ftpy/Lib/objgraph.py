"""objgraph: draw Python object reference graphs, count objects by type
(built in).

ftpy's own version of the third-party objgraph 3.5 API: count, typestats,
most_common_types, show_most_common_types, growth, show_growth, by_type,
at, at_addrs, get_leaking_objects, find_ref_chain, find_backref_chain,
show_refs, show_backrefs, show_chain, is_proper_module. Output layouts
are objgraph's ("name  count", "name  total  +delta", the .dot graph and
"Graph written to X (N nodes)").

The heap is seen as the collector sees it, through _objgraph (the
runtime's gc walk, not the gc module): only tracked objects (containers,
instances, functions, classes, modules) are counted and found as
referrers. Counts differ from CPython's, which makes other internal
objects; a program's own objects count the same.

ftpy differences: no IPython/graphviz-module display, no xdot viewer
(a .png is made instead when `dot` is installed), get_new_ids is not
provided.
"""

import sys
import _objgraph

__version__ = '3.5.0'

_module_type = type(sys)
_function_type = type(lambda: None)
_builtin_type = type(len)


class _C(object):
    def m(self):
        pass


_method_type = type(_C().m)


def _frame_type():
    return type(sys._getframe())


def _short_typename(obj):
    return type(obj).__name__


def _long_typename(obj):
    objtype = type(obj)
    name = objtype.__name__
    module = getattr(objtype, '__module__', None)
    if module:
        return '%s.%s' % (module, name)
    return name


def _typename_func(typename):
    return _long_typename if '.' in typename else _short_typename


def count(typename, objects=None):
    """How many tracked objects have the class named typename
    ('module.Class' names are compared with the module)."""
    if objects is None:
        objects = _objgraph.get_objects()
    name = _typename_func(typename)
    n = 0
    for o in objects:
        if name(o) == typename:
            n += 1
    return n


def typestats(objects=None, shortnames=True, filter=None):
    """{type name: count} of the tracked objects."""
    if objects is None:
        objects = _objgraph.get_objects()
    typename = _short_typename if shortnames else _long_typename
    stats = {}
    for o in objects:
        if filter and not filter(o):
            continue
        n = typename(o)
        stats[n] = stats.get(n, 0) + 1
    return stats


def most_common_types(limit=10, objects=None, shortnames=True, filter=None):
    """[(type name, count)], most common first, at most limit (None/0:
    all)."""
    stats = sorted(typestats(objects, shortnames=shortnames,
                             filter=filter).items(),
                   key=lambda item: item[1], reverse=True)
    if limit:
        stats = stats[:limit]
    return stats


def show_most_common_types(limit=10, objects=None, shortnames=True, file=None,
                           filter=None):
    """Prints most_common_types as a table."""
    if file is None:
        file = sys.stdout
    stats = most_common_types(limit, objects, shortnames=shortnames,
                              filter=filter)
    width = max(len(name) for name, count in stats)
    for name, count in stats:
        file.write('%-*s %i\n' % (width, name, count))


def growth(limit=10, peak_stats={}, shortnames=True, filter=None):
    """[(type name, count, increase)] of the types whose count passed its
    previous peak since the last call, largest increase first."""
    _objgraph.collect()
    stats = typestats(shortnames=shortnames, filter=filter)
    deltas = {}
    for name, n in stats.items():
        old = peak_stats.get(name, 0)
        if n > old:
            deltas[name] = n - old
            peak_stats[name] = n
    deltas = sorted(deltas.items(), key=lambda item: item[1], reverse=True)
    if limit:
        deltas = deltas[:limit]
    return [(name, stats[name], delta) for name, delta in deltas]


def show_growth(limit=10, peak_stats=None, shortnames=True, file=None,
                filter=None):
    """Prints growth() as 'name  count  +delta' lines."""
    if peak_stats is None:
        result = growth(limit, shortnames=shortnames, filter=filter)
    else:
        result = growth(limit, peak_stats, shortnames, filter)
    if result:
        if file is None:
            file = sys.stdout
        width = max(len(name) for name, _, _ in result)
        for name, n, delta in result:
            file.write('%-*s%9d %+9d\n' % (width, name, n, delta))


def get_leaking_objects(objects=None):
    """The tracked objects no tracked object refers to."""
    if objects is None:
        _objgraph.collect()
        objects = _objgraph.get_objects()
    ids = set(id(i) for i in objects)
    for i in objects:
        for j in _objgraph.get_referents(i):
            ids.discard(id(j))
    return [i for i in objects if id(i) in ids]


def by_type(typename, objects=None):
    """The tracked objects whose class is named typename."""
    if objects is None:
        objects = _objgraph.get_objects()
    name = _typename_func(typename)
    return [o for o in objects if name(o) == typename]


def at(addr):
    """The tracked object whose id() is addr, or None."""
    for o in _objgraph.get_objects():
        if id(o) == addr:
            return o
    return None


def at_addrs(address_set):
    """The tracked objects whose id() is in address_set."""
    return [o for o in _objgraph.get_objects() if id(o) in address_set]


def is_proper_module(obj):
    """Is obj a module that is in sys.modules (a root of the graph)?"""
    return (isinstance(obj, _module_type)
            and obj is sys.modules.get(getattr(obj, '__name__', None)))


def _find_chain(obj, predicate, edge_func, max_depth=20, extra_ignore=()):
    queue = [obj]
    depth = {id(obj): 0}
    parent = {id(obj): None}
    ignore = set(extra_ignore)
    ignore.add(id(extra_ignore))
    ignore.add(id(queue))
    ignore.add(id(depth))
    ignore.add(id(parent))
    ignore.add(id(ignore))
    _objgraph.collect()
    head = 0
    while head < len(queue):
        target = queue[head]
        head += 1
        if predicate(target):
            chain = [target]
            while parent[id(target)] is not None:
                target = parent[id(target)]
                chain.append(target)
            return chain
        tdepth = depth[id(target)]
        if tdepth < max_depth:
            referrers = edge_func(target)
            ignore.add(id(referrers))
            for source in referrers:
                if id(source) in ignore:
                    continue
                if id(source) not in depth:
                    depth[id(source)] = tdepth + 1
                    parent[id(source)] = target
                    queue.append(source)
    return [obj]


def find_ref_chain(obj, predicate, max_depth=20, extra_ignore=()):
    """A shortest chain of references from obj to an object for which
    predicate is true: [obj, ..., found], or [obj]."""
    return _find_chain(obj, predicate, _objgraph.get_referents,
                       max_depth=max_depth, extra_ignore=extra_ignore)[::-1]


def find_backref_chain(obj, predicate, max_depth=20, extra_ignore=()):
    """A shortest chain of references to obj from an object for which
    predicate is true: [found, ..., obj], or [obj]."""
    return _find_chain(obj, predicate, _objgraph.get_referrers,
                       max_depth=max_depth, extra_ignore=extra_ignore)


# ---- graphs -----------------------------------------------------------------------

def _quote(s):
    return (s.replace("\\", "\\\\").replace("\"", "\\\"")
             .replace("\n", "\\n").replace("\0", "\\\\0"))


def _obj_node_id(obj):
    return ('o%d' % id(obj)).replace('-', '_')


def _name_or_repr(value):
    try:
        result = value.__name__
    except AttributeError:
        result = repr(value)[:40]
    if isinstance(result, str):
        return result
    return repr(value)[:40]


def _short_repr(obj):
    if isinstance(obj, (type, _module_type, _builtin_type)):
        return _name_or_repr(obj)
    if isinstance(obj, _method_type):
        name = _name_or_repr(obj.__func__)
        if obj.__self__:
            return name + ' (bound)'
        return name
    if isinstance(obj, _function_type) and obj.__name__ == '<lambda>':
        filename = obj.__code__.co_filename
        return 'lambda: %s:%s' % (filename[filename.rfind('/') + 1:],
                                  obj.__code__.co_firstlineno)
    if isinstance(obj, _frame_type()):
        return '%s:%s' % (obj.f_code.co_filename, obj.f_lineno)
    if isinstance(obj, (tuple, list, dict, set)):
        return '%d items' % len(obj)
    return repr(obj)[:40]


def _safe_repr(obj):
    try:
        return _short_repr(obj)
    except Exception:
        return '(unrepresentable)'


def _obj_label(obj, extra_info=None, refcounts=False, shortnames=True):
    label = [_short_typename(obj) if shortnames else _long_typename(obj)]
    if refcounts:
        label[0] += ' [%d]' % (sys.getrefcount(obj) - 4)
    label.append(_safe_repr(obj))
    if extra_info:
        label.append(str(extra_info(obj)))
    return _quote('\n'.join(label))


def _obj_attrs(obj, extra_node_attrs):
    if extra_node_attrs is None:
        return ""
    attrs = extra_node_attrs(obj)
    return ", " + ", ".join('%s="%s"' % (name, _quote(value))
                            for name, value in sorted(attrs.items())
                            if value is not None)


def _gradient(start_color, end_color, depth, max_depth):
    if max_depth == 0:
        return start_color
    h1, s1, v1 = start_color
    h2, s2, v2 = end_color
    f = float(depth) / max_depth
    return (h1 * (1 - f) + h2 * f, s1 * (1 - f) + s2 * f, v1 * (1 - f) + v2 * f)


def _is_identifier(k):
    if not k:
        return False
    for i, c in enumerate(k):
        if not (c == '_' or 'a' <= c <= 'z' or 'A' <= c <= 'Z'
                or (i > 0 and '0' <= c <= '9')):
            return False
    return True


def _edge_label(source, target, shortnames=True):
    if isinstance(target, dict) and target is getattr(source, '__dict__', None):
        return ' [label="__dict__",weight=10]'
    if isinstance(source, _frame_type()):
        if target is source.f_locals:
            return ' [label="f_locals",weight=10]'
        if target is source.f_globals:
            return ' [label="f_globals",weight=10]'
    if isinstance(source, _method_type):
        if target is source.__self__:
            return ' [label="__self__",weight=10]'
        if target is source.__func__:
            return ' [label="__func__",weight=10]'
    if isinstance(source, _function_type):
        for k in dir(source):
            try:
                v = getattr(source, k)
            except AttributeError:
                continue
            if target is v:
                return ' [label="%s",weight=10]' % _quote(k)
    if isinstance(source, dict):
        for k, v in source.items():
            if v is target:
                if isinstance(k, str) and _is_identifier(k):
                    return ' [label="%s",weight=2]' % _quote(k)
                tn = _short_typename(k) if shortnames else _long_typename(k)
                return ' [label="%s"]' % _quote(tn + "\n" + _safe_repr(k))
    return ''


class _Writer(object):
    """Collects the text; written to the file in one go."""

    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)


_tmp_counter = [0]


def _temp_dot_name():
    try:
        import os
        pid = os.getpid()
    except Exception:
        pid = 0
    _tmp_counter[0] += 1
    return '/tmp/objgraph-%d-%d.dot' % (pid, _tmp_counter[0])


def _show_graph(objs, edge_func, swap_source_target, max_depth=3,
                extra_ignore=(), filter=None, too_many=10, highlight=None,
                filename=None, extra_info=None, refcounts=False,
                shortnames=True, output=None, cull_func=None,
                extra_node_attrs=None):
    if not isinstance(objs, (list, tuple)):
        objs = [objs]
    if filename and output:
        raise ValueError('Cannot specify both output and filename.')
    f = output if output else _Writer()
    if filename and filename.endswith('.dot'):
        dot_filename = filename
    else:
        dot_filename = _temp_dot_name()
    f.write('digraph ObjectGraph {\n'
            '  node[shape=box, style=filled, fillcolor=white];\n')
    queue = []
    depth = {}
    ignore = set(extra_ignore)
    ignore.add(id(objs))
    ignore.add(id(extra_ignore))
    ignore.add(id(queue))
    ignore.add(id(depth))
    ignore.add(id(ignore))
    ignore.add(id(f))
    if not output:
        ignore.add(id(f.parts))
    for obj in objs:
        f.write('  %s[fontcolor=red];\n' % (_obj_node_id(obj)))
        depth[id(obj)] = 0
        queue.append(obj)
    del obj
    _objgraph.collect()
    nodes = 0
    head = 0
    while head < len(queue):
        nodes += 1
        target = queue[head]
        head += 1
        tdepth = depth[id(target)]
        f.write('  %s[label="%s"%s];\n' % (
            _obj_node_id(target),
            _obj_label(target, extra_info, refcounts, shortnames),
            _obj_attrs(target, extra_node_attrs)))
        h, s, v = _gradient((0, 0, 1), (0, 0, .3), tdepth, max_depth)
        if isinstance(target, _module_type):
            h = .3
            s = 1
        if highlight and highlight(target):
            h = .6
            s = .6
            v = 0.5 + v * 0.5
        f.write('  %s[fillcolor="%g,%g,%g"];\n' % (_obj_node_id(target), h, s, v))
        if v < 0.5:
            f.write('  %s[fontcolor=white];\n' % (_obj_node_id(target)))
        if hasattr(getattr(target, '__class__', None), '__del__'):
            f.write('  %s->%s_has_a_del[color=red,style=dotted,'
                    'len=0.25,weight=10];\n' % (_obj_node_id(target),
                                                _obj_node_id(target)))
            f.write('  %s_has_a_del[label="__del__",shape=doublecircle,'
                    'height=0.25,color=red,fillcolor="0,.5,1",fontsize=6];\n'
                    % (_obj_node_id(target)))
        if tdepth >= max_depth:
            continue
        if cull_func is not None and cull_func(target):
            continue
        neighbours = edge_func(target)
        ignore.add(id(neighbours))
        n = 0
        skipped = 0
        for source in neighbours:
            if id(source) in ignore:
                continue
            if filter and not filter(source):
                continue
            if n >= too_many:
                skipped += 1
                continue
            if swap_source_target:
                srcnode, tgtnode = target, source
            else:
                srcnode, tgtnode = source, target
            elabel = _edge_label(srcnode, tgtnode, shortnames)
            f.write('  %s -> %s%s;\n' % (_obj_node_id(srcnode),
                                         _obj_node_id(tgtnode), elabel))
            if id(source) not in depth:
                depth[id(source)] = tdepth + 1
                queue.append(source)
            n += 1
        del neighbours
        if skipped > 0:
            h, s, v = _gradient((0, 1, 1), (0, 1, .3), tdepth + 1, max_depth)
            if swap_source_target:
                label = "%d more references" % skipped
                edge = "%s->too_many_%s" % (_obj_node_id(target),
                                            _obj_node_id(target))
            else:
                label = "%d more backreferences" % skipped
                edge = "too_many_%s->%s" % (_obj_node_id(target),
                                            _obj_node_id(target))
            f.write('  %s[color=red,style=dotted,len=0.25,weight=10];\n' % edge)
            f.write('  too_many_%s[label="%s",shape=box,height=0.25,'
                    'color=red,fillcolor="%g,%g,%g",fontsize=6];\n'
                    % (_obj_node_id(target), label, h, s, v))
            f.write('  too_many_%s[fontcolor=white];\n' % (_obj_node_id(target)))
    f.write("}\n")
    if output:
        return
    with open(dot_filename, 'w') as out:
        out.write(''.join(f.parts))
    print("Graph written to %s (%d nodes)" % (dot_filename, nodes))
    _present_graph(dot_filename, filename)


def _present_graph(dot_filename, filename=None):
    if filename == dot_filename:
        return
    if _objgraph.have_program('dot'):
        if not filename:
            print("Graph viewer (xdot) not found, generating a png instead")
            filename = dot_filename[:-4] + '.png'
        try:
            _objgraph.render(dot_filename, filename)
        except (RuntimeError, ValueError):
            ext = filename[filename.rfind('.') + 1:]
            print('dot failed (exit code %d) while executing "%s"'
                  % (1, ' '.join(['dot', '-T' + ext, '-o' + filename,
                                  dot_filename])))
        else:
            print("Image generated as %s" % filename)
    else:
        if not filename:
            print("Graph viewer (xdot) and image renderer (dot) not found,"
                  " not doing anything else")
        else:
            print("Image renderer (dot) not found, not doing anything else")


def show_backrefs(objs, max_depth=3, extra_ignore=(), filter=None, too_many=10,
                  highlight=None, filename=None, extra_info=None,
                  refcounts=False, shortnames=True, output=None,
                  extra_node_attrs=None):
    """Writes the graph of what refers to objs (stopping at modules) as
    a .dot file (rendered when filename is an image name)."""
    return _show_graph(objs, max_depth=max_depth, extra_ignore=extra_ignore,
                       filter=filter, too_many=too_many, highlight=highlight,
                       edge_func=_objgraph.get_referrers,
                       swap_source_target=False, filename=filename,
                       output=output, extra_info=extra_info,
                       refcounts=refcounts, shortnames=shortnames,
                       cull_func=is_proper_module,
                       extra_node_attrs=extra_node_attrs)


def show_refs(objs, max_depth=3, extra_ignore=(), filter=None, too_many=10,
              highlight=None, filename=None, extra_info=None,
              refcounts=False, shortnames=True, output=None,
              extra_node_attrs=None):
    """Writes the graph of what objs refer to as a .dot file (rendered
    when filename is an image name)."""
    return _show_graph(objs, max_depth=max_depth, extra_ignore=extra_ignore,
                       filter=filter, too_many=too_many, highlight=highlight,
                       edge_func=_objgraph.get_referents,
                       swap_source_target=True, filename=filename,
                       extra_info=extra_info, refcounts=refcounts,
                       shortnames=shortnames, output=output,
                       extra_node_attrs=extra_node_attrs)


def show_chain(*chains, **kw):
    """Draws chains from find_backref_chain / find_ref_chain."""
    backrefs = kw.pop('backrefs', True)
    chains = [chain for chain in chains if chain]
    ids = set()
    for chain in chains:
        for x in chain:
            ids.add(id(x))

    def in_chains(x):
        return id(x) in ids
    max_depth = max(len(chain) for chain in chains) - 1
    if backrefs:
        show_backrefs([chain[-1] for chain in chains], max_depth=max_depth,
                      filter=in_chains, **kw)
    else:
        show_refs([chain[0] for chain in chains], max_depth=max_depth,
                  filter=in_chains, **kw)
