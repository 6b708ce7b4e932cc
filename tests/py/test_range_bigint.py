# range objects with arbitrary-precision bounds: indexing, slicing, membership, len overflow, iteration near 2**64
big = 10 ** 20
r = range(big)
print(r[-1], r[big // 2], big - 1 in r, big in r, -1 in r)
try:
    len(r)
except OverflowError as e:
    print("OverflowError", e)
print(r[10:13], list(r[10:13]), r[-3:], list(r[-3:]))
s = range(2 ** 64 - 2, 2 ** 64 + 2)
print(list(s), len(s), s.index(2 ** 64), s.count(2 ** 64 + 1))
print(range(2 ** 70, 2 ** 70 + 3)[1], len(range(2 ** 70, 2 ** 70 + 10, 4)), 2 ** 70 + 4 in range(2 ** 70, 2 ** 71, 4))
neg = range(-(2 ** 65), -(2 ** 65) + 5)
print(list(neg)[:2], neg[-1], -(2 ** 65) in neg)
step = range(0, 10 ** 30, 10 ** 29)
print(len(step), step[3], list(step)[-1], 5 * 10 ** 29 in step, 5 * 10 ** 29 + 1 in step)
print(range(0, big, 3)[5], range(big, 0, -big // 4)[2], list(range(big, 0, -big // 4)))
print(range(big) == range(0, big, 1), range(big)[::big // 5])
total = 0
for v in range(2 ** 63 - 2, 2 ** 63 + 2):
    total += v - 2 ** 63
print(total)
print(sum(range(2 ** 62, 2 ** 62 + 4)) == 4 * 2 ** 62 + 6)
print(reversed(range(2 ** 64, 2 ** 64 + 3)).__next__() if False else list(reversed(range(2 ** 64, 2 ** 64 + 3))))
print(range(2 ** 100).count(2 ** 99), range(2 ** 100).index(2 ** 99) == 2 ** 99)
print(repr(range(2 ** 64)), str(range(-(2 ** 64), 0, 2 ** 32)))
try:
    range(2 ** 100)[2 ** 100]
except IndexError as e:
    print(e)
print(bool(range(2 ** 64, 2 ** 64)), bool(range(2 ** 64, 2 ** 64 + 1)))
# list() and tuple() of a range too long for ssize_t fail before they make anything
for make in (list, tuple):
    try:
        make(range(10 ** 20)[-0:])
    except OverflowError as e:
        print(make.__name__, "OverflowError", e)
