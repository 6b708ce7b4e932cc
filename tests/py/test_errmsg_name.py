# NameError and UnboundLocalError messages: undefined globals, deleted names, locals referenced before assignment
def use_undefined():
    return undefined_variable
try:
    use_undefined()
except NameError as e:
    print(type(e).__name__, e)
try:
    print(prnt)
except NameError as e:
    print(type(e).__name__, e, e.name if hasattr(e, "name") else "")
x = 1
del x
try:
    x
except NameError as e:
    print(e)
def local_before():
    print(v)
    v = 1
try:
    local_before()
except UnboundLocalError as e:
    print(type(e).__name__, e)
def local_deleted():
    w = 1
    del w
    return w
try:
    local_deleted()
except UnboundLocalError as e:
    print(type(e).__name__, e)
def free_var():
    def inner():
        return z
    try:
        return inner()
    except NameError as e:
        return type(e).__name__ + ": " + str(e)
    z = 1
print(free_var())
counter = 0
def increment():
    counter += 1
try:
    increment()
except UnboundLocalError as e:
    print(e)
class K:
    try:
        print(not_in_class)
    except NameError as e:
        print("class body:", e)
try:
    [undefined_in_comp for _ in range(1)]
except NameError as e:
    print("comprehension:", e)
try:
    exec_like = eval_me
except NameError as e:
    print(e)
print(issubclass(UnboundLocalError, NameError))
