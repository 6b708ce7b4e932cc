# random: choice, shuffle, sample (both of CPython's methods: pool and set),
# choices with and without weights, randbytes — same numbers as CPython.
import random

random.seed(2024)
letters = 'abcdefghij'
print([random.choice(letters) for _ in range(8)])
print(random.choice([10, 20, 30]), random.choice((1,)), random.choice(range(100)))

deck = list(range(20))
random.shuffle(deck)
print(deck)
random.shuffle(deck)
print(deck)

print(random.sample(range(100), 5))
print(random.sample(range(10 ** 6), 10))
print(random.sample(list('xyz'), 3))
print(random.sample(['red', 'blue'], counts=[4, 2], k=5))

print(random.choices('abc', k=6))
print(random.choices(['x', 'y', 'z'], weights=[10, 1, 1], k=8))
print(random.choices(['x', 'y', 'z'], cum_weights=[1, 2, 10], k=8))
print(random.randbytes(6).hex())

r = random.Random(99)
print(r.sample(range(30), 30) == sorted(r.sample(range(30), 30)))
print(sorted(r.sample(range(30), 30)) == list(range(30)))
