# __bool__ and __len__ in conditions, while loops, not, and/or results; bool subclassing is forbidden
class Flag:
    def __init__(self, on):
        self.on = on
    def __bool__(self):
        return self.on
    def __repr__(self):
        return "Flag(%s)" % self.on
on, off = Flag(True), Flag(False)
print(bool(on), bool(off), not on, not off)
print(on and "x", off and "x", on or "y", off or "y")
print([f for f in [on, off, on] if f])
if off:
    print("wrong")
elif on:
    print("elif branch taken")
class Countdown:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
cd = Countdown(3)
while cd:
    print("len", len(cd))
    cd.n -= 1
print(bool(cd))
try:
    class MyBool(bool):
        pass
except TypeError as e:
    print(e)
class Raising:
    def __bool__(self):
        raise RuntimeError("no truth value")
try:
    if Raising():
        pass
except RuntimeError as e:
    print(e)
class ReturnsInt:
    def __bool__(self):
        return 0
try:
    bool(ReturnsInt())
except TypeError as e:
    print(e)
class LenBig:
    def __len__(self):
        return 2 ** 70
try:
    bool(LenBig())
except OverflowError as e:
    print("OverflowError", e)
print(any([off, off]), any([off, on]), all([on, on]), all([on, off]))
print(sorted([on, off], key=bool))
print(sum([on, on, off], 0) if False else sum(bool(x) for x in [on, on, off]))
print(True == 1, int(True), float(False), str(True), repr(False))
print(True & False, True | False, True ^ True, type(True & False).__name__)
print(True + 0.5, -True, divmod(True, True))
