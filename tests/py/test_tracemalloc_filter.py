# Snapshot.filter_traces with Filter (fnmatch patterns, lineno, all_frames,
# domain) and DomainFilter, over hand-made traces (exact results) and over
# a real snapshot of this file.
import tracemalloc
from tracemalloc import Filter, DomainFilter, Snapshot

raw = [
    (0, 10, (("a.py", 1), ("main.py", 5)), 2),
    (0, 20, (("ab.py", 2), ("main.py", 6)), 2),
    (0, 30, (("lib/b.py", 3), ("a.py", 9)), 2),
    (1, 40, (("c.pyc", 4),), 1),
    (2, 50, (("[x].py", 5), ("main.py", 7)), 2),
    (0, 60, (("b.txt", 6),), 1),
]
snap = Snapshot(raw, 2)


def sizes(filters):
    return sorted(t.size for t in snap.filter_traces(filters).traces)


print(sizes([]), len(snap.filter_traces([]).traces))
print(sizes([Filter(True, "*.py")]))
print(sizes([Filter(True, "a?.py")]))
print(sizes([Filter(True, "[ab]*")]))
print(sizes([Filter(True, "[!a]*")]))
print(sizes([Filter(True, "lib/*")]))
print(sizes([Filter(True, "c.py")]))          # .pyc names match as .py
print(sizes([Filter(True, "[[]x].py")]))
print(sizes([Filter(True, "[x")]))
print(sizes([Filter(True, "*.p[a-z]")]))
print(sizes([Filter(True, "a.py", lineno=1)]), sizes([Filter(True, "a.py", 9)]))
print(sizes([Filter(True, "a.py", all_frames=True)]))
print(sizes([Filter(True, "main.py", all_frames=True)]))
print(sizes([Filter(False, "main.py", all_frames=True)]))
print(sizes([Filter(False, "*.py")]))
print(sizes([Filter(False, "a.py"), Filter(False, "b.txt")]))
print(sizes([Filter(True, "a*"), Filter(True, "b*"), Filter(False, "ab.py")]))
print(sizes([Filter(True, "*", domain=0)]), sizes([Filter(False, "*.py", domain=2)]))
print(sizes([DomainFilter(True, 1)]), sizes([DomainFilter(False, 0)]))
f = Filter(True, "x.pyc", 3, True, 4)
print(f.inclusive, f.filename_pattern, f.lineno, f.all_frames, f.domain)
d = DomainFilter(False, 7)
print(d.inclusive, d.domain)
print(snap.filter_traces((Filter(True, "a.py"),)).traceback_limit)

# a real snapshot: keep only this file's traces
tracemalloc.start()
junk = [bytes(50 + i % 3) for i in range(3000)]
real = tracemalloc.take_snapshot()
mine = real.filter_traces([Filter(True, __file__)])
print(len(mine.traces) >= 3000, len(mine.traces) <= len(real.traces))
print(all(t.traceback[0].filename == __file__ for t in mine.traces))
rest = real.filter_traces([Filter(False, __file__)])
print(len(rest.traces) + len(mine.traces) == len(real.traces))
notm = real.filter_traces([Filter(False, tracemalloc.__file__)])
print(any(t.traceback[0].filename == tracemalloc.__file__ for t in notm.traces))
tracemalloc.stop()
