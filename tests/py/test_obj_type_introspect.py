# type introspection: type(x), __class__, __name__, __qualname__, __mro__, __bases__, type identity of builtins
values = [1, 1.5, "s", b"b", [1], (1,), {"k": 1}, {1}, frozenset(), None, True, range(2), len, print, ...]
for v in values:
    print(type(v).__name__, v.__class__.__name__, type(v) is v.__class__)
class Animal:
    class Leg:
        pass
class Dog(Animal):
    pass
d = Dog()
print(type(d).__name__, type(d).__qualname__, Animal.Leg.__qualname__)
print([c.__name__ for c in Dog.__mro__], [c.__name__ for c in Dog.__bases__])
print(type(d) is Dog, type(d) is Animal, d.__class__ is Dog)
print(type(Dog).__name__, type(type).__name__, type(object).__name__)
print([c.__name__ for c in bool.__mro__], [c.__name__ for c in int.__mro__])
print(object.__bases__, type.__bases__[0].__name__)
print(type(2 ** 100) is int, type(True) is bool, type(1.0) is float)
print(int.__name__, str.__name__, list.__qualname__, dict.__module__ if hasattr(dict, "__module__") else "builtins")
print(type(None).__name__, type(NotImplemented).__name__, type(Ellipsis).__name__)
def f():
    pass
print(type(f).__name__, type(lambda: 0).__name__, type(Dog().__init__).__name__ == "method" or Dog.__init__ is object.__init__)
def g():
    yield
print(type(g()).__name__, type(x for x in []).__name__)
print(type(iter([])) is type(iter([2])), iter(range(3)).__class__ is not list)
print(type(zip()).__name__, type(map(str, [])).__name__, type(enumerate([])).__name__, type(filter(None, [])).__name__)
print(type(Exception()).__name__, type(Dog.__init__) is type(Animal.__init__))
d.__class__ = Animal
print(type(d).__name__)
