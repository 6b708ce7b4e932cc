# __getattr__ (fallback only), __getattribute__, __setattr__, __delattr__, getattr with default, proxies
class Fallback:
    real = "real attr"
    def __getattr__(self, name):
        if name.startswith("dyn_"):
            return name[4:].upper()
        raise AttributeError("no attribute " + name)
f = Fallback()
print(f.real, f.dyn_hello, getattr(f, "dyn_x"))
try:
    f.other
except AttributeError as e:
    print(e)
print(getattr(f, "other", "default"), hasattr(f, "other"), hasattr(f, "dyn_ok"))
class Proxy:
    def __init__(self, target):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "log", [])
    def __getattr__(self, name):
        self.log.append("get " + name)
        return getattr(self._target, name)
    def __setattr__(self, name, value):
        self.log.append("set " + name)
        setattr(self._target, name, value)
    def __delattr__(self, name):
        self.log.append("del " + name)
        delattr(self._target, name)
class Target:
    pass
t = Target()
p = Proxy(t)
p.x = 5
print(p.x, t.x)
del p.x
print(hasattr(t, "x"), p.log)
class Audit:
    def __getattribute__(self, name):
        if name == "secret":
            return "intercepted"
        return object.__getattribute__(self, name)
a = Audit()
a.secret = "stored"
a.visible = "v"
print(a.secret, a.visible, a.__dict__["secret"])
class Frozen:
    def __init__(self, v):
        object.__setattr__(self, "v", v)
    def __setattr__(self, name, value):
        raise AttributeError("frozen: cannot set " + name)
fr = Frozen(1)
try:
    fr.v = 2
except AttributeError as e:
    print(e, fr.v)
class Both:
    x = 1
    def __getattr__(self, name):
        return "getattr:" + name
b = Both()
print(b.x, b.y)
b.y = "set"
print(b.y)
class GetattributeRaises:
    def __getattribute__(self, name):
        raise AttributeError(name)
    def __getattr__(self, name):
        return "fallback for " + name
print(GetattributeRaises().anything)
class Lazy:
    def __getattr__(self, name):
        value = len(name)
        setattr(self, name, value)
        return value
lz = Lazy()
print(lz.abc, lz.__dict__, lz.abc)
