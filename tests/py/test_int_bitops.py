# bitwise operators on ints including negatives and big ints: & | ^ ~ << >>, bit_length, shifts errors
vals = [0, 1, 5, -1, -5, 255, -256, 2 ** 64 - 1, -(2 ** 64), 2 ** 100 + 12345]
for a in vals:
    print(a, ~a, a << 3, a >> 2, a.bit_length())
print(-5 & 3, -5 | 3, -5 ^ 3, 5 & -3, 5 | -3, 5 ^ -3)
print(-5 & -3, -5 | -3, -5 ^ -3)
print((2 ** 70) & (2 ** 70 - 1), (2 ** 70) | 1, (2 ** 70) ^ (2 ** 70))
print(-(2 ** 70) & 0xFFFF, -(2 ** 70) | 0xFF, (-(2 ** 70)) ^ -1)
print(-1 >> 100, -1 << 70, 1 << 64, (1 << 64) >> 64)
print(-17 >> 2, -17 // 4, 17 >> 2)
try:
    1 << -1
except ValueError as e:
    print(e)
try:
    1 >> -1
except ValueError as e:
    print(e)
try:
    1.0 & 1
except TypeError as e:
    print(e)
print(True & True, True | 2, True ^ 1, ~True)
print(0xF0 & 0x3C, 0xF0 | 0x3C, 0xF0 ^ 0x3C, ~0xF0 & 0xFF)
def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c
print([popcount(v) for v in [0, 1, 7, 255, 2 ** 64 - 1, 2 ** 100]])
print(bin(-10), hex(-255), oct(-8))
mask = (1 << 32) - 1
print((-1) & mask, (-12345) & mask, ((-12345) & mask) - (1 << 32))
print((12345678901234567890 >> 10) << 10, 12345678901234567890 & ~1023)
print((-1).bit_length(), (2 ** 64).bit_length(), (-(2 ** 64)).bit_length())
