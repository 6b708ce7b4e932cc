# helper module: counts how many times its body runs (must be once per process)
executions = []
executions.append("run")
value = 0
def bump():
    global value
    value += 1
    return value
