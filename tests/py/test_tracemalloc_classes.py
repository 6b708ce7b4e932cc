# tracemalloc's value classes over hand-made data: Frame, Traceback,
# Trace, _Traces, Statistic and StatisticDiff (str/repr with CPython's size
# formatting, equality, hashing as dict keys, ordering), and exact
# statistics/compare_to results and their sort order.
from tracemalloc import Frame, Traceback, Trace, Statistic, StatisticDiff, Snapshot

f1, f2 = Frame(("a.py", 3)), Frame(("b.py", 1))
print(str(f1), repr(f1), f1.filename, f1.lineno)
print(f1 == Frame(("a.py", 3)), f1 != f2, f1 < f2, f2 >= f1, sorted([f2, f1])[0])
print({f1: 1}[Frame(("a.py", 3))], f1 == ("a.py", 3))

tb = Traceback((("new.py", 9), ("mid.py", 5), ("old.py", 1)), 7)
print(len(tb), str(tb), tb[0], tb[-1], [str(f) for f in tb[1:]])
print(repr(tb))
print(tb.total_nframe, Traceback((("x", 1),)).total_nframe, repr(Traceback((("x", 1),))))
print(Frame(("mid.py", 5)) in tb, Frame(("mid.py", 6)) in tb)
print(tb == Traceback((("new.py", 9), ("mid.py", 5), ("old.py", 1))))
print(hash(tb) == hash(Traceback((("new.py", 9), ("mid.py", 5), ("old.py", 1)))))
print(tb < Traceback((("z.py", 1),)), [str(f) for f in reversed(tb)])
print(tb.format(), tb.format(limit=1, most_recent_first=True))

tr = Trace((0, 2048, (("a.py", 3),), 1))
print(str(tr), repr(tr), tr.domain, tr.size)
print(tr == Trace((0, 2048, (("a.py", 3),), 1)), hash(tr) == hash(Trace((0, 2048, (("a.py", 3),), 1))))

for size in (0, 1, 99, 1023, 10239, 10240, 102399, 102400, 5 * 1024 ** 2, 3 * 1024 ** 4, 2 ** 50):
    print(str(Statistic(Traceback((("s.py", 2),)), size, 3)))
print(str(Statistic(Traceback((("s.py", 2),)), 0, 0)))
st = Statistic(Traceback((("s.py", 2),)), 3000, 10)
print(repr(st), st == Statistic(Traceback((("s.py", 2),)), 3000, 10), len({st, st}))
for sd in (StatisticDiff(Traceback((("d.py", 1),)), 4096, 1024, 4, 1),
           StatisticDiff(Traceback((("d.py", 1),)), 0, -20000, 0, -5),
           StatisticDiff(Traceback((("d.py", 1),)), 50, 0, 2, 0)):
    print(str(sd), "|", repr(sd))

raw = [
    (0, 100, (("x.py", 1), ("m.py", 9)), 2),
    (0, 100, (("x.py", 1), ("m.py", 8)), 2),
    (0, 300, (("y.py", 2), ("m.py", 9)), 2),
    (0, 100, (("z.py", 3),), 1),
    (0, 100, (("a.py", 3),), 1),
]
old = Snapshot(raw[:3], 2)
new = Snapshot(raw[1:] + [(0, 700, (("x.py", 5),), 1)], 2)
print(len(new.traces), repr(new.traces), new.traces[0] == Trace(raw[1]), Trace(raw[1]) in new.traces)
print([str(t) for t in new.traces[1:3]], new.traces == Snapshot(list(new.traces._traces), 2).traces)
for key in ('lineno', 'filename', 'traceback'):
    print(key, [str(s) for s in new.statistics(key)])
print([str(s) for s in new.statistics('lineno', cumulative=True)])
print([str(s) for s in new.statistics('filename', cumulative=True)])
for key in ('lineno', 'filename', 'traceback'):
    for d in new.compare_to(old, key):
        print(key, str(d))
for d in new.compare_to(old, 'filename', cumulative=True):
    print('cumulative', str(d))
