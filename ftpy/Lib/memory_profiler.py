"""memory_profiler: line-by-line memory use of Python functions (built in).

ftpy's own version of the third-party memory_profiler 0.61 API:

    @profile                      runs the function with sys.settrace and,
                                  after each call, prints the report:
    Filename: x.py

    Line #    Mem usage    Increment  Occurrences   Line Contents
    =============================================================
         3     21.4 MiB     21.4 MiB           1   @profile
         4                                         def f(n):
         5     29.0 MiB      7.6 MiB           1       a = [1] * n

    memory_usage(proc=-1, interval=.1, timeout=None, max_usage=False,
                 retval=False, ...)   memory samples (MiB) of this process
                                  or of a call (f, args, kwargs)
    LineProfiler, show_results, choose_backend as in the original.

How it measures: memory is the resident set size (RSS), read from
/proc/<pid>/statm (what the original gets through psutil), taken at every
'line' and 'return' event of the profiled code. The bookkeeping follows
the original exactly: a line's "Mem usage" is the largest RSS seen after
it ran, its "Increment" the sum of the RSS changes across it, and the
`def` (or first decorator) line carries the memory at the call.

ftpy differences: there is no psutil, multiprocessing, IPython magics,
`python -m memory_profiler` or child-process accounting; every backend
name measures RSS. memory_usage of a callable runs it ONCE and samples
RSS at each line it executes (throttled by `interval`) instead of a
sampling process (the original re-runs quick functions with smaller
intervals).
"""

import sys

__version__ = '0.61.0'

_TWO_20 = float(2 ** 20)
_PAGE = 4096


def _page_size():
    try:
        import os
        return os.sysconf('SC_PAGE_SIZE')
    except Exception:
        return 4096


def _rss_mib(pid=-1):
    """The resident set size of process pid (-1: this one) in MiB."""
    path = '/proc/self/statm' if pid == -1 else '/proc/%d/statm' % pid
    with open(path) as f:
        fields = f.read().split()
    return int(fields[1]) * _PAGE / _TWO_20


def _get_memory(pid, backend, timestamps=False, include_children=False,
                filename=None):
    mem = _rss_mib(pid)
    if timestamps:
        import time
        return mem, time.time()
    return mem


def choose_backend(new_backend=None):
    """The backend to measure with: ftpy always measures RSS ('psutil')."""
    if new_backend is None:
        return 'psutil'
    if new_backend not in ('psutil', 'psutil_pss', 'psutil_uss', 'posix',
                           'tracemalloc'):
        raise KeyError(new_backend)
    return new_backend


# ---- source lines -------------------------------------------------------------

_source_cache = {}


def _getlines(filename):
    lines = _source_cache.get(filename)
    if lines is None:
        try:
            with open(filename) as f:
                text = f.read()
        except OSError:
            return []
        lines = text.splitlines(True)
        if lines and not lines[-1].endswith('\n'):
            lines[-1] += '\n'
        _source_cache[filename] = lines
    return lines


def _indent(line):
    return len(line) - len(line.lstrip())


def _open_brackets(line, depth):
    """depth after line: ([{ minus )]}, strings and comments skipped."""
    quote = None
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if quote:
            if c == '\\':
                i += 1
            elif c == quote:
                quote = None
        elif c in '\'"':
            quote = c
        elif c == '#':
            break
        elif c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        i += 1
    return depth


def _block_linenos(lines, first):
    """The lines (1-based range) of the def statement at line `first`
    (its decorators first), as inspect.getsourcelines finds them."""
    i = first - 1
    if i >= len(lines):
        return range(first, first + 1)
    col = _indent(lines[i])
    # decorators, then the header up to its closing ':'
    while i < len(lines) and lines[i].lstrip().startswith('@'):
        depth = _open_brackets(lines[i], 0)
        i += 1
        while depth > 0 and i < len(lines):
            depth = _open_brackets(lines[i], depth)
            i += 1
    depth = 0
    while i < len(lines):
        depth = _open_brackets(lines[i], depth)
        i += 1
        if depth <= 0:
            break
    header_end = i        # lines[:header_end] are decorators + header
    last = header_end
    body_col = None
    depth = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if depth > 0:
            depth = _open_brackets(line, depth)
            last = i + 1
        elif not stripped:
            pass
        elif _indent(line) <= col:
            break
        elif stripped.startswith('#'):
            if body_col is not None and _indent(line) >= body_col:
                last = i + 1
        else:
            if body_col is None:
                body_col = _indent(line)
            depth = _open_brackets(line, 0)
            last = i + 1
        i += 1
    return range(first, last + 1)


# ---- the line profiler ----------------------------------------------------------

def _is_code(o):
    return type(o) is type(_is_code.__code__)


