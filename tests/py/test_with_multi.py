# with statement: several context managers in one statement, ordering of enter/exit, nested withs, parenthesized
log = []
class CM:
    def __init__(self, name, fail_enter=False):
        self.name = name
        self.fail_enter = fail_enter
    def __enter__(self):
        if self.fail_enter:
            raise RuntimeError("enter failed: " + self.name)
        log.append("enter " + self.name)
        return self.name
    def __exit__(self, t, v, tb):
        log.append("exit " + self.name + (" with " + t.__name__ if t else ""))
        return False
with CM("a") as a, CM("b") as b, CM("c") as c:
    log.append("body " + a + b + c)
print(log)
log.clear()
try:
    with CM("x"), CM("y", fail_enter=True), CM("z"):
        log.append("never")
except RuntimeError as e:
    log.append("caught " + str(e))
print(log)
log.clear()
try:
    with CM("p") as p, CM("q") as q:
        raise KeyError("inside")
except KeyError:
    log.append("after")
print(log)
log.clear()
with CM("outer"):
    with CM("inner"):
        log.append("deep body")
print(log)
log.clear()
with (CM("paren1") as x,
      CM("paren2") as y):
    log.append(x + "+" + y)
print(log)
log.clear()
def f():
    with CM("f1"), CM("f2"):
        return "value"
print(f(), log)
log.clear()
for i in range(2):
    with CM("it%d" % i) as n:
        if i == 0:
            continue
        log.append("second iteration")
print(log)
