# Snapshot.compare_to: the line that grew the most comes first, with size
# and count deltas and CPython's "(+...)" printed form; a group that went
# away shows size 0 and negative deltas; the sort order.
import tracemalloc

THIS = __file__
tracemalloc.start()
keep = []


def grow(n):
    keep.append([bytes(100 + i % 7) for i in range(n)])


old = tracemalloc.take_snapshot()
grow(20000)
new = tracemalloc.take_snapshot()

diffs = new.compare_to(old, 'lineno')
d = diffs[0]
print(type(d).__name__, d.traceback[0].filename == THIS, d.traceback[0].lineno)
print(d.size_diff > 2000000, d.count_diff >= 20000, d.size >= d.size_diff)
text = str(d)
print(text.startswith("%s:%d: size=" % (THIS, d.traceback[0].lineno)))
print("(+" in text.split(", count=")[0], "count=%d (+%d)" % (d.count, d.count_diff) in text)
keys = [(abs(x.size_diff), x.size) for x in diffs]
print(keys == sorted(keys, reverse=True))

# what an old snapshot had and a new one lacks: size 0, negative diff
empty = old.filter_traces([tracemalloc.Filter(True, "no-such-file")])
back = empty.compare_to(new, 'filename')
print(len(back) > 0, all(x.size == 0 and x.size_diff <= 0 for x in back))
print(all(x.count == 0 and x.count_diff <= 0 for x in back))
g = [x for x in back if x.traceback[0].filename == THIS][0]
print(str(g).startswith(THIS + ":0: size=0 B (-"), str(g).endswith(")"))

same = new.compare_to(new, 'traceback')
print(all(x.size_diff == 0 and x.count_diff == 0 for x in same))
print(all("(+0 B)" in str(x) and "(+0)" in str(x) for x in same))
tracemalloc.stop()
print(len(keep[0]))
