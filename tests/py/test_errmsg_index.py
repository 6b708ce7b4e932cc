# IndexError messages: list/tuple/str/range/bytes index out of range, pop from empty list, assignment index
tests = [
    lambda: [][0],
    lambda: [1, 2][2],
    lambda: [1, 2][-3],
    lambda: (1,)[1],
    lambda: ()[0],
    lambda: "abc"[3],
    lambda: ""[0],
    lambda: range(3)[3],
    lambda: range(0)[-1],
    lambda: b"ab"[2],
    lambda: [].pop(),
    lambda: [1].pop(2),
    lambda: [1].pop(-2),
]
for t in tests:
    try:
        t()
    except IndexError as e:
        print(type(e).__name__, e)
l = [1, 2, 3]
try:
    l[3] = 0
except IndexError as e:
    print(e)
try:
    del l[5]
except IndexError as e:
    print(e)
try:
    l.insert(100, "ok")
    print(l)
except IndexError as e:
    print(e)
try:
    l[10:20]
    print("slices never raise:", l[10:20])
except IndexError as e:
    print(e)
def get(seq, i):
    try:
        return seq[i]
    except IndexError:
        return "out of range"
print(get([1], 0), get([1], 1), get("xy", -3))
try:
    [[1]][0][1]
except IndexError as e:
    print("nested:", e)
print(issubclass(IndexError, LookupError))
