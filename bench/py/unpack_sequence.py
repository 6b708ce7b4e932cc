# unpack_sequence: tuple and list unpacking of many widths, swaps, starred targets, unpacking in for loops.
# usage: unpack_sequence.py [--threads N] [--quick | --validate] [loops]
import sys

import harness


def unpack_tuples(loops):
    t = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    acc = 0
    for i in range(loops):
        a, b, c, d, e, f, g, h, j, k = t
        a, b, c, d, e, f, g, h, j, k = t
        a, b, c, d, e, f, g, h, j, k = t
        a, b, c, d, e, f, g, h, j, k = t
        a, b, c, d, e, f, g, h, j, k = t
        acc += a + k + i
    return acc


def unpack_lists(loops):
    l = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    acc = 0
    for i in range(loops):
        a, b, c, d, e, f, g, h, j, k = l
        a, b, c, d, e, f, g, h, j, k = l
        a, b, c, d, e, f, g, h, j, k = l
        a, b, c, d, e, f, g, h, j, k = l
        a, b, c, d, e, f, g, h, j, k = l
        acc += b * j - i
    return acc


def swaps(loops):
    x, y, z = 1, 2, 3
    for _ in range(loops):
        x, y = y, x
        y, z = z, y
        x, y, z = z, x, y
        x, y, z = y, z, x
    return x * 100 + y * 10 + z


def starred(loops):
    data = list(range(8))
    acc = 0
    for i in range(loops):
        first, *middle, last = data
        *init, tail = data
        head, *rest = data
        acc += first + last + len(middle) + tail + head + len(init) + len(rest)
        data[i & 7] = i & 15
    return acc


def pairs(loops):
    items = [(i, i * 2, (i, -i)) for i in range(64)]
    acc = 0
    for _ in range(loops // 64):
        for a, b, (c, d) in items:
            acc += a + b + c + d
        for k, v in enumerate(items):
            acc += k - v[0]
    return acc


def unpack_all(loops):
    return (unpack_tuples(loops), unpack_lists(loops), swaps(loops), starred(loops // 4),
            pairs(loops))


def main():
    (loops,), threads = harness.parse([2000000], quick=[200000], validate=[20000])
    r = harness.replicate(threads, unpack_all, loops)
    print("unpack_sequence loops=%d %s" % (loops, " ".join(str(v) for v in r)))
    if r[0] != 11 * loops + loops * (loops - 1) // 2 or r[1] != 18 * loops - loops * (loops - 1) // 2:
        print("unpack_sequence: wrong sums")
        sys.exit(1)


main()
