# exception hierarchy: OSError subtree and ConnectionError subtree, MRO of each class
def mro(cls):
    return [c.__name__ for c in cls.__mro__]
for cls in [OSError, FileNotFoundError, FileExistsError, PermissionError, IsADirectoryError,
            NotADirectoryError, TimeoutError, InterruptedError, BlockingIOError, ConnectionError,
            BrokenPipeError, ConnectionResetError, ConnectionRefusedError]:
    print(cls.__name__, mro(cls))
print(issubclass(BrokenPipeError, ConnectionError), issubclass(BrokenPipeError, OSError))
print(issubclass(FileNotFoundError, ConnectionError), issubclass(TimeoutError, OSError))
print(issubclass(ConnectionResetError, Exception), issubclass(OSError, LookupError))
try:
    raise FileNotFoundError("nope.txt")
except OSError as e:
    print("caught as OSError:", type(e).__name__, e)
try:
    raise ConnectionRefusedError
except ConnectionError as e:
    print("caught as ConnectionError:", type(e).__name__)
e = OSError("plain message")
print(e.args, str(e), e.errno)
e = PermissionError(13, "Permission denied")
print(e.errno, e.strerror, str(e))
try:
    open("definitely-missing-file.txt")
except FileNotFoundError as e:
    print(type(e).__name__, e.errno, e.strerror)
except OSError as e:
    print("other", type(e).__name__)
