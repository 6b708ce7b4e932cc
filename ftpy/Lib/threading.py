"""threading: higher-level thread objects on top of _thread.

Design notes (ftpy)
- Every Thread is an ftlab thread started by _thread.start_new_thread; it
  runs bytecode attached and detaches in every blocking wait (locks,
  sleep, join), so the flavors differ only in how many run at once.
- Thread.join waits on the thread's "sentinel" lock (_thread._set_sentinel):
  the thread takes it at its start and _thread releases it once the thread
  has finished its Python code, as CPython 3.11 does.
- Condition, Event, Semaphore, Barrier are built from the two primitives
  _thread gives: Lock and RLock (whose _release_save/_acquire_restore let a
  Condition wait on a lock held recursively).
- _shutdown() (called by ftpy after __main__ ends) joins every non-daemon
  thread. Daemon threads still running afterwards die with the process:
  ftpy then flushes its output and exits without tearing the interpreter
  down (main.c), which is what CPython amounts to as well.
- settrace/setprofile hooks are installed in new threads when the sys
  module has settrace/setprofile.
"""

import _thread
import sys as _sys
from time import monotonic as _time

__all__ = ['get_ident', 'active_count', 'Condition', 'current_thread',
           'enumerate', 'main_thread', 'TIMEOUT_MAX', 'Event', 'Lock',
           'RLock', 'Semaphore', 'BoundedSemaphore', 'Thread', 'Barrier',
           'BrokenBarrierError', 'Timer', 'ThreadError', 'ExceptHookArgs',
           'setprofile', 'settrace', 'local', 'stack_size', 'excepthook',
           'get_native_id', 'getprofile', 'gettrace']

_start_new_thread = _thread.start_new_thread
_allocate_lock = _thread.allocate_lock
_set_sentinel = _thread._set_sentinel
get_ident = _thread.get_ident
get_native_id = _thread.get_native_id
ThreadError = _thread.error
TIMEOUT_MAX = _thread.TIMEOUT_MAX
stack_size = _thread.stack_size
local = _thread._local
Lock = _allocate_lock
_CRLock = _thread.RLock

_trace_hook = None
_profile_hook = None


def settrace(func):
    """Set a trace function for every thread started from now on."""
    global _trace_hook
    _trace_hook = func


def gettrace():
    return _trace_hook


def setprofile(func):
    """Set a profile function for every thread started from now on."""
    global _profile_hook
    _profile_hook = func


def getprofile():
    return _profile_hook


def RLock(*args, **kwargs):
    """A reentrant lock: the owner may acquire it again without blocking."""
    return _CRLock(*args, **kwargs)


# ---- Condition -------------------------------------------------------------

