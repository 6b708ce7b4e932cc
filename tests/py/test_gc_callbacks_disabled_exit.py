# With gc disabled when __main__ ends, no collection runs the callbacks
# at exit, but objects in cycles are still freed and their __del__ runs.
import gc

class Fin:
    def __del__(self):
        print("del runs at exit")

def report(phase, info):
    print("unexpected:", phase)

gc.callbacks.append(report)
f = Fin()
f.me = f
del f
gc.disable()
print("end of main")
