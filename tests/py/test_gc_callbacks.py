# gc.callbacks: each callable gets ("start", info) then ("stop", info);
# info has generation/collected/uncollectable; the generation is the one
# asked for; "stop" reports what was collected; a failing callback does
# not stop the others or the collection.
import gc

events = []

def cb(phase, info):
    events.append((phase, sorted(info.items()) if phase == "start" else sorted(info)))

def counts(phase, info):
    if phase == "stop":
        events.append(("collected>=5", info["collected"] >= 5))

def broken(phase, info):
    raise RuntimeError("callback failed")

print(type(gc.callbacks).__name__, gc.callbacks)
gc.callbacks.append(cb)
gc.collect()
print(events)
events.clear()
gc.collect(0)
print(events[0])
events.clear()

class Node:
    pass

gc.callbacks.append(counts)
gc.callbacks.insert(0, broken)
for i in range(5):
    n = Node()
    n.me = n
del n
r = gc.collect()
print("collect", r >= 5)
print(events)
gc.callbacks.remove(broken)
gc.callbacks.remove(counts)
gc.callbacks.remove(cb)
print(gc.callbacks)

# a callback may look at gc state; collect() inside one does nothing
inner = []
def nested(phase, info):
    inner.append((phase, gc.collect()))
gc.callbacks.append(nested)
gc.collect()
gc.callbacks.clear()
print(inner)
