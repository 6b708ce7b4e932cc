"""The Python half of ftpy's os module (modules/os.c imports it).

Design notes
  os is a C module here (CPython: posix in C + os.py); what CPython writes
  in Python lives in this file: the environ mapping, stat_result and
  getenv. The classes say they belong to "os" so that they print as
  CPython's do. This module must not import os at its top level: os
  imports it while os itself is being made (it is not yet in
  sys.modules); the functions import it when they run.
"""


class _Environ:
    """os.environ: a mutable mapping of str to str over a dict copy of the
    process environment; changes go to the process too (putenv)."""

    def __init__(self, data):
        self._data = data

    @staticmethod
    def _check(value):
        if not isinstance(value, str):
            raise TypeError("str expected, not %s" % type(value).__name__)
        return value

    def __getitem__(self, key):
        try:
            return self._data[self._check(key)]
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        import os
        self._check(key)
        self._check(value)
        os.putenv(key, value)
        self._data[key] = value

    def __delitem__(self, key):
        import os
        self._check(key)
        if key not in self._data:
            raise KeyError(key)
        os.unsetenv(key)
        del self._data[key]

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return self._check(key) in self._data

    def __eq__(self, other):
        if isinstance(other, _Environ):
            return self._data == other._data
        if isinstance(other, dict):
            return self._data == other
        return NotImplemented

    def __repr__(self):
        items = ', '.join('%r: %r' % (k, v) for k, v in self._data.items())
        return 'environ({%s})' % items

    def get(self, key, default=None):
        if self._check(key) in self._data:
            return self[key]
        return default

    def keys(self):
        return self._data.keys()

    def values(self):
        return self._data.values()

    def items(self):
        return self._data.items()

    def copy(self):
        return dict(self._data)

    def setdefault(self, key, value):
        if key not in self:
            self[key] = value
        return self[key]

    def pop(self, key, *default):
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def update(self, other=(), **kwds):
        if hasattr(other, 'keys'):
            for key in other.keys():
                self[key] = other[key]
        else:
            for key, value in other:
                self[key] = value
        for key, value in kwds.items():
            self[key] = value

    def clear(self):
        for key in list(self._data):
            del self[key]


_Environ.__module__ = 'os'


def getenv(key, default=None):
    """The value of the environment variable key, or default."""
    import os
    return os.environ.get(key, default)


_STAT_FIELDS = ('st_mode', 'st_ino', 'st_dev', 'st_nlink', 'st_uid',
                'st_gid', 'st_size')


class stat_result(tuple):
    """os.stat()'s result: a 10-tuple (mode, ino, dev, nlink, uid, gid,
    size, atime, mtime, ctime as ints) with named fields, the float times
    and the *_ns times. Built by os.stat from a 13-tuple."""

    def __new__(cls, values):
        values = tuple(values)
        self = tuple.__new__(cls, values[:7] + tuple(int(t) for t in values[7:10]))
        self._extra = values[7:]
        return self

    st_mode = property(lambda self: self[0])
    st_ino = property(lambda self: self[1])
    st_dev = property(lambda self: self[2])
    st_nlink = property(lambda self: self[3])
    st_uid = property(lambda self: self[4])
    st_gid = property(lambda self: self[5])
    st_size = property(lambda self: self[6])
    st_atime = property(lambda self: self._extra[0])
    st_mtime = property(lambda self: self._extra[1])
    st_ctime = property(lambda self: self._extra[2])
    st_atime_ns = property(lambda self: self._extra[3])
    st_mtime_ns = property(lambda self: self._extra[4])
    st_ctime_ns = property(lambda self: self._extra[5])

    def __repr__(self):
        parts = ['%s=%r' % (name, self[i]) for i, name in enumerate(_STAT_FIELDS)]
        parts += ['st_atime=%r' % self[7], 'st_mtime=%r' % self[8],
                  'st_ctime=%r' % self[9]]
        return 'os.stat_result(%s)' % ', '.join(parts)


stat_result.__module__ = 'os'
