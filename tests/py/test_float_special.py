# special floats: inf, nan, -0.0 behaviour in comparisons, containers, math functions, hashing relations
import math
inf, nan, nz = float("inf"), float("nan"), -0.0
print(inf, -inf, nan, nz, repr(nz), str(nz))
print(nz == 0.0, math.copysign(1, nz), math.copysign(1, 0.0))
print(1 / inf, -1 / inf, inf - 1e308 == inf)
print(math.isinf(inf), math.isinf(-inf), math.isnan(nan), math.isfinite(1.0), math.isfinite(inf))
print(nan is nan, nan == nan, [nan] == [nan], nan in [nan], float("nan") in [nan])
lst = [3.0, nan, 1.0]
print(max(1.0, inf), min(-inf, 0), sorted([inf, -inf, 0.0, 1.0]))
print(inf == inf, -inf < inf, inf > 2 ** 1000, -inf < -(2 ** 1000))
print(hash(inf) == hash(inf), hash(0.0) == hash(-0.0), hash(1.0) == hash(1))
print(-nz, abs(nz), nz + 0.0, 0.0 * -1, -0.0 * -0.0)
print(math.sqrt(nz), math.floor(nz), round(nz))
print(int(-0.0), str(0.0 * -5), repr(-1e-400))
print(math.fabs(-inf), math.exp(-inf), math.exp(710) if False else "skip overflow")
try:
    math.sqrt(-1)
except ValueError as e:
    print(e)
try:
    math.log(0)
except ValueError as e:
    print(e)
try:
    math.exp(1000)
except OverflowError as e:
    print(e)
print(math.log(inf), math.atan(inf), math.tanh(inf) if hasattr(math, "tanh") else 1.0)
print(f"{inf}", f"{nan}", f"{-inf:10}", f"{nz:.2f}", format(inf, "e"))
print(inf * 0 != inf * 0, float("-nan") != float("-nan"))
