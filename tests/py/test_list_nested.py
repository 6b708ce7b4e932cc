# nested lists and list algorithms: matrix ops, flatten, rotate, dedupe preserving order, chunking, zip transpose
m = [[1, 2, 3], [4, 5, 6]]
print(m, len(m), len(m[0]))
t = [list(r) for r in zip(*m)]
print(t)
rot = [list(r) for r in zip(*m[::-1])]
print(rot)
flat = [x for r in m for x in r]
print(flat, sum(flat))
def dedupe(seq):
    seen = []
    out = []
    for x in seq:
        if x not in seen:
            seen.append(x)
            out.append(x)
    return out
print(dedupe([3, 1, 3, 2, 1, 4]))
def chunks(l, n):
    return [l[i:i + n] for i in range(0, len(l), n)]
print(chunks(list(range(10)), 3))
def rotate(l, k):
    k %= len(l)
    return l[-k:] + l[:-k]
print(rotate([1, 2, 3, 4, 5], 2), rotate([1, 2, 3], -1))
grid = [[0] * 4 for _ in range(3)]
grid[1][2] = 7
print(grid)
bad = [[0] * 4] * 3
bad[1][2] = 7
print(bad)
tri = [[1]]
for i in range(5):
    prev = tri[-1]
    tri.append([1] + [prev[j] + prev[j + 1] for j in range(len(prev) - 1)] + [1])
print(tri[-1])
def deep_sum(x):
    return sum(deep_sum(i) for i in x) if isinstance(x, list) else x
print(deep_sum([1, [2, [3, [4, [5]]]]]))
def merge(a, b):
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    return out + a[i:] + b[j:]
def msort(l):
    if len(l) <= 1:
        return l
    mid = len(l) // 2
    return merge(msort(l[:mid]), msort(l[mid:]))
print(msort([38, 27, 43, 3, 9, 82, 10]))
stack = [[1, 2], [3]]
stack[0].extend(stack.pop())
print(stack)
copy = [row[:] for row in m]
copy[0][0] = 100
print(m[0][0], copy[0][0])
