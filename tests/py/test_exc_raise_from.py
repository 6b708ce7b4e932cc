# raise ... from: __cause__, __context__, __suppress_context__, raise from None, implicit chaining
class AppError(Exception):
    pass
def load():
    try:
        {}["config"]
    except KeyError as e:
        raise AppError("config missing") from e
try:
    load()
except AppError as e:
    print(repr(e))
    print(repr(e.__cause__))
    print(repr(e.__context__))
    print(e.__suppress_context__)
def implicit():
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during handling")
try:
    implicit()
except ValueError as e:
    print(repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
def from_none():
    try:
        int("x")
    except ValueError:
        raise TypeError("clean") from None
try:
    from_none()
except TypeError as e:
    print(repr(e.__cause__), type(e.__context__).__name__, e.__suppress_context__)
try:
    raise RuntimeError("r") from KeyError("cause")
except RuntimeError as e:
    print(repr(e.__cause__), e.__context__)
try:
    raise RuntimeError from ValueError
except RuntimeError as e:
    print(type(e.__cause__).__name__, e.__cause__.args)
try:
    try:
        raise ValueError("a")
    except ValueError:
        try:
            raise TypeError("b")
        except TypeError:
            raise KeyError("c")
except KeyError as e:
    chain = []
    cur = e
    while cur is not None:
        chain.append(repr(cur))
        cur = cur.__context__
    print(" <- ".join(chain))
e = ValueError("fresh")
print(e.__cause__, e.__context__, e.__suppress_context__)
try:
    raise ValueError("x") from 5
except TypeError as err:
    print(err)
def reraise():
    try:
        raise IndexError("orig")
    except IndexError:
        raise
try:
    reraise()
except IndexError as e:
    print("reraised", e, e.__context__)
