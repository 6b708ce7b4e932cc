# helper module: imports another helper module and re-exports names
import pymod_counter
from pymod_shapes import Square, PI as CIRCLE_CONSTANT
def make(side):
    return Square(side)
def counter_value():
    return pymod_counter.value
