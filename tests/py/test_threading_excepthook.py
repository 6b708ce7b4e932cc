# An exception in a thread goes to threading.excepthook (the default one
# prints it on stderr) and the program goes on; a custom hook gets the
# ExceptHookArgs fields; SystemExit in a thread is silent; Timer runs
# once, cancel() stops it.
import threading


def boom():
    raise ValueError("boom")


t = threading.Thread(target=boom)
t.start()
t.join()
print("program continues", t.is_alive())

caught = []


def hook(args):
    caught.append((args.exc_type.__name__, str(args.exc_value),
                   args.thread.name, args.exc_traceback is not None))


threading.excepthook = hook
t = threading.Thread(target=boom, name="bad")
t.start()
t.join()
t = threading.Thread(target=lambda: 1 / 0, name="div")
t.start()
t.join()
print(caught)
threading.excepthook = threading.__excepthook__

t = threading.Thread(target=lambda: exec("raise SystemExit(3)"))
t.start()
t.join()
print("after SystemExit")

fired = []
tm = threading.Timer(0.01, fired.append, args=["fired"])
tm.start()
tm.join()
tm2 = threading.Timer(10, fired.append, args=["never"])
tm2.start()
tm2.cancel()
tm2.join()
print(fired, tm.name.startswith("Thread-"))
