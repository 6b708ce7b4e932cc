"""tracemalloc: where the memory of a Python program was allocated.

The C half, _tracemalloc (ftpy/modules/tracemalloc.c), switches the
runtime's tracing on and off and hands out raw traces; this module gives
them CPython 3.11's classes: Snapshot (statistics by line, file or
traceback, comparison, filters), Statistic, StatisticDiff, Traceback,
Frame, Trace, Filter and DomainFilter.

Raw forms (as _tracemalloc returns them, and as CPython's do):
    frame      (filename, lineno)
    traceback  tuple of frames, MOST RECENT FIRST
    trace      (domain, size, traceback, total_nframe)
A Traceback object reverses its frames: as a sequence it goes from the
oldest frame to the most recent one, and str(traceback) is its first
(oldest) frame — CPython 3.11's behaviour. A 'lineno' statistic keys on
the most recent frame of each trace.

ftpy differences (see tracemalloc.c for the why):
  - sizes are ftlab's (its object layouts and allocator), not CPython's;
  - traces keep at most 64 frames whatever the limit;
  - total_nframe is None when a trace reached that kept limit;
  - Snapshot.dump and Snapshot.load are missing (no pickle in ftpy);
  - the module's own frames are named "<frozen tracemalloc>" (also its
    __file__, so Filter(False, tracemalloc.__file__) works as usual).
"""

import linecache
import _tracemalloc
from _tracemalloc import (stop, is_tracing, clear_traces, get_traced_memory,
                          reset_peak, get_tracemalloc_memory,
                          get_traceback_limit, _get_object_traceback,
                          _get_traces)

__file__ = "<frozen tracemalloc>"


def start(*args, **kwargs):
    """start(nframe=1, /): start tracing, keeping nframe frames per trace."""
    # A Python function on purpose: returning from it makes the caller's
    # frame pick up line tracking (ftpy's eval loop chooses the traced
    # dispatch when it loads a frame), so the lines after start() are the
    # lines traces name.
    _tracemalloc.start(*args, **kwargs)


def _format_size(size, sign):
    for unit in ('B', 'KiB', 'MiB', 'GiB', 'TiB'):
        if abs(size) < 100 and unit != 'B':
            return ("%+.1f %s" if sign else "%.1f %s") % (size, unit)
        if abs(size) < 10 * 1024 or unit == 'TiB':
            return ("%+.0f %s" if sign else "%.0f %s") % (size, unit)
        size /= 1024


# ---- Statistics ---------------------------------------------------------------

class Statistic:
    """Memory allocated at one place (a line, a file or a traceback)."""

    __slots__ = ('traceback', 'size', 'count')

    def __init__(self, traceback, size, count):
        self.traceback = traceback
        self.size = size
        self.count = count

    def __hash__(self):
        return hash((self.traceback, self.size, self.count))

    def __eq__(self, other):
        if not isinstance(other, Statistic):
            return NotImplemented
        return (self.traceback == other.traceback and self.size == other.size
                and self.count == other.count)

    def __str__(self):
        text = "%s: size=%s, count=%i" % (self.traceback,
                                          _format_size(self.size, False),
                                          self.count)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return ('<Statistic traceback=%r size=%i count=%i>'
                % (self.traceback, self.size, self.count))

    def _sort_key(self):
        return (self.size, self.count, self.traceback)


class StatisticDiff:
    """How the memory allocated at one place changed between two snapshots."""

    __slots__ = ('traceback', 'size', 'size_diff', 'count', 'count_diff')

    def __init__(self, traceback, size, size_diff, count, count_diff):
        self.traceback = traceback
        self.size = size
        self.size_diff = size_diff
        self.count = count
        self.count_diff = count_diff

    def __hash__(self):
        return hash((self.traceback, self.size, self.size_diff, self.count,
                     self.count_diff))

    def __eq__(self, other):
        if not isinstance(other, StatisticDiff):
            return NotImplemented
        return (self.traceback == other.traceback and self.size == other.size
                and self.size_diff == other.size_diff
                and self.count == other.count
                and self.count_diff == other.count_diff)

    def __str__(self):
        text = "%s: size=%s (%s), count=%i (%+i)" % (
            self.traceback, _format_size(self.size, False),
            _format_size(self.size_diff, True), self.count, self.count_diff)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return ('<StatisticDiff traceback=%r size=%i (%+i) count=%i (%+i)>'
                % (self.traceback, self.size, self.size_diff, self.count,
                   self.count_diff))

    def _sort_key(self):
        return (abs(self.size_diff), self.size, abs(self.count_diff),
                self.count, self.traceback)


