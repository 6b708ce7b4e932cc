# socket: an echo server in a thread — its accept/recv block (detached) while
# the main thread runs, connects and talks to it; several clients in turn,
# then a client thread blocked in recv until the main thread answers.
import socket
import threading

srv = socket.create_server(('127.0.0.1', 0))
addr = srv.getsockname()
served = []

def serve(n):
    for _ in range(n):
        conn, _ = srv.accept()
        with conn:
            chunks = []
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                chunks.append(data)
                conn.sendall(data.upper())
            served.append(b''.join(chunks))

t = threading.Thread(target=serve, args=(3,))
t.start()
for i in range(3):
    with socket.create_connection(addr, timeout=10) as c:
        msg = b'hello %d' % i
        c.sendall(msg)
        got = b''
        while len(got) < len(msg):
            got += c.recv(1024)
        print(got)
        c.shutdown(socket.SHUT_WR)
        print(c.recv(10))
t.join()
print(served)
srv.close()

# a thread blocked in recv does not stop the main thread
a, b = socket.socketpair()
result = []
def reader():
    result.append(a.recv(100))
r = threading.Thread(target=reader)
r.start()
total = sum(i * i for i in range(100000))
b.sendall(b'answer %d' % (total % 97))
r.join()
print(result)
a.close()
b.close()
