# sys.settrace is per thread: a thread's trace function sees only its own calls,
# other threads and the main thread stay untraced; a thread may exit still tracing.
import sys, threading
events = []
def tr(frame, event, arg):
    if frame.f_code.co_name == 'work':
        events.append((threading.current_thread().name, event))
    return tr
def work():
    x = 1
    return x
def traced_thread():
    sys.settrace(tr)
    work()
    print('in thread', sys.gettrace() is tr)
def plain_thread():
    work()
    print('plain', sys.gettrace())
t = threading.Thread(target=traced_thread, name='T1'); t.start(); t.join()
u = threading.Thread(target=plain_thread, name='T2'); u.start(); u.join()
print(sys.gettrace())
work()
print(events)
