# papers/gil-convoy/echo.py — the GIL convoy effect in Python (Beazley 2010,
# bpo-7946; Skvortsov 2021): an echo server thread answering 64-byte
# requests over loopback TCP, alone or beside CPU-bound Python threads, at
# a switch interval set with sys.setswitchinterval.
#
# Two roles, as in Skvortsov's setup (server and client are different
# processes, so the client never competes for the server's GIL):
#   server (default; what ftbench runs as `--workload py:PATH`):
#     echo.py [--threads N] [--quick] --port P [--cpu-threads K]
#             [--interval-ms X] [--seconds S]
#     listens on 127.0.0.1:P, serves one client connection for S seconds
#     (default 1, 0.3 with --quick) beside K CPU-bound threads (default 0),
#     then prints `metric echo_rate <requests per second> req/s` and
#     `metric echo_requests <count>`. --threads (ftbench passes it always)
#     is ignored: the CPU threads are --cpu-threads.
#   client: echo.py --client --port P
#     connects to P (retrying while no server listens), sends 64 bytes,
#     waits for them back, again, as fast as it can; when the server
#     closes, connects again (the next run). Runs until killed.
#
# The CPU-bound threads run `n += 1` loops on Python ints (Beazley's
# countdown), so under a GIL they hold it for whole switch intervals.
import socket
import sys
import threading
import time

MSG = b"x" * 64


def parse(argv):
    o = {"port": 0, "cpu": 0, "interval": None, "seconds": None,
         "quick": False, "client": False}
    for a in argv:
        if a == "--quick":
            o["quick"] = True
        elif a == "--client":
            o["client"] = True
        elif a.startswith("--port="):
            o["port"] = int(a[7:])
        elif a.startswith("--cpu-threads="):
            o["cpu"] = int(a[14:])
        elif a.startswith("--interval-ms="):
            o["interval"] = float(a[14:])
        elif a.startswith("--seconds="):
            o["seconds"] = float(a[10:])
    # "--threads N" and "--port P" forms too (ftbench passes --threads N)
    for i in range(len(argv) - 1):
        if argv[i] == "--port":
            o["port"] = int(argv[i + 1])
        elif argv[i] == "--cpu-threads":
            o["cpu"] = int(argv[i + 1])
        elif argv[i] == "--interval-ms":
            o["interval"] = float(argv[i + 1])
        elif argv[i] == "--seconds":
            o["seconds"] = float(argv[i + 1])
    if o["seconds"] is None:
        o["seconds"] = 0.3 if o["quick"] else 1.0
    return o


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        part = conn.recv(n - len(buf))
        if not part:
            return buf
        buf += part
    return buf


def client(port):
    while True:
        try:
            c = socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.002)
            continue
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                c.sendall(MSG)
                if len(recv_exact(c, len(MSG))) < len(MSG):
                    break
        except OSError:
            pass
        c.close()


def spin(stop, counts, i):
    # Beazley's CPU-bound thread: Python-level integer arithmetic only.
    n = 0
    while not stop:
        n += 1
    counts[i] = n


def server(o):
    if o["interval"] is not None:
        sys.setswitchinterval(o["interval"] / 1000.0)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", o["port"]))
    ls.listen(1)
    ls.settimeout(30.0)
    conn, _ = ls.accept()
    conn.settimeout(None)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    stop = []            # non-empty = stop (a list: no lock needed to read)
    counts = [0] * o["cpu"]
    cpus = [threading.Thread(target=spin, args=(stop, counts, i)) for i in range(o["cpu"])]
    for t in cpus:
        t.start()

    served = [0, 0.0]

    def serve():
        n = 0
        t0 = time.perf_counter()
        deadline = t0 + o["seconds"]
        while True:
            data = recv_exact(conn, len(MSG))
            if len(data) < len(MSG):
                raise RuntimeError("client went away")
            conn.sendall(data)
            n += 1
            # at least 5 requests, so that a long interval still gives a rate
            if n >= 5 and time.perf_counter() >= deadline:
                break
        served[0] = n
        served[1] = time.perf_counter() - t0

    st = threading.Thread(target=serve)
    st.start()
    st.join()
    stop.append(1)
    for t in cpus:
        t.join()
    conn.close()
    ls.close()
    n, dt = served
    print("metric echo_rate %.3f req/s" % (n / dt))
    print("metric echo_requests %d" % n)
    print("metric cpu_threads %d" % o["cpu"])


def main():
    o = parse(sys.argv[1:])
    if o["client"]:
        client(o["port"])
    else:
        if not o["port"]:
            print("echo.py: --port P is required", file=sys.stderr)
            sys.exit(2)
        server(o)


main()
