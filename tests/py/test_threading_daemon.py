# A daemon thread still sleeping when the program ends does not keep it
# alive or crash its exit; non-daemon threads are waited for at exit
# (their output appears); atexit runs after them.
import threading
import time
import atexit

atexit.register(lambda: print("atexit ran"))


def forever():
    while True:
        time.sleep(0.05)


d = threading.Thread(target=forever, daemon=True)
d.start()
print(d.daemon, d.is_alive())
blocked = threading.Thread(target=threading.Event().wait, daemon=True)
blocked.start()


def late():
    time.sleep(0.05)
    print("non-daemon thread finished")


threading.Thread(target=late).start()
print("main done")