def _compare_grouped_stats(old_group, new_group):
    """StatisticDiffs for every key of either group (old_group is emptied)."""
    diffs = []
    for traceback, stat in new_group.items():
        before = old_group.pop(traceback, None)
        if before is None:
            diffs.append(StatisticDiff(traceback, stat.size, stat.size,
                                       stat.count, stat.count))
        else:
            diffs.append(StatisticDiff(traceback, stat.size,
                                       stat.size - before.size, stat.count,
                                       stat.count - before.count))
    for traceback, stat in old_group.items():
        diffs.append(StatisticDiff(traceback, 0, -stat.size, 0, -stat.count))
    return diffs


# ---- Frames and tracebacks --------------------------------------------------------

class Frame:
    """One frame of a traceback: filename and lineno."""

    __slots__ = ("_frame",)

    def __init__(self, frame):
        self._frame = frame          # (filename, lineno)

    @property
    def filename(self):
        return self._frame[0]

    @property
    def lineno(self):
        return self._frame[1]

    def __eq__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame == other._frame

    def __ne__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame != other._frame

    def __lt__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame < other._frame

    def __le__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame <= other._frame

    def __gt__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame > other._frame

    def __ge__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame >= other._frame

    def __hash__(self):
        return hash(self._frame)

    def __str__(self):
        return "%s:%s" % (self.filename, self.lineno)

    def __repr__(self):
        return "<Frame filename=%r lineno=%r>" % (self.filename, self.lineno)


class Traceback:
    """The frames of an allocation, from the oldest to the most recent."""

    __slots__ = ("_frames", "_total_nframe")

    def __init__(self, frames, total_nframe=None):
        # frames come most recent first from _tracemalloc: reversed here.
        self._frames = tuple(reversed(frames))
        self._total_nframe = total_nframe

    @property
    def total_nframe(self):
        return self._total_nframe

    def __len__(self):
        return len(self._frames)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(Frame(f) for f in self._frames[index])
        return Frame(self._frames[index])

    def __iter__(self):
        for f in self._frames:
            yield Frame(f)

    def __reversed__(self):
        for f in reversed(self._frames):
            yield Frame(f)

    def __contains__(self, frame):
        return frame._frame in self._frames

    def index(self, frame, start=0, stop=None):
        n = len(self._frames)
        stop = n if stop is None else stop
        for i in range(n)[start:stop]:
            if Frame(self._frames[i]) == frame:
                return i
        raise ValueError

    def count(self, frame):
        return sum(1 for f in self._frames if Frame(f) == frame)

    def __hash__(self):
        return hash(self._frames)

    def __eq__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames == other._frames

    def __ne__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames != other._frames

    def __lt__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames < other._frames

    def __le__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames <= other._frames

    def __gt__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames > other._frames

    def __ge__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames >= other._frames

    def __str__(self):
        return str(self[0])

    def __repr__(self):
        text = "<Traceback %s" % (tuple(self),)
        if self._total_nframe is None:
            return text + ">"
        return text + " total_nframe=%s>" % (self._total_nframe,)

    def format(self, limit=None, most_recent_first=False):
        """'  File "x.py", line 3' lines, each followed by its source line."""
        if limit is None:
            frames = self[:]
        elif limit > 0:
            frames = self[-limit:]
        else:
            frames = self[:limit]
        if most_recent_first:
            frames = tuple(reversed(frames))
        lines = []
        for frame in frames:
            lines.append('  File "%s", line %s' % (frame.filename, frame.lineno))
            source = linecache.getline(frame.filename, frame.lineno).strip()
            if source:
                lines.append('    %s' % source)
        return lines


def get_object_traceback(obj):
    """The Traceback where obj was allocated, or None (not traced)."""
    frames = _get_object_traceback(obj)
    if frames is None:
        return None
    return Traceback(frames)


# ---- Traces -------------------------------------------------------------------------

class Trace:
    """One traced memory block: domain, size and traceback."""

    __slots__ = ("_trace",)

    def __init__(self, trace):
        self._trace = trace          # (domain, size, traceback, total_nframe)

    @property
    def domain(self):
        return self._trace[0]

    @property
    def size(self):
        return self._trace[1]

    @property
    def traceback(self):
        return Traceback(*self._trace[2:])

    def __eq__(self, other):
        if not isinstance(other, Trace):
            return NotImplemented
        return self._trace == other._trace

    def __ne__(self, other):
        if not isinstance(other, Trace):
            return NotImplemented
        return self._trace != other._trace

    def __hash__(self):
        return hash(self._trace)

    def __str__(self):
        return "%s: %s" % (self.traceback, _format_size(self.size, False))

    def __repr__(self):
        return ("<Trace domain=%s size=%s, traceback=%r>"
                % (self.domain, _format_size(self.size, False), self.traceback))


