# random: the real-valued distributions draw exactly as CPython's (uniform,
# triangular, gauss with its cached second value, normalvariate,
# lognormvariate, expovariate, vonmises, gamma (all three branches), beta,
# pareto, weibull).
import random

r = random.Random(31337)
print([r.uniform(-2.0, 3.0) for _ in range(3)])
print([r.triangular() for _ in range(2)], r.triangular(0, 10, 2), r.triangular(1, 1, 1))
print([r.gauss() for _ in range(4)])
print([r.gauss(10, 2) for _ in range(3)])
print([r.normalvariate(0, 1) for _ in range(3)])
print(r.lognormvariate(0, 0.5))
print([r.expovariate(1.5) for _ in range(3)])
print(r.vonmisesvariate(1.0, 4.0), r.vonmisesvariate(0.0, 0.0))
print(r.gammavariate(0.5, 1.0), r.gammavariate(1.0, 2.0), r.gammavariate(3.0, 1.0))
print(r.betavariate(2.0, 5.0))
print(r.paretovariate(3.0), r.weibullvariate(1.0, 1.5))

# gauss keeps its second value across calls; seed() drops it
r.seed(5)
g1 = r.gauss()
r.seed(5)
print(g1 == r.gauss())
