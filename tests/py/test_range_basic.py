# range: start/stop/step forms, negative steps, empty ranges, len, indexing, slicing, membership, repr, errors
print(list(range(5)), list(range(2, 8)), list(range(0, 20, 5)), list(range(10, 0, -3)), list(range(5, 5)))
print(list(range(-5, -1)), list(range(-1, -5, -1)), list(range(0)), list(range(3, 1)))
r = range(3, 30, 4)
print(r, repr(range(5)), repr(range(1, 5, 2)), len(r), r[0], r[-1], r[2])
print(r[1:3], r[::-1], r[::2], list(r[::-2]))
print(11 in r, 12 in r, 31 in r, -1 in r, 3.0 in r)
print(r.index(15), r.count(7), r.count(8), r.start, r.stop, r.step)
try:
    r[100]
except IndexError as e:
    print(e)
try:
    range(1, 2, 0)
except ValueError as e:
    print(e)
try:
    range(1.5)
except TypeError as e:
    print(e)
try:
    r.index(4)
except ValueError as e:
    print(e)
print(range(0, 10, 2) == range(0, 9, 2), range(0) == range(5, 5), range(3) == range(0, 3, 1))
print(range(10 ** 6)[-1], 10 ** 5 in range(10 ** 6), range(0, 10 ** 6, 3)[5], len(range(0, 10 ** 6, 3)))
print(sum(range(101)), max(range(7)), min(range(3, 9)), sorted(range(5), reverse=True))
print(list(reversed(range(1, 10, 3))), bool(range(0)), bool(range(1)))
print(type(range(1)).__name__, list(enumerate(range(3, 6))))
total = 0
for i in range(1, 1001):
    total += i * i
print(total)
print(len(range(10, -10, -3)), list(range(10, -10, -3)))
print(hash(range(3)) == hash(range(0, 3)), list(range(True, 4)))
