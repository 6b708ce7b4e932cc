# try/except: matching by class, by base class, bare except, first matching clause wins, as-name cleared
def risky(kind):
    if kind == "zero":
        return 1 / 0
    if kind == "key":
        return {}["missing"]
    if kind == "index":
        return [][0]
    if kind == "type":
        return 1 + "a"
    if kind == "value":
        return int("abc")
    return "ok"
for kind in ["zero", "key", "index", "type", "value", "none"]:
    try:
        r = risky(kind)
        print(kind, "->", r)
    except ZeroDivisionError:
        print(kind, "ZeroDivisionError")
    except LookupError as e:
        print(kind, "LookupError subclass", type(e).__name__)
    except (TypeError, ValueError) as e:
        print(kind, "tuple clause", type(e).__name__, e)
try:
    raise KeyError("k")
except Exception as e:
    print("caught by base:", repr(e))
try:
    raise ValueError
except:
    print("bare except")
try:
    try:
        raise IndexError("inner")
    except KeyError:
        print("wrong handler")
except IndexError as e:
    print("outer handler", e)
e = "before"
try:
    raise RuntimeError("x")
except RuntimeError as e:
    print("in handler", e)
try:
    print(e)
except NameError as ne:
    print("as-name deleted:", ne)
def handler_returns():
    try:
        raise ValueError("v")
    except ValueError:
        return "returned from handler"
print(handler_returns())
try:
    raise TypeError("first")
except TypeError:
    try:
        raise ValueError("second")
    except ValueError as inner:
        print("nested handler", inner)
print("after all")
errs = (KeyError, IndexError)
try:
    [1][5]
except errs as ex:
    print("tuple variable:", type(ex).__name__)
