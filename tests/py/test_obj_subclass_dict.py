# subclassing dict: __missing__, overridden __getitem__/__setitem__, defaultdict-like and attribute dicts
class Default(dict):
    def __init__(self, factory):
        super().__init__()
        self.factory = factory
    def __missing__(self, key):
        v = self.factory()
        self[key] = v
        return v
d = Default(list)
d["a"].append(1)
d["a"].append(2)
d["b"].append(3)
print(d, len(d), isinstance(d, dict))
print(d.get("zz"), "zz" in d)
class Counter(dict):
    def __missing__(self, key):
        return 0
c = Counter()
for ch in "mississippi":
    c[ch] += 1
print(sorted(c.items()))
print(c["nope"], "nope" in c)
class AttrDict(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)
    def __setattr__(self, name, value):
        self[name] = value
ad = AttrDict(x=1)
ad.y = 2
print(ad, ad.x, ad.y)
try:
    ad.zzz
except AttributeError as e:
    print("AttributeError", e)
class Lower(dict):
    def __setitem__(self, k, v):
        super().__setitem__(k.lower(), v)
    def __getitem__(self, k):
        return super().__getitem__(k.lower())
lo = Lower()
lo["KEY"] = "v"
print(lo["Key"], list(lo), dict(lo))
print(type(dict(lo)).__name__, type(lo.copy()).__name__)
class Ordered(dict):
    def keys_sorted(self):
        return sorted(self)
o = Ordered({"b": 1, "a": 2})
print(o.keys_sorted(), list(o.items()), o == {"a": 2, "b": 1})
o.update(c=3)
print(o, type(o).__name__)
print({**o}, len(Ordered()))
class NoMissing(dict):
    pass
try:
    NoMissing()["k"]
except KeyError as e:
    print("KeyError", e)