class CodeMap(dict):
    """code -> {lineno: (increment, max memory, occurrences)}; the codes
    nested in a profiled function share its table."""

    def __init__(self, include_children, backend):
        dict.__init__(self)
        self.include_children = include_children
        self._toplevel = []
        self.backend = backend

    def add(self, code, toplevel_code=None):
        if code in self:
            return
        if toplevel_code is None:
            filename = code.co_filename
            if filename.endswith(('.pyc', '.pyo')):
                filename = filename[:-1]
            lines = _getlines(filename)
            if not lines:
                print('ERROR: Could not find file ' + filename)
                return
            toplevel_code = code
            linenos = _block_linenos(lines, code.co_firstlineno)
            self._toplevel.append((filename, code, linenos))
            self[code] = {}
        else:
            self[code] = self[toplevel_code]
        for sub in code.co_consts:
            if _is_code(sub):
                self.add(sub, toplevel_code=toplevel_code)

    def trace(self, code, lineno, prev_lineno):
        memory = _get_memory(-1, self.backend,
                             include_children=self.include_children,
                             filename=code.co_filename)
        table = self[code]
        prev_value = table.get(lineno, None)
        previous_memory = prev_value[1] if prev_value else 0
        previous_inc = prev_value[0] if prev_value else 0
        prev_line_value = table.get(prev_lineno, None) if prev_lineno else None
        prev_line_memory = prev_line_value[1] if prev_line_value else 0
        occ_count = table[lineno][2] + 1 if lineno in table else 1
        table[lineno] = (previous_inc + (memory - prev_line_memory),
                         max(memory, previous_memory), occ_count)

    def items(self):
        """(filename, iterator of (lineno, measure or None)) per function."""
        for (filename, code, linenos) in self._toplevel:
            measures = self[code]
            if not measures:
                continue
            yield (filename, [(line, measures.get(line)) for line in linenos])


class LineProfiler(object):
    """Records the memory of every line of the functions it wraps."""

    def __init__(self, **kw):
        include_children = kw.get('include_children', False)
        backend = kw.get('backend', 'psutil')
        self.code_map = CodeMap(include_children=include_children,
                                backend=backend)
        self.enable_count = 0
        self.max_mem = kw.get('max_mem', None)
        self.prevlines = []
        self.backend = choose_backend(kw.get('backend', None))
        self.prev_lineno = None
        self._original_trace_function = None

    def __call__(self, func=None, precision=1):
        if func is not None:
            self.add_function(func)
            f = self.wrap_function(func)
            f.__module__ = func.__module__
            f.__name__ = func.__name__
            f.__doc__ = func.__doc__
            f.__dict__.update(getattr(func, '__dict__', {}))
            return f

        def inner_partial(f):
            return self.__call__(f, precision=precision)
        return inner_partial

    def add_function(self, func):
        try:
            code = func.__code__
        except AttributeError:
            import warnings
            warnings.warn("Could not extract a code object for the object %r"
                          % (func,))
        else:
            self.code_map.add(code)

    def wrap_function(self, func):
        def f(*args, **kwds):
            self.enable_by_count()
            try:
                return func(*args, **kwds)
            finally:
                self.disable_by_count()
        return f

    def runctx(self, cmd, globals, locals):
        self.enable_by_count()
        try:
            exec(cmd, globals, locals)
        finally:
            self.disable_by_count()
        return self

    def enable_by_count(self):
        if self.enable_count == 0:
            self.enable()
        self.enable_count += 1

    def disable_by_count(self):
        if self.enable_count > 0:
            self.enable_count -= 1
            if self.enable_count == 0:
                self.disable()

    def trace_memory_usage(self, frame, event, arg):
        """The sys.settrace function."""
        if frame.f_code in self.code_map:
            if event == 'call':
                # the call only records where we are
                self.prevlines.append(frame.f_lineno)
            elif event == 'line':
                # the line that just ran gets the memory now
                self.code_map.trace(frame.f_code, self.prevlines[-1],
                                    self.prev_lineno)
                self.prev_lineno = self.prevlines[-1]
                self.prevlines[-1] = frame.f_lineno
            elif event == 'return':
                lineno = self.prevlines.pop()
                self.code_map.trace(frame.f_code, lineno, self.prev_lineno)
                self.prev_lineno = lineno
        if self._original_trace_function is not None:
            self._original_trace_function(frame, event, arg)
        return self.trace_memory_usage

    def __enter__(self):
        self.enable_by_count()

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.disable_by_count()

    def enable(self):
        self._original_trace_function = sys.gettrace()
        sys.settrace(self.trace_memory_usage)

    def disable(self):
        sys.settrace(self._original_trace_function)


