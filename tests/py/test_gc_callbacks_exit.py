# After __main__ ends, CPython runs one last full collection with the
# callbacks when gc is enabled (and none while disabled): the callback
# below prints its phase then, and only once per phase.
import gc

def report(phase, info):
    print("exit collection:", phase, info["generation"], sorted(info))

gc.callbacks.append(report)
gc.callbacks.remove(report)
print("registered", gc.callbacks)
gc.callbacks.append(report)
print("end of main")
