# try/except/else/finally ordering, finally on return/break/exception, exceptions inside finally
def run(fail):
    log = []
    try:
        log.append("try")
        if fail:
            raise ValueError("fail")
    except ValueError:
        log.append("except")
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log
print(run(False))
print(run(True))
def ret_finally():
    try:
        return "from try"
    finally:
        print("finally runs before return")
print(ret_finally())
def exc_through_finally():
    try:
        try:
            raise KeyError("k")
        finally:
            print("inner finally")
    except KeyError as e:
        print("caught", repr(e))
exc_through_finally()
def finally_overrides():
    try:
        raise ValueError("lost")
    finally:
        return "finally return swallows"
print(finally_overrides())
def finally_raises():
    try:
        try:
            raise ValueError("original")
        finally:
            raise TypeError("from finally")
    except TypeError as e:
        return repr(e) + " context=" + repr(e.__context__)
print(finally_raises())
def else_raises():
    try:
        pass
    except Exception:
        return "not here"
    else:
        raise RuntimeError("else raised")
try:
    else_raises()
except RuntimeError as e:
    print("got", e)
def try_finally_only():
    out = []
    for i in range(3):
        try:
            out.append(i)
        finally:
            out.append(-i)
    return out
print(try_finally_only())
x = 0
try:
    x = 1
finally:
    x += 10
print(x)
def value_in_finally():
    v = "initial"
    try:
        return v
    finally:
        v = "changed"
print(value_in_finally())
