# boolean operators and/or/not: short-circuit evaluation, returned operand values (not just bools)
print(1 and 2, 0 and 2, 1 or 2, 0 or 2)
print("" or "default", "value" or "default")
print([] and [1], [0] and [1])
print(None or 0 or "" or [], None or 0 or "found" or [])
print(1 and 2 and 3, 1 and 0 and 3)
print(not 1, not 0, not "", not "x", not None, not [], not [[]])
calls = []
def t(name):
    calls.append(name)
    return True
def f(name):
    calls.append(name)
    return False
print(f("a") and t("b"), calls)
calls.clear()
print(t("a") or t("b"), calls)
calls.clear()
print(f("a") or f("b") or t("c") or t("d"), calls)
calls.clear()
print(t("a") and f("b") and t("c"), calls)
calls.clear()
print(not f("x") and t("y"), calls)
print(True and "yes" or "no", False and "yes" or "no")
print(1 or 1 / 0)
print(0 and 1 / 0)
d = {}
print(d and d["missing"])
x = None
print(x is not None and x.attr)
class B:
    def __init__(self, v):
        self.v = v
    def __bool__(self):
        print("bool called", self.v)
        return self.v
r = B(False) or B(True)
print(r.v)
r2 = B(True) and "second"
print(r2)
print(not B(False))
print((1 and 2) == 2, (1 or 2) == 1)
print(not 1 == 2, (not 1) == 2)
print(True + True, True * 5, False - 1)
