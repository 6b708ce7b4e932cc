# Tracebacks with nframe > 1: the Python call chain of an allocation, in
# CPython 3.11's order (the sequence goes oldest -> most recent, str() is
# the first item), format() with source lines, limit and most_recent_first,
# get_object_traceback, and Trace objects of a snapshot.
import tracemalloc

THIS = __file__


class Node:
    __slots__ = ('value',)

    def __init__(self, value):
        self.value = value


def leaf():
    return Node(bytearray(300))


def middle():
    return leaf()


def top():
    return middle()


tracemalloc.start(10)
obj = top()
tb = tracemalloc.get_object_traceback(obj)
print(type(tb).__name__, len(tb), tb.total_nframe)
print([f.lineno for f in tb])
print(all(f.filename == THIS for f in tb))
print(str(tb) == "%s:%d" % (THIS, tb[0].lineno), tb[-1].lineno, tb[0].lineno)
print([f.lineno for f in tb[1:]], tb[-2].lineno)
for line in tb.format():
    print(line.replace(THIS, "THIS"))
print([l.replace(THIS, "THIS") for l in tb.format(limit=1)])
print([l.replace(THIS, "THIS") for l in tb.format(limit=-1)])
print([l.replace(THIS, "THIS") for l in tb.format(2, most_recent_first=True)])
print(tb[0] in tb, tracemalloc.Frame((THIS, 1)) in tb)

inner = tracemalloc.get_object_traceback(obj.value)
print([f.lineno for f in inner])

snap = tracemalloc.take_snapshot()
LEAF = tb[-1].lineno
mine = [t for t in snap.traces if t.traceback[-1] == tb[-1]]
print(len(mine) >= 2, all(t.domain == 0 for t in mine))
big = [t for t in mine if t.size >= 300]
print(len(big) >= 1, [f.lineno for f in big[0].traceback])
print(str(big[0]).startswith("%s:%d: " % (THIS, big[0].traceback[0].lineno)))
print(repr(big[0]).startswith("<Trace domain=0 size="))
stat = snap.statistics('traceback')
chain = [s for s in stat if [f.lineno for f in s.traceback][-4:] == [f.lineno for f in tb]]
print(len(chain) >= 1)
tracemalloc.stop()

# limit 1: only the most recent frame
tracemalloc.start(1)
obj2 = top()
print([f.lineno for f in tracemalloc.get_object_traceback(obj2)])
tracemalloc.stop()
print(tracemalloc.get_object_traceback(obj2))
