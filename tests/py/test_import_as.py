# import aliases: import x as y, from x import a as b, several aliases, alias identity and scoping
import pymod_shapes as shp
print(shp.PI, shp.__name__)
try:
    pymod_shapes
except NameError as e:
    print(e)
from pymod_shapes import Square as Sq, area_rect as rect
print(Sq(6).area(), rect(1, 9))
import pymod_counter as c1, pymod_counter as c2
print(c1 is c2)
c1.bump()
print(c2.value)
import math as m
print(m.floor(2.7), m.ceil(2.1))
import sys as system
print(system.maxsize == 9223372036854775807)
def f():
    import pymod_shapes as inner_alias
    return inner_alias.area_circle(1)
print(f())
try:
    inner_alias
except NameError as e:
    print(e)
import pymod_shapes
print(pymod_shapes is shp)
from pymod_errors import ModError as E1
from pymod_errors import ModError as E2
print(E1 is E2, E1.__name__)
import time as t
print(callable(t.time), callable(t.sleep))
