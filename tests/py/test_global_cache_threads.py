# LOAD_GLOBAL's cache under threads: readers run functions that read
# globals and builtins in a loop while another thread rebinds, deletes and
# shadows them. Every read must give a value the name really had (never
# a dead object, never an older value after a newer one), and every
# reader must see the final state once the writer is done.
import builtins
import threading

G = 0
N = 3000
READERS = 2

def read_g():
    return G

def read_h():
    try:
        return H
    except NameError:
        return None

def read_len():
    return len("ab")

class Val:
    def __init__(self, n):
        self.n = n

V = Val(0)

def read_v():
    return V.n

errors = []
done = threading.Event()

def reader(k):
    last_g = -1
    last_v = -1
    seen_final = False
    while True:
        finished = done.is_set()
        g = read_g()
        if g < last_g:
            errors.append(("G went back", k, last_g, g))
        last_g = g
        v = read_v()
        if v < last_v:
            errors.append(("V went back", k, last_v, v))
        last_v = v
        h = read_h()
        if h is not None and h != "h":
            errors.append(("H wrong", k, h))
        n = read_len()
        if n not in (2, -2):
            errors.append(("len wrong", k, n))
        if finished:
            if g != N or v != N or h != "h" or n != 2:
                errors.append(("final state", k, g, v, h, n))
            break

def writer():
    global G, V, H
    for i in range(1, N + 1):
        G = i
        V = Val(i)             # the old value dies while readers may hold it
        if i % 3 == 0:
            H = "h"
        elif i % 3 == 1:
            try:
                del H
            except NameError:
                pass
        if i % 50 == 0:
            globals()["len"] = lambda s: -2     # shadow the builtin
        elif i % 50 == 25:
            globals().pop("len", None)
    globals().pop("len", None)
    H = "h"
    done.set()

threads = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
threads.append(threading.Thread(target=writer))
for t in threads:
    t.start()
for t in threads:
    t.join()
print("errors:", errors)
print("final", read_g(), read_v(), read_h(), read_len())
