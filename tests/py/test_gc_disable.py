# gc.disable stops automatic collections but not gc.collect(); enable and
# isenabled report the switch; automatic collections free cycles when on.
import gc

class Node:
    pass

print(gc.isenabled())
gc.disable()
print(gc.isenabled())

made = 0
for i in range(3000):
    n = Node()
    n.me = n
    made += 1
del n
print("collect while disabled", gc.collect() >= made)
print(gc.isenabled())
gc.enable()
print(gc.isenabled())

# automatic collections: the callbacks see them
seen = []
gc.callbacks.append(lambda phase, info: seen.append(phase))
for i in range(30000):
    n = Node()
    n.me = n
del n
gc.callbacks.clear()
print("automatic", "start" in seen and "stop" in seen)

for bad in (gc.enable, gc.disable, gc.isenabled):
    try:
        bad(1)
    except TypeError as e:
        print("TypeError:", e)
