# nested exception handling: exceptions in handlers, exception state after handlers, re-raise in nested scopes
def inner():
    raise ValueError("inner")
def middle():
    try:
        inner()
    except ValueError as e:
        raise RuntimeError("middle") from e
def outer():
    try:
        middle()
    except RuntimeError as e:
        return repr(e) + " <- " + repr(e.__cause__)
print(outer())
try:
    raise KeyError("a")
except KeyError as outer_e:
    try:
        raise IndexError("b")
    except IndexError as inner_e:
        print(type(inner_e).__name__, repr(inner_e.__context__))
    print(type(outer_e).__name__, outer_e.__context__)
def gen_handler():
    try:
        yield 1
        raise ValueError("in gen")
    except ValueError as e:
        yield "handled " + str(e)
print(list(gen_handler()))
def deep(n):
    if n == 0:
        raise LookupError("bottom")
    try:
        deep(n - 1)
    finally:
        pass
try:
    deep(20)
except LookupError as e:
    print("deep:", e)
count = 0
def retry():
    global count
    count += 1
    if count < 3:
        raise TimeoutError("attempt %d" % count)
    return "success after %d" % count
while True:
    try:
        print(retry())
        break
    except TimeoutError as e:
        print("retrying:", e)
def handler_error():
    try:
        raise ValueError("first")
    except ValueError:
        return undefined_name_here
try:
    handler_error()
except NameError as e:
    print(type(e).__name__, "context:", repr(e.__context__))
try:
    try:
        raise TypeError("t")
    except TypeError as e:
        raise
except TypeError as e2:
    print("bare raise keeps object:", e2.args)
