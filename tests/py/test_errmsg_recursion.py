# RecursionError: unbounded recursion caught (type name only), recovery afterwards, mutual recursion, limit relation
import sys
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError as e:
    print(type(e).__name__)
print("recovered:", sum(range(10)))
def ping(n):
    return pong(n + 1)
def pong(n):
    return ping(n + 1)
try:
    ping(0)
except RecursionError as e:
    print(type(e).__name__, isinstance(e, RuntimeError))
depth = 0
def measure():
    global depth
    depth += 1
    measure()
try:
    measure()
except RecursionError:
    print(depth > 100, depth <= sys.getrecursionlimit())
class Loop:
    def __getattr__(self, name):
        return self.missing
try:
    Loop().x
except RecursionError as e:
    print("getattr loop:", type(e).__name__)
class R:
    def __repr__(self):
        return repr(self)
try:
    repr(R())
except RecursionError as e:
    print("repr loop:", type(e).__name__)
def safe_depth(n):
    return 0 if n == 0 else 1 + safe_depth(n - 1)
print(safe_depth(500))
for attempt in range(3):
    try:
        down(0)
    except RecursionError:
        print("attempt", attempt, "caught")
def gen_rec(n):
    yield n
    yield from gen_rec(n + 1)
try:
    for _ in gen_rec(0):
        pass
except RecursionError as e:
    print("generator recursion:", type(e).__name__)
print(safe_depth(100))
