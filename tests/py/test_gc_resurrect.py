# PEP 442: a __del__ may resurrect its object; it survives the collection,
# stays usable, is finalized, and its __del__ never runs again.
import gc

saved = []

class Phoenix:
    calls = 0
    def __del__(self):
        Phoenix.calls += 1
        saved.append(self)

p = Phoenix()
p.me = p
p.value = 42
del p
gc.collect()
print("calls", Phoenix.calls)
print("saved", len(saved), saved[0].value, saved[0].me is saved[0])
print("finalized", gc.is_finalized(saved[0]))

# dropped again: collected without a second __del__
saved.clear()
print("collected", gc.collect() >= 1)
print("calls", Phoenix.calls)

# resurrection through refcounting (no cycle)
class Once:
    calls = 0
    def __del__(self):
        Once.calls += 1
        keep.append(self)

keep = []
o = Once()
print("not finalized", gc.is_finalized(o))
del o
print("refcount death", Once.calls, len(keep))
print("finalized", gc.is_finalized(keep[0]))
keep.clear()
print("calls", Once.calls)
