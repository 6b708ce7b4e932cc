# TypeError "unsupported operand type(s)" and comparison messages for binary, augmented and unary operators
tests = [
    ("1 + 'a'", lambda: 1 + "a"),
    ("'a' + 1", lambda: "a" + 1),
    ("[] + ()", lambda: [] + ()),
    ("1 - 'a'", lambda: 1 - "a"),
    ("'a' * 'b'", lambda: "a" * "b"),
    ("[1] * 2.0", lambda: [1] * 2.0),
    ("{} + {}", lambda: {} + {}),
    ("None + 1", lambda: None + 1),
    ("1 / 'x'", lambda: 1 / "x"),
    ("1 // []", lambda: 1 // []),
    ("'a' % ()", lambda: "a" % ()),
    ("2 ** 'x'", lambda: 2 ** "x"),
    ("1 << 1.0", lambda: 1 << 1.0),
    ("1.5 & 1", lambda: 1.5 & 1),
    ("set() ^ []", lambda: set() ^ []),
    ("1 @ 2", lambda: 1 @ 2),
    ("-'a'", lambda: -"a"),
    ("~1.5", lambda: ~1.5),
    ("+None", lambda: +None),
    ("1 < 'a'", lambda: 1 < "a"),
    ("'a' >= 1", lambda: "a" >= 1),
    ("[] > {}", lambda: [] > {}),
    ("None <= None", lambda: None <= None),
    ("divmod('a', 1)", lambda: divmod("a", 1)),
    ("pow([], 2)", lambda: pow([], 2)),
    ("1 in 1", lambda: 1 in 1),
    ("'a' in 1", lambda: "a" in 1),
]
for label, fn in tests:
    try:
        fn()
        print(label, "-> no error")
    except TypeError as e:
        print(label, "->", e)
x = 1
try:
    x += "s"
except TypeError as e:
    print("x += 's' ->", e)
y = [1]
try:
    y -= [1]
except TypeError as e:
    print("y -= [1] ->", e)
z = "s"
try:
    z *= "t"
except TypeError as e:
    print("z *= 't' ->", e)
class A:
    pass
try:
    A() + A()
except TypeError as e:
    print("A() + A() ->", e)
try:
    A() < 1
except TypeError as e:
    print("A() < 1 ->", e)
