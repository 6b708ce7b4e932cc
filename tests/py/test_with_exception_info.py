# context managers: exceptions in __exit__, exceptions in __enter__, exit replacing the exception, state restore
class Restore:
    def __init__(self, d, key, value):
        self.d, self.key, self.value = d, key, value
    def __enter__(self):
        self.old = self.d.get(self.key)
        self.d[self.key] = self.value
        return self.d
    def __exit__(self, *exc):
        self.d[self.key] = self.old
settings = {"mode": "normal"}
with Restore(settings, "mode", "debug") as s:
    print(s["mode"])
print(settings["mode"])
try:
    with Restore(settings, "mode", "temp"):
        print(settings["mode"])
        raise ValueError("oops")
except ValueError:
    pass
print(settings["mode"])
class BadExit:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        raise TypeError("exit failed")
try:
    with BadExit():
        raise ValueError("original")
except TypeError as e:
    print(repr(e), repr(e.__context__))
try:
    with BadExit():
        pass
except TypeError as e:
    print("exit raised on normal path:", e, e.__context__)
class BadEnter:
    def __enter__(self):
        raise KeyError("enter")
    def __exit__(self, *a):
        print("exit not called")
try:
    with BadEnter():
        print("not reached")
except KeyError as e:
    print("enter raised", e)
class Timer:
    def __enter__(self):
        self.entered = True
        return self
    def __exit__(self, *a):
        self.exited = True
        return False
with Timer() as t:
    pass
print(t.entered, t.exited)
class Transaction:
    def __init__(self):
        self.ops = []
        self.committed = False
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        if t is None:
            self.committed = True
        else:
            self.ops.clear()
        return True
tx = Transaction()
with tx:
    tx.ops.append("insert")
print(tx.ops, tx.committed)
tx2 = Transaction()
with tx2:
    tx2.ops.append("insert")
    raise RuntimeError("rollback")
print(tx2.ops, tx2.committed)
