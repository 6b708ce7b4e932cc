# generators: generator-heavy code: recursive tree walks with yield from, chained pipelines, send() coroutines,
# generator expressions consumed by builtins. usage: generators.py [--threads N] [--quick | --validate] [size]
import sys

import harness


class Tree:
    __slots__ = ("left", "value", "right")

    def __init__(self, left, value, right):
        self.left = left
        self.value = value
        self.right = right

    def __iter__(self):
        if self.left is not None:
            yield from self.left
        yield self.value
        if self.right is not None:
            yield from self.right


def build(lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return Tree(build(lo, mid), mid, build(mid + 1, hi))


def numbers(limit):
    i = 0
    while i < limit:
        yield i
        i += 1


def squares(src):
    for x in src:
        yield x * x


def only_odd(src):
    for x in src:
        if x & 1:
            yield x


def chunked(src, k):
    buf = []
    for x in src:
        buf.append(x)
        if len(buf) == k:
            yield buf
            buf = []
    if buf:
        yield buf


def accumulator():
    total = 0
    count = 0
    while True:
        v = yield total
        if v is None:
            return count
        total = (total + v) % 1000000007
        count += 1


def run(size):
    tree = build(0, size)
    s1 = 0
    for v in tree:
        s1 += v
    s2 = sum(len(c) * c[0] for c in chunked(only_odd(squares(numbers(size))), 7))
    acc = accumulator()
    next(acc)
    last = 0
    for v in tree:
        last = acc.send(v * 3 + 1)
    try:
        acc.send(None)
        count = -1
    except StopIteration as e:
        count = e.value
    s3 = sum(x for x in (y * 2 for y in range(size)) if x % 3)
    s4 = max(enumerate(zip(numbers(size), reversed(range(size)))), key=lambda p: p[1][0] ^ p[1][1])[0]
    return s1, s2, last, count, s3, s4


def main():
    (size,), threads = harness.parse([200000], quick=[36000], validate=[5000])
    results = harness.replicate(threads, lambda: [run(size) for _ in range(3)])
    if results.count(results[0]) != len(results):
        print("generators: runs disagree")
        sys.exit(1)
    print("generators size=%d %s" % (size, " ".join(str(v) for v in results[0])))
    expected_s1 = size * (size - 1) // 2
    if results[0][0] != expected_s1 or results[0][3] != size:
        print("generators: wrong tree sum or count")
        sys.exit(1)


main()