def show_results(prof, stream=None, precision=1):
    """Writes the line-by-line table of every profiled function."""
    if stream is None:
        stream = sys.stdout
    template = '{0:>6} {1:>12} {2:>12}  {3:>10}   {4:<}'
    for (filename, lines) in prof.code_map.items():
        header = template.format('Line #', 'Mem usage', 'Increment',
                                 'Occurrences', 'Line Contents')
        stream.write('Filename: ' + filename + '\n\n')
        stream.write(header + '\n')
        stream.write('=' * len(header) + '\n')
        all_lines = _getlines(filename)
        float_format = '{0}.{1}f'.format(precision + 4, precision)
        template_mem = '{0:' + float_format + '} MiB'
        for (lineno, mem) in lines:
            if mem:
                inc = template_mem.format(mem[0])
                total_mem = template_mem.format(mem[1])
                occurrences = mem[2]
            else:
                total_mem = ''
                inc = ''
                occurrences = ''
            text = all_lines[lineno - 1] if lineno <= len(all_lines) else '\n'
            stream.write(template.format(lineno, total_mem, inc, occurrences,
                                         text))
        stream.write('\n\n')


def _wraps(wrapper, func):
    for name in ('__module__', '__name__', '__qualname__', '__doc__'):
        try:
            setattr(wrapper, name, getattr(func, name))
        except AttributeError:
            pass
    try:
        wrapper.__dict__.update(func.__dict__)
    except AttributeError:
        pass
    wrapper.__wrapped__ = func
    return wrapper


def profile(func=None, stream=None, precision=1, backend='psutil'):
    """Decorator: runs the function under a LineProfiler and prints the
    report after every call."""
    backend = choose_backend(backend)
    if func is not None:
        def wrapper(*args, **kwargs):
            prof = LineProfiler(backend=backend)
            val = prof(func)(*args, **kwargs)
            show_results(prof, stream=stream, precision=precision)
            return val
        return _wraps(wrapper, func)

    def inner_wrapper(f):
        return profile(f, stream=stream, precision=precision, backend=backend)
    return inner_wrapper


# ---- memory_usage -------------------------------------------------------------

class _Sampler(object):
    """Samples RSS from a trace function at most every `interval` seconds
    (and keeps the peak at every event when only the maximum is wanted)."""

    def __init__(self, interval, max_usage, timestamps):
        import time
        self._time = time.time
        self.interval = interval
        self.max_usage = max_usage
        self.timestamps = timestamps
        self.samples = []
        self.peak = -1
        self.last = self._time()
        self.count = 0

    def take(self):
        mem = _rss_mib()
        self.count += 1
        if self.max_usage:
            if mem > self.peak:
                self.peak = mem
            return
        if self.timestamps:
            self.samples.append((mem, self._time()))
        else:
            self.samples.append(mem)

    def trace(self, frame, event, arg):
        if event == 'line' or event == 'return':
            now = self._time()
            if self.max_usage or now - self.last >= self.interval:
                self.last = now
                self.take()
        return self.trace


def memory_usage(proc=-1, interval=.1, timeout=None, timestamps=False,
                 include_children=False, multiprocess=False, max_usage=False,
                 retval=False, stream=None, backend=None, max_iterations=None):
    """Memory samples in MiB: of a call when proc is a callable or a tuple
    (f, args, kwargs), else of the process proc (-1: this one), taken
    every `interval` seconds until `timeout` (one sample without one).
    max_usage: only the peak (a float). retval: (samples, f's result)."""
    backend = choose_backend(backend)
    if stream is not None:
        timestamps = True
    if callable(proc):
        proc = (proc, (), {})
    if isinstance(proc, (list, tuple)):
        if len(proc) == 1:
            f, args, kw = (proc[0], (), {})
        elif len(proc) == 2:
            f, args, kw = (proc[0], proc[1], {})
        elif len(proc) == 3:
            f, args, kw = (proc[0], proc[1], proc[2])
        else:
            raise ValueError
        sampler = _Sampler(interval, max_usage, timestamps)
        sampler.take()                       # the baseline
        old = sys.gettrace()
        sys.settrace(sampler.trace)
        try:
            returned = f(*args, **kw)
        finally:
            sys.settrace(old)
        sampler.take()                       # the end
        ret = sampler.peak if max_usage else sampler.samples
        if stream is not None and not max_usage:
            for mem, t in ret:
                stream.write("MEM {0:.6f} {1:.4f}\n".format(mem, t))
            ret = None
        if retval:
            ret = ret, returned
        return ret
    # a process: -1 is this one
    import time
    pid = proc if isinstance(proc, int) else getattr(proc, 'pid', -1)
    if not isinstance(pid, int):
        pid = int(pid)
    try:
        import os
        if pid == os.getpid():
            pid = -1
    except Exception:
        pass
    if timeout is not None:
        max_iter = int(round(timeout / interval))
    else:
        max_iter = 1
    ret = -1 if max_usage else []
    counter = 0
    while counter < max_iter:
        counter += 1
        mem = _get_memory(pid, backend, timestamps=timestamps)
        if max_usage:
            ret = max(ret, mem)
        elif stream is not None:
            stream.write("MEM {0:.6f} {1:.4f}\n".format(*mem))
        else:
            ret.append(mem)
        time.sleep(interval)
    if stream:
        return None
    return ret


_PAGE = _page_size()
