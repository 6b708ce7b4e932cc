# dict comprehensions: key/value expressions, filters, inverting dicts, ordering, duplicate keys keep last
print({x: x * x for x in range(5)})
print({k: v for k, v in [("a", 1), ("b", 2)]})
d = {"one": 1, "two": 2, "three": 3}
print({v: k for k, v in d.items()})
print({k: v for k, v in d.items() if v % 2})
print({k.upper(): len(k) for k in d})
print({x % 3: x for x in range(10)})
print({c: "hello".count(c) for c in "hello"})
print({i: [j for j in range(i)] for i in range(4)})
print({(x, y): x * y for x in range(2) for y in range(2)})
print({w: i for i, w in enumerate("the cat the hat".split())})
print(type({k: 1 for k in "ab"}).__name__)
grades = {"ann": 91, "bob": 78, "cid": 85, "dee": 60}
print({n: ("pass" if g >= 80 else "fail") for n, g in grades.items()})
print({n: g for n, g in sorted(grades.items(), key=lambda kv: -kv[1])})
print(list({k: None for k in "zyxzy"}))
print({str(k): k for k in [1, 2, 3]}["2"])
print({k: v for k, v in zip("abc", range(3))})
print(dict(sorted({b: a for a, b in {"x": 3, "y": 1, "z": 2}.items()}.items())))
print({True: "t", 1: "one", 1.0: "float one"})
squares = {n: n * n for n in range(10)}
print(sum(squares.values()), max(squares, key=squares.get))
print({k: {kk: kk * k for kk in range(2)} for k in range(1, 3)})
