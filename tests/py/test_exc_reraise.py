# re-raising: bare raise, raise e, raise class vs instance, raising non-exceptions -> TypeError
def f(mode):
    try:
        raise ValueError("orig")
    except ValueError as e:
        if mode == "bare":
            raise
        if mode == "same":
            raise e
        if mode == "new":
            raise KeyError("new") from None
try:
    f("bare")
except ValueError as e:
    print("bare:", e)
try:
    f("same")
except ValueError as e:
    print("same:", e)
try:
    f("new")
except KeyError as e:
    print("new:", e, e.__suppress_context__)
try:
    raise IndexError
except IndexError as e:
    print("class raised ->", repr(e), e.args)
try:
    raise 42
except TypeError as e:
    print(e)
try:
    raise "string"
except TypeError as e:
    print(e)
class NotExc:
    pass
try:
    raise NotExc
except TypeError as e:
    print(e)
try:
    raise
except RuntimeError as e:
    print(e)
saved = None
try:
    raise AssertionError("saved")
except AssertionError as e:
    saved = e
try:
    raise saved
except AssertionError as e:
    print("raised saved:", e, e is saved)
def raise_in_finally_chain():
    try:
        raise ValueError("a")
    finally:
        print("finally sees active exception")
try:
    raise_in_finally_chain()
except ValueError as e:
    print("propagated:", e)
errors = [ValueError("v"), TypeError("t"), KeyError("k")]
for err in errors:
    try:
        raise err
    except (ValueError, TypeError, KeyError) as caught:
        print(type(caught).__name__, caught is err)
