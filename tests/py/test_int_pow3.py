# pow(): 2 and 3 argument forms, modular exponentiation with big numbers, negative exponents, errors
print(pow(2, 10), pow(2, -1), pow(-2, 3), pow(2, 0), pow(0, 0))
print(pow(3, 4, 5), pow(2, 100, 1000000007), pow(7, 123456789, 1000000007))
print(pow(2 ** 100, 2 ** 50, 10 ** 9 + 9))
print(pow(-3, 3, 7), pow(3, 3, -7), pow(-3, 3, -7))
print(pow(5, 0, 1), pow(5, 3, 1))
print(pow(38, -1, 97), pow(3, -2, 7))
try:
    pow(2, 3, 0)
except ValueError as e:
    print(e)
try:
    pow(2, -1, 4)
except ValueError as e:
    print(e)
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print(e)
try:
    pow(0, -1)
except ZeroDivisionError as e:
    print(e)
print(pow(2.0, 3), pow(4, 0.5), pow(-8, 1 / 3) if False else "skip complex")
print(2 ** -2, 10 ** -3, (-2) ** -1)
print(pow(10, 20) == 10 ** 20, pow(base=2, exp=5), pow(2, 5, mod=3))
def modexp(b, e, m):
    r = 1
    b %= m
    while e:
        if e & 1:
            r = r * b % m
        b = b * b % m
        e >>= 1
    return r
print(all(modexp(b, e, m) == pow(b, e, m) for b in range(2, 12) for e in range(0, 40, 7) for m in (7, 97, 1000)))
p = 2 ** 61 - 1
print(pow(3, p - 1, p))
print([pow(i, 2, 11) for i in range(11)])
print(pow(1.5, 2), pow(2, 0.5), 0.0 ** 0)
