# math module: constants, sqrt/floor/ceil/trunc, log/exp/pow, trig, gcd/factorial/comb/perm/isqrt, isclose, fsum, hypot
import math
print(math.pi, math.e, math.tau, math.inf, math.nan != math.nan)
print(math.sqrt(16), math.sqrt(2), math.isqrt(17), math.isqrt(10 ** 30))
print(math.floor(3.7), math.floor(-3.7), math.ceil(3.2), math.ceil(-3.2), math.trunc(-3.7), math.floor(5))
print(math.log(math.e), math.log(100, 10), math.log10(1000), math.log2(1024), math.log(8, 2), math.log1p(0))
print(math.exp(0), math.exp(1), math.pow(2, 10), math.pow(2, 0.5), math.expm1(0))
print(math.sin(0), math.cos(0), math.tan(0), round(math.sin(math.pi / 2), 12), round(math.cos(math.pi), 12))
print(math.asin(1), math.acos(1), math.atan(1), math.atan2(1, 1), math.atan2(-1, -1))
print(math.degrees(math.pi), math.radians(180), math.hypot(3, 4), math.hypot(1, 1, 1))
print(math.gcd(48, 18), math.gcd(0, 5), math.gcd(-12, 18), math.gcd(2 ** 100, 6 ** 40), math.lcm(4, 6))
print(math.factorial(0), math.factorial(20), math.factorial(30))
print(math.comb(10, 3), math.comb(50, 25), math.perm(5, 2), math.perm(5))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.1), math.isclose(1, 1.05, rel_tol=0.1), math.isclose(0, 1e-12, abs_tol=1e-9))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100]))
print(math.fabs(-2), math.copysign(3, -0.0), math.fmod(7, 3), math.fmod(-7, 3), math.remainder(7, 3))
print(math.modf(3.75), math.modf(-2.5), math.frexp(8.0), math.ldexp(0.5, 4))
print(math.isfinite(1e308), math.isinf(-math.inf), math.isnan(math.nan), math.isnan(1.0))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod(range(1, 11)), math.dist((0, 0), (3, 4)))
print(math.sinh(0), math.cosh(0), math.tanh(0), math.erf(0), math.gamma(5), math.lgamma(1))
try:
    math.sqrt(-4)
except ValueError as e:
    print(e)
try:
    math.factorial(2.5)
except (TypeError, ValueError) as e:
    print(type(e).__name__, e)
try:
    math.gcd(1.5, 2)
except TypeError as e:
    print(e)
print(type(math.floor(2.5)).__name__, type(math.sqrt(4)).__name__, type(math.gcd(2, 4)).__name__)
