# frozenset: immutability, hashability, as dict keys and set members, equality with set, methods returning frozensets
f = frozenset([3, 1, 2, 1])
print(sorted(f), len(f), 2 in f, type(f).__name__)
print(f == {1, 2, 3}, {1, 2, 3} == f, f == frozenset((1, 2, 3)))
try:
    f.add(4)
except AttributeError as e:
    print(e)
h = {f: "value"}
print(h[frozenset({1, 2, 3})])
nested = {frozenset({1}), frozenset({1}), frozenset({2, 3})}
print(len(nested), sorted(sorted(x) for x in nested))
print(sorted(f | {9}), sorted(f & {1, 5}), sorted(f - {1}), sorted(f ^ {1, 7}))
print(type(f | {9}).__name__, type(f.union([9])).__name__, type(f.copy()).__name__)
print(frozenset() == set(), frozenset(), repr(frozenset()), len(frozenset("aab")))
print(f.issubset({1, 2, 3, 4}), f.issuperset({1}), f.isdisjoint({7}))
print(hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
def powerset(s):
    result = {frozenset()}
    for x in s:
        result |= {sub | {x} for sub in result}
    return result
ps = powerset({1, 2, 3})
print(len(ps), sorted(sorted(p) for p in ps))
graph_edges = {frozenset(("a", "b")), frozenset(("b", "a")), frozenset(("b", "c"))}
print(len(graph_edges))
s = set(f)
s.add(10)
print(sorted(s), sorted(f))
print(frozenset(x % 3 for x in range(10)) == frozenset({0, 1, 2}))
print(frozenset([frozenset([1])]) == frozenset({frozenset({1})}))
print(sorted(frozenset("hello")), frozenset("ab") <= frozenset("abc"))
