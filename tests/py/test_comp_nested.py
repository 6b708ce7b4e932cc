# nested comprehensions and mixed kinds: matrices, flattening, cartesian products, comprehension of generators
n = 4
identity = [[1 if i == j else 0 for j in range(n)] for i in range(n)]
for row in identity:
    print(row)
flat = [x for row in identity for x in row]
print(sum(flat), len(flat))
transpose = [[r[c] for r in [[1, 2, 3], [4, 5, 6]]] for c in range(3)]
print(transpose)
print([[(i, j) for j in range(i)] for i in range(4)])
print({i: {j for j in range(i)} == set(range(i)) for i in range(3)})
print([sorted({c for c in w}) for w in ["hello", "world"]])
print(sum(sum(x for x in range(i)) for i in range(10)))
board = [["." for _ in range(5)] for _ in range(3)]
board[1][2] = "#"
print(["".join(r) for r in board])
print([[y for y in x if y] for x in [[0, 1], [2, 0, 3], []]])
words = ["ab", "cd"]
print([a + b for a in words for b in words if a != b])
print([(x, [y for y in range(x)]) for x in range(3)])
pyramid = ["*" * (2 * i + 1) for i in range(4)]
print([p.center(7) for p in pyramid])
print({k: [v * 2 for v in vs] for k, vs in {"a": [1, 2], "b": [3]}.items()})
def gen(k):
    for i in range(k):
        yield i
print([list(gen(k)) for k in range(4)])
print([[c for c in str(n)] for n in [12, 345]])
grid = [[r * 3 + c for c in range(3)] for r in range(3)]
print([grid[i][i] for i in range(3)], [grid[i][2 - i] for i in range(3)])
print(max([max(r) for r in grid]), min(min(r) for r in grid))
print(sorted([(len(a), a) for a in "to be or not to be".split()]))
