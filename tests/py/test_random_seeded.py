# random: the same int seeds give CPython's exact Mersenne Twister numbers
# (random, getrandbits of every width, randrange/randint, seed(0), negative
# and multi-word seeds, state round trips).
import random

random.seed(12345)
print([random.random() for _ in range(5)])
print([random.getrandbits(k) for k in (1, 7, 31, 32, 33, 63, 64, 65, 100, 200)])
print([random.randrange(10) for _ in range(10)])
print([random.randrange(3, 1000, 7) for _ in range(5)])
print([random.randrange(100, 0, -3) for _ in range(5)])
print([random.randint(-5, 5) for _ in range(10)])
print(random.randrange(10 ** 30))

for seed in (0, 1, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 100) - 7, 10 ** 50, True):
    random.seed(seed)
    print(seed, random.random(), random.getrandbits(16))

r = random.Random(42)
print(r.random(), r.randint(1, 6))
state = r.getstate()
print(state[0], len(state[1]), state[1][-1], state[2])
first = [r.random() for _ in range(3)]
r.setstate(state)
print(first == [r.random() for _ in range(3)])

r2 = random.Random()
r2.setstate(r.getstate())
print(r2.random() == r.random())

# the module functions share one generator
random.seed(7)
a = random.random()
random.seed(7)
print(a == random.random())
