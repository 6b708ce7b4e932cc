# int() conversions: from strings in bases 2..36, base 0 with prefixes, whitespace, underscores, signs, errors
print(int("42"), int("-42"), int("+7"), int("  12  "), int("\t-3\n"))
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0xff", 0), int("0o17", 0), int("0b101", 0))
print(int("777", 8), int("101", 2), int("z", 36), int("ZZ", 36), int("10", 36))
print(int("1_000"), int("0x_ff", 16), int("1_0", 2))
print(int("123456789012345678901234567890"), int("-" + "9" * 30))
print(int("0"), int("-0"), int("000"), int("0", 0))
print(int(3.99), int(-3.99), int(1e20), int(True), int(-0.5))
print(int("10", base=3), int(x="11", base=2) if False else "kw x not allowed")
for bad in ["", "abc", "1.5", "1e3", "0x", "1__0", "_1", "1_", "- 1", "١٢" if False else "12a"]:
    try:
        int(bad)
    except ValueError as e:
        print(e)
for s, b in [("2", 2), ("g", 16), ("08", 0), ("0b2", 0)]:
    try:
        int(s, b)
    except ValueError as e:
        print(e)
try:
    int("10", 37)
except ValueError as e:
    print(e)
try:
    int("10", 1)
except ValueError as e:
    print(e)
try:
    int(5, 10)
except TypeError as e:
    print(e)
try:
    int(None)
except TypeError as e:
    print(e)
try:
    int(float("inf"))
except OverflowError as e:
    print(e)
try:
    int(float("nan"))
except ValueError as e:
    print(e)
class HasInt:
    def __int__(self):
        return 99
class HasIndex:
    def __index__(self):
        return 7
print(int(HasInt()), int(HasIndex()), [10, 20, 30, 40, 50, 60, 70, 80][HasIndex()])
print(int("12"), int(" 0b11 ", 0), int("-0x10", 16))
