# nqueens: all solutions of the n-queens problem by backtracking with sets, tuples and generators.
# usage: nqueens.py [--threads N] [--quick | --validate] [n]   the number of solutions is checked against the known sequence.
import sys

import harness

KNOWN = [1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712]


def solutions(n):
    cols = set()
    diag_down = set()
    diag_up = set()
    placed = []

    def place(row):
        if row == n:
            yield tuple(placed)
            return
        for col in range(n):
            if col in cols or row + col in diag_up or row - col in diag_down:
                continue
            cols.add(col)
            diag_up.add(row + col)
            diag_down.add(row - col)
            placed.append(col)
            yield from place(row + 1)
            placed.pop()
            cols.discard(col)
            diag_up.discard(row + col)
            diag_down.discard(row - col)

    return place(0)


def canonical(sol):
    # the smallest of the 8 symmetric images: counts the fundamental solutions
    n = len(sol)
    board = [(r, c) for r, c in enumerate(sol)]
    images = []
    for _ in range(4):
        board = [(c, n - 1 - r) for r, c in board]
        images.append(tuple(c for r, c in sorted(board)))
        images.append(tuple(c for r, c in sorted((r, n - 1 - c) for r, c in board)))
    return min(images)


def count_solutions(n):
    count = 0
    digest = 0
    fundamental = set()
    for sol in solutions(n):
        count += 1
        digest = (digest * 31 + sum((i + 1) * c for i, c in enumerate(sol))) % 1000000007
        fundamental.add(canonical(sol))
    return count, len(fundamental), digest


def main():
    (n,), threads = harness.parse([12], quick=[11], validate=[7])
    count, nfundamental, digest = harness.replicate(threads, count_solutions, n)
    print("nqueens n=%d solutions %d fundamental %d digest %d" % (n, count, nfundamental, digest))
    if n < len(KNOWN) and KNOWN[n] != count:
        print("nqueens: expected", KNOWN[n])
        sys.exit(1)


main()
