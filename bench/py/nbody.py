# nbody: the Jovian planets' orbits with a simple symplectic integrator (floating-point arithmetic on lists).
# usage: nbody.py [--threads N] [--quick | --validate] [steps]   prints the energy before and after; 1000 steps is checked against the
# published values of the Computer Language Benchmarks Game (-0.169075164 / -0.169087605).
import sys

import harness

PI = 3.14159265358979323
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24


def make_bodies():
    # [position, velocity, mass] per body; velocities in AU/day scaled to years
    raw = [
        ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], 1.0),
        ([4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
         [1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05],
         9.54791938424326609e-04),
        ([8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
         [-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05],
         2.85885980666130812e-04),
        ([1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01],
         [2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05],
         4.36624404335156298e-05),
        ([1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01],
         [2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05],
         5.15138902046611451e-05),
    ]
    bodies = []
    for pos, vel, mass in raw:
        bodies.append((list(pos), [v * DAYS_PER_YEAR for v in vel], mass * SOLAR_MASS))
    return bodies


def pairs_of(bodies):
    out = []
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            out.append((bodies[i], bodies[j]))
    return out


def offset_momentum(bodies):
    px = py = pz = 0.0
    for (_, v, m) in bodies:
        px -= v[0] * m
        py -= v[1] * m
        pz -= v[2] * m
    sun_v = bodies[0][1]
    sun_v[0] = px / SOLAR_MASS
    sun_v[1] = py / SOLAR_MASS
    sun_v[2] = pz / SOLAR_MASS


def energy(bodies, pairs):
    e = 0.0
    for ((x1, y1, z1), v1, m1), ((x2, y2, z2), v2, m2) in pairs:
        dx, dy, dz = x1 - x2, y1 - y2, z1 - z2
        e -= (m1 * m2) / ((dx * dx + dy * dy + dz * dz) ** 0.5)
    for (_, (vx, vy, vz), m) in bodies:
        e += m * (vx * vx + vy * vy + vz * vz) / 2.0
    return e


def advance(bodies, pairs, dt, steps):
    for _ in range(steps):
        for ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1 = m1 * mag
            b2 = m2 * mag
            v1[0] -= dx * b2
            v1[1] -= dy * b2
            v1[2] -= dz * b2
            v2[0] += dx * b1
            v2[1] += dy * b1
            v2[2] += dz * b1
        for (r, (vx, vy, vz), m) in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz


def simulate(steps):
    bodies = make_bodies()
    pairs = pairs_of(bodies)
    offset_momentum(bodies)
    before = "%.9f" % energy(bodies, pairs)
    advance(bodies, pairs, 0.01, steps)
    after = "%.9f" % energy(bodies, pairs)
    return before, after


def main():
    (steps,), threads = harness.parse([400000], quick=[28000], validate=[2000])
    before, after = harness.replicate(threads, simulate, steps)
    print("nbody steps=%d energy %s %s" % (steps, before, after))
    if before != "-0.169075164" or (steps == 1000 and after != "-0.169087605"):
        print("nbody: energy differs from the published values", file=sys.stdout)
        sys.exit(1)


main()
