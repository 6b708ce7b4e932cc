# set algebra: union/intersection/difference/symmetric difference (operators and methods), subsets, in-place ops
a = {1, 2, 3, 4}
b = {3, 4, 5, 6}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(b - a), sorted(a ^ b))
print(sorted(a.union(b, [7])), sorted(a.intersection(b, {4})), sorted(a.difference(b, {1})), sorted(a.symmetric_difference(b)))
print(sorted(a.union("xy"), key=str), sorted(a.intersection(range(3))))
try:
    a | [1]
except TypeError as e:
    print(e)
print({1, 2} <= {1, 2, 3}, {1, 2} < {1, 2}, {1, 2} >= {1}, {1, 2} > {1, 2}, {1} < {2})
print({1}.issubset([1, 2]), {1, 2}.issuperset((1,)), {1}.isdisjoint({2}), {1}.isdisjoint([1]))
c = {1, 2, 3}
c |= {4}; print(sorted(c))
c &= {2, 3, 4, 5}; print(sorted(c))
c -= {3}; print(sorted(c))
c ^= {4, 10}; print(sorted(c))
d = {1, 2, 3}
d.intersection_update([2, 3, 4]); print(sorted(d))
d.difference_update({2}); print(sorted(d))
d.symmetric_difference_update({3, 7}); print(sorted(d))
d.update({8}, [9]); print(sorted(d))
alias = d
d |= {100}
print(alias is d, 100 in alias)
e = d
e = e | {200}
print(200 in d, 200 in e)
print(sorted(set("abc") & set("bcd")), sorted(set("abc") - set("b")))
big1 = set(range(0, 1000, 2))
big2 = set(range(0, 1000, 3))
print(len(big1 & big2), len(big1 | big2), len(big1 ^ big2), sorted(big1 & big2)[:5])
print(sorted({1, 2} | frozenset({3})), type({1} | frozenset({2})).__name__, type(frozenset({2}) | {1}).__name__)
print(set() | set() == set(), {1} & set() == set())
