# uncaught NameError with a "Did you mean" suggestion for a misspelled builtin (prnt -> print)
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
def greet(name):
    return "hello " + name
print(greet("a"))
print(greet("b"))
words = ["x", "y", "z"]
for w in words:
    print(w.upper())
count = len(words)
print(count)
print(sorted(words, reverse=True))
print([greet(w) for w in words])
d = {w: i for i, w in enumerate(words)}
print(d)
print(max(d.values()))
print(min(d))
print("now the typo")
prnt("this fails")
print("never")