class _Traces:
    """The traces of a snapshot, as a sequence of Trace."""

    def __init__(self, traces):
        self._traces = traces

    def __len__(self):
        return len(self._traces)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(Trace(t) for t in self._traces[index])
        return Trace(self._traces[index])

    def __iter__(self):
        for t in self._traces:
            yield Trace(t)

    def __contains__(self, trace):
        return trace._trace in self._traces

    def __eq__(self, other):
        if not isinstance(other, _Traces):
            return NotImplemented
        return self._traces == other._traces

    def __ne__(self, other):
        if not isinstance(other, _Traces):
            return NotImplemented
        return self._traces != other._traces

    __hash__ = None

    def __repr__(self):
        return "<Traces len=%s>" % len(self)


# ---- Filters ----------------------------------------------------------------------------

_pattern_cache = {}


def _compile_pattern(pattern):
    """fnmatch's pattern as tokens: '*', '?', (chars, ranges, negate) or a
    one-character str. A '[' without its ']' is an ordinary character."""
    tokens = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == '*':
            if not tokens or tokens[-1] != '*':
                tokens.append('*')
        elif c == '?':
            tokens.append('?')
        elif c == '[':
            j = i
            if j < n and pattern[j] == '!':
                j += 1
            if j < n and pattern[j] == ']':
                j += 1
            while j < n and pattern[j] != ']':
                j += 1
            if j >= n:
                tokens.append('[')
                continue
            body = pattern[i:j]
            i = j + 1
            negate = body.startswith('!')
            if negate:
                body = body[1:]
            ranges = []
            k = 0
            while k < len(body):
                if k + 2 < len(body) and body[k + 1] == '-':
                    ranges.append((body[k], body[k + 2]))
                    k += 3
                else:
                    ranges.append((body[k], body[k]))
                    k += 1
            tokens.append((tuple(ranges), negate))
        else:
            tokens.append(c)
    return tokens


def _token_matches(token, ch):
    if token == '?':
        return True
    if isinstance(token, str):
        return token == ch
    ranges, negate = token
    inside = False
    for lo, hi in ranges:
        if lo <= ch <= hi:
            inside = True
            break
    return inside != negate


def _fnmatch(name, pattern):
    """fnmatch.fnmatchcase: the whole name matches the shell pattern."""
    tokens = _pattern_cache.get(pattern)
    if tokens is None:
        if len(_pattern_cache) >= 256:
            _pattern_cache.clear()
        tokens = _pattern_cache[pattern] = _compile_pattern(pattern)
    # Greedy walk; on a mismatch, let the last '*' take one more character.
    ti = ni = 0
    star_ti = star_ni = -1
    nt, nn = len(tokens), len(name)
    while ni < nn:
        if ti < nt and tokens[ti] == '*':
            star_ti, star_ni = ti, ni
            ti += 1
        elif ti < nt and _token_matches(tokens[ti], name[ni]):
            ti += 1
            ni += 1
        elif star_ti >= 0:
            star_ni += 1
            ni = star_ni
            ti = star_ti + 1
        else:
            return False
    while ti < nt and tokens[ti] == '*':
        ti += 1
    return ti == nt


def _normalize_filename(filename):
    if filename.endswith('.pyc'):
        filename = filename[:-1]
    return filename


class BaseFilter:
    def __init__(self, inclusive):
        self.inclusive = inclusive

    def _match(self, trace):
        raise NotImplementedError


