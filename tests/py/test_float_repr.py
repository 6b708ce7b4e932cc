# float repr: shortest round-trip digits, exponent thresholds, negative zero, inf/nan, str == repr
vals = [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15, 1e-5, 1e-4, 0.0001234, 2.5, -0.0, 0.0,
        1.0, 100.0, 123456789.0, 1234567890123456.0, 12345678901234567.0, 1e22, 1e-7, 3.141592653589793,
        2.0 ** 0.5, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 9007199254740993.0,
        0.3, 1.1, 1e100, 1.5e-10, 123.456, -1.5, 4.35, 0.07, 1e21, 1e20, 99999999999999999.0]
for v in vals:
    print(repr(v), str(v))
print(float("inf"), float("-inf"), float("nan"), -float("inf"))
print(repr(float("inf")), repr(float("nan")))
print([0.1, -0.0, 1e300 * 10])
print(1e300 * 1e300, -1e300 * 1e300)
print(0.1 * 3, 0.7 + 0.1, 1.1 * 1.1, 3 * 1.1)
print(1 / 10, 22 / 7, 355 / 113, 1 / 7)
print(float(1 << 53), float((1 << 53) + 1), float(10 ** 17))
print(2.0 ** 62, 2.0 ** 63, 2.0 ** 64, 2.0 ** -10)
print(100.0 / 3.0, 1e16 + 1, 1e16 + 2, 0.1 ** 10)
print(float("0.1") == 0.1, repr(float(repr(1 / 3))) == repr(1 / 3))
print(repr(0.1 + 0.7), repr(1.0 / 49 * 49), repr(4.0 - 3.6))
print(repr(1e-6), repr(1.5e-6), repr(0.00001), repr(123e-20))
print(repr(1e16 - 1), repr(float(2 ** 70)), repr(-123456.789e3))
