# sets: creation, add/discard/remove/pop, membership, len, deduplication; always printed sorted
s = {3, 1, 2, 3, 1}
print(sorted(s), len(s), 2 in s, 5 in s, type(s).__name__)
print(sorted(set("mississippi")), sorted(set([1, 1, 2])), set() == set(), len(set()))
s.add(4); s.add(1)
print(sorted(s))
s.discard(10); s.discard(4)
print(sorted(s))
s.remove(3)
print(sorted(s))
try:
    s.remove(99)
except KeyError as e:
    print("KeyError", e)
p = s.pop()
print(p in (1, 2), len(s))
s.clear()
print(len(s), repr(s), bool(s))
try:
    set().pop()
except KeyError as e:
    print("KeyError", e)
try:
    {[1]}
except TypeError as e:
    print(e)
try:
    set().add({})
except TypeError as e:
    print(e)
print(sorted({1, 1.0, True}), len({0, False, 0.0}), sorted({"a", "b", "a"}))
t = {(1, 2), (1, 2), (2, 1)}
print(sorted(t))
c = {1, 2}
d = c.copy()
d.add(3)
print(sorted(c), sorted(d))
seen = set()
dups = []
for x in [5, 3, 5, 1, 3, 9]:
    if x in seen:
        dups.append(x)
    seen.add(x)
print(dups, sorted(seen))
print(sorted(x * x for x in {-2, 2, 3}), sum({1, 2, 3}), max({4, 9, 1}), min({4, 9, 1}))
print({1, 2} == {2, 1}, {1} != {1, 2}, repr(set()), str(set()))
print(sorted({c for c in "hello" if c != "l"}), len({i % 7 for i in range(100)}))
s2 = set(range(5))
s2.update([10, 11], (12,), "a")
print(sorted(s2, key=str))
print(repr({5}), repr({"only"}), repr(frozenset()))
