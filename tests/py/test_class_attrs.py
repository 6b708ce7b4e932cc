# class attributes: shared mutables, shadowing by instances, class attributes via type(self), setattr on class
class Config:
    defaults = {"debug": False}
    tags = []
    version = 1
    def bump(self):
        type(self).version += 1
    def shadow(self):
        self.version = "instance"
a, b = Config(), Config()
a.tags.append("shared")
print(b.tags, Config.tags)
a.bump()
print(Config.version, b.version)
a.shadow()
print(a.version, b.version, Config.version)
setattr(Config, "added", "dyn")
print(a.added, getattr(Config, "added"))
Config.method = lambda self: "method added later"
print(b.method())
print("version" in Config.__dict__, "version" in a.__dict__, "version" in b.__dict__)
class Sub(Config):
    version = 100
print(Sub.version, Sub().defaults, Sub.tags is Config.tags)
del Config.added
print(hasattr(a, "added"))
class Const:
    PI = 3.14159
    E = 2.71828
    NAMES = ("pi", "e")
print(Const.PI, Const().E, Const.NAMES)
class Slotted:
    count = 0
    def __init__(self):
        Slotted.count += 1
for _ in range(4):
    Slotted()
print(Slotted.count)
class K:
    x = 1
    y = x * 10
    z = [x, y]
print(K.x, K.y, K.z)
print(K.__name__, K.__qualname__, K.__module__)
def outer():
    class Local:
        pass
    return Local
print(outer().__qualname__)
print(type(K.__dict__).__name__ in ("mappingproxy", "dict"))
