# __enter__/__exit__ on user classes used as context managers: timers, locks, redirect-like state, reentrancy
class Lock:
    def __init__(self):
        self.held = False
        self.history = []
    def __enter__(self):
        if self.held:
            raise RuntimeError("already held")
        self.held = True
        self.history.append("acquire")
        return self
    def __exit__(self, *exc):
        self.held = False
        self.history.append("release")
lock = Lock()
with lock:
    print("held:", lock.held)
print("held after:", lock.held)
try:
    with lock:
        with lock:
            pass
except RuntimeError as e:
    print(e, lock.held, lock.history)
class Indent:
    level = 0
    def __enter__(self):
        Indent.level += 1
        return self
    def __exit__(self, *a):
        Indent.level -= 1
    def say(self, text):
        print("  " * Indent.level + text)
with Indent() as i1:
    i1.say("level one")
    with Indent() as i2:
        i2.say("level two")
    i1.say("back to one")
print(Indent.level)
class Collector:
    def __init__(self):
        self.out = []
    def __enter__(self):
        return self.out.append
    def __exit__(self, t, v, tb):
        self.out.append("closed")
col = Collector()
with col as emit:
    emit("a")
    emit("b")
print(col.out)
class Reusable:
    def __init__(self):
        self.uses = 0
    def __enter__(self):
        self.uses += 1
        return self.uses
    def __exit__(self, *a):
        return False
r = Reusable()
for _ in range(3):
    with r as n:
        pass
print(n, r.uses)
class ExitArgs:
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc_value, traceback):
        self.args = (exc_type, exc_value, traceback)
with ExitArgs() as ea:
    pass
print(ea.args)
class OnlyEnter:
    def __enter__(self):
        return 1
try:
    with OnlyEnter():
        pass
except (AttributeError, TypeError) as e:
    print(type(e).__name__, e)
