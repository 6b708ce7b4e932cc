# %-formatting: %s %r %a %d %i %f %e %g %x %o %c %%, widths, flags, precision, tuples and dicts, errors
print("%s and %s" % ("a", "b"), "%d%%" % 50, "%r" % "q", "%a" % "é")
print("%5d|%-5d|%05d|%+d|% d" % (42, 42, 42, 42, 42))
print("%.2f|%8.3f|%-8.1f|%+.0f|%08.2f" % (3.14159, 2.71828, 1.5, 2.5, -3.5))
print("%e|%.2E|%g|%G|%g" % (12345.678, 0.000123, 0.00001234, 1e20, 100.0))
print("%x|%X|%#x|%o|%#o|%c|%c" % (255, 255, 255, 8, 8, 65, "z"))
print("%i %u" % (7, 8), "%s" % [1, 2], "%s" % (None,), "%s" % ((1, 2),))
print("%(name)s is %(age)d" % {"name": "ann", "age": 30})
print("%*d|%-*s|%.*f" % (5, 1, 4, "ab", 2, 3.14159))
print("%s" % 3.0, "%s" % 1e16, "%r" % 0.1, "%d" % 3.99, "%d" % -3.99)
print("%10s|%-10s|%.2s" % ("right", "left", "truncate"))
print("%d %s" % (True, True), "%x" % -255, "%o" % -8, "%d" % (2 ** 70))
try:
    "%d" % "str"
except TypeError as e:
    print(e)
try:
    "%s %s" % ("one",)
except TypeError as e:
    print(e)
try:
    "%s" % ("a", "b")
except TypeError as e:
    print(e)
try:
    "%(k)s" % {"other": 1}
except KeyError as e:
    print("KeyError", e)
try:
    "%z" % 1
except ValueError as e:
    print(e)
print("no args %%" % (), "%s%%" % 5)
print("%c" % 8364, "%5.1f%%" % 99.44, "%-+6d|" % 7)
print("%.3s|%5.2s|" % ("abcdef", "xyz"))
print(b"%s-%d" % (b"x", 5) if False else "skip bytes %")
