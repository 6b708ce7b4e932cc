# nonlocal: rebinding enclosing function variables, several levels, nonlocal in nested loops
def outer():
    x = 1
    def set_x(v):
        nonlocal x
        x = v
    set_x(5)
    return x
print(outer())
def level1():
    a = "L1"
    def level2():
        def level3():
            nonlocal a
            a = "set by L3"
        level3()
        return a
    r = level2()
    return r, a
print(level1())
def fib_gen_state():
    a, b = 0, 1
    def step():
        nonlocal a, b
        a, b = b, a + b
        return a
    return [step() for _ in range(10)]
print(fib_gen_state())
def shadow():
    x = "outer"
    def inner():
        x = "inner local"
        return x
    inner()
    return x
print(shadow())
def counter_factory():
    n = 0
    def incr(by=1):
        nonlocal n
        n += by
        return n
    return incr
c = counter_factory()
print(c(), c(5), c())
def nonlocal_in_loop():
    total = 0
    def add_all(xs):
        nonlocal total
        for x in xs:
            total += x
    add_all(range(5))
    add_all([10, 20])
    return total
print(nonlocal_in_loop())
def del_nonlocal():
    v = 1
    def remove():
        nonlocal v
        del v
    remove()
    try:
        return v
    except NameError as e:
        return type(e).__name__ + ": " + str(e)
print(del_nonlocal())
def two_closures():
    x = 0
    def a():
        nonlocal x
        x += 1
    def b():
        nonlocal x
        x *= 10
    a(); b(); a(); b()
    return x
print(two_closures())
