# generator send(): priming with next/send(None), values flowing both ways, coroutine-style accumulators
def echo():
    received = []
    while True:
        v = yield len(received)
        if v is None:
            break
        received.append(v)
    return received
e = echo()
print(e.send(None))
print(e.send("a"))
print(e.send("b"))
try:
    e.send(None)
except StopIteration as s:
    print("final", s.value)
def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        term = yield avg
        total += term
        count += 1
        avg = total / count
a = averager()
next(a)
print(a.send(10), a.send(30), a.send(5))
g = echo()
try:
    g.send("not none first")
except TypeError as err:
    print(err)
def running_max():
    best = None
    while True:
        x = yield best
        if best is None or x > best:
            best = x
rm = running_max()
next(rm)
print([rm.send(v) for v in [3, 1, 4, 1, 5, 9, 2, 6]])
def two_way():
    x = yield "first"
    y = yield "got " + str(x)
    yield "then " + str(y)
t = two_way()
print(next(t), t.send(1), t.send(2))
def state_machine():
    state = "idle"
    while True:
        cmd = yield state
        if state == "idle" and cmd == "start":
            state = "running"
        elif state == "running" and cmd == "pause":
            state = "paused"
        elif state == "paused" and cmd == "start":
            state = "running"
        elif cmd == "stop":
            state = "idle"
sm = state_machine()
next(sm)
print([sm.send(c) for c in ["start", "pause", "pause", "start", "stop", "bogus"]])
def gen_send_after_end():
    yield 1
ge = gen_send_after_end()
next(ge)
try:
    ge.send(5)
except StopIteration:
    print("StopIteration on send after end")
