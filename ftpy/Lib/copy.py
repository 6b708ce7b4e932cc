"""Shallow and deep copies: copy.copy(x), copy.deepcopy(x[, memo]).

Design notes
  As CPython's copy module: a dispatch table by exact type for the
  built-ins (immutable ones are returned as they are; list, dict, set,
  bytearray are copied by their own copy(); deepcopy rebuilds lists,
  tuples and dicts through the memo so that shared and cyclic parts stay
  shared/cyclic), then the class's __copy__ / __deepcopy__, then the
  reduction protocol: a class's own __reduce_ex__ / __reduce__, whose
  result (func, args, state, listitems, dictitems) is rebuilt by
  _reconstruct.
  ftpy's object.__reduce_ex__ refuses every object ("cannot pickle"), so
  when the class does not define its own, the reduction CPython's object
  would make is built here (_default_reduce): cls.__new__(cls, *args)
  with __getnewargs__'s args, the state from __getstate__ if the class
  defines it, else (__dict__, {slot: value}) — CPython 3.11's
  object.__getstate__ — and the items of list and dict subclasses. It
  applies to instances of classes made by class statements; other
  built-in objects (generators, modules, ...) are refused with CPython's
  TypeError "cannot pickle 'generator' object".
"""

__all__ = ["Error", "copy", "deepcopy"]


class Error(Exception):
    pass


error = Error   # backward compatibility, as CPython


def _function():
    pass


_immutable_types = [type(None), int, float, bool, str, tuple, bytes, frozenset,
                    type, range, slice, property, type(len), type(...),
                    type(NotImplemented), type(_function), type(_function.__code__)]
try:
    import _weakref
    _immutable_types.append(_weakref.ref)
    del _weakref
except (ImportError, AttributeError):
    pass


def _copy_immutable(x):
    return x


_copy_dispatch = {}
for _t in _immutable_types:
    _copy_dispatch[_t] = _copy_immutable
_copy_dispatch[list] = list.copy
_copy_dispatch[dict] = dict.copy
_copy_dispatch[set] = set.copy
_copy_dispatch[bytearray] = bytearray.copy


def _is_python_class(cls):
    """True when cls or a base of it was made by a class statement."""
    for c in cls.__mro__:
        if '__module__' in c.__dict__:
            return True
    return False


def _newobj(cls, *args):
    return cls.__new__(cls, *args)


def _slot_names(cls):
    """The __slots__ names of cls and its bases (no __dict__/__weakref__)."""
    names = []
    for c in cls.__mro__:
        slots = c.__dict__.get('__slots__', ())
        if isinstance(slots, str):
            slots = (slots,)
        for name in slots:
            if name in ('__dict__', '__weakref__'):
                continue
            if name.startswith('__') and not name.endswith('__'):
                name = '_%s%s' % (c.__name__.lstrip('_'), name)
            if name not in names:
                names.append(name)
    return names


def _default_getstate(x, cls):
    """CPython 3.11's object.__getstate__: the __dict__ (None when empty),
    with the slot values as a second dict when there are slots."""
    getstate = getattr(cls, '__getstate__', None)
    if getstate is not None:
        return getstate(x)
    state = getattr(x, '__dict__', None) or None
    slots = {}
    for name in _slot_names(cls):
        try:
            slots[name] = getattr(x, name)
        except AttributeError:
            pass
    if slots:
        return state, slots
    return state


def _default_reduce(x):
    """What CPython's object.__reduce_ex__(4) returns for x."""
    cls = type(x)
    if not _is_python_class(cls):
        raise TypeError("cannot pickle '%s' object" % cls.__name__)
    state = _default_getstate(x, cls)
    if isinstance(x, set):
        # set.__reduce__: the class called with a list of the items
        return cls, (list(x),), state
    getnewargs = getattr(cls, '__getnewargs__', None)
    if getnewargs is not None:
        args = tuple(getnewargs(x))
    else:
        args = ()
        # the value of an immutable built-in base goes to __new__, as the
        # base's __getnewargs__ gives it in CPython
        for base in (int, float, str, bytes, tuple, frozenset):
            if isinstance(x, base):
                args = (base(x),)
                break
    listitems = iter(x) if isinstance(x, list) else None
    dictitems = iter(x.items()) if isinstance(x, dict) else None
    return _newobj, (cls,) + args, state, listitems, dictitems


