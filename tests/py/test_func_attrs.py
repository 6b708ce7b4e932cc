# function objects: __name__, __qualname__, __doc__, __defaults__, __module__, attributes, callable
def plain(a, b=1):
    "Docstring of plain."
    return a + b
print(plain.__name__)
print(plain.__qualname__)
print(plain.__doc__)
print(plain.__defaults__)
print(plain.__module__)
class C:
    def method(self):
        pass
    class Inner:
        def deep(self):
            pass
print(C.method.__name__, C.method.__qualname__)
print(C.Inner.deep.__qualname__)
def outer():
    def inner():
        pass
    return inner
print(outer().__qualname__)
print((lambda: 0).__name__)
print(callable(plain), callable(5), callable(C), callable(C()))
plain.tag = "custom"
print(plain.tag)
def nodoc():
    pass
print(nodoc.__doc__)
f2 = plain
print(f2.__name__, f2 is plain, f2(1))
plain.__name__ = "renamed"
print(plain.__name__)
print(type(plain).__name__)
print(C().method.__name__)
bound = C().method
print(type(bound).__name__, bound.__func__ is C.method)
def kwd(*, k=3):
    pass
print(kwd.__kwdefaults__)
print(sorted(k for k in dir(plain) if not k.startswith("__")))
print(outer.__name__ == "outer", hasattr(plain, "__call__"))
