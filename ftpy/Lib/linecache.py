"""linecache: the lines of source files, read once and kept.

tracemalloc's Traceback.format and traceback printers ask for one line of
a file at a time; the file is read whole the first time and its lines
kept in `cache`, as CPython's linecache does:

    cache[filename] = (size, mtime, lines, fullname)   a file read
    cache[filename] = (get_lines,)                     lazycache: a loader

Lines keep their '\\n' (a last line without one gets it). A name like
"<frozen x>" or "<string>" is no file: its lines are [] and getline
gives "". A relative name not found from the current folder is looked
for along sys.path, as CPython does for module files.

ftpy differences: the text is read as UTF-8 (no coding cookie is
honoured); when the os module has no stat(), the size and a fingerprint
of the content stand in for (st_size, st_mtime), so checkcache still
notices a changed file.
"""

import sys

__all__ = ["getline", "clearcache", "checkcache", "lazycache"]

cache = {}


def clearcache():
    """Forget every cached file."""
    cache.clear()


def getline(filename, lineno, module_globals=None):
    """Line lineno (1-based) of filename with its newline, or ''."""
    lines = getlines(filename, module_globals)
    if 1 <= lineno <= len(lines):
        return lines[lineno - 1]
    return ''


def getlines(filename, module_globals=None):
    """Every line of filename (read on first use), or []."""
    entry = cache.get(filename)
    if entry is not None and len(entry) != 1:
        return entry[2]
    try:
        return updatecache(filename, module_globals)
    except MemoryError:
        clearcache()
        return []


def _os_stat():
    """os.stat when this ftpy has it, else None."""
    try:
        import os
    except ImportError:
        return None
    return getattr(os, 'stat', None)


def _read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


def _file_key(path):
    """(size, mtime) of the file at path; OSError when it cannot be read."""
    stat = _os_stat()
    if stat is not None:
        st = stat(path)
        return st.st_size, st.st_mtime
    data = _read_bytes(path)
    return len(data), hash(data)


def checkcache(filename=None):
    """Drop cached files that changed or went away since they were read."""
    if filename is None:
        names = list(cache.keys())
    elif filename in cache:
        names = [filename]
    else:
        return
    for name in names:
        entry = cache.get(name)
        if entry is None or len(entry) == 1:
            continue   # lazy entries stay lazy
        size, mtime, lines, fullname = entry
        if mtime is None:
            continue   # lines from a loader: nothing to compare
        try:
            key = _file_key(fullname)
        except OSError:
            cache.pop(name, None)
            continue
        if key != (size, mtime):
            cache.pop(name, None)


def _split_lines(text):
    """Lines as a text-mode readlines() gives them, each ending in '\\n'."""
    text = text.replace('\r\n', '\n').replace('\r', '\n')
    lines = []
    start = 0
    while True:
        end = text.find('\n', start)
        if end < 0:
            break
        lines.append(text[start:end + 1])
        start = end + 1
    if start < len(text):
        lines.append(text[start:] + '\n')
    return lines


def _is_pseudo_name(filename):
    return not filename or (filename.startswith('<') and filename.endswith('>'))


def _loader_lines(filename, module_globals):
    """Lines from a module's __loader__.get_source, or None."""
    if not lazycache(filename, module_globals):
        return None
    try:
        source = cache[filename][0]()
    except (ImportError, OSError):
        source = None
    if source is None:
        return None
    lines = _split_lines(source)
    cache[filename] = (len(source), None, lines, filename)
    return lines


def _candidates(filename):
    """The paths to try: the name itself, then along sys.path if relative."""
    yield filename
    if filename.startswith('/'):
        return
    for folder in getattr(sys, 'path', []):
        if not isinstance(folder, str):
            continue
        if folder == '':
            folder = '.'
        yield folder.rstrip('/') + '/' + filename


def updatecache(filename, module_globals=None):
    """Read filename again into the cache; its lines, or [] if unreadable."""
    entry = cache.get(filename)
    if entry is not None and len(entry) != 1:
        cache.pop(filename, None)
    if _is_pseudo_name(filename):
        return []
    for path in _candidates(filename):
        try:
            data = _read_bytes(path)
        except (OSError, ValueError):
            continue
        break
    else:
        lines = _loader_lines(filename, module_globals)
        return lines if lines is not None else []
    try:
        if data.startswith(b'\xef\xbb\xbf'):
            data = data[3:]
        text = data.decode('utf-8')
    except UnicodeError:
        return []
    try:
        size, mtime = _file_key(path)
    except OSError:
        size, mtime = len(data), hash(data)
    lines = _split_lines(text)
    cache[filename] = (size, mtime, lines, path)
    return lines


def lazycache(filename, module_globals):
    """Remember that filename's source can come from a module's loader.

    True when the lines are (or can later be) had that way: the entry is a
    one-item tuple holding a function that returns the source.
    """
    if filename in cache:
        return len(cache[filename]) == 1
    if _is_pseudo_name(filename):
        return False
    if not module_globals or '__name__' not in module_globals:
        return False
    name = module_globals['__name__']
    loader = module_globals.get('__loader__')
    if loader is None:
        spec = module_globals.get('__spec__')
        loader = getattr(spec, 'loader', None)
    get_source = getattr(loader, 'get_source', None)
    if get_source is None:
        return False

    def get_lines():
        return get_source(name)

    cache[filename] = (get_lines,)
    return True
