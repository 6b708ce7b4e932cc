# Calls filling missing arguments from defaults, and bound methods called
# with no arguments from C (found by the fuzzer: pointer arithmetic on the
# defaults, memcpy of a NULL argument array).
def f(a, b=2, c=3):
    return (a, b, c)

print(f(1), f(1, 5), f(1, 5, 7), f(a=0), f(1, c=9))

def g(a=1, b=2):
    return a + b

print(g(), g(10), g(10, 20))
try:
    f()
except TypeError as e:
    print("TypeError:", e)


class Counter:
    def __init__(self):
        self.n = 0

    def tick(self):
        self.n += 1
        return self.n


c = Counter()
print(list(iter(c.tick, 4)))
m = c.tick
print(m(), m())
print(sorted([3, 1, 2], key=None))
print(list(map(lambda x=5: x, [1, 2])))


class K:
    def method(self, x=10, y=20):
        return x * y


k = K()
print(k.method(), k.method(2), k.method(2, 3))
bm = k.method
print(bm(), bm(y=1))
