# helper module: defines an exception class and a function raising it
class ModError(Exception):
    pass
def fail(msg):
    raise ModError(msg)
def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return None
