# float: many small objects holding floats: create points on a curve, normalize them, reduce to the maximum
# (attribute access, math.sin/cos/sqrt, object allocation). usage: float.py [--threads N] [--quick | --validate] [points]
import math
import sys

import harness


class Point:
    __slots__ = ("x", "y", "z")

    def __init__(self, i):
        self.x = x = math.sin(i)
        self.y = math.cos(i) * 3
        self.z = (x * x) / 2

    def normalize(self):
        x, y, z = self.x, self.y, self.z
        norm = math.sqrt(x * x + y * y + z * z)
        self.x = x / norm
        self.y = y / norm
        self.z = z / norm

    def maximize(self, other):
        if other.x > self.x:
            self.x = other.x
        if other.y > self.y:
            self.y = other.y
        if other.z > self.z:
            self.z = other.z
        return self


def run(n):
    points = [Point(i) for i in range(n)]
    for p in points:
        p.normalize()
    best = points[0]
    for p in points[1:]:
        best = best.maximize(p)
    total = 0.0
    for p in points[::97]:
        total += p.x - p.y + p.z
    return best, total


def rounds(n):
    digest = []
    for _ in range(5):
        best, total = run(n)
        digest.append("%.9f %.9f %.9f %.9f" % (best.x, best.y, best.z, total))
    return digest


def main():
    (n,), threads = harness.parse([400000], quick=[43000], validate=[5000])
    digest = harness.replicate(threads, rounds, n)
    if len(set(digest)) != 1:
        print("float: rounds disagree")
        sys.exit(1)
    print("float n=%d %s" % (n, digest[0]))


main()
