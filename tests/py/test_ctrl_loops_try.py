# control flow through try/except/finally inside loops and functions: return/break/continue interplay
def f(x):
    try:
        if x == 0:
            return "zero"
        return 10 / x
    except ZeroDivisionError:
        return "unreachable"
    finally:
        print("finally for", x)
print(f(0))
print(f(4))
def g():
    try:
        return "try"
    finally:
        return "finally wins"
print(g())
def h():
    for i in range(3):
        try:
            raise ValueError(i)
        except ValueError as e:
            if e.args[0] == 1:
                continue
            print("caught", e)
        finally:
            print("f", i)
h()
def k():
    out = []
    for i in range(5):
        try:
            if i == 3:
                raise KeyError(i)
            out.append(i)
        except KeyError:
            out.append("K")
            break
        else:
            out.append("e")
    return out
print(k())
def nested():
    try:
        try:
            raise TypeError("inner")
        finally:
            print("inner finally")
    except TypeError as e:
        print("outer caught", e)
    return "ok"
print(nested())
def count_finally():
    n = 0
    while n < 3:
        try:
            n += 1
            if n == 2:
                continue
        finally:
            print("finally n =", n)
    return n
print(count_finally())
def swallow():
    for i in range(3):
        try:
            raise RuntimeError
        finally:
            if i < 2:
                continue
            return "returned in finally at %d" % i
print(swallow())
