"""churn.py — a multi-threaded allocation workload for preload_programs.sh.

    PYTHONMALLOC=malloc python3 churn.py [ops]

Four threads build and drop dicts, lists and strings (`ops` each, default
200000) and hand lists to the next thread, which drops them there. The
output depends only on the seeds, so a run on libftmalloc.so must print
exactly what a run on glibc prints. When LD_PRELOAD names libftmalloc, it
first checks through ctypes that malloc really is the shim's.
"""
import os
import queue
import random
import sys
import threading
import zlib

THREADS = 4


def check_ftmalloc():
    import ctypes
    libc = ctypes.CDLL(None)
    try:
        owns = libc.ftmalloc_owns
    except AttributeError:
        sys.exit("churn.py: no ftmalloc_owns: not running on libftmalloc.so")
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    owns.argtypes = [ctypes.c_void_p]
    p = libc.malloc(100)
    if not owns(p):
        sys.exit("churn.py: malloc(100) was not served by obmalloc")
    libc.free(p)


def work(i, ops, inboxes, barrier, results):
    rng = random.Random(1000 + i)
    outbox = inboxes[(i + 1) % THREADS]
    inbox = inboxes[i]
    crc = 0
    received = 0
    keep = [None] * 64
    for op in range(ops):
        k = rng.randrange(5)
        if k == 0:
            obj = {("k%d" % j): j * op for j in range(rng.randrange(1, 24))}
            crc = zlib.crc32(b"%d" % sum(obj.values()), crc)
        elif k == 1:
            obj = [str(j) * rng.randrange(1, 8)
                   for j in range(rng.randrange(1, 40))]
            crc = zlib.crc32("".join(obj).encode(), crc)
        elif k == 2:
            obj = "-".join(str(op + j) for j in range(rng.randrange(1, 30)))
            crc = zlib.crc32(obj.encode(), crc)
        elif k == 3:
            obj = [(j, str(j)) for j in range(rng.randrange(1, 60))]
            outbox.put(obj)             # dropped by the next thread
            crc = zlib.crc32(b"%d" % len(obj), crc)
        else:
            obj = bytearray(rng.randrange(1, 3000))
            crc = zlib.crc32(b"%d" % len(obj), crc)
        keep[op % len(keep)] = obj      # some objects live a little longer
        if op % 32 == 0:
            while True:
                try:
                    received += len(inbox.get_nowait())
                except queue.Empty:
                    break
    barrier.wait()                      # every producer is done
    while True:
        try:
            received += len(inbox.get_nowait())
        except queue.Empty:
            break
    results[i] = (crc, received)


def main():
    if "libftmalloc" in os.environ.get("LD_PRELOAD", ""):
        check_ftmalloc()
    ops = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    inboxes = [queue.SimpleQueue() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS
    threads = [threading.Thread(target=work,
                                args=(i, ops, inboxes, barrier, results))
               for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, (crc, received) in enumerate(results):
        print("thread %d: crc %08x, received %d" % (i, crc, received))


if __name__ == "__main__":
    main()
