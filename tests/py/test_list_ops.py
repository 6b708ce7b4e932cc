# list operations: +, *, ==, <, in, len, min/max/sum, list() constructor, del, multiplication aliasing, repr of recursion
a = [1, 2, 3]
b = [4, 5]
print(a + b, a * 2, 2 * b, a * 0, [] * 5, [None] * 3)
print(a == [1, 2, 3], a != b, a < b, [1, 2] < [1, 2, 0], [2] > [1, 9], [] < [0])
print(3 in a, 6 not in a, len(a), min(a), max(b), sum(a + b))
print(list(), list("abc"), list((1, 2)), list(range(3)), list({"x": 1}), list(x for x in "hi"))
print(sorted(list({3, 1, 2})), list(map(abs, [-1, -2])), list(zip([1], [2])))
try:
    [1] + (2,)
except TypeError as e:
    print(e)
try:
    [1] * 1.5
except TypeError as e:
    print(e)
try:
    [1] < ["a"]
except TypeError as e:
    print(e)
c = a
c += [4]
print(a, c is a)
d = a
d = d + [5]
print(a, d, d is a)
r = [1]
r.append(r)
print(r)
q = [[]] * 2
q[0].append("shared")
print(q)
print(list(reversed(a)), a[::-1] == list(reversed(a)))
print([i for i in a] == a, id(a) == id(a))
stack = []
stack.append(1); stack.append(2); print(stack.pop(), stack)
queue = [1, 2, 3]
print(queue.pop(0), queue)
print([1, [2, [3, [4]]]], str([1, "a", None, 2.5, (1,)]))
print(max([[1, 2], [1, 3], [0, 9]]), min([[1], [1, 0]]))
print(["a", "b"] * 2 + ["c"], [0] * 3 == [0, 0, 0])
e = list(range(20))
del e[::2]
del e[-3:]
print(e, len(e))
print([1, 2, 3].__len__(), [1, 2].__contains__(2), [3, 4].__getitem__(1))
