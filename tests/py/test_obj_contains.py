# __contains__: custom membership, fallback to __iter__ and __getitem__, not in, result coerced to bool
class Evens:
    def __contains__(self, x):
        print("contains called with", x)
        return isinstance(x, int) and x % 2 == 0
e = Evens()
print(4 in e)
print(5 in e, 5 not in e)
print("s" in e)
class IterOnly:
    def __iter__(self):
        print("iter called")
        return iter([1, 2, 3])
print(2 in IterOnly(), 9 in IterOnly())
class GetItemOnly:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return "abc"[i]
print("b" in GetItemOnly(), "z" in GetItemOnly())
class TruthyResult:
    def __contains__(self, x):
        return [x]
print(0 in TruthyResult(), type(0 in TruthyResult()).__name__)
class FalsyResult:
    def __contains__(self, x):
        return ""
print(1 in FalsyResult())
class Range:
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi
    def __contains__(self, x):
        return self.lo <= x < self.hi
r = Range(10, 20)
print([v for v in [5, 10, 15, 20, 25] if v in r])
class NoContains:
    pass
try:
    1 in NoContains()
except TypeError as e:
    print(e)
class Both:
    def __contains__(self, x):
        return x == "via contains"
    def __iter__(self):
        return iter(["via iter"])
b = Both()
print("via contains" in b, "via iter" in b)
class Raises:
    def __contains__(self, x):
        raise ValueError("bad lookup")
try:
    1 in Raises()
except ValueError as err:
    print("ValueError", err)
class SubList(list):
    def __contains__(self, x):
        return super().__contains__(x) or x == "magic"
sl = SubList([1, 2])
print(1 in sl, "magic" in sl, 3 in sl)
