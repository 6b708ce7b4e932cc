# random: str, bytes and bytearray seeds use CPython's version-2 scheme
# (the text followed by its SHA-512 digest, as one big int), version 1 for
# strs, and float seeds their hash — the same numbers as CPython.
import random

for seed in ('hello', '', 'ünïcödé ☃', b'bytes seed', bytearray(b'ba'), 'x' * 500):
    random.seed(seed)
    print(repr(seed)[:20], random.random(), random.randint(0, 10 ** 9))

random.seed('hello', version=1)
print(random.random())
random.seed(b'hello', version=1)
print(random.random())

for f in (1.5, -2.25, 3.0, 1e100):
    random.seed(f)
    print(f, random.random())

r1 = random.Random('same')
r2 = random.Random(b'same')
print(r1.random() == r2.random())
