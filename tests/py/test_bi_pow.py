# pow builtin and ** operator: int/float/negative bases, fractional and negative exponents, 3-arg modular form
print(pow(2, 8), 2 ** 8, pow(2, -2), pow(-2, 2), pow(-2, 3), pow(2.5, 2), pow(9, 0.5))
print(pow(0, 0), pow(0.0, 0), pow(1, 10 ** 6), pow(-1, 10 ** 6 + 1))
print(pow(3, 200, 1000), pow(123456789, 987654321, 10 ** 9 + 7), pow(-5, 3, 13))
print(pow(10, -3), 10 ** -3 == 0.001, type(pow(2, -1)).__name__, type(pow(2, 2)).__name__)
print((-8) ** (1 / 3) if False else "complex result skipped", 8 ** (1 / 3))
print(2 ** 0.5, 2.0 ** 3, (-2.0) ** 2, 1.5 ** -2)
try:
    pow(0, -2)
except ZeroDivisionError as e:
    print(e)
try:
    pow(0.0, -1)
except ZeroDivisionError as e:
    print(e)
try:
    pow(2, 1, 0)
except ValueError as e:
    print(e)
try:
    pow(2, 0.5, 3)
except TypeError as e:
    print(e)
try:
    pow("2", 2)
except TypeError as e:
    print(e)
try:
    10.0 ** 400
except OverflowError as e:
    print(e)
class P:
    def __pow__(self, e, mod=None):
        return "pow(%r, %r)" % (e, mod)
    def __rpow__(self, b):
        return "rpow(%r)" % b
print(P() ** 2, pow(P(), 3), pow(P(), 3, 5), 2 ** P())
print([2 ** i for i in range(0, 70, 10)])
print(pow(7, 2, 1), pow(-7, 0, 5), pow(4, -1, 7), pow(2, -3, 11))
print(sum(pow(i, 3) for i in range(10)), pow(True, True), pow(2, False))
