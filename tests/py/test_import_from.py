# from-import: names, multiple names, parenthesized lists, aliases, star-free; module not bound by from-import
from pymod_shapes import PI
from pymod_shapes import area_circle, area_rect
from pymod_shapes import (Square,
                          register as reg)
print(PI, area_circle(1), area_rect(2, 5))
print(Square(3).area(), reg("x"))
try:
    pymod_shapes
except NameError as e:
    print(e)
import pymod_shapes
print(pymod_shapes.registry)
print(Square is pymod_shapes.Square, area_rect is pymod_shapes.area_rect)
PI = 3
print(PI, pymod_shapes.PI)
from pymod_errors import ModError, fail
try:
    fail("from module")
except ModError as e:
    print(type(e).__name__, e, type(e).__module__)
def local_import():
    from pymod_counter import bump
    return bump() + bump()
print(local_import())
from pymod_counter import value
print(value)
import pymod_counter
print(pymod_counter.value)
from pymod_chain import make, CIRCLE_CONSTANT, counter_value
print(make(4), CIRCLE_CONSTANT, counter_value())
from math import sqrt, pi as PI_MATH
print(sqrt(16.0), round(PI_MATH, 5))
from sys import maxsize
print(maxsize > 2 ** 31)