class Filter(BaseFilter):
    """Keeps (inclusive) or drops the traces whose frame matches a file
    pattern (fnmatch syntax), optionally a line and a domain; with
    all_frames, any frame of the traceback may match."""

    def __init__(self, inclusive, filename_pattern, lineno=None,
                 all_frames=False, domain=None):
        super().__init__(inclusive)
        self._filename_pattern = _normalize_filename(filename_pattern)
        self.lineno = lineno
        self.all_frames = all_frames
        self.domain = domain

    @property
    def filename_pattern(self):
        return self._filename_pattern

    def _match_frame_impl(self, filename, lineno):
        if not _fnmatch(_normalize_filename(filename), self._filename_pattern):
            return False
        return self.lineno is None or lineno == self.lineno

    def _match_frame(self, filename, lineno):
        return self._match_frame_impl(filename, lineno) ^ (not self.inclusive)

    def _match_traceback(self, traceback):
        if self.all_frames:
            for filename, lineno in traceback:
                if self._match_frame_impl(filename, lineno):
                    return self.inclusive
            return not self.inclusive
        filename, lineno = traceback[0]
        return self._match_frame(filename, lineno)

    def _match(self, trace):
        domain, size, traceback, total_nframe = trace
        res = self._match_traceback(traceback)
        if self.domain is not None:
            if self.inclusive:
                return res and domain == self.domain
            return res or domain != self.domain
        return res


class DomainFilter(BaseFilter):
    """Keeps (inclusive) or drops the traces of one address space."""

    def __init__(self, inclusive, domain):
        super().__init__(inclusive)
        self._domain = domain

    @property
    def domain(self):
        return self._domain

    def _match(self, trace):
        return (trace[0] == self._domain) ^ (not self.inclusive)


# ---- Snapshots ------------------------------------------------------------------------------

def _is_iterable(obj):
    try:
        iter(obj)
    except TypeError:
        return False
    return True


class Snapshot:
    """The traces of the memory blocks allocated at one moment."""

    def __init__(self, traces, traceback_limit):
        self.traces = _Traces(traces)
        self.traceback_limit = traceback_limit

    @staticmethod
    def _keep(include_filters, exclude_filters, trace):
        if include_filters:
            for f in include_filters:
                if f._match(trace):
                    break
            else:
                return False
        for f in exclude_filters:
            if not f._match(trace):
                return False
        return True

    def filter_traces(self, filters):
        """A new Snapshot with the traces the filters keep (a trace is kept
        when one inclusive filter, if any, matches it and no exclusive one
        rejects it); an empty list copies every trace."""
        if not _is_iterable(filters):
            raise TypeError("filters must be a list of filters, not %s"
                            % type(filters).__name__)
        if filters:
            include_filters = []
            exclude_filters = []
            for f in filters:
                if f.inclusive:
                    include_filters.append(f)
                else:
                    exclude_filters.append(f)
            kept = [t for t in self.traces._traces
                    if self._keep(include_filters, exclude_filters, t)]
        else:
            kept = list(self.traces._traces)
        return Snapshot(kept, self.traceback_limit)

    def _group_by(self, key_type, cumulative):
        if key_type not in ('traceback', 'filename', 'lineno'):
            raise ValueError("unknown key_type: %r" % (key_type,))
        if cumulative and key_type not in ('lineno', 'filename'):
            raise ValueError("cumulative mode cannot by used "
                             "with key type %r" % key_type)
        stats = {}
        keys = {}          # raw traceback (or frame) -> Traceback key
        for domain, size, raw, total_nframe in self.traces._traces:
            parts = ((f,) for f in raw) if cumulative else (raw,)
            for part in parts:
                key = keys.get(part)
                if key is None:
                    if key_type == 'traceback':
                        frames = part
                    elif key_type == 'lineno':
                        frames = part[:1]
                    else:
                        frames = ((part[0][0], 0),)
                    key = keys[part] = Traceback(frames)
                stat = stats.get(key)
                if stat is None:
                    stats[key] = Statistic(key, size, 1)
                else:
                    stat.size += size
                    stat.count += 1
        return stats

    def statistics(self, key_type, cumulative=False):
        """Statistics grouped by key_type ('lineno', 'filename' or
        'traceback'), biggest first."""
        stats = list(self._group_by(key_type, cumulative).values())
        stats.sort(reverse=True, key=Statistic._sort_key)
        return stats

    def compare_to(self, old_snapshot, key_type, cumulative=False):
        """StatisticDiffs from old_snapshot to this one, biggest change first."""
        new_group = self._group_by(key_type, cumulative)
        old_group = old_snapshot._group_by(key_type, cumulative)
        diffs = _compare_grouped_stats(old_group, new_group)
        diffs.sort(reverse=True, key=StatisticDiff._sort_key)
        return diffs


def take_snapshot():
    """A Snapshot of the traces of the memory blocks allocated now."""
    if not is_tracing():
        raise RuntimeError("the tracemalloc module must be tracing memory "
                           "allocations to take a snapshot")
    traces = _get_traces()
    return Snapshot(traces, get_traceback_limit())
