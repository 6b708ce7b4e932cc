# socket: errors as CPython raises them — connection refused (errno 111),
# gaierror for unknown hosts, bad addresses and arguments, operations on a
# closed socket, create_connection failures.
import socket

def show(f, *args):
    try:
        r = f(*args)
        print('ok', r)
    except OSError as e:
        print(type(e).__name__, e.errno, e)
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)

# a port nobody listens on: bind one, close it without listening
probe = socket.socket()
probe.bind(('127.0.0.1', 0))
dead = probe.getsockname()
probe.close()

c = socket.socket()
show(c.connect, dead)
c.close()
c = socket.socket()
print(c.connect_ex(dead))
c.close()
show(socket.create_connection, dead)
try:
    socket.create_connection(dead)
except ConnectionRefusedError as e:
    print(isinstance(e, ConnectionError), isinstance(e, OSError), e.strerror)

show(socket.getaddrinfo, 'no.such.host.invalid', 80)
print(issubclass(socket.gaierror, OSError), socket.gaierror.__module__)
try:
    socket.create_connection(('no.such.host.invalid', 80))
except socket.gaierror as e:
    print('gaierror', e.errno == socket.EAI_NONAME, e.strerror)

s = socket.socket()
show(s.bind, 'x')
show(s.bind, ('127.0.0.1',))
show(s.bind, ('127.0.0.1', 70000))
show(s.bind, ('127.0.0.1', 'x'))
show(s.bind, (1, 80))
show(s.recv, -1)
show(s.recv, 'x')
show(s.send, 'str')
show(s.setsockopt, socket.SOL_SOCKET, socket.SO_REUSEADDR, 'x')
show(s.getpeername)
show(s.recv, 10)
show(socket.socket, 99999)
s.close()
show(s.recv, 1)
show(s.getsockname)
show(s.fileno)
show(s.send, b'x')

srv = socket.socket()
srv.bind(('127.0.0.1', 0))
other = socket.socket()
show(other.bind, srv.getsockname())
other.close()
srv.close()
