# ZeroDivisionError messages for every division-like operation on ints, floats, big ints and modular pow
tests = [
    ("1 / 0", lambda: 1 / 0),
    ("1 // 0", lambda: 1 // 0),
    ("1 % 0", lambda: 1 % 0),
    ("1.0 / 0", lambda: 1.0 / 0),
    ("1 / 0.0", lambda: 1 / 0.0),
    ("1.0 // 0.0", lambda: 1.0 // 0.0),
    ("1.0 % 0.0", lambda: 1.0 % 0.0),
    ("divmod(1, 0)", lambda: divmod(1, 0)),
    ("divmod(1.0, 0.0)", lambda: divmod(1.0, 0.0)),
    ("2**100 // 0", lambda: 2 ** 100 // 0),
    ("2**100 % 0", lambda: 2 ** 100 % 0),
    ("2**100 / 0", lambda: 2 ** 100 / 0),
    ("0 ** -1", lambda: 0 ** -1),
    ("0.0 ** -1", lambda: 0.0 ** -1),
    ("True / False", lambda: True / False),
]
for label, fn in tests:
    try:
        fn()
        print(label, "no error")
    except ZeroDivisionError as e:
        print(label, "->", e)
x = 10
try:
    x /= 0
except ZeroDivisionError as e:
    print("x /= 0 ->", e)
try:
    x //= 0
except ZeroDivisionError as e:
    print("x //= 0 ->", e)
try:
    x %= 0
except ZeroDivisionError as e:
    print("x %= 0 ->", e)
def avg(xs):
    return sum(xs) / len(xs)
try:
    avg([])
except ZeroDivisionError as e:
    print("avg([]) ->", e)
print(issubclass(ZeroDivisionError, ArithmeticError), ZeroDivisionError.__mro__[1].__name__)
