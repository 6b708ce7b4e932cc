# global statement: rebinding module names from functions, creating globals, global vs local shadowing
counter = 0
def bump():
    global counter
    counter += 1
bump(); bump(); bump()
print(counter)
def create():
    global brand_new
    brand_new = "created in function"
create()
print(brand_new)
x = "module"
def local_shadow():
    x = "local"
    return x
print(local_shadow(), x)
def read_only():
    return x
print(read_only())
def unbound():
    try:
        print(x)
    except UnboundLocalError as e:
        print(type(e).__name__, e)
    x = 1
unbound()
def nested_global():
    def inner():
        global x
        x = "changed by inner"
    inner()
nested_global()
print(x)
def multi():
    global a1, a2
    a1, a2 = 1, 2
multi()
print(a1 + a2)
print("counter" in globals(), "nope" in globals())
print(globals()["counter"])
g_list = []
def mutate_no_global():
    g_list.append(1)
mutate_no_global()
print(g_list)
def loop_global():
    global total
    total = 0
    for i in range(10):
        total += i
loop_global()
print(total)
class K:
    def m(self):
        global from_method
        from_method = "yes"
K().m()
print(from_method)
def deleter():
    global brand_new
    del brand_new
deleter()
print("brand_new" in globals())
