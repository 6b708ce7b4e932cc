# str.format: positional/indexed/named fields, attribute and item access, conversions, specs, brace escaping
print("{} {}".format("a", "b"), "{1} {0}".format("a", "b"), "{0}{0}".format("x"))
print("{name} is {age}".format(name="ann", age=30))
print("{0[0]} {0[1]} {1[k]}".format(["x", "y"], {"k": "v"}))
class P:
    x = 3
    y = 4
print("{0.x},{0.y}".format(P()), "{p.x}".format(p=P()))
print("{!r} {!s} {!a}".format("é", "é", "é"))
print("{:>8}|{:<8}|{:^8}|".format("r", "l", "c"))
print("{:08.3f} {:+d} {:,} {:x} {:#o} {:b} {:e} {:%}".format(3.14159, 5, 1234567, 255, 8, 5, 12345.678, 0.125))
print("{{}} {{{}}}".format("in braces"))
print("{:{w}.{p}f}".format(2.718281, w=10, p=2))
print("{0:{1}}|".format("pad", 6))
print("{:c}{:c}".format(72, 105))
print("{:s}".format("plain"), "{:10}|".format("default-left"), "{:10}|".format(42))
d = {"a": 1, "b": 2}
print("{a}-{b}".format(**d), "{}-{}".format(*"xy"))
print("{0}{1}{0}".format("ab", "cd"), "{}".format(None), "{}".format([1, "2"]))
try:
    "{} {}".format("only one")
except IndexError as e:
    print("IndexError", e)
try:
    "{missing}".format()
except KeyError as e:
    print("KeyError", e)
try:
    "{0} {}".format(1, 2)
except ValueError as e:
    print("ValueError", e)
try:
    "{:d}".format("s")
except ValueError as e:
    print("ValueError", e)
try:
    "{".format()
except ValueError as e:
    print("ValueError", e)
print(format(3.5), format(42, "05d"), format("s", "^5"), format(0.5, ".0%"))
print("{:_b}".format(1023), "{:,.1f}".format(-9876543.21), "{:=+10.2f}".format(3.5))
print("{:.3}".format("truncate"), "{:.3}".format(3.14159), "{:g}".format(100000000.0))
