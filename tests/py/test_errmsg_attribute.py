# AttributeError messages: instances, classes, modules, builtins, None, read-only attributes, __slots__
class C:
    pass
class D(C):
    __slots__ = ()
objects = [C(), C, 5, "s", [], None, 1.5, (), {}, len, print]
for o in objects:
    try:
        o.missing_attr
    except AttributeError as e:
        print(e)
import math
try:
    math.missing_fn
except AttributeError as e:
    print(e)
import pymod_counter
try:
    pymod_counter.nothing
except AttributeError as e:
    print(e)
for target in [5, "s", [], None]:
    try:
        target.new_attr = 1
    except AttributeError as e:
        print(e)
try:
    [].append = None
except AttributeError as e:
    print(e)
try:
    (1).real = 2
except AttributeError as e:
    print(e)
class S:
    __slots__ = ("a",)
try:
    S().b = 1
except AttributeError as e:
    print(e)
try:
    S().a
except AttributeError as e:
    print(e)
try:
    del C().x
except AttributeError as e:
    print(e)
class P:
    @property
    def ro(self):
        return 1
try:
    P().ro = 2
except AttributeError as e:
    print(e)
try:
    object().__dict__
except AttributeError as e:
    print(e)
try:
    C.__missing_dunder__
except AttributeError as e:
    print(e)
