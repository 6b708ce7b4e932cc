# assert inside functions, methods and loops; message expressions of various types
class Stack:
    def __init__(self):
        self.items = []
    def push(self, v):
        self.items.append(v)
    def pop(self):
        assert self.items, "pop from empty stack"
        return self.items.pop()
s = Stack()
s.push(1)
print(s.pop())
try:
    s.pop()
except AssertionError as e:
    print("AssertionError:", e)
def invariant(seq):
    for i in range(len(seq) - 1):
        assert seq[i] <= seq[i + 1], "unsorted at %d: %r > %r" % (i, seq[i], seq[i + 1])
    return "sorted"
print(invariant([1, 2, 3]))
try:
    invariant([1, 3, 2])
except AssertionError as e:
    print(e)
try:
    assert 2 + 2 == 5, f"math is {2 + 2}"
except AssertionError as e:
    print(e)
try:
    assert None, None
except AssertionError as e:
    print(e.args)
try:
    assert "", 0
except AssertionError as e:
    print(e.args)
def validate(d):
    for k in ("name", "age"):
        assert k in d, "missing key " + repr(k)
    return True
print(validate({"name": "n", "age": 1}))
try:
    validate({"name": "n"})
except AssertionError as e:
    print(e)
results = []
for v in [1, 0, 2]:
    try:
        assert v, "zero!"
        results.append(v)
    except AssertionError as e:
        results.append(str(e))
print(results)
try:
    assert not True, {"k": "dict message"}
except AssertionError as e:
    print(e.args[0]["k"])
