# spectral_norm: the spectral norm of an infinite matrix by the power method (float arithmetic, function calls, zip).
# usage: spectral_norm.py [--threads N] [--quick | --validate] [n]   prints the norm to 9 digits; n=100 is checked against 1.274219991.
import sys

import harness

KNOWN = {100: "1.274219991", 5500: "1.274224153"}


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def a_times_u(u):
    n = len(u)
    return [sum(eval_a(i, j) * u_j for j, u_j in enumerate(u)) for i in range(n)]


def at_times_u(u):
    n = len(u)
    return [sum(eval_a(j, i) * u_j for j, u_j in enumerate(u)) for i in range(n)]


def ata_times_u(u):
    return at_times_u(a_times_u(u))


def spectral_norm(n):
    u = [1.0] * n
    v = u
    for _ in range(10):
        v = ata_times_u(u)
        u = ata_times_u(v)
    vbv = 0.0
    vv = 0.0
    for ue, ve in zip(u, v):
        vbv += ue * ve
        vv += ve * ve
    return (vbv / vv) ** 0.5


def main():
    (n,), threads = harness.parse([500], quick=[160], validate=[40])
    result = "%.9f" % harness.replicate(threads, spectral_norm, n)
    print("spectral_norm n=%d %s" % (n, result))
    if n in KNOWN and KNOWN[n] != result:
        print("spectral_norm: expected", KNOWN[n])
        sys.exit(1)


main()
