# chaos: the chaos game: iterate random affine maps (an iterated function system) on a small vector class,
# plot the orbit into a grid. A linear congruential generator makes it deterministic.
# usage: chaos.py [--threads N] [--quick | --validate] [points]
import sys

import harness


class LCG:
    # Numerical Recipes constants, modulo 2**32
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next_int(self):
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return self.state

    def random(self):
        return self.next_int() / 4294967296.0


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __repr__(self):
        return "Vec(%.9f, %.9f)" % (self.x, self.y)


class Affine:
    __slots__ = ("a", "b", "c", "d", "shift", "weight")

    def __init__(self, a, b, c, d, e, f, weight):
        self.a, self.b, self.c, self.d = a, b, c, d
        self.shift = Vec(e, f)
        self.weight = weight

    def apply(self, p):
        return Vec(self.a * p.x + self.b * p.y, self.c * p.x + self.d * p.y) + self.shift


FERN = [
    Affine(0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 0.01),
    Affine(0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 0.85),
    Affine(0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 0.07),
    Affine(-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 0.07),
]
TRIANGLE = [
    Affine(0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 1 / 3),
    Affine(0.5, 0.0, 0.0, 0.5, 0.5, 0.0, 1 / 3),
    Affine(0.5, 0.0, 0.0, 0.5, 0.25, 0.5, 1 / 3),
]


def chaos_game(maps, points, rng, width, height, box):
    xmin, xmax, ymin, ymax = box
    grid = [[0] * width for _ in range(height)]
    cumulative = []
    total = 0.0
    for m in maps:
        total += m.weight
        cumulative.append((total, m))
    p = Vec(0.0, 0.0)
    sx = (width - 1) / (xmax - xmin)
    sy = (height - 1) / (ymax - ymin)
    for i in range(points):
        r = rng.random() * total
        for bound, m in cumulative:
            if r < bound:
                break
        p = m.apply(p)
        if i >= 20:
            col = int((p.x - xmin) * sx)
            row = int((p.y - ymin) * sy)
            if 0 <= col < width and 0 <= row < height:
                grid[row][col] += 1
    return grid, p


def digest(grid):
    lit = 0
    h = 0
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v:
                lit += 1
                h = (h * 131 + v * (r + 1) + c) % 1000000007
    return lit, h


def play(points):
    rng = LCG(20240601)
    fern, p1 = chaos_game(FERN, points, rng, 60, 100, (-2.2, 2.7, 0.0, 10.0))
    tri, p2 = chaos_game(TRIANGLE, points // 2, rng, 64, 64, (0.0, 1.0, 0.0, 1.0))
    # the end points as text: Vec has no __eq__, and threads compare results
    return fern, repr(p1), tri, repr(p2)


def main():
    (points,), threads = harness.parse([1000000], quick=[110000], validate=[10000])
    fern, p1, tri, p2 = harness.replicate(threads, play, points)
    l1, h1 = digest(fern)
    l2, h2 = digest(tri)
    print("chaos points=%d fern %d %d %s triangle %d %d %s" % (points, l1, h1, p1, l2, h2, p2))
    for row in fern[::-10]:
        print("".join("#" if v > 20 else ("+" if v else " ") for v in row))


main()
