# round(): banker's rounding of halves, ndigits positive/negative, floats that are not exactly representable
print(round(0.5), round(1.5), round(2.5), round(3.5), round(-0.5), round(-1.5), round(-2.5))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__, round(2.5, 0))
print(round(2.675, 2), round(1.005, 2), round(0.125, 2), round(0.375, 2))
print(round(3.14159, 3), round(3.14159, 0), round(-3.14159, 1))
print(round(1234.5678, -1), round(1234.5678, -2), round(1250.0, -2), round(1350.0, -2))
print(round(1e20, 2), round(1.23456789e-5, 8), round(5e-324, 5))
print(round(0.1 + 0.2, 10), round(2 / 3, 5), round(123.456, 1))
print(round(-0.4), round(-0.6), round(0.49999999999999994))
print(round(float("inf"), 2), round(float("nan"), 2))
try:
    round(float("inf"))
except OverflowError as e:
    print(e)
try:
    round(float("nan"))
except ValueError as e:
    print(e)
print(round(7), round(7, 2), round(-7, -1), round(15, -1), round(25, -1))
print(round(1.23456, None), round(2.5, None))
print(round(999.999, 2), round(999.995, 2), round(0.045, 2), round(0.055, 2))
print([round(x / 8, 2) for x in range(9)])
print([round(x * 0.1, 1) for x in range(10)])
print(round(12345.678, -3), round(-0.0, 1), round(0.0), round(-0.2))
class R:
    def __round__(self, n=None):
        return "rounded(%r)" % (n,)
print(round(R()), round(R(), 3))
