# tracemalloc: current and peak traced memory, top allocations by line
# (shown as relations: sizes are interpreter details), stop() and its effects.
import tracemalloc

print(tracemalloc.is_tracing())
tracemalloc.start()
print(tracemalloc.is_tracing())

def construir():
    return [i * 1000 for i in range(100000)]    # scaled down from 10**6

LINEA = construir.__code__.co_firstlineno + 1

# freeing the list lowers the current size, the peak stays
lista = construir()
current, peak = tracemalloc.get_traced_memory()
del lista
after, peak2 = tracemalloc.get_traced_memory()
print("freed:", after < current, "peak kept:", peak2 >= peak)

# the seed's flow
lista = construir()
current, peak = tracemalloc.get_traced_memory()
print(f"Uso actual > 0.5 MB: {current / 1024 / 1024 > 0.5}")
print(f"Peak >= actual: {peak >= current}")

snapshot = tracemalloc.take_snapshot()
top_stats = snapshot.statistics('lineno')
print(len(top_stats) > 0, len(top_stats[:3]) <= 3)
top = top_stats[0]
frame = top.traceback[0]
print(frame.filename.endswith('test_seed_tracemalloc.py'), frame.lineno == LINEA)
print(top.size > 100000 * 8, top.count >= 1)
print(str(top).startswith(f"{frame.filename}:{LINEA}: size="))
print(all(a.size >= b.size for a, b in zip(top_stats, top_stats[1:])))

tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print("RuntimeError:", e)
