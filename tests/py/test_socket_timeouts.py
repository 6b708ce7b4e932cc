# socket: timeouts and blocking modes — settimeout/gettimeout/setblocking/
# getblocking, TimeoutError "timed out" (socket.timeout is TimeoutError),
# BlockingIOError for non-blocking calls, the default timeout.
import socket
import time

print(socket.timeout is TimeoutError, socket.error is OSError)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
print(s.gettimeout(), s.getblocking(), s.timeout)
s.settimeout(0.05)
print(s.gettimeout(), s.getblocking())
t0 = time.monotonic()
try:
    s.recvfrom(10)
except socket.timeout as e:
    print(type(e).__name__, e, e.errno, time.monotonic() - t0 >= 0.04)
try:
    s.recv(10)
except TimeoutError as e:
    print('recv', e)
s.setblocking(False)
print(s.gettimeout(), s.getblocking())
try:
    s.recv(10)
except BlockingIOError as e:
    print(type(e).__name__, e.errno, e)
s.setblocking(True)
print(s.gettimeout(), s.getblocking())
s.settimeout(None)
print(s.gettimeout())
s.settimeout(2)
print(s.gettimeout())
s.close()

srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen()
srv.settimeout(0.05)
try:
    srv.accept()
except TimeoutError as e:
    print('accept', e)
srv.setblocking(False)
try:
    srv.accept()
except BlockingIOError as e:
    print('accept', type(e).__name__)
srv.close()

print(socket.getdefaulttimeout())
socket.setdefaulttimeout(1.5)
n = socket.socket()
print(socket.getdefaulttimeout(), n.gettimeout())
socket.setdefaulttimeout(None)
n.close()
for bad in (-1, 'x', float('nan')):
    try:
        socket.socket().settimeout(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