def _reduce(x, cls):
    """The reduction of x: its class's own __reduce_ex__ / __reduce__, or
    the default one."""
    reductor = getattr(cls, '__reduce_ex__', None)
    if reductor is not None and reductor is not object.__reduce_ex__:
        return x.__reduce_ex__(4)
    reductor = getattr(cls, '__reduce__', None)
    if reductor is not None and reductor is not object.__reduce__:
        return x.__reduce__()
    return _default_reduce(x)


def copy(x):
    """A shallow copy of x."""
    cls = type(x)
    copier = _copy_dispatch.get(cls)
    if copier:
        return copier(x)
    if issubclass(cls, type):
        return x
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    rv = _reduce(x, cls)
    if isinstance(rv, str):
        return x
    return _reconstruct(x, None, *rv)


def _deepcopy_atomic(x, memo):
    return x


def deepcopy(x, memo=None, _nil=[]):
    """A deep copy of x; memo maps id(original) to its copy."""
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    copier = _deepcopy_dispatch.get(cls)
    if copier is not None:
        y = copier(x, memo)
    elif issubclass(cls, type):
        y = x
    else:
        copier = getattr(x, "__deepcopy__", None)
        if copier is not None:
            y = copier(memo)
        else:
            rv = _reduce(x, cls)
            if isinstance(rv, str):
                y = x
            else:
                y = _reconstruct(x, memo, *rv)
    if y is not x:
        memo[d] = y
        _keep_alive(x, memo)
    return y


def _deepcopy_list(x, memo, deepcopy=deepcopy):
    y = []
    memo[id(x)] = y
    for a in x:
        y.append(deepcopy(a, memo))
    return y


def _deepcopy_tuple(x, memo, deepcopy=deepcopy):
    y = [deepcopy(a, memo) for a in x]
    # A tuple in a cycle: its items' copies may have made the copy already.
    try:
        return memo[id(x)]
    except KeyError:
        pass
    for k, j in zip(x, y):
        if k is not j:
            return tuple(y)
    return x


def _deepcopy_dict(x, memo, deepcopy=deepcopy):
    y = {}
    memo[id(x)] = y
    for key, value in x.items():
        y[deepcopy(key, memo)] = deepcopy(value, memo)
    return y


def _deepcopy_set(x, memo):
    # set.__reduce__ and frozenset.__reduce__ give (type, (list of items,))
    return type(x)(deepcopy(list(x), memo))


def _deepcopy_bytearray(x, memo):
    return bytearray(x)


def _deepcopy_method(x, memo):
    # CPython calls types.MethodType(func, self); ftpy's method class cannot
    # be instantiated, so the function binds itself to the copied self.
    new_self = deepcopy(x.__self__, memo)
    return x.__func__.__get__(new_self, type(new_self))


_deepcopy_dispatch = {}
for _t in _immutable_types:
    if _t is not tuple and _t is not frozenset:
        _deepcopy_dispatch[_t] = _deepcopy_atomic
_deepcopy_dispatch[list] = _deepcopy_list
_deepcopy_dispatch[tuple] = _deepcopy_tuple
_deepcopy_dispatch[dict] = _deepcopy_dict
_deepcopy_dispatch[set] = _deepcopy_set
_deepcopy_dispatch[frozenset] = _deepcopy_set
_deepcopy_dispatch[bytearray] = _deepcopy_bytearray


class _MethodProbe:
    def method(self):
        pass


_deepcopy_dispatch[type(_MethodProbe().method)] = _deepcopy_method
del _t, _MethodProbe


def _keep_alive(x, memo):
    """Keeps x alive as long as memo (its id is a memo key)."""
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


def _reconstruct(x, memo, func, args, state=None, listiter=None, dictiter=None,
                 *, deepcopy=deepcopy):
    deep = memo is not None
    if deep and args:
        args = [deepcopy(arg, memo) for arg in args]
    y = func(*args)
    if deep:
        memo[id(x)] = y
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        if hasattr(y, '__setstate__'):
            y.__setstate__(state)
        else:
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            else:
                slotstate = None
            if state is not None:
                y.__dict__.update(state)
            if slotstate is not None:
                for key, value in slotstate.items():
                    setattr(y, key, value)
    if listiter is not None:
        if deep:
            for item in listiter:
                y.append(deepcopy(item, memo))
        else:
            for item in listiter:
                y.append(item)
    if dictiter is not None:
        if deep:
            for key, value in dictiter:
                y[deepcopy(key, memo)] = deepcopy(value, memo)
        else:
            for key, value in dictiter:
                y[key] = value
    return y
