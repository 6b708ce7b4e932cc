# random: errors in CPython's words (empty ranges, bad steps, empty choice,
# sample too large or of a set, bad weights, bad seeds and states).
import random

def show(f, *args, **kw):
    try:
        print(f(*args, **kw))
    except Exception as e:
        print(type(e).__name__, e)

r = random.Random(1)
show(r.randrange, 0)
show(r.randrange, 5, 5)
show(r.randrange, 1, 10, 0)
show(r.randrange, 10, 1, 2)
show(r.randrange, 1.5)
show(r.randrange, 10, step=2)
show(r.randint, 5, 1)
show(r.choice, [])
show(r.sample, range(3), 4)
show(r.sample, range(3), -1)
show(r.sample, {1, 2, 3}, 2)
show(r.choices, 'ab', [1])
show(r.choices, 'ab', [0, 0])
show(r.choices, 'ab', [1, 1], cum_weights=[1, 2])
show(r.choices, 'ab', 3)
show(r.getrandbits, -1)
show(r.getrandbits, 2.0)
show(r.seed, [1, 2])
show(r.setstate, (3, (1, 2), None))
show(r.setstate, (9, (), None))
show(r.gammavariate, 0, 1)
show(r.sample, ['a'], counts=[1, 2], k=1)
print(r.getrandbits(0))
