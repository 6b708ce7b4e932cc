# socket: a TCP echo over IPv4 loopback in one thread (listen, connect,
# accept, send/sendall, recv, recv_into, shutdown, close), addresses,
# peer names, the context manager and the repr's shape.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    print(srv.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
    srv.bind(('127.0.0.1', 0))
    srv.listen(5)
    host, port = srv.getsockname()
    print(host, 0 < port < 65536, srv.family == socket.AF_INET, srv.type == socket.SOCK_STREAM)
    print(repr(srv.family), repr(srv.type), srv.proto)

    cli = socket.socket()
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print(cli.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    print(cli.connect_ex(('127.0.0.1', port)))
    conn, addr = srv.accept()
    with conn:
        print(type(conn).__name__, addr == cli.getsockname(), conn.getpeername() == cli.getsockname())
        print(cli.getpeername() == (host, port), conn.getsockname() == (host, port))
        print(cli.send(b'ping') == 4)
        print(conn.recv(1024))
        conn.sendall(b'x' * 100000)
        got = b''
        while len(got) < 100000:
            got += cli.recv(65536)
        print(len(got), set(got) == {ord('x')})
        cli.sendall(bytearray(b'into'))
        buf = bytearray(10)
        n = conn.recv_into(buf)
        print(n, buf)
        cli.shutdown(socket.SHUT_WR)
        print(conn.recv(10), conn.recv(10))
        r = repr(conn)
        print(r.startswith('<socket.socket fd='), 'family=2, type=1, proto=0' in r,
              "laddr=('127.0.0.1'," in r, "raddr=('127.0.0.1'," in r)
    print('[closed]' in repr(conn), conn.fileno())
    cli.close()
    cli.close()  # closing twice is fine
print(repr(srv))
