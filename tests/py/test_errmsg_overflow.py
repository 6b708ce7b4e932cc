# OverflowError messages: float overflow in **, int->float conversion, math.exp, range/len size limits, float->int
tests = [
    ("2.0 ** 10000", lambda: 2.0 ** 10000),
    ("float(10 ** 400)", lambda: float(10 ** 400)),
    ("10 ** 400 / 1", lambda: 10 ** 400 / 1),
    ("1e308 * 10 (no error)", lambda: 1e308 * 10),
    ("int(float('inf'))", lambda: int(float("inf"))),
    ("round(float('inf'))", lambda: round(float("inf"))),
    ("(10 ** 400) * 1.5", lambda: (10 ** 400) * 1.5),
    ("1.5 ** 5000", lambda: 1.5 ** 5000),
    ("[0] * 2 ** 70", lambda: [0] * 2 ** 70),
    ("'x' * 2 ** 70", lambda: "x" * 2 ** 70),
    ("(1).to_bytes(0)", lambda: (1).to_bytes(0, "big")),
    ("chr(2 ** 70)", lambda: chr(2 ** 70)),
]
exact = {"float(10 ** 400)", "10 ** 400 / 1", "int(float('inf'))", "round(float('inf'))", "(10 ** 400) * 1.5", "(1).to_bytes(0)"}
for label, fn in tests:
    try:
        r = fn()
        print(label, "->", r)
    except OverflowError as e:
        print(label, "-> OverflowError:", e if label in exact else "")
    except (MemoryError, ValueError) as e:
        print(label, "->", type(e).__name__)
import math
for fn, arg in [(math.exp, 1000), (math.pow, (10.0, 400)), (math.ldexp, (1.0, 5000))]:
    try:
        fn(*arg) if isinstance(arg, tuple) else fn(arg)
    except OverflowError as e:
        print(fn.__name__, "->", e)
try:
    math.factorial(2 ** 70)
except OverflowError as e:
    print("factorial ->", e)
print(issubclass(OverflowError, ArithmeticError))
print(2 ** 10000 > 0, len(str(2 ** 10000)))
