# ValueError messages: int()/float() parsing, unpacking counts, list.index/remove, str.index, math domain, chr
tests = [
    lambda: int("x"),
    lambda: int("12.5"),
    lambda: int(""),
    lambda: int("0x1G", 16),
    lambda: float("one"),
    lambda: [1, 2].index(3),
    lambda: [1, 2].remove(3),
    lambda: "abc".index("d"),
    lambda: (1, 2).index(5),
    lambda: chr(-5),
    lambda: range(0, 5, 0),
    lambda: "".join([]).split(""),
    lambda: int("9" * 5, 8),
    lambda: bytes([300]),
    lambda: "x" * 3 and "abc".rindex("z"),
    lambda: max([]),
    lambda: "{:d}".format(1.5),
]
for t in tests:
    try:
        t()
        print("no error")
    except ValueError as e:
        print(e)
for src in [[1, 2, 3], [1]]:
    try:
        a, b = src
    except ValueError as e:
        print(e)
try:
    a, b, *c = [1]
except ValueError as e:
    print(e)
import math
for fn, arg in [(math.sqrt, -1.0), (math.log, -1), (math.log, 0), (math.acos, 2)]:
    try:
        fn(arg)
    except ValueError as e:
        print(e)
try:
    math.factorial(-1)
except ValueError as e:
    print(e)
print(issubclass(UnicodeDecodeError, ValueError))
