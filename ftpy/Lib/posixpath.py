"""os.path for POSIX: path names as strs ('/' separated).

Design notes
  The pure functions (join, split, basename, dirname, splitext, normpath,
  isabs) follow CPython's posixpath rules; the file tests (exists,
  isfile, isdir, getsize) go through os.stat. os imports this module
  while os is being made, so os is imported inside the functions only.
  bytes paths are not supported.
"""

sep = '/'
curdir = '.'
pardir = '..'
extsep = '.'
pathsep = ':'
defpath = '/bin:/usr/bin'
altsep = None
devnull = '/dev/null'

_S_IFMT = 0o170000
_S_IFDIR = 0o040000
_S_IFREG = 0o100000
_S_IFLNK = 0o120000


def _fspath(p, fname):
    """p as a str (os.fspath): TypeError "expected str, bytes or
    os.PathLike object, not int" otherwise."""
    if isinstance(p, str):
        return p
    import os
    return os.fspath(p)


def isabs(s):
    """True when s starts with a slash."""
    return _fspath(s, 'isabs').startswith('/')


def join(a, *p):
    """Joins path components; an absolute component drops what is before."""
    path = _fspath(a, 'join')
    for b in p:
        if not isinstance(b, str):
            b = _fspath(b, 'join')
        if b.startswith('/'):
            path = b
        elif not path or path.endswith('/'):
            path += b
        else:
            path += '/' + b
    return path


def split(p):
    """(head, tail): tail is everything after the last slash."""
    p = _fspath(p, 'split')
    i = p.rfind('/') + 1
    head, tail = p[:i], p[i:]
    if head and head != '/' * len(head):
        head = head.rstrip('/')
    return head, tail


def basename(p):
    """The final component of a path."""
    p = _fspath(p, 'basename')
    return p[p.rfind('/') + 1:]


def dirname(p):
    """The directory component of a path."""
    p = _fspath(p, 'dirname')
    i = p.rfind('/') + 1
    head = p[:i]
    if head and head != '/' * len(head):
        head = head.rstrip('/')
    return head


def splitext(p):
    """(root, ext): ext is the last dot and what follows it, unless the dot
    leads the final component (leading dots do not start an extension)."""
    p = _fspath(p, 'splitext')
    sep_index = p.rfind('/')
    dot_index = p.rfind('.')
    if dot_index > sep_index:
        filename_index = sep_index + 1
        while filename_index < dot_index:
            if p[filename_index] != '.':
                return p[:dot_index], p[dot_index:]
            filename_index += 1
    return p, p[:0]


def normpath(path):
    """Collapses redundant separators and up-level references."""
    path = _fspath(path, 'normpath')
    if path == '':
        return '.'
    initial_slashes = 1 if path.startswith('/') else 0
    # POSIX allows one or two initial slashes, but treats three or more
    # as a single slash.
    if initial_slashes and path.startswith('//') and not path.startswith('///'):
        initial_slashes = 2
    new_comps = []
    for comp in path.split('/'):
        if comp in ('', '.'):
            continue
        if (comp != '..' or (not initial_slashes and not new_comps) or
                (new_comps and new_comps[-1] == '..')):
            new_comps.append(comp)
        elif new_comps:
            new_comps.pop()
    path = '/'.join(new_comps)
    if initial_slashes:
        path = '/' * initial_slashes + path
    return path or '.'


def abspath(path):
    """The normalized absolute version of path."""
    import os
    path = _fspath(path, 'abspath')
    if not path.startswith('/'):
        path = join(os.getcwd(), path)
    return normpath(path)


def _mode(path):
    import os
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def exists(path):
    """True when path names an existing file (following symbolic links)."""
    return _mode(path) is not None


def isfile(path):
    """True when path is a regular file."""
    mode = _mode(path)
    return mode is not None and mode & _S_IFMT == _S_IFREG


def isdir(s):
    """True when s is a directory."""
    mode = _mode(s)
    return mode is not None and mode & _S_IFMT == _S_IFDIR


def islink(path):
    """True when path is a symbolic link."""
    import os
    try:
        return os.stat(path, follow_symlinks=False).st_mode & _S_IFMT == _S_IFLNK
    except (OSError, ValueError):
        return False


def getsize(filename):
    """The size of a file in bytes (OSError when it does not exist)."""
    import os
    return os.stat(filename).st_size


def getmtime(filename):
    """The last modification time of a file, in seconds."""
    import os
    return os.stat(filename).st_mtime
