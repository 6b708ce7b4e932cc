"""The socket module: CPython's socket.py over ftpy's _socket.

Design notes
  _socket (modules/socket.c) has the socket type, the constants and the
  low-level functions; this module adds what CPython writes in Python:
  the socket subclass (accept() returning a socket, the context manager,
  the repr with laddr/raddr, the family/type properties as enums),
  socketpair, create_connection, create_server, getaddrinfo with enum
  families.
  CPython's AddressFamily and SocketKind are IntEnums; ftpy has no enum
  module, so here they are int subclasses with the same repr
  (<AddressFamily.AF_INET: 2>) and str ('2', as 3.11's IntEnum), and the
  AF_*/SOCK_* constants are their members, as in CPython.
  Not here: makefile() (ftpy has no io module), sendfile, dup, the
  ancillary-data calls (sendmsg/recvmsg), socket.fromfd.
"""

import _socket
from _socket import *
import os

__all__ = ["socket", "socketpair", "create_connection", "create_server",
           "has_dualstack_ipv6", "getaddrinfo", "AddressFamily", "SocketKind",
           "error", "timeout", "gaierror", "herror", "gethostname",
           "getdefaulttimeout", "setdefaulttimeout"]

error = OSError
timeout = TimeoutError


class _IntConstant(int):
    """A named int constant that prints like CPython's IntEnum member."""

    _members = None   # each subclass: {value: member}

    def __repr__(self):
        return '<%s.%s: %d>' % (type(self).__name__, self._name, int(self))

    def __str__(self):
        return int.__repr__(self)

    def __format__(self, spec):
        return format(int(self), spec)

    @property
    def name(self):
        return self._name

    @property
    def value(self):
        return int(self)

    @classmethod
    def _make(cls, names):
        members = {}
        g = globals()
        for name in names:
            if name in g:
                value = g[name]
                if value in members:
                    continue
                member = cls(value)
                member._name = name
                members[value] = member
                g[name] = member
        cls._members = members

    @classmethod
    def _of(cls, value):
        """The member for value, or the plain int when none has it."""
        return cls._members.get(value, value)


class AddressFamily(_IntConstant):
    pass


class SocketKind(_IntConstant):
    pass


AddressFamily.__module__ = 'socket'
SocketKind.__module__ = 'socket'
AddressFamily._make(['AF_UNSPEC', 'AF_INET', 'AF_INET6', 'AF_UNIX'])
SocketKind._make(['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW'])

_GLOBAL_DEFAULT_TIMEOUT = object()


class socket(_socket.socket):
    """A socket object: socket(family=AF_INET, type=SOCK_STREAM, proto=0,
    fileno=None)."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None:
            if family == -1:
                family = AF_INET
            if type == -1:
                type = SOCK_STREAM
            if proto == -1:
                proto = 0
        _socket.socket.__init__(self, family, type, proto, fileno)
        self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *args):
        if not self._closed:
            self.close()

    def __repr__(self):
        closed = getattr(self, '_closed', False)
        s = "<%s.%s%s fd=%i, family=%s, type=%s, proto=%i" % (
            self.__class__.__module__, self.__class__.__qualname__,
            " [closed]" if closed else "", self.fileno(), self.family,
            self.type, self.proto)
        if not closed:
            try:
                laddr = self.getsockname()
                if laddr:
                    s += ", laddr=%s" % str(laddr)
            except error:
                pass
            try:
                raddr = self.getpeername()
                if raddr:
                    s += ", raddr=%s" % str(raddr)
            except error:
                pass
        return s + '>'

    def __getstate__(self):
        raise TypeError(f"cannot pickle {self.__class__.__name__!r} object")

    def accept(self):
        """(conn, address): a new socket for the next connection."""
        fd, addr = self._accept()
        sock = socket(self.family, self.type, self.proto, fileno=fd)
        if getdefaulttimeout() is None and self.gettimeout():
            sock.setblocking(True)
        return sock, addr

    def close(self):
        self._closed = True
        _socket.socket.close(self)

    def detach(self):
        self._closed = True
        return _socket.socket.detach(self)

    @property
    def family(self):
        """The address family (AddressFamily)."""
        return AddressFamily._of(_socket.socket.family.__get__(self))

    @property
    def type(self):
        """The socket type (SocketKind)."""
        return SocketKind._of(_socket.socket.type.__get__(self))


socket.__module__ = 'socket'
SocketType = _socket.socket


def socketpair(family=None, type=SOCK_STREAM, proto=0):
    """Two connected sockets (AF_UNIX by default)."""
    if family is None:
        family = AF_UNIX
    a, b = _socket.socketpair(family, type, proto)
    a = socket(family, type, proto, a.detach())
    b = socket(family, type, proto, b.detach())
    return a, b


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT,
                      source_address=None, *, all_errors=False):
    """Connects to (host, port), trying each address getaddrinfo gives;
    raises the last error (or an ExceptionGroup of all with all_errors)."""
    host, port = address
    exceptions = []
    for res in getaddrinfo(host, port, 0, SOCK_STREAM):
        af, socktype, proto, canonname, sa = res
        sock = None
        try:
            sock = socket(af, socktype, proto)
            if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sa)
            exceptions.clear()
            return sock
        except error as exc:
            if not all_errors:
                exceptions.clear()
            exceptions.append(exc)
            if sock is not None:
                sock.close()
    if len(exceptions):
        try:
            if not all_errors:
                raise exceptions[0]
            raise ExceptionGroup("create_connection failed", exceptions)
        finally:
            exceptions.clear()
    else:
        raise error("getaddrinfo returns an empty list")


def has_dualstack_ipv6():
    """True when an AF_INET6 socket can also take IPv4 connections."""
    try:
        with socket(AF_INET6, SOCK_STREAM) as sock:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0)
            return True
    except error:
        return False


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False,
                  dualstack_ipv6=False):
    """A listening TCP socket bound to address (SO_REUSEADDR set)."""
    if dualstack_ipv6:
        if not has_dualstack_ipv6():
            raise ValueError("dualstack_ipv6 not supported on this platform")
        if family != AF_INET6:
            raise ValueError("dualstack_ipv6 requires AF_INET6 family")
    sock = socket(family, SOCK_STREAM)
    try:
        try:
            sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        except error:
            pass
        if reuse_port:
            sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)
        if family == AF_INET6:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0 if dualstack_ipv6 else 1)
        try:
            sock.bind(address)
        except error as err:
            msg = '%s (while attempting to bind on address %r)' % (err.strerror, address)
            raise error(err.errno, msg) from None
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock
    except error:
        sock.close()
        raise


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """[(family, type, proto, canonname, sockaddr)] for host and port."""
    addrlist = []
    for res in _socket.getaddrinfo(host, port, family, type, proto, flags):
        af, socktype, proto, canonname, sa = res
        addrlist.append((AddressFamily._of(af), SocketKind._of(socktype),
                         proto, canonname, sa))
    return addrlist
