# generator pipelines: chained generators, generator-based iterator classes, enumerate/zip over generators
def read_lines():
    text = "alpha 3\nbeta 10\n# comment\ngamma 7\n\ndelta 1"
    for line in text.split("\n"):
        yield line
def non_empty(lines):
    for line in lines:
        if line and not line.startswith("#"):
            yield line
def parse(lines):
    for line in lines:
        name, num = line.split()
        yield name, int(num)
def big(records, threshold):
    for name, n in records:
        if n >= threshold:
            yield name
print(list(big(parse(non_empty(read_lines())), 3)))
print(sum(n for _, n in parse(non_empty(read_lines()))))
class Countdown:
    def __init__(self, start):
        self.start = start
    def __iter__(self):
        n = self.start
        while n > 0:
            yield n
            n -= 1
c = Countdown(4)
print(list(c), list(c))
print(list(enumerate(Countdown(3), 1)))
print(list(zip(Countdown(3), "abc")))
def window(seq, size):
    buf = []
    for x in seq:
        buf.append(x)
        if len(buf) > size:
            buf.pop(0)
        if len(buf) == size:
            yield tuple(buf)
print(list(window(range(6), 3)))
def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found):
            found.append(n)
            yield n
        n += 1
p = primes()
print([next(p) for _ in range(15)])
def running_sum(xs):
    s = 0
    for x in xs:
        s += x
        yield s
print(list(running_sum(range(1, 11))))
def interleave(a, b):
    ia, ib = iter(a), iter(b)
    while True:
        try:
            yield next(ia)
            yield next(ib)
        except StopIteration:
            return
print(list(interleave([1, 2, 3], "xy")))
def group_by_len(words):
    current, group = None, []
    for w in sorted(words, key=len):
        if len(w) != current and group:
            yield current, group
            group = []
        current = len(w)
        group.append(w)
    if group:
        yield current, group
print(list(group_by_len(["aa", "b", "cc", "ddd", "e"])))
