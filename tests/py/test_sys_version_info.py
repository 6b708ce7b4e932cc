# sys.version_info is a named structure: fields by name, indexable,
# sliceable, comparable with tuples; hexversion agrees with it; the other
# named structures (float_info, int_info, flags) have the fields programs use.
import sys

v = sys.version_info
print(v[:2], v[0] == v.major, v[1] == v.minor, v.releaselevel, v.serial)
print(v >= (3, 8), v < (4,), v > (3, 11), v[:2] == (3, 11), v >= (3, 11, 0))
print(len(v), isinstance(v, tuple), type(v).__name__, type(v).__module__)
print(tuple(v)[:2], list(v)[3:], v.__match_args__)
major, minor, *rest = v
print(major, minor, len(rest))
print(repr(v).startswith("sys.version_info(major=3, minor=11, micro="))
print(str(v) == repr(v))
print(hash(v) == hash(tuple(v)), v == tuple(v))
print(sys.hexversion >> 16 == (v.major << 8 | v.minor), hex(sys.hexversion)[:6])
print("%d.%d" % v[:2], "{}.{}".format(*v))
try:
    v.major = 4
except AttributeError:
    print("read-only")

f = sys.float_info
print(f.max, f.min, f.epsilon, f.dig, f.mant_dig, f.radix, f.max_exp, f.min_exp)
print(f.max_10_exp, f.min_10_exp, f.rounds, len(f), f[0] == f.max)
print(repr(f).startswith("sys.float_info(max=1.7976931348623157e+308, max_exp=1024"))
print(1.0 + f.epsilon > 1.0, 1.0 + f.epsilon / 2 == 1.0)
i = sys.int_info
print(i.default_max_str_digits, i.str_digits_check_threshold, i.bits_per_digit > 0)
print(sys.flags.optimize, sys.flags.debug, sys.flags.verbose, sys.flags.dev_mode)
print(sys.get_int_max_str_digits())
sys.set_int_max_str_digits(1000)
print(sys.get_int_max_str_digits())
try:
    int("1" * 1100)
except ValueError as e:
    print("ValueError:", str(e)[:40])
try:
    sys.set_int_max_str_digits(5)
except ValueError as e:
    print("ValueError:", e)
sys.set_int_max_str_digits(0)
print(len(str(10 ** 5000)))
