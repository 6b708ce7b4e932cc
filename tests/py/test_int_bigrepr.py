# big int repr/str and conversions: str of huge numbers, hex/oct/bin of big values, int(str) round-trip
n = 7 ** 200
s = str(n)
print(len(s), s[:20], s[-20:])
print(int(s) == n, repr(n) == s)
print(hex(2 ** 100), oct(2 ** 100), bin(2 ** 70))
print(hex(-(2 ** 100) - 1), bin(-(2 ** 65)))
print(int(hex(3 ** 90), 16) == 3 ** 90, int(bin(3 ** 50), 0) == 3 ** 50)
print(f"{2 ** 90:x}", f"{2 ** 90:,}", f"{-(2 ** 90):_}", f"{2 ** 90:e}")
print(format(10 ** 25, "b")[:10], format(10 ** 25, "o"), format(10 ** 25, "X"))
print(str(10 ** 50), str(-10 ** 50))
print(repr([2 ** 64, -2 ** 64]), (2 ** 64, "x"))
print("%d %x %o" % (2 ** 80, 2 ** 80, 2 ** 80))
print("{:>40}".format(3 ** 60))
print(float(2 ** 80), float(10 ** 30), float(-(2 ** 100)))
print(2 ** 80 == float(2 ** 80), 2 ** 53 + 1 == float(2 ** 53 + 1))
try:
    float(10 ** 400)
except OverflowError as e:
    print(e)
try:
    10 ** 400 * 1.0
except OverflowError as e:
    print(e)
print(10 ** 400 > 1e308, -(10 ** 400) < -1e308, 10 ** 400 == float("inf"))
print(round(2 ** 70 / 3), int(2 ** 70 / 3) == 2 ** 70 // 3)
print(sum(range(10 ** 6)), sum(range(10 ** 6)) * 10 ** 12)
print(str(2 ** 200).count("1"), sorted(str(2 ** 64)))
print(abs(-(10 ** 19)), -(-(10 ** 19)), +(10 ** 19))
