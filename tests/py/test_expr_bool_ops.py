# truth testing protocol: __bool__, __len__ fallback, bool() results, objects without either are true
class WithBool:
    def __init__(self, v):
        self.v = v
    def __bool__(self):
        return self.v
class WithLen:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
class Neither:
    pass
class BoolWins:
    def __bool__(self):
        return False
    def __len__(self):
        return 10
for obj in [WithBool(True), WithBool(False), WithLen(0), WithLen(3), Neither(), BoolWins()]:
    print(type(obj).__name__, bool(obj), "truthy" if obj else "falsy", not obj)
class BadBool:
    def __bool__(self):
        return 1
try:
    bool(BadBool())
except TypeError as e:
    print(e)
class NegLen:
    def __len__(self):
        return -1
try:
    bool(NegLen())
except ValueError as e:
    print(e)
print(bool(), bool(0), bool(1), bool(-1), bool(0.0), bool(1e-300))
print(bool(""), bool(" "), bool([]), bool(()), bool({}), bool(set()), bool(range(0)))
print(bool(None), bool(...), bool(object()), bool(int), bool(print))
print(type(bool(1)).__name__, bool(1) is True, bool(0) is False)
print(WithLen(2) and "yes", WithLen(0) or "fallback")
count = 0
w = WithLen(5)
while w:
    w.n -= 1
    count += 1
print(count)
print([x for x in [WithBool(True), WithBool(False), WithLen(1)] if x].__len__())
print(any([WithLen(0), WithLen(0)]), all([WithBool(True), WithLen(1)]))
print(isinstance(True, int), issubclass(bool, int), True + 1)
