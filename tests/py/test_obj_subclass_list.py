# subclassing list: extra methods, overridden append, isinstance, list operations returning plain lists
class Stack(list):
    def push(self, v):
        self.append(v)
    def peek(self):
        return self[-1]
    @property
    def empty(self):
        return len(self) == 0
s = Stack()
s.push(1)
s.push(2)
s.extend([3, 4])
print(s, s.peek(), len(s), s.empty, Stack().empty)
print(isinstance(s, list), isinstance(s, Stack), type(s).__name__)
print(s.pop(), s)
print(type(s + [9]).__name__, type(s[1:]).__name__, type(s * 2).__name__)
s.sort(reverse=True)
print(s, sorted(s), sum(s), max(s), 2 in s)
class Logged(list):
    def append(self, v):
        print("append", v)
        super().append(v)
    def __setitem__(self, i, v):
        print("set", i, v)
        super().__setitem__(i, v)
lg = Logged([1])
lg.append(2)
lg[0] = 100
print(lg)
lg.extend([3])
print(lg)
class Typed(list):
    def __init__(self, items=()):
        super().__init__()
        for it in items:
            self.append(it)
    def append(self, v):
        if not isinstance(v, int):
            raise TypeError("ints only, got " + type(v).__name__)
        super().append(v)
t = Typed([1, 2])
try:
    t.append("x")
except TypeError as e:
    print(e)
print(t, t == [1, 2], [1, 2] == t)
class WithAttr(list):
    pass
w = WithAttr("abc")
w.note = "has dict"
print(w, w.note, list(w), list(reversed(w)))
print(repr(Stack([1, "a"])), str(Stack()))
print([x * 2 for x in Stack([1, 2, 3])])
s2 = Stack([3, 1, 2])
s2 += [0]
print(s2, type(s2).__name__)
print(Stack([1, 2]) == Stack([1, 2]), len(Stack(range(5))))
