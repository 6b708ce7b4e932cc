# class body scope: names visible in body, not in methods; comprehensions in class bodies; name lookup order
x = "global"
class A:
    x = "class"
    y = x + "-derived"
    def method(self):
        return x
    def method_attr(self):
        return self.x
print(A.y)
print(A().method())
print(A().method_attr())
class B:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]
    total = sum(vals)
print(B.doubled, B.total)
def f():
    local = "from f"
    class C:
        attr = local
        def get(self):
            return local
    return C
C = f()
print(C.attr, C().get())
class D:
    n = 5
    try:
        squares = [n * i for i in range(3)]
    except NameError as e:
        squares = "NameError: " + str(e)
print(D.squares)
class E:
    a = 1
    b = a + 1
    del a
print(hasattr(E, "a"), E.b)
class F:
    def helper():
        return "helper called in body"
    value = helper()
print(F.value)
class G:
    items = {}
    for i in range(3):
        items[i] = i * i
print(G.items, G.i)
print(sorted(k for k in G.__dict__ if not k.startswith("__")))
class H:
    x = "H.x"
    class Inner:
        try:
            y = x
        except NameError:
            y = "no access"
print(H.Inner.y)
