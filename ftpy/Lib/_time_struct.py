"""time.struct_time for ftpy's time module (modules/time.c imports it).

Design notes
  CPython's struct_time is a "struct sequence": a 9-tuple (year, month,
  day, hour, minute, second, weekday, yearday, isdst) whose items are
  also attributes tm_year..tm_isdst, plus two attributes that are not
  items, tm_zone and tm_gmtoff. It is a tuple subclass here with the
  same constructor rule (a 9- to 11-sequence), attributes and repr.
  time.c builds it from a struct tm with an 11-item sequence. This
  module must not import time: time imports it while being made.
"""

_FIELDS = ('tm_year', 'tm_mon', 'tm_mday', 'tm_hour', 'tm_min', 'tm_sec',
           'tm_wday', 'tm_yday', 'tm_isdst')


class struct_time(tuple):
    """The time value as returned by gmtime(), localtime() and strptime():
    a sequence of 9 integers, with tm_zone and tm_gmtoff as attributes."""

    n_sequence_fields = 9
    n_fields = 11
    n_unnamed_fields = 0

    def __new__(cls, sequence, dict=None):
        items = tuple(sequence)
        n = len(items)
        if n < 9:
            raise TypeError('time.struct_time() takes an at least 9-sequence '
                            '(%d-sequence given)' % n)
        if n > 11:
            raise TypeError('time.struct_time() takes an at most 11-sequence '
                            '(%d-sequence given)' % n)
        self = tuple.__new__(cls, items[:9])
        extra = items[9:] + (None,) * (11 - n)
        self._zone = extra[0]
        self._gmtoff = extra[1]
        return self

    tm_year = property(lambda self: self[0])
    tm_mon = property(lambda self: self[1])
    tm_mday = property(lambda self: self[2])
    tm_hour = property(lambda self: self[3])
    tm_min = property(lambda self: self[4])
    tm_sec = property(lambda self: self[5])
    tm_wday = property(lambda self: self[6])
    tm_yday = property(lambda self: self[7])
    tm_isdst = property(lambda self: self[8])
    tm_zone = property(lambda self: self._zone)
    tm_gmtoff = property(lambda self: self._gmtoff)

    def __repr__(self):
        return 'time.struct_time(%s)' % ', '.join(
            '%s=%r' % (name, value) for name, value in zip(_FIELDS, self))

    def __reduce__(self):
        return (struct_time, (tuple(self) + (self._zone, self._gmtoff),))


struct_time.__module__ = 'time'