class Condition:
    """A condition variable: threads wait() until another notify()s them.

    Each waiter blocks on a lock of its own that notify() releases; the
    condition's lock is let go (completely, for an RLock) while waiting.
    """

    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        if hasattr(lock, '_release_save'):
            self._release_save = lock._release_save
        if hasattr(lock, '_acquire_restore'):
            self._acquire_restore = lock._acquire_restore
        if hasattr(lock, '_is_owned'):
            self._is_owned = lock._is_owned
        self._waiters = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def __repr__(self):
        return "<Condition(%s, %d)>" % (self._lock, len(self._waiters))

    def _release_save(self):
        self._lock.release()

    def _acquire_restore(self, state):
        self._lock.acquire()

    def _is_owned(self):
        # A plain lock: owned by us when we cannot take it.
        if self._lock.acquire(False):
            self._lock.release()
            return False
        return True

    def wait(self, timeout=None):
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        saved = self._release_save()
        got = False
        try:
            if timeout is None:
                waiter.acquire()
                got = True
            elif timeout > 0:
                got = waiter.acquire(True, timeout)
            else:
                got = waiter.acquire(False)
            return got
        finally:
            self._acquire_restore(saved)
            if not got:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass

    def wait_for(self, predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _time() + waittime
                else:
                    waittime = endtime - _time()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        waiters = self._waiters
        while waiters and n > 0:
            waiter = waiters[0]
            try:
                waiter.release()
            except RuntimeError:
                pass            # it timed out meanwhile
            else:
                n -= 1
            try:
                waiters.remove(waiter)
            except ValueError:
                pass

    def notify_all(self):
        self.notify(len(self._waiters))

    notifyAll = notify_all


# ---- Semaphores --------------------------------------------------------------

class Semaphore:
    """A counter that acquire() decrements, waiting while it is 0."""

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._cond = Condition(Lock())
        self._value = value

    def __repr__(self):
        cls = self.__class__
        return "<%s.%s at %#x: value=%s>" % (cls.__module__, cls.__qualname__,
                                             id(self), self._value)

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        got = False
        endtime = None
        with self._cond:
            while self._value == 0:
                if not blocking:
                    break
                if timeout is not None:
                    if endtime is None:
                        endtime = _time() + timeout
                    else:
                        timeout = endtime - _time()
                        if timeout <= 0:
                            break
                self._cond.wait(timeout)
            else:
                self._value -= 1
                got = True
        return got

    __enter__ = acquire

    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            self._value += n
            self._cond.notify(n)

    def __exit__(self, t, v, tb):
        self.release()


class BoundedSemaphore(Semaphore):
    """A Semaphore that refuses to go above its initial value."""

    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def __repr__(self):
        cls = self.__class__
        return "<%s.%s at %#x: value=%s/%s>" % (cls.__module__, cls.__qualname__,
                                                id(self), self._value,
                                                self._initial_value)

    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            self._cond.notify(n)


# ---- Event --------------------------------------------------------------------

class Event:
    """A flag threads can wait for."""

    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def __repr__(self):
        cls = self.__class__
        status = 'set' if self._flag else 'unset'
        return "<%s.%s at %#x: %s>" % (cls.__module__, cls.__qualname__, id(self),
                                       status)

    def is_set(self):
        return self._flag

    isSet = is_set

    def set(self):
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        with self._cond:
            signaled = self._flag
            if not signaled:
                signaled = self._cond.wait(timeout)
            return signaled


# ---- Barrier --------------------------------------------------------------------

class BrokenBarrierError(RuntimeError):
    pass


# Barrier states: threads arrive (FILLING), the last one lets them all go
# (DRAINING: nobody may enter before every waiter has left), a reset while
# threads wait (RESETTING: they leave with BrokenBarrierError), BROKEN.
_FILLING, _DRAINING, _RESETTING, _BROKEN = 0, 1, -1, -2


class Barrier:
    """parties threads wait() until all have arrived; each gets its index."""

    def __init__(self, parties, action=None, timeout=None):
        self._cond = Condition(Lock())
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._state = _FILLING
        self._count = 0

    def __repr__(self):
        cls = self.__class__
        if self.broken:
            return "<%s.%s at %#x: broken>" % (cls.__module__, cls.__qualname__,
                                               id(self))
        return "<%s.%s at %#x: waiters=%d/%d>" % (cls.__module__, cls.__qualname__,
                                                  id(self), self.n_waiting,
                                                  self.parties)

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            # wait for the previous round to drain
            while self._state in (_DRAINING, _RESETTING):
                self._cond.wait()
            if self._state < 0:
                raise BrokenBarrierError
            index = self._count
            self._count += 1
            try:
                if index + 1 == self._parties:
                    self._trip()
                else:
                    self._await_trip(timeout)
                return index
            finally:
                self._count -= 1
                self._leave()

    def _trip(self):
        try:
            if self._action:
                self._action()
            self._state = _DRAINING
            self._cond.notify_all()
        except:
            self._break()
            raise

    def _await_trip(self, timeout):
        if not self._cond.wait_for(lambda: self._state != _FILLING, timeout):
            self._break()
            raise BrokenBarrierError
        if self._state < 0:
            raise BrokenBarrierError

    def _leave(self):
        # the last one out opens the barrier for the next round
        if self._count == 0 and self._state in (_DRAINING, _RESETTING):
            self._state = _FILLING
            self._cond.notify_all()

    def reset(self):
        with self._cond:
            if self._count > 0:
                if self._state in (_FILLING, _BROKEN):
                    self._state = _RESETTING
            else:
                self._state = _FILLING
            self._cond.notify_all()

    def abort(self):
        with self._cond:
            self._break()

    def _break(self):
        self._state = _BROKEN
        self._cond.notify_all()

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        if self._state == _FILLING:
            return self._count
        return 0

    @property
    def broken(self):
        return self._state == _BROKEN


# ---- Thread bookkeeping ------------------------------------------------------------

_active_limbo_lock = RLock()
_active = {}        # ident -> running Thread
_limbo = {}         # Thread -> Thread, started but not yet running
_dangling = None
_non_daemon = []    # started non-daemon threads, joined by _shutdown
_counter_lock = _allocate_lock()
_counter = 0


def _newname(template="Thread-%d"):
    global _counter
    with _counter_lock:
        _counter += 1
        return template % _counter


# ---- excepthook ----------------------------------------------------------------------

class ExceptHookArgs(tuple):
    """The argument of threading.excepthook: (exc_type, exc_value,
    exc_traceback, thread)."""

    def __new__(cls, args):
        args = tuple(args)
        if len(args) != 4:
            raise TypeError("ExceptHookArgs takes a 4-sequence (%d-sequence given)"
                            % len(args))
        return tuple.__new__(cls, args)

    @property
    def exc_type(self):
        return self[0]

    @property
    def exc_value(self):
        return self[1]

    @property
    def exc_traceback(self):
        return self[2]

    @property
    def thread(self):
        return self[3]

    def __repr__(self):
        return ("ExceptHookArgs(exc_type=%r, exc_value=%r, exc_traceback=%r, thread=%r)"
                % tuple(self))


def excepthook(args, /):
    """Report an exception raised by Thread.run() on stderr."""
    if args.exc_type == SystemExit:
        return
    stderr = _sys.stderr
    if stderr is None and args.thread is not None:
        stderr = args.thread._stderr
    if stderr is None:
        return
    if args.thread is not None:
        name = args.thread.name
    else:
        name = get_ident()
    print(f"Exception in thread {name}:", file=stderr, flush=True)
    _thread._print_exception(args.exc_value)
    stderr.flush()


__excepthook__ = excepthook


def _invoke_excepthook(thread):
    exc_type, exc_value, exc_tb = _sys.exc_info()
    try:
        hook = excepthook
        if hook is None:
            hook = __excepthook__
        hook(ExceptHookArgs([exc_type, exc_value, exc_tb, thread]))
    except SystemExit:
        pass
    except BaseException as exc:
        print("Exception in threading.excepthook:", file=_sys.stderr, flush=True)
        _thread._print_exception(exc)
    finally:
        exc_type = exc_value = exc_tb = None


# ---- Thread ------------------------------------------------------------------------------

class Thread:
    """A thread of control: subclass and override run(), or pass target."""

    _initialized = False

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None,
                 *, daemon=None):
        assert group is None, "group argument must be None for now"
        if kwargs is None:
            kwargs = {}
        if name:
            name = str(name)
        else:
            name = _newname("Thread-%d")
            if target is not None:
                try:
                    name += " (%s)" % (target.__name__,)
                except AttributeError:
                    pass
        self._target = target
        self._name = name
        self._args = args
        self._kwargs = kwargs
        if daemon is not None:
            self._daemonic = daemon
        else:
            self._daemonic = current_thread().daemon
        self._ident = None
        self._native_id = None
        self._tstate_lock = None
        self._started = Event()
        self._is_stopped = False
        self._initialized = True
        self._stderr = _sys.stderr

    def __repr__(self):
        assert self._initialized, "Thread.__init__() was not called"
        status = "initial"
        if self._started.is_set():
            status = "started"
        self.is_alive()     # notices a thread that has ended
        if self._is_stopped:
            status = "stopped"
        if self._daemonic:
            status += " daemon"
        if self._ident is not None:
            status += " %s" % self._ident
        return "<%s(%s, %s)>" % (self.__class__.__name__, self._name, status)

    def start(self):
        if not self._initialized:
            raise RuntimeError("thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("threads can only be started once")
        with _active_limbo_lock:
            _limbo[self] = self
        try:
            _start_new_thread(self._bootstrap, ())
        except Exception:
            with _active_limbo_lock:
                del _limbo[self]
            raise
        self._started.wait()

    def run(self):
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            # no reference cycles through the arguments
            del self._target, self._args, self._kwargs

    def _bootstrap(self):
        try:
            self._bootstrap_inner()
        except:
            if _sys is None:
                return
            raise

    def _bootstrap_inner(self):
        try:
            self._ident = get_ident()
            self._native_id = get_native_id()
            self._tstate_lock = _set_sentinel()
            self._tstate_lock.acquire()
            if not self._daemonic:
                with _active_limbo_lock:
                    _non_daemon.append(self)
            with _active_limbo_lock:
                _active[self._ident] = self
                del _limbo[self]
            self._started.set()
            if _trace_hook is not None and hasattr(_sys, 'settrace'):
                _sys.settrace(_trace_hook)
            if _profile_hook is not None and hasattr(_sys, 'setprofile'):
                _sys.setprofile(_profile_hook)
            try:
                self.run()
            except:
                _invoke_excepthook(self)
        finally:
            with _active_limbo_lock:
                try:
                    del _active[get_ident()]
                except KeyError:
                    pass

    def _stop(self):
        self._is_stopped = True
        self._tstate_lock = None
        if not self._daemonic:
            with _active_limbo_lock:
                try:
                    _non_daemon.remove(self)
                except ValueError:
                    pass

    def _wait_for_tstate_lock(self, block=True, timeout=-1):
        lock = self._tstate_lock
        if lock is None:
            return          # stopped already, or the main thread
        if lock.acquire(block, timeout):
            lock.release()
            self._stop()

    def join(self, timeout=None):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if not self._started.is_set():
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if timeout is None:
            self._wait_for_tstate_lock()
        else:
            self._wait_for_tstate_lock(timeout=max(timeout, 0))

    def is_alive(self):
        assert self._initialized, "Thread.__init__() not called"
        if self._is_stopped or not self._started.is_set():
            return False
        self._wait_for_tstate_lock(False)
        return not self._is_stopped

    @property
    def name(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._name

    @name.setter
    def name(self, name):
        assert self._initialized, "Thread.__init__() not called"
        self._name = str(name)

    @property
    def ident(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._ident

    @property
    def native_id(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._native_id

    @property
    def daemon(self):
        assert self._initialized, "Thread.__init__() not called"
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = daemonic

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = name


class Timer(Thread):
    """Call function(*args, **kwargs) after interval seconds, unless
    cancel() comes first."""

    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self):
        self.finished.set()

    def run(self):
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


class _MainThread(Thread):

    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._started.set()
        self._ident = get_ident()
        self._native_id = get_native_id()
        with _active_limbo_lock:
            _active[self._ident] = self


class _DummyThread(Thread):
    """A thread threading did not start (_thread.start_new_thread): always
    alive and daemonic, cannot be joined."""

    def __init__(self):
        Thread.__init__(self, name=_newname("Dummy-%d"), daemon=True)
        self._started.set()
        self._ident = get_ident()
        self._native_id = get_native_id()
        with _active_limbo_lock:
            _active[self._ident] = self

    def is_alive(self):
        return True

    def join(self, timeout=None):
        assert False, "cannot join a dummy thread"


# ---- Module functions ------------------------------------------------------------------

def current_thread():
    try:
        return _active[get_ident()]
    except KeyError:
        return _DummyThread()


currentThread = current_thread


def active_count():
    with _active_limbo_lock:
        return len(_active) + len(_limbo)


activeCount = active_count


def enumerate():
    with _active_limbo_lock:
        return list(_active.values()) + list(_limbo.values())


def main_thread():
    return _main_thread


def _shutdown():
    """Wait for every non-daemon thread (ftpy calls it after __main__)."""
    if _main_thread._is_stopped:
        return
    _main_thread._is_stopped = True
    while True:
        with _active_limbo_lock:
            pending = [t for t in _non_daemon if t is not _main_thread]
        if not pending:
            break
        for t in pending:
            t.join()
            t._stop()


_main_thread = _MainThread()
