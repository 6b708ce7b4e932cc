# name resolution: LEGB order, builtins overridden by globals, locals determined at compile time
print(len("abc"))
def len(x):
    return "shadowed"
print(len("abc"))
del len
print(len("abc"))
def uses_builtin():
    return max(3, 7)
print(uses_builtin())
max = lambda *a: "global max"
print(uses_builtin())
del max
print(uses_builtin())
y = 1
def assigns_later():
    try:
        r = y
    except UnboundLocalError as e:
        r = str(e)
    y = 2
    return r
print(assigns_later())
def conditional_local(flag):
    if flag:
        z = "set"
    try:
        return z
    except UnboundLocalError as e:
        return type(e).__name__
print(conditional_local(True), conditional_local(False))
def enclosing():
    v = "enclosing"
    def reader():
        return v
    v = "rebound"
    return reader
print(enclosing()())
def builtin_in_closure():
    abs = lambda x: "local abs"
    def inner():
        return abs(-1)
    return inner()
print(builtin_in_closure())
def param_shadow(print=None):
    return print
print(param_shadow("param named print"))
for name in ["a", "b"]:
    pass
print(name)
def globals_from_func():
    return sorted(k for k in globals() if k in ("y", "enclosing", "nope"))
print(globals_from_func())
def locals_view(a, b=2):
    c = 3
    return sorted(locals().items())
print(locals_view(1))
