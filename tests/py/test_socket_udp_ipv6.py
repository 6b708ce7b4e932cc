# socket: UDP datagrams (sendto/recvfrom, connected UDP send/recv) over IPv4
# and IPv6 loopback, IPv6 TCP with its 4-tuple addresses, socketpair,
# create_server / create_connection.
import socket

a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(('127.0.0.1', 0))
b.bind(('127.0.0.1', 0))
print(b.sendto(b'datagram', a.getsockname()))
data, frm = a.recvfrom(100)
print(data, frm == b.getsockname())
b.connect(a.getsockname())
b.send(b'one')
b.send(b'two')
print(a.recv(100), a.recvfrom(100)[0])
print(repr(a.type), a.type == socket.SOCK_DGRAM)
a.close()
b.close()

u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(('::1', 0))
addr = u6.getsockname()
print(addr[0], len(addr), addr[2:])
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.sendto(b'v6', addr)
d, f = u6.recvfrom(10)
print(d, f[0], len(f))
u6.close()
s6.close()

srv6 = socket.create_server(('::1', 0), family=socket.AF_INET6)
port = srv6.getsockname()[1]
c6 = socket.create_connection(('::1', port), timeout=5)
conn, caddr = srv6.accept()
print(caddr[0], len(caddr), c6.family == socket.AF_INET6, repr(conn.family))
c6.sendall(b'over ipv6')
print(conn.recv(100))
print(c6.gettimeout(), conn.gettimeout())
for s in (c6, conn, srv6):
    s.close()

srv = socket.create_server(('127.0.0.1', 0))
c = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
c.sendall(b'create_*')
print(conn.recv(100), srv.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
for s in (c, conn, srv):
    s.close()

x, y = socket.socketpair()
print(repr(x.family), x.type == socket.SOCK_STREAM, x.getsockname())
x.sendall(b'pair')
print(y.recv(10))
x.close()
print(y.recv(10))
y.close()
