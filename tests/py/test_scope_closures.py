# closures: capturing variables, cells shared between closures, counters, closure over loop variables
def make_counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    def get():
        return count
    return inc, get
inc, get = make_counter()
inc(); inc()
print(get(), inc(), get())
inc2, get2 = make_counter()
print(inc2(), get())
def multipliers():
    return [lambda x, k=k: x * k for k in range(1, 4)]
print([m(10) for m in multipliers()])
def shared_cell():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]
print(shared_cell())
def outer(a):
    def middle(b):
        def inner(c):
            return a + b + c
        return inner
    return middle
print(outer(1)(10)(100))
def late_binding():
    x = "before"
    def show():
        return x
    x = "after"
    return show()
print(late_binding())
def accumulator(start):
    total = [start]
    def add(v):
        total[0] += v
        return total[0]
    return add
acc = accumulator(100)
print(acc(1), acc(10), acc(100))
def make_ops():
    state = {"n": 0}
    def up():
        state["n"] += 1
    def down():
        state["n"] -= 1
    def value():
        return state["n"]
    return up, down, value
up, down, value = make_ops()
up(); up(); up(); down()
print(value())
def closure_in_class():
    secret = "s3"
    class Holder:
        def reveal(self):
            return secret
    return Holder()
print(closure_in_class().reveal())
def gen_closure(n):
    def g():
        for i in range(n):
            yield i * n
    return g
print(list(gen_closure(3)()))
x = "global x"
def reads_global():
    def inner():
        return x
    return inner()
print(reads_global())
