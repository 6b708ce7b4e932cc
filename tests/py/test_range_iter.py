# range in loops and with builtins: reversed/sorted/sum, big and negative bounds, comparisons, slicing results
r = range(-10, 10, 3)
print(list(r), len(r), r[0], r[-1], r[len(r) // 2])
print(list(reversed(r)), sorted(r, key=abs), sum(r), min(r), max(r))
print(list(range(10)[2:8:2]), range(10)[::-1], range(10)[-3:], range(0, 20, 5)[1:3])
print(range(5)[1:100], range(5)[-100:2], len(range(100)[::7]))
print(range(2 ** 40, 2 ** 40 + 3)[1], len(range(2 ** 40, 2 ** 40 + 10, 4)), 2 ** 40 + 4 in range(2 ** 40, 2 ** 41, 4))
print(-5 in range(-10, 0), 0 in range(-10, 0), -10 in range(-10, 0, 5), -6 in range(-10, 0, 5))
acc = []
for i in range(3):
    for j in range(i, 3):
        acc.append(i * 10 + j)
print(acc)
it = iter(range(3))
print(next(it), next(it), next(it), next(it, "end"))
print(list(zip(range(3), range(10, 13), range(20, 26, 2))))
print(dict(enumerate(range(100, 103))), list(map(lambda v: v * v, range(5))))
print(range(0, 3) == range(3), range(1, 1) == range(2, 2), range(0, 5, 2) != range(0, 6, 2))
print(list(range(0, -10, -4)), list(range(0, 10, -1)), list(range(-3)))
print(bool(range(1, 1)), [x for x in range(20) if x % 6 == 1], tuple(range(4)))
nested = [[c for c in range(r)] for r in range(4)]
print(nested)
print(sum(1 for _ in range(12345)), max(range(0, 1000, 7)), range(0, 1000, 7).index(994))
try:
    range(3).index(5)
except ValueError as e:
    print(e)
try:
    range(1, 2, 3, 4)
except TypeError as e:
    print(e)
print(range(3).count(1), range(3).count(1.0), range(3).count("1"))
print(list(range(True, 5, True)), range(10)[True], str(range(0, -5, -1)))
