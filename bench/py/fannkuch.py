# fannkuch: pancake flips over every permutation of 1..n (list slicing, reversal, permutation generation).
# usage: fannkuch.py [--threads N] [--quick | --validate] [n [repeat]]   prints the checksum and the maximum number of flips;
# n=7 is checked against the known result (checksum 228, 16 flips).
import sys

import harness

KNOWN = {7: (228, 16), 8: (1616, 22), 9: (8629, 30), 10: (73196, 38)}


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        checksum += flips if sign > 0 else -flips
        sign = -sign
        # next permutation in the counting order used by the benchmark
        while True:
            if r == n:
                return checksum, max_flips
            first = perm1[0]
            for i in range(r):
                perm1[i] = perm1[i + 1]
            perm1[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def main():
    (n, repeat), threads = harness.parse([9, 3], quick=[8, 3], validate=[7, 1])
    results = harness.replicate(threads, lambda: {fannkuch(n) for _ in range(repeat)})
    if len(results) != 1:
        print("fannkuch: runs disagree")
        sys.exit(1)
    checksum, flips = results.pop()
    print("fannkuch n=%d checksum %d flips %d" % (n, checksum, flips))
    if n in KNOWN and KNOWN[n] != (checksum, flips):
        print("fannkuch: expected", KNOWN[n])
        sys.exit(1)


main()
