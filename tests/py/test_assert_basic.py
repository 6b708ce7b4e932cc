# assert statement: passing asserts, failing asserts caught as AssertionError, with and without message
assert True
assert 1 == 1, "never shown"
assert [1], "non-empty list is true"
print("passing asserts ok")
try:
    assert False
except AssertionError as e:
    print("AssertionError args:", e.args, repr(str(e)))
try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("message:", e)
try:
    assert [], ["a", "list", "message"]
except AssertionError as e:
    print("non-str message:", e.args)
def check(x):
    assert isinstance(x, int), "expected int, got %s" % type(x).__name__
    return x * 2
print(check(4))
try:
    check("s")
except AssertionError as e:
    print(e)
calls = []
def side():
    calls.append(1)
    return "msg"
assert True, side()
print("message not evaluated when passing:", calls)
try:
    assert 0, side()
except AssertionError as e:
    print(e, calls)
try:
    assert (lambda: None)(), "lambda returned None"
except AssertionError as e:
    print(e)
n = 0
for i in range(5):
    try:
        assert i % 2 == 0, i
    except AssertionError as e:
        n += e.args[0]
print(n)
print(issubclass(AssertionError, Exception))
