# exception hierarchy: top of the tree (BaseException children, Exception's direct subclasses) via MRO
def mro(cls):
    return [c.__name__ for c in cls.__mro__]
for cls in [BaseException, SystemExit, KeyboardInterrupt, GeneratorExit, Exception]:
    print(cls.__name__, mro(cls))
for cls in [StopIteration, StopAsyncIteration, ArithmeticError, AssertionError, AttributeError,
            BufferError, EOFError, ImportError, LookupError, MemoryError, NameError, OSError,
            ReferenceError, RuntimeError, SyntaxError, SystemError, TypeError, ValueError, Warning]:
    print(cls.__name__, cls.__bases__[0].__name__, issubclass(cls, Exception))
print(issubclass(SystemExit, Exception), issubclass(KeyboardInterrupt, Exception))
print(issubclass(GeneratorExit, Exception), issubclass(GeneratorExit, BaseException))
print(issubclass(Exception, BaseException), issubclass(BaseException, Exception))
print(issubclass(BaseException, object), BaseException.__bases__[0].__name__)
print(isinstance(SystemExit(), BaseException), isinstance(SystemExit(), Exception))
print(isinstance(ValueError(), (TypeError, ValueError)), isinstance(ValueError(), (TypeError, KeyError)))
print(issubclass(KeyError, (IndexError, LookupError)))
caught = []
for exc in [SystemExit, KeyboardInterrupt, GeneratorExit, ValueError]:
    try:
        try:
            raise exc
        except Exception:
            caught.append(exc.__name__ + ":Exception")
    except BaseException:
        caught.append(exc.__name__ + ":BaseException")
print(caught)
