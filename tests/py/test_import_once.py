# modules execute once: repeated imports return the same module object; state persists; import inside functions
import pymod_counter
print(pymod_counter.executions)
import pymod_counter
import pymod_counter as again
print(pymod_counter.executions, again is pymod_counter)
pymod_counter.bump()
pymod_counter.bump()
def in_function():
    import pymod_counter
    return pymod_counter.bump()
print(in_function(), in_function())
from pymod_counter import executions
print(executions is pymod_counter.executions, len(executions))
import pymod_chain
print(pymod_chain.counter_value())
print(pymod_chain.pymod_counter is pymod_counter)
import pymod_chain as chain_again
print(chain_again is pymod_chain, chain_again.pymod_counter.value)
for i in range(3):
    import pymod_counter
print(pymod_counter.executions)
import pymod_shapes
import pymod_shapes
print(pymod_shapes.loads)
print(pymod_chain.make(2).area())
print(pymod_counter.value)
