# isinstance/issubclass with classes, tuples, builtins, bool/int relation, object, type; errors for bad arguments
class A: pass
class B(A): pass
class C: pass
a, b = A(), B()
print(isinstance(b, A), isinstance(a, B), isinstance(b, (C, A)), isinstance(b, (C,)))
print(issubclass(B, A), issubclass(A, B), issubclass(B, (C, A)), issubclass(A, A))
print(issubclass(B, object), isinstance(a, object), isinstance(A, object), isinstance(A, type))
print(isinstance(True, int), isinstance(1, bool), issubclass(bool, int), issubclass(int, bool))
print(isinstance(1, float), isinstance(1.0, float), isinstance("s", str), isinstance(b"s", bytes))
print(isinstance([], list), isinstance((), tuple), isinstance({}, dict), isinstance(set(), set))
print(isinstance(frozenset(), set), isinstance(range(1), range), isinstance(None, type(None)))
print(isinstance(len, type(print)), isinstance(lambda: 0, type(lambda: 0)))
print(isinstance(int, type), isinstance(type, type), issubclass(type, object))
print(isinstance(b, (int, (str, (A,)))))
print(isinstance(3, ()), issubclass(B, ()))
try:
    isinstance(1, 1)
except TypeError as e:
    print(e)
try:
    issubclass(1, int)
except TypeError as e:
    print(e)
try:
    issubclass(A, "A")
except TypeError as e:
    print(e)
print(issubclass(ValueError, Exception), isinstance(ValueError("x"), Exception))
print(isinstance(ValueError, Exception), issubclass(KeyError, (ValueError, LookupError)))
class Meta(type):
    pass
class WithMeta(metaclass=Meta):
    pass
print(isinstance(WithMeta, Meta), isinstance(WithMeta, type), type(WithMeta).__name__)
class Sub(list): pass
print(isinstance(Sub(), list), issubclass(Sub, list), type(Sub()) is list)
print(isinstance(2 ** 100, int), isinstance(1e300, float), isinstance(float("nan"), float))
def check(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, (list, tuple)):
        return "sequence"
    return "other"
print([check(v) for v in [True, 3, [1], (2,), "s", None]])
