# sys.intern returns one canonical object per value: equal strs built at
# run time become identical after interning; errors are CPython's.
import sys

a = "".join(["hello", " ", "world", "!"])
b = "hello world" + "!"[:1]
print(a == b)
ia, ib = sys.intern(a), sys.intern(b)
print(ia is ib, ia == a, sys.intern(ia) is ia)
keys = [sys.intern("key_%d" % i) for i in range(5)]
again = [sys.intern("key_" + str(i)) for i in range(5)]
print(all(x is y for x, y in zip(keys, again)))
for bad in ((1,), (b"x",), (), ("a", "b")):
    try:
        sys.intern(*bad)
    except TypeError as e:
        print("TypeError:", e)

class S(str):
    pass
try:
    sys.intern(S("x"))
except TypeError as e:
    print("TypeError:", e)
