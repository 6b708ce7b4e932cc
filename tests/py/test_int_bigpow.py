# arbitrary-precision ints: powers of two and ten, big arithmetic, crossing 64-bit boundaries, comparisons
print(2 ** 100)
print(2 ** 64, 2 ** 63, 2 ** 63 - 1, -2 ** 63)
print(10 ** 30, 10 ** 30 + 1, 10 ** 30 - 1)
print(3 ** 100)
print((2 ** 100) // (2 ** 50), (2 ** 100) % 1000007)
print(2 ** 100 - 2 ** 99 == 2 ** 99)
print((10 ** 20 + 1) * (10 ** 20 - 1))
print(-(2 ** 70), -(2 ** 70) * -1, abs(-(2 ** 70)))
big = 9223372036854775807
print(big + 1, big * 2, big * big, -big - 1, -big - 2)
print((big + 1) - 1 == big, type(big + 1).__name__)
print(2 ** 64 > 2 ** 63, 2 ** 64 == 18446744073709551616, 2 ** 64 < 1e20, 2 ** 64 == 2.0 ** 64)
print(7 ** 77)
x = 1
for i in range(1, 40):
    x = x * 31 + i
print(x)
print(sum(2 ** i for i in range(200)) == 2 ** 200 - 1)
print(2 ** 1000 % 997, len(str(2 ** 1000)))
print(int(2 ** 100 / 2 ** 98))
print((2 ** 100) / 3)
print(12345678901234567890 * 98765432109876543210)
print(123456789 ** 5)
print(-(10 ** 25) // 7, -(10 ** 25) % 7)
print(max(2 ** 80, 2 ** 79 * 3), min(-2 ** 80, 5))
print(sorted([2 ** 65, -3, 2 ** 64, 0]))
print(2 ** 0, 0 ** 0, (-2) ** 63, (-2) ** 64)
print(1 << 100, (1 << 100) >> 99)
print(hash(2 ** 100) == hash(2 ** 100), 2 ** 100 in {2 ** 100: 1})
a = 2 ** 200
b = a
a += 1
print(a - b)
print(str(-2 ** 127), repr(2 ** 127))
