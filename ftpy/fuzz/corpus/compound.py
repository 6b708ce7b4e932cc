def g():
    yield from range(3)
    return 5
class C(object):
    def __init__(s, *a, **k): super().__init__()
try:
    raise ValueError(list(g()))
except (TypeError, ValueError) as e:
    pass
finally:
    pass
with open("x") as f, g() as h: pass
