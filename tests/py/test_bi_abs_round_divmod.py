# abs, round, divmod on ints, floats, bools, big ints; user __abs__/__divmod__; error messages
print(abs(-5), abs(5), abs(0), abs(-2 ** 100), abs(-3.5), abs(-0.0), abs(True), abs(False))
print(abs(float("-inf")), type(abs(-1)).__name__, type(abs(-1.0)).__name__)
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(-17, -5), divmod(0, 3))
print(divmod(17.5, 5), divmod(-17.5, 5), divmod(2 ** 100, 3), divmod(True, 1))
print(round(3.7), round(-3.7), round(3.14159, 2), round(2.5), round(3.5), round(12345, -2))
print(round(0.1 + 0.2, 1), round(1e-10, 12), round(-0.05, 1))
try:
    divmod(1, 0)
except ZeroDivisionError as e:
    print(e)
try:
    divmod(1.0, 0)
except ZeroDivisionError as e:
    print(e)
try:
    abs("x")
except TypeError as e:
    print(e)
try:
    divmod("a", 1)
except TypeError as e:
    print(e)
try:
    round("1.5")
except TypeError as e:
    print(e)
try:
    round(1.5, 1.0)
except TypeError as e:
    print(e)
class A:
    def __abs__(self):
        return "abs called"
    def __divmod__(self, o):
        return ("q", "r")
    def __rdivmod__(self, o):
        return ("rq", o)
print(abs(A()), divmod(A(), 3), divmod(7, A()))
for n in [7, -7, 7.0, -7.5]:
    q, r = divmod(n, 2)
    print(n, q, r, q * 2 + r == n)
print([round(x / 10) for x in range(-15, 16, 5)])
print(abs(-2 ** 63), abs(-(2 ** 63)), round(2 ** 63 + 0.0))
