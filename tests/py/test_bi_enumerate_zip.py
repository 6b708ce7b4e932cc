# enumerate and zip: start argument, unequal lengths, unzipping with zip(*), strict mode, laziness, dict building
print(list(enumerate("abc")), list(enumerate("abc", 1)), list(enumerate("ab", start=-2)))
print(list(enumerate([])), list(enumerate(range(3), 10)))
e = enumerate("xy")
print(next(e), next(e), next(e, "done"))
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1])), list(zip("a", "b", "c")))
pairs = [(1, "a"), (2, "b"), (3, "c")]
nums, lets = zip(*pairs)
print(nums, lets)
print(dict(zip("abc", range(3))), list(zip(*[[1, 2, 3], [4, 5, 6]])))
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as ex:
    print(ex)
print(list(zip([1, 2], [3, 4], strict=True)))
def gen():
    for i in range(5):
        print("gen yields", i)
        yield i
z = zip(gen(), "ab")
print(list(z))
for i, (a, b) in enumerate(zip("pq", "rs")):
    print(i, a, b)
matrix = [[1, 2], [3, 4], [5, 6]]
print([sum(col) for col in zip(*matrix)])
it = iter(range(6))
print(list(zip(it, it)))
print(list(enumerate(zip("ab", "cd"))))
try:
    enumerate(5)
except TypeError as ex:
    print(ex)
try:
    zip(1, [2])
except TypeError as ex:
    print(ex)
print(type(enumerate([])).__name__, type(zip()).__name__)
keys = ["a", "b", "c"]
vals = [1, 2]
print({k: v for k, v in zip(keys, vals)})
print(list(zip(range(3), range(10, 13), range(20, 23))))
