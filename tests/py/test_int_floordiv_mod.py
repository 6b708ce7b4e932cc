# integer division and modulo with negatives: floor semantics, divmod, identity a == (a//b)*b + a%b, errors
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (1, 5), (-1, 5), (10, 10), (-10, 3), (2 ** 70 + 1, -3), (-(2 ** 70), 7)]
for a, b in pairs:
    q, r = a // b, a % b
    print(a, b, q, r, divmod(a, b), q * b + r == a)
print(7 / 2, -7 / 2, 6 / 3, type(6 / 3).__name__)
print(-7.5 // 2, -7.5 % 2, 7.5 % -2, divmod(-7.5, 2))
print(5 % 3.0, -5 % 3.0, 5.0 // -3)
for bad in [(1, 0), (1.0, 0), (5, 0.0)]:
    for op in ["//", "%", "/"]:
        try:
            if op == "//":
                bad[0] // bad[1]
            elif op == "%":
                bad[0] % bad[1]
            else:
                bad[0] / bad[1]
        except ZeroDivisionError as e:
            print(op, bad, e)
try:
    divmod(3, 0)
except ZeroDivisionError as e:
    print("divmod", e)
print(-1 // 10, -1 % 10, 1 // -10, 1 % -10)
print(divmod(2 ** 64, 2 ** 32), divmod(-(2 ** 64), 2 ** 32 + 1))
print(10 ** 20 // 3, 10 ** 20 % 3, -(10 ** 20) // 3)
print(True // 2, 5 // True, 5 % True)
print((-3) % 5, -(3 % 5))
