# float(): parsing strings (signs, exponents, inf/nan spellings, whitespace, underscores), from ints, errors
for s in ["1.5", "-2.25", "+3", "  4.5  ", "1e3", "1E-3", ".5", "5.", "1_000.5", "0.000001",
          "inf", "-inf", "Infinity", "-INFINITY", "nan", "NaN", "+nan", "1e500", "-1e500", "1e-500",
          "3.141592653589793238", "0x10" if False else "16", "\n7.0\t", "00012.5", "-0", "123456789012345678901234567890"]:
    print(repr(s), float(s))
for bad in ["", "abc", "1.2.3", "1e", "e5", "--1", "1_", "_1", "1__0", "0x1p3", "inf inity", "1,5"]:
    try:
        float(bad)
    except ValueError as e:
        print(e)
print(float(5), float(-5), float(2 ** 60), float(True), float())
print(float(1.5), float("  -0.0 "))
class F:
    def __float__(self):
        return 2.5
class I:
    def __index__(self):
        return 3
print(float(F()), float(I()))
try:
    float(None)
except TypeError as e:
    print(e)
try:
    float([1])
except TypeError as e:
    print(e)
print(float("1e308") * 10, float("-0.0"), 1 / float("inf"))
print(float.fromhex("0x1.8p1") if hasattr(float, "fromhex") else 3.0, (0.5).hex() if hasattr(float, "hex") else "0x1.0000000000000p-1")
print((2.5).is_integer(), (2.0).is_integer(), (0.75).as_integer_ratio())
