# chained comparisons: a < b < c, mixed operators, single evaluation of middle operand, all comparison ops
x = 5
print(1 < x < 10, 1 < x > 10, 1 < 2 < 3 < 4 < 5, 1 < 2 > 3)
print(0 <= x <= 5, 0 <= x < 5)
print(1 == 1 == 1, 1 == 1 != 2, 1 != 2 != 1)
print(1 < 2 == 2, 3 > 2 >= 2 > 1)
calls = []
def val(v):
    calls.append(v)
    return v
print(val(1) < val(2) < val(3), calls)
calls.clear()
print(val(3) < val(2) < val(1), calls)
calls.clear()
print(val(1) < val(5) > val(4) == val(4), calls)
print("a" < "b" < "c", "abc" < "abd", "Z" < "a", "" < "a")
print([1, 2] < [1, 3], [1, 2] < [1, 2, 0], (1, 2) == (1, 2), (2,) > (1, 9))
print(1 == 1.0, 1 < 1.5 < 2, -1 < 0.0 == 0)
print(x in [5] in [[5]], 1 < 2 in [True])
print(None is None is not False, x is x is not None)
print((1 < 2) < 3, 1 < (2 < 3))
print(2 <= 2 <= 2, 2 < 2 <= 2)
for a, b in [(1, 2), (2, 2), (3, 2)]:
    print(a, b, a < b, a <= b, a == b, a != b, a >= b, a > b)
print(True < 2, False == 0, True == 1.0)
print(sorted([3, 1, 2]) == [1, 2, 3] != [3, 2, 1])
try:
    print(1 < "a")
except TypeError as e:
    print(e)
try:
    print([1] < (1,))
except TypeError as e:
    print(e)
print(1 == "1", [] == (), None == 0)
