# Snapshot.statistics: after building a big list here, the top 'lineno'
# statistic names this file and the comprehension's line, with the size,
# count and CPython's printed form; 'filename', 'traceback' and cumulative
# groupings; statistics sorted biggest first.
import tracemalloc

THIS = __file__


def looks_like_stat(text):
    # "<file>:<line>: size=<n>[.<d>] KiB|MiB, count=<n>, average=<n> B"
    head, sep, rest = text.rpartition(": size=")
    if not sep or not head.startswith(THIS + ":") or not head[len(THIS) + 1:].isdigit():
        return False
    size, _, rest = rest.partition(", count=")
    count, _, avg = rest.partition(", average=")
    num, _, unit = size.partition(" ")
    num_ok = num.replace(".", "", 1).isdigit() and num.count(".") <= 1
    return (num_ok and unit in ("KiB", "MiB") and count.isdigit()
            and avg.endswith(" B") and avg[:-2].isdigit())


tracemalloc.start()
data = [str(i) * 20 for i in range(40000)]
snap = tracemalloc.take_snapshot()
print(snap.traceback_limit, len(snap.traces) >= 40000)

top = snap.statistics('lineno')
first = top[0]
print(first.traceback[0].filename == THIS, first.traceback[0].lineno)
print(first.size > 1000000, first.count >= 40000, len(first.traceback))
print(looks_like_stat(str(first)))
sizes = [s.size for s in top]
print(sizes == sorted(sizes, reverse=True))
print(all(isinstance(s, tracemalloc.Statistic) for s in top))

by_file = snap.statistics('filename')
mine = [s for s in by_file if s.traceback[0].filename == THIS]
print(len(mine), mine[0].traceback[0].lineno, mine[0].size >= first.size)
print(str(mine[0]).startswith(THIS + ":0: size="))

by_tb = snap.statistics('traceback')
print(by_tb[0].traceback[0].lineno, by_tb[0].count >= 40000)

cum = snap.statistics('lineno', cumulative=True)
print(cum[0].traceback[0].lineno, cum[0].size >= first.size)
cumf = snap.statistics('filename', True)
print(sum(s.size for s in cumf) >= sum(s.size for s in by_file))
tracemalloc.stop()
print(len(data))
